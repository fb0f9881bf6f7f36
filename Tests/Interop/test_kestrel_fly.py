"""`kestrel fly` on the emulated SITL board: the real-time daemon ticks on the wall clock, stops on time or on
SIGTERM, sets outputs safe and prints the scheduler report. Timings are not asserted, only counts and structure."""
import re
import signal
import subprocess
import time

import pathlib

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
