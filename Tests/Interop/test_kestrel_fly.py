"""`kestrel fly` on the emulated SITL board: the real-time daemon ticks on the wall clock, stops on time or on
SIGTERM, sets outputs safe and prints the scheduler report. Timings are not asserted, only counts and structure."""
import pathlib
import re
import signal
import subprocess
import time

REPO = pathlib.Path(__file__).resolve().parents[2]

BOARD = "Hardware/boards/sitl.toml"


def _report(out: str):
    m = re.search(r"scheduler: (\d+) ticks at (\d+) Hz, (\d+) tick overruns, (\d+) ticks skipped", out)
    assert m, out
    ticks, rate, _overruns, skipped = (int(g) for g in m.groups())
    jitter = re.search(r"wake-up jitter µs\s+p50 (\d+)\s+p99 (\d+)\s+p99\.9 (\d+)\s+max (\d+)", out)
    execution = re.search(r"tick execution µs\s+p50 (\d+)\s+p99 (\d+)\s+p99\.9 (\d+)\s+max (\d+)", out)
    assert jitter and execution, out
    p50, p99, p999, mx = (int(g) for g in jitter.groups())
    assert p50 <= p99 <= p999 <= mx
    e50, e99, e999, emx = (int(g) for g in execution.groups())
    assert e50 <= e99 <= e999 <= emx
    for task in ("sensors+estimator", "attitude+outputs", "guidance+tecs", "mission"):
        assert re.search(rf"^\s+{re.escape(task)}\s+\d+\s+\d+\s+\d+\s+\d+", out, re.M), task
    return ticks, rate, skipped


def _realtime_lines(out: str):
    lines = [line for line in out.splitlines() if line.startswith("real-time:")]
    assert any("SCHED_FIFO" in line or "mlockall" in line for line in lines), out
    assert len(lines) == 3, lines


def test_fly_emulated_runs_for_the_given_seconds(kestrel):
    r = subprocess.run([kestrel, "fly", "--board", BOARD, "--emulated", "--seconds", "3"], cwd=REPO,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr + r.stdout
    ticks, rate, skipped = _report(r.stdout)
    assert rate == 400
    # 3 s at 400 Hz: every deadline is either run or counted as skipped.
    assert abs(ticks + skipped - 1200) <= 2, r.stdout
    assert ticks >= 600, r.stdout
    _realtime_lines(r.stdout)
    assert "fly: stopped after 3.0 s" in r.stdout
    assert "outputs at safe values" in r.stdout


def test_fly_stops_cleanly_on_sigterm(kestrel):
    p = subprocess.Popen([kestrel, "fly", "--board", BOARD, "--emulated"], cwd=REPO,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # Wait until the loop is ticking, then one more second.
    deadline = time.monotonic() + 30
    line = ""
    while "fly: ticking" not in line:
        assert time.monotonic() < deadline, "daemon never reported ticking"
        line = p.stdout.readline()
        assert line or p.poll() is None, p.stderr.read()
    time.sleep(1)
    p.send_signal(signal.SIGTERM)
    out, err = p.communicate(timeout=30)
    assert p.returncode == 0, err + out
    assert "fly: stopped by SIGTERM" in out
    ticks, _, _ = _report(out)
    assert 200 <= ticks <= 400 * 10, out


def test_fly_missing_board_is_one_clear_error(kestrel, tmp_path):
    missing = tmp_path / "no-such-board.toml"
    r = subprocess.run([kestrel, "fly", "--board", str(missing), "--emulated", "--seconds", "1"], cwd=REPO,
                       capture_output=True, text=True, timeout=60)
    assert r.returncode != 0
    lines = [line for line in r.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, r.stderr
    assert str(missing) in lines[0] and "board" in lines[0]
    assert "scheduler:" not in r.stdout


def test_fly_speaks_sd_notify(kestrel, tmp_path):
    import os
    import socket

    path = str(tmp_path / "notify.sock")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    sock.settimeout(0.2)
    env = dict(os.environ, NOTIFY_SOCKET=path, WATCHDOG_USEC="200000")
    env.pop("WATCHDOG_PID", None)
    p = subprocess.Popen([kestrel, "fly", "--board", BOARD, "--emulated", "--seconds", "2"], cwd=REPO, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    messages = []
    while p.poll() is None or not messages or "STOPPING=1" not in messages[-1]:
        try:
            messages.append(sock.recv(4096).decode())
        except socket.timeout:
            if p.poll() is not None:
                break
    out, err = p.communicate(timeout=30)
    sock.close()
    assert p.returncode == 0, err + out
    assert messages and messages[0].startswith("READY=1"), messages
    # Pinged at half the 200 ms interval while ticking: about 20 in 2 s.
    assert 5 <= messages.count("WATCHDOG=1") <= 40, messages
    assert messages[-1] == "STOPPING=1", messages
