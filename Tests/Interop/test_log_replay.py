"""`kestrel log replay` on a `kestrel sim` log: the filter re-run from the log alone reproduces the logged estimate,
a changed parameter shows up as a difference, and bad input is one line on stderr with a non-zero exit.

Flies the first 60 s of Scenarios/demo.toml (alignment, catapult launch at 8 s, climb-out, first leg).

Run from the repo root after `swift build`:  .venv/bin/python -m pytest Tests/Interop/test_log_replay.py
"""
import csv
import pathlib
import re
import subprocess

import numpy as np
import pytest
from pyulog import ULog

REPO = pathlib.Path(__file__).resolve().parents[2]
SCENARIO = REPO / "Scenarios" / "demo.toml"
ROWS = ("roll (deg)", "pitch (deg)", "yaw (deg)", "horizontal position (m)", "vertical position (m)",
        "velocity (m/s)", "global horizontal (m)", "global altitude (m)")


@pytest.fixture(scope="module")
def sim_log(kestrel, tmp_path_factory):
    out = tmp_path_factory.mktemp("sim")
    proc = subprocess.run([str(kestrel), "sim", str(SCENARIO), "--duration-s", "60", "--out", str(out)], cwd=REPO,
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    logs = sorted(out.glob("kestrel_*.ulg"))
    assert len(logs) == 1, list(out.iterdir())
    return logs[0]


def replay(kestrel, *args):
    return subprocess.run([str(kestrel), "log", "replay", *map(str, args)], capture_output=True, text=True,
                          timeout=600)


def table(stdout):
    """{row name: (rms, max)} from the printed table."""
    rows = {}
    for line in stdout.splitlines():
        m = re.match(r"(\S.*?\))\s+(\S+)\s+(\S+)$", line)
        if m and m.group(1) in ROWS:
            rows[m.group(1)] = (float(m.group(2)), float(m.group(3)))
    return rows


def test_replay_reproduces_the_logged_estimate(kestrel, sim_log, tmp_path):
    out = tmp_path / "diff.csv"
    proc = replay(kestrel, sim_log, "--csv", out)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows = table(proc.stdout)
    assert set(ROWS) <= set(rows), proc.stdout
    for name, (rms, mx) in rows.items():
        assert mx < 1e-3, f"{name}: {proc.stdout}"
    assert "warning" not in proc.stdout
    assert re.search(r"\d+ estimator parameters from the log", proc.stdout)

    # The CSV has one row per logged vehicle_attitude sample, and agrees with the table's maxima.
    u = ULog(str(sim_log))
    attitude_t = u.get_dataset("vehicle_attitude").data["timestamp"]
    with out.open() as f:
        data = list(csv.DictReader(f))
    assert len(data) == len(attitude_t)
    assert [int(r["timestamp_us"]) for r in data] == [int(t) for t in attitude_t]
    roll = np.array([abs(float(r["roll_deg"])) for r in data])
    assert roll.max() == pytest.approx(rows["roll (deg)"][1], rel=0.01, abs=1e-12)
    # Sample counts printed = samples in the log (pyulog's count, independent of Kestrel's reader).
    n_imu = len(u.get_dataset("sensor_combined").data["timestamp"])
    assert f"{n_imu} IMU" in proc.stdout


def test_two_replays_are_identical(kestrel, sim_log, tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    pa, pb = replay(kestrel, sim_log, "--csv", a), replay(kestrel, sim_log, "--csv", b)
    assert pa.returncode == 0 and pb.returncode == 0
    assert a.read_bytes() == b.read_bytes()
    assert pa.stdout.replace(str(a), "") == pb.stdout.replace(str(b), "")


def test_changed_parameter_shows_a_difference(kestrel, sim_log):
    proc = replay(kestrel, sim_log, "--param", "EKF_GPS_P_N_MIN=5", "--param", "EKF_GYR_N_DENS=0.03")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows = table(proc.stdout)
    assert rows["horizontal position (m)"][1] > 0.05, proc.stdout
    assert max(rows["roll (deg)"][1], rows["pitch (deg)"][1]) > 0.01, proc.stdout
    assert "override EKF_GPS_P_N_MIN=5.0" in proc.stdout
    # And the regression limit turns that into a failing exit status with one line on stderr.
    limited = replay(kestrel, sim_log, "--param", "EKF_GPS_P_N_MIN=5", "--max-position-m", "0.01")
    assert limited.returncode != 0
    assert "beyond the limit" in limited.stderr and "horizontal position" in limited.stderr


@pytest.mark.parametrize("case", ["missing", "truncated", "junk", "no-sensors", "bad-param"])
def test_bad_input_is_one_line(kestrel, sim_log, tmp_path, case):
    args = []
    if case == "missing":
        path = tmp_path / "nope.ulg"
    elif case == "truncated":
        path = tmp_path / "cut.ulg"
        data = sim_log.read_bytes()
        path.write_bytes(data[: len(data) * 2 // 3 + 5])
    elif case == "junk":
        path = tmp_path / "junk.ulg"
        path.write_bytes(b"this is not a ULog file at all")
    elif case == "no-sensors":
        # A log with the header and definitions only (what a logger without sensor topics starts with):
        # keep the data section out by cutting right before the first data message after the definitions.
        path = tmp_path / "empty.ulg"
        data = sim_log.read_bytes()
        offset = first_data_offset(data)
        path.write_bytes(data[:offset])
    else:
        path = sim_log
        args = ["--param", "EKF2_GPS_P_NOISE=1"]
    proc = replay(kestrel, path, *args)
    assert proc.returncode != 0
    lines = [l for l in proc.stderr.splitlines() if l.strip()]
    assert len(lines) == 1, proc.stderr
    assert "Error" in lines[0] or str(path.name) in lines[0] or "EKF2_GPS_P_NOISE" in lines[0]
    assert "Traceback" not in proc.stderr and "Fatal error" not in proc.stderr
    expected = {"missing": "cannot read", "truncated": "cut short", "junk": "not a readable ULog",
                "no-sensors": "no sensor_combined", "bad-param": "unknown estimator parameter"}[case]
    assert expected in lines[0]


def first_data_offset(data: bytes) -> int:
    """Offset of the first 'D' (data) message: header 16 bytes, then messages of (uint16 size, uint8 type)."""
    pos = 16
    while pos + 3 <= len(data):
        size = int.from_bytes(data[pos:pos + 2], "little")
        if data[pos + 2] == ord("D"):
            return pos
        pos += 3 + size
    raise AssertionError("no data message")


def test_magnetometer_flight_logs_sensor_mag_and_replays(kestrel, tmp_path):
    """With EKF_USE_MAG 1 the magnetometer samples the filter fused are in `sensor_mag` (pyulog reads them at the
    simulated 100 Hz, in gauss: the simulated field is 0.49 G), and the replay feeds them again: as exact as without."""
    params = tmp_path / "mag.params"
    params.write_text("EKF_USE_MAG 1\n")
    out = tmp_path / "sim"
    proc = subprocess.run([str(kestrel), "sim", str(SCENARIO), "--duration-s", "30", "--out", str(out),
                           "--params", str(params)], cwd=REPO, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    log = next(out.glob("kestrel_*.ulg"))
    mag = ULog(str(log), ["sensor_mag"]).get_dataset("sensor_mag").data
    t = mag["timestamp_sample"].astype(np.float64)
    assert 95 < 1e6 / np.median(np.diff(t)) < 105
    strength = np.sqrt(mag["x"].astype(np.float64) ** 2 + mag["y"] ** 2 + mag["z"] ** 2)
    assert 0.4 < np.median(strength) < 0.6  # hard iron (≈ 0.06 G) included: logged before the filter corrects it
    proc = replay(kestrel, log)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert re.search(r"\b\d{4} magnetometer\b", proc.stdout), proc.stdout
    for name, (rms, mx) in table(proc.stdout).items():
        assert mx < 1e-3, f"{name}: {proc.stdout}"
