"""pyulog 1.3.0 reads the ULog files Kestrel's FlightLog writes.

The Swift generator (`flightlog-sample`, Sources/flightlog-sample) writes a deterministic log through the real
pipeline (producer -> lock-free ring -> log session -> fsync'd blocks), including a stalled log thread that forces
drops and a dropout marker. These tests read it with pyulog's CLI tools and Python API, check there is no warning
or corruption text (the CLI tools exit 0 even on corruption), check values against the generator's formulas, and
check that Kestrel's own reader and CSV exporter agree with pyulog.

Run from the repo root after `swift build`:  .venv/bin/python -m pytest Tests/Interop/test_ulog_pyulog.py
(`bin_dir` comes from conftest.py: $KESTREL_BIN_DIR or `swift build --show-bin-path`).
"""
import math
import pathlib
import shutil
import subprocess
import sys

import numpy as np
import pytest
from pyulog import ULog

BIN_DIR = pathlib.Path(sys.executable).parent
START_US = 1_000_000
TICK_US = 2_500
TICKS = 400
# Output of pyulog that means something went wrong although the exit code is 0.
BAD_WORDS = ("warning", "corrupt", "error", "exception", "traceback", "no subscription", "unknown")


def tool(name):
    path = BIN_DIR / name
    return str(path) if path.exists() else shutil.which(name)


def run(cmd, cwd=None):
    proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"{cmd} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc.stdout + proc.stderr


def assert_clean(output):
    lowered = output.lower()
    for word in BAD_WORDS:
        assert word not in lowered, f"pyulog reported '{word}':\n{output}"


@pytest.fixture(scope="module")
def generator(bin_dir):
    exe = bin_dir / "flightlog-sample"
    assert exe.exists(), f"{exe} missing: run `swift build` first"
    return str(exe)


@pytest.fixture(scope="module")
def sample_log(generator, tmp_path_factory):
    out_dir = tmp_path_factory.mktemp("ulog")
    text = run([generator, "write", str(out_dir)])
    fields = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
    path = pathlib.Path(fields["path"])
    assert path.exists() and path.name == "log_001.ulg"
    return {"path": path, "dropped": int(fields["dropped"]), "dropouts": int(fields["dropouts"])}


@pytest.fixture(scope="module")
def ulog(sample_log):
    return ULog(str(sample_log["path"]))


def tick(timestamp_us):
    offset = int(timestamp_us) - START_US
    assert offset % TICK_US == 0
    return offset // TICK_US


def test_ulog_info_cli_is_clean_and_lists_topics(sample_log):
    out = run([tool("ulog_info"), "-v", str(sample_log["path"])])
    assert_clean(out)
    assert " sys_name: Kestrel" in out
    assert " ver_sw: 0.1.0-sample" in out
    assert " sys_uuid: KST-0001" in out
    assert "Dropouts: count: 1" in out
    for topic in ("sensor_combined", "vehicle_attitude", "actuator_outputs", "vehicle_gps_position",
                  "kestrel_gate_event", "kestrel_scheduler", "vehicle_status"):
        assert f" {topic} (0, " in out


def test_python_api_reads_without_corruption(ulog, sample_log):
    assert not ulog.file_corruption
    assert not ulog.has_data_appended
    assert ulog.start_timestamp == START_US
    assert ulog.msg_info_dict["sys_name"] == "Kestrel"
    assert ulog.msg_info_dict["ver_hw"] == "sitl"
    assert ulog.msg_info_dict["airframe"] == "kestrel-wing-1"
    assert ulog.msg_info_multiple_dict["boot_note"] == [["sample generator"]]
    assert ulog.initial_parameters == {"FW_AIRSPD_TRIM": pytest.approx(15.0), "KST_LOG_RATE": 400}
    assert len(ulog.changed_parameters) == 1
    t, name, value = ulog.changed_parameters[0]
    assert name == "FW_AIRSPD_TRIM" and value == pytest.approx(16.5)
    assert START_US + 300 * TICK_US <= t <= START_US + 320 * TICK_US


def test_strings_dropouts_and_accounting(ulog, sample_log):
    texts = [(m.log_level_str(), m.message, m.timestamp) for m in ulog.logged_messages]
    assert texts == [("INFO", "sample: takeoff", START_US + 100 * TICK_US)]
    tagged = ulog.logged_messages_tagged[7]
    assert [(m.log_level_str(), m.message) for m in tagged] == [("WARNING", "sample: tagged warning")]
    # The log thread stalls from tick 250 to 300; records are lost and one dropout marks the gap.
    assert sample_log["dropped"] > 0
    assert len(ulog.dropouts) == sample_log["dropouts"] == 1
    assert 1 <= ulog.dropouts[0].duration <= 50 * TICK_US // 1000
    imu = ulog.get_dataset("sensor_combined").data
    lost_imu = TICKS - len(imu["timestamp"])
    assert 0 < lost_imu <= sample_log["dropped"]
    ticks = [tick(t) for t in imu["timestamp"]]
    assert ticks == sorted(ticks)
    assert all(250 <= k < 305 for k in set(range(TICKS)) - set(ticks))


