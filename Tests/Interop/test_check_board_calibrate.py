"""`kestrel check-board --calibrate-pwm` as a user runs it: the emulated servo board's own oscillator found and written
into a copy of the board file, and each wrong combination of arguments named."""
import shutil
import subprocess

import pytest

from conftest import REPO

BOARD = REPO / "Hardware/boards/sitl.toml"


def test_calibration_is_measured_and_written_into_the_board_file(kestrel, tmp_path):
    board = tmp_path / "sitl.toml"
    shutil.copy(BOARD, board)
    r = subprocess.run([kestrel, "check-board", "--board", board, "--emulated", "--emulated-switch-armed",
                        "--calibrate-pwm", "--reference-line", "27", "--emulated-pca9685-oscillator-hz", "25900000",
                        "--seconds", "2", "--write"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert "PCA9685 oscillator: 25.900" in r.stdout
    line = next(l for l in board.read_text().splitlines() if l.startswith("oscillator_hz"))
    assert abs(int(line.split("=")[1].split("#")[0]) - 25_900_000) < 300
    # The written file loads: an emulated check of it runs.
    r = subprocess.run([kestrel, "check-board", "--board", board, "--emulated", "--seconds", "0.2"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr


@pytest.mark.parametrize("args, message", [
    (["--measured-hz", "50"], "--measured-hz belongs to --calibrate-pwm"),
    (["--calibrate-pwm", "--measured-hz", "50", "--reference-line", "3"], "two ways to measure"),
    (["--calibrate-pwm", "--write"], "--write needs a measurement"),
    (["--calibrate-pwm", "--sweep"], "separate runs"),
    (["--calibrate-pwm", "--measured-hz=-3"], "positive frame rate"),
    (["--calibrate-pwm", "--measured-hz", "80"], "outside 20–30 MHz"),
    (["--calibrate-pwm", "--reference-channel", "2"], "need --reference-line"),
    (["--emulated-pca9685-oscillator-hz", "26000000"], "needs --emulated"),
])
def test_wrong_arguments_are_named(kestrel, args, message):
    r = subprocess.run([kestrel, "check-board", "--board", BOARD, *args], capture_output=True, text=True, timeout=30)
    assert r.returncode != 0
    assert message in r.stderr, r.stderr
