"""Issue 14 item 7: `kestrel check-board` prints the I2C bus-time budget of the board's task table and refuses
(exit 3, with the numbers and the fix) a table that does not fit."""
import subprocess

from conftest import REPO


def check_board(kestrel, board):
    return subprocess.run([str(kestrel), "check-board", "--board", str(board), "--emulated", "--seconds", "0.2"],
                          capture_output=True, text=True, timeout=120)


def test_shipped_board_prints_its_budget_and_fits(kestrel):
    run = check_board(kestrel, REPO / "Hardware/boards/rpi4-pca9685.toml")
    assert run.returncode == 0, run.stdout + run.stderr
    out = run.stdout
    assert "I2C bus time per tick (base rate 400 Hz, period 2500 µs):" in out
    assert "bus 1 at 400 kHz (emulated bus):" in out
    # IMU 825 + barometer 210 + pitot 117.5 + PCA9685 410 + its MODE1 check 97.5 µs, hand-computed in
    # Tests/BoardTests/I2CBusBudgetTests.
    assert "imu (MPU-6050 at 0x68): 825 µs every tick" in out
    assert "PWM outputs (PCA9685 at 0x40): 410 µs every tick" in out
    assert "PWM outputs (PCA9685 at 0x40): 97.5 µs at 10 Hz, MODE1 check" in out
    assert "all buses, worst tick: 1660 µs of the 2500 µs period (66.4 %)" in out
    assert "task sensors+estimator: 1152.5 µs of bus time, budget 1500 µs" in out
    assert "refused" not in out


def test_over_full_table_is_refused_with_numbers_and_fix(kestrel, tmp_path):
    text = (REPO / "Hardware/boards/sitl.toml").read_text()
    lines = ["sample_rate_hz = 1000" if line.startswith("sample_rate_hz") else line for line in text.splitlines()]
    board = tmp_path / "sitl-1khz.toml"
    board.write_text("\n".join(lines) + "\n")
    run = check_board(kestrel, board)
    assert run.returncode == 3, run.stdout + run.stderr
    assert ("refused: the I2C bus-time budget does not fit: task sensors+estimator needs 1782.5 µs of I2C "
            "transfers, more than its 1500 µs budget") in run.stdout
    assert "Fix: lower imu.sample_rate_hz or realtime.base_rate_hz in the board file." in run.stdout