def test_sensor_combined_values(ulog):
    d = ulog.get_dataset("sensor_combined").data
    for row in range(len(d["timestamp"])):
        i = tick(d["timestamp"][row])
        assert d["gyro_rad[0]"][row] == np.float32(0.001 * i)
        assert d["gyro_rad[1]"][row] == np.float32(-0.002 * i)
        assert d["gyro_rad[2]"][row] == np.float32(0.5)
        assert d["accelerometer_m_s2[2]"][row] == np.float32(-9.80665)
        assert d["gyro_integral_dt"][row] == TICK_US


def test_attitude_quaternion_is_yaw_rotation(ulog):
    d = ulog.get_dataset("vehicle_attitude").data
    assert len(d["timestamp"]) >= 95
    for row in range(len(d["timestamp"])):
        i = tick(d["timestamp"][row])
        yaw = 0.01 * i
        # Hamilton, scalar first, body -> NED: pure yaw is (cos(yaw/2), 0, 0, sin(yaw/2)).
        assert d["q[0]"][row] == pytest.approx(math.cos(yaw / 2), abs=1e-6)
        assert d["q[1]"][row] == pytest.approx(0, abs=1e-7)
        assert d["q[2]"][row] == pytest.approx(0, abs=1e-7)
        assert d["q[3]"][row] == pytest.approx(math.sin(yaw / 2), abs=1e-6)
        assert d["timestamp_sample"][row] == d["timestamp"][row] - 500


def test_gps_actuators_gate_and_scheduler(ulog):
    gps = ulog.get_dataset("vehicle_gps_position").data
    assert len(gps["timestamp"]) == 5
    for row in range(5):
        i = tick(gps["timestamp"][row])
        assert gps["latitude_deg"][row] == pytest.approx(47.397742 + i * 1e-6, abs=1e-12)
        assert gps["longitude_deg"][row] == pytest.approx(8.545594, abs=1e-12)
        assert gps["altitude_ellipsoid_m"][row] == pytest.approx(535.0)
        assert gps["altitude_msl_m"][row] == pytest.approx(488.0)
        assert gps["fix_type"][row] == 3 and gps["satellites_used"][row] == 12
        assert gps["vel_n_m_s"][row] == 15 and gps["vel_d_m_s"][row] == -1
        assert gps["vel_m_s"][row] == 15
        assert gps["timestamp_sample"][row] == gps["timestamp"][row] - 100_000

    act = ulog.get_dataset("actuator_outputs").data
    for row in range(len(act["timestamp"])):
        i = tick(act["timestamp"][row])
        assert act["noutputs"][row] == 4
        for k in range(4):
            assert act[f"output[{k}]"][row] == 1500 + 10 * k + i
        assert act["output[15]"][row] == 0

    gate = ulog.get_dataset("kestrel_gate_event").data
    assert gate["event"][0] == 1 and gate["request_seq"][0] == 3
    assert [gate[f"operator_key_id[{k}]"][0] for k in range(8)] == list(range(1, 9))
    assert [gate[f"nonce_prefix[{k}]"][0] for k in range(8)] == [0xA0 + k for k in range(8)]
    assert gate["designation_lat"][0] == 47.4

    sched = ulog.get_dataset("kestrel_scheduler").data
    name = bytes(int(sched[f"task_name[{k}]"][0]) for k in range(16)).rstrip(b"\0")
    assert name == b"rate_loop"

    status = ulog.get_dataset("vehicle_status").data
    assert list(status["arming_state"]) == [1, 2]
    assert list(status["nav_state"]) == [0, 4]


def test_ulog2csv_is_clean_and_matches_kestrel_exporter(generator, sample_log, tmp_path):
    out = run([tool("ulog2csv"), "-o", str(tmp_path), str(sample_log["path"])])
    assert_clean(out)
    csvs = sorted(tmp_path.glob("log_001_*_0.csv"))
    assert len(csvs) == 7
    for csv in csvs:
        topic = csv.name[len("log_001_"):-len("_0.csv")]
        ours = run([generator, "csv", str(sample_log["path"]), topic])
        assert ours == csv.read_text(), f"Kestrel CSV for {topic} differs from ulog2csv"


def test_kestrel_info_counts_match_pyulog(generator, sample_log, ulog):
    ours = run([generator, "info", str(sample_log["path"])])
    counts = {}
    in_topics = False
    for line in ours.splitlines():
        if line.startswith("Topics"):
            in_topics = True
            continue
        if in_topics:
            if not line.strip():
                break
            parts = line.split()
            counts[parts[0]] = int(parts[2])
    for d in ulog.data_list:
        assert counts[d.name] == len(d.data["timestamp"])
    assert "Dropouts: 1," in ours
    assert "Truncated" not in ours and "Corrupt" not in ours


def test_truncated_copy_reads_cleanly(generator, sample_log, tmp_path):
    data = sample_log["path"].read_bytes()
    for fraction in (0.37, 0.61, 0.93):
        cut = tmp_path / f"cut_{fraction}.ulg"
        cut.write_bytes(data[: int(len(data) * fraction)])
        log = ULog(str(cut))
        assert not log.file_corruption
        assert len(log.get_dataset("sensor_combined").data["timestamp"]) > 0
        assert_clean(run([tool("ulog_info"), str(cut)]))
        ours = run([generator, "info", str(cut)])
        assert "Corrupt" not in ours
        counts = {line.split()[0]: int(line.split()[2]) for line in ours.splitlines()
                  if line.startswith("  sensor_combined ")}
        assert counts["sensor_combined"] == len(log.get_dataset("sensor_combined").data["timestamp"])
