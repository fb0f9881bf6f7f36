"""One owner of a real flight board per machine (issue 14, item 10): `kestrel fly` and `kestrel check-board` take the
board lock and refuse, naming the holder, while another process has it. Run against the repository's Raspberry Pi
board file on this machine, which has none of its devices: the lock is taken before any device is opened."""
import fcntl
import os
import subprocess
import time

from conftest import REPO

BOARD = str(REPO / "Hardware/boards/rpi4-pca9685.toml")
AIRFRAME = str(REPO / "Hardware/airframes/kestrel-2m.toml")


def _env(lock):
    return dict(os.environ, KESTREL_BOARD_LOCK=str(lock))


def test_check_board_refuses_while_another_process_holds_the_board(kestrel, tmp_path):
    lock = tmp_path / "kestrel.lock"
    with open(lock, "w") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX)
        holder.write(f"pid {os.getpid()}: kestrel fly\n")
        holder.flush()
        r = subprocess.run([kestrel, "check-board", "--board", BOARD, "--seconds", "0.2"], env=_env(lock),
                           capture_output=True, text=True, timeout=30)
    assert r.returncode != 0
    assert f"in use by pid {os.getpid()}: kestrel fly" in r.stderr, r.stderr
    assert "systemctl stop kestrel" in r.stderr
    # Nothing was opened: no device report at all.
    assert "I2C" not in r.stdout


def test_fly_refuses_while_a_board_check_runs_and_takes_the_board_after_it(kestrel, tmp_path):
    lock = tmp_path / "kestrel.lock"
    check = subprocess.Popen([kestrel, "check-board", "--board", BOARD, "--seconds", "3"], env=_env(lock),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 10
        while not (lock.exists() and "check-board" in lock.read_text()) and time.monotonic() < deadline:
            time.sleep(0.05)
        fly = subprocess.run([kestrel, "fly", "--board", BOARD, "--airframe", AIRFRAME, "--seconds", "0.2"],
                             env=_env(lock), capture_output=True, text=True, timeout=30)
        assert fly.returncode != 0
        assert f"in use by pid {check.pid}: kestrel check-board" in fly.stderr, fly.stderr
    finally:
        check.communicate(timeout=30)
    # The check has exited and the kernel dropped its lock: the next owner gets the board (and then stops at the next
    # start-up check: this machine is no flight board).
    fly = subprocess.run([kestrel, "fly", "--board", BOARD, "--airframe", AIRFRAME, "--seconds", "0.2"],
                         env=_env(lock), capture_output=True, text=True, timeout=30)
    assert fly.returncode != 0
    assert "in use by" not in fly.stderr and fly.stderr.startswith("Error: "), fly.stderr
    assert "kestrel fly" in lock.read_text()
