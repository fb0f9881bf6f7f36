"""`kestrel sim` writes a ULog of every closed-loop run that pyulog 1.3.0 reads cleanly.

Flies Scenarios/gate/wave-off.toml (approval by alice, wave-off by bob at 70 m, climb back, re-approval by bob) and
checks the log with pyulog's CLI and API against independent expectations: the mode sequence the sim prints,
the operator key ids computed here from the SITL test keys (Ed25519 seed = SHA-256 of the key name string, key id
= first 8 bytes of SHA-256 of the raw public key), and the sampling rates the logger promises.

Run from the repo root after `swift build`:  .venv/bin/python -m pytest Tests/Interop/test_sim_ulog.py
"""
import hashlib
import math
import pathlib
import tomllib
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pyulog import ULog

REPO = pathlib.Path(__file__).resolve().parents[2]
SCENARIO = REPO / "Scenarios" / "gate" / "wave-off.toml"
BIN_DIR = pathlib.Path(sys.executable).parent
BAD_WORDS = ("warning", "corrupt", "error", "exception", "traceback", "no subscription", "unknown")
MODES = {"disarmed": 0, "standby": 1, "launch": 2, "mission": 3, "loiter": 4, "approval-pending": 5,
         "terminal": 6, "wave-off": 7, "rtl": 8, "failsafe": 9}
EVENT_REQUEST, EVENT_APPROVAL, EVENT_REJECTION, EVENT_WAVE_OFF = 0, 1, 2, 3


def key_id(name: str) -> bytes:
    seed = hashlib.sha256(f"kestrel-sitl-test-operator-key:{name}".encode()).digest()
    public = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()
    return hashlib.sha256(public).digest()[:8]


def tool(name):
    path = BIN_DIR / name
    return str(path) if path.exists() else shutil.which(name)


@pytest.fixture(scope="module")
def flight(kestrel, tmp_path_factory):
    out = tmp_path_factory.mktemp("sim")
    proc = subprocess.run([str(kestrel), "sim", str(SCENARIO), "--out", str(out)], cwd=REPO,
                          capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    logs = sorted(out.glob("kestrel_*.ulg"))
    assert len(logs) == 1, f"expected one kestrel_*.ulg in {out}: {list(out.iterdir())}"
    return proc.stdout, logs[0]


def test_report_names_the_log(flight):
    report, log = flight
    line = next(l for l in report.splitlines() if "flight log:" in l)
    assert str(log) in line
    m = re.search(r"\((\d+) bytes, (\d+) records", line)
    assert m and int(m.group(1)) == log.stat().st_size and int(m.group(2)) > 1000
    assert "dropped" not in line


def test_ulog_info_is_clean(flight):
    _, log = flight
    proc = subprocess.run([tool("ulog_info"), "-v", str(log)], capture_output=True, text=True, timeout=120)
    text = proc.stdout + proc.stderr
    assert proc.returncode == 0, text
    for word in BAD_WORDS:
        assert word not in text.lower(), f"ulog_info printed {word!r}:\n{text}"
    assert "sys_name: Kestrel" in text
    assert "kestrel_gate_event" in text and "vehicle_status" in text


def test_info_and_topics(flight):
    _, log = flight
    u = ULog(str(log))
    assert u.msg_info_dict["sys_name"] == "Kestrel"
    assert u.msg_info_dict["ver_hw"] == "sitl"
    assert u.msg_info_dict["airframe"] == "kestrel-2m"
    assert u.msg_info_dict["sys_uuid"] == str(0x4B45_5354_0000_0001)
    assert u.msg_info_dict["ver_sw"]
    names = {d.name for d in u.data_list}
    assert names == {"vehicle_attitude", "vehicle_local_position", "vehicle_global_position", "vehicle_status",
                     "actuator_outputs", "vehicle_attitude_setpoint", "tecs_status", "estimator_innovations", "wind",
                     "kestrel_gate_event", "sensor_combined", "vehicle_air_data", "differential_pressure", "airspeed",
                     "vehicle_gps_position", "position_setpoint_triplet", "kestrel_timing",
                     "kestrel_sensor_counters", "vehicle_attitude_groundtruth", "vehicle_global_position_groundtruth",
                     "vehicle_angular_velocity_groundtruth"}
    assert not u.dropouts
    # The host's timing report, as in kestrel fly's logs; in lockstep the scheduler runs on simulated time, so after
    # the first window (whose first tick starts one period after the scheduler's start) the wake-up jitter is 0 and
    # a 1 s window holds exactly 400 ticks.
    timing = u.get_dataset("kestrel_timing").data
    assert len(timing["timestamp"]) >= 390
    assert set(timing["jitter_max_us"][1:]) == {0} and set(timing["window_ticks"][1:]) == {400}


def test_sensor_counters_once_a_second(flight):
    """kestrel_sensor_counters: 1 Hz, counts that only grow; on the clean emulated board no read fails, the IMU FIFO
    gives about 400 samples a second and the GPS its 5 fixes."""
    _, log = flight
    c = ULog(str(log)).get_dataset("kestrel_sensor_counters").data
    assert abs(rate_hz(ULog(str(log)), "kestrel_sensor_counters") - 1) < 0.01
    for field in ("imu_failures", "baro_failures", "airspeed_failures", "gps_failures", "log_polls_missed"):
        assert set(c[field]) == {0}, field
    for field in ("imu_samples_read", "gps_fixes"):
        assert (np.diff(c[field].astype(np.int64)) >= 0).all(), field
    seconds = (c["timestamp"][-1] - c["timestamp"][0]) / 1e6
    assert abs((c["imu_samples_read"][-1] - c["imu_samples_read"][0]) / seconds - 400) < 20
    assert abs((c["gps_fixes"][-1] - c["gps_fixes"][0]) / seconds - 5) < 0.5


def rate_hz(u, topic):
    t = u.get_dataset(topic).data["timestamp"].astype(np.float64)
    return 1e6 / np.median(np.diff(t))


def test_rates(flight):
    _, log = flight
    u = ULog(str(log))
    for topic in ("vehicle_attitude", "vehicle_local_position"):
        assert rate_hz(u, topic) == pytest.approx(50, rel=0.01), topic
    for topic in ("vehicle_global_position", "vehicle_attitude_setpoint", "tecs_status", "actuator_outputs",
                  "estimator_innovations", "wind", "vehicle_status"):
        assert rate_hz(u, topic) == pytest.approx(10, rel=0.01), topic
    # 400 s scenario: 50 Hz over the whole flight.
    n = len(u.get_dataset("vehicle_attitude").data["timestamp"])
    assert 400 * 50 - 2 <= n <= 400 * 50 + 2


def test_wind_estimate_under_px4_names(flight):
    """`wind` carries the estimator's wind under PX4's field names (Flight Review plots them). Averaged from 60 s on it
    matches the scenario's steady wind (north 1.7, east 4.7 m/s; measured 2.04, 4.31); moment to moment it follows
    the moderate turbulence's gusts (about 2 m/s RMS here, which are wind too), with its variance."""
    _, log = flight
    w = ULog(str(log)).get_dataset("wind").data
    flying = w["timestamp"] >= 60_000_000
    assert abs(np.mean(w["windspeed_north"][flying]) - 1.7) < 0.75
    assert abs(np.mean(w["windspeed_east"][flying]) - 4.7) < 0.75
    assert (w["variance_north"][flying] > 0).all() and (w["variance_east"][flying] < 4).all()
    assert (w["timestamp_sample"] <= w["timestamp"]).all()


def test_groundtruth_beside_the_estimate(flight):
    """The plant's truth is in the log under PX4's groundtruth topic names, at 50 Hz, so a log viewer plots it beside
    the estimate: from 60 s on, the estimated attitude is within a few degrees of it and the estimated position within
    a few metres."""
    _, log = flight
    u = ULog(str(log))
    att = u.get_dataset("vehicle_attitude_groundtruth").data
    pos = u.get_dataset("vehicle_global_position_groundtruth").data
    rate = u.get_dataset("vehicle_angular_velocity_groundtruth").data
    assert 49 <= 1e6 * (len(att["timestamp"]) - 1) / (att["timestamp"][-1] - att["timestamp"][0]) <= 51
    assert len(pos["timestamp"]) == len(att["timestamp"]) == len(rate["timestamp"])
    assert np.isnan(pos["alt_ellipsoid"]).all() and np.isnan(rate["xyz_derivative[0]"]).all()

    def roll_pitch(d):
        w, x, y, z = (d[f"q[{i}]"] for i in range(4))
        roll = np.degrees(np.arctan2(2 * (w * x + y * z), 1 - 2 * (x * x + y * y)))
        pitch = np.degrees(np.arcsin(np.clip(2 * (w * y - z * x), -1, 1)))
        return roll, pitch
    est = u.get_dataset("vehicle_attitude").data
    t0 = att["timestamp"][0] + 60e6
    truth_t = att["timestamp"][att["timestamp"] >= t0]
    for e, t in zip(roll_pitch(est), roll_pitch(att)):
        e_at = np.interp(truth_t, est["timestamp"], e)
        t_at = t[att["timestamp"] >= t0]
        assert np.sqrt(np.mean((e_at - t_at) ** 2)) < 2.0
    g = u.get_dataset("vehicle_global_position").data
    north_m = (np.interp(pos["timestamp"], g["timestamp"], g["lat"]) - pos["lat"]) * 111_195
    assert np.sqrt(np.mean(north_m[pos["timestamp"] >= t0] ** 2)) < 5.0


def test_mode_sequence(flight):
    report, log = flight
    u = ULog(str(log))
    status = u.get_dataset("vehicle_status").data
    nav = status["nav_state"].astype(int)
    seq = [int(nav[0])] + [int(b) for a, b in zip(nav[:-1], nav[1:]) if a != b]
    printed = [MODES[m.group(2)] for m in re.finditer(r"mode (\S+) -> (\S+):", report)]
    assert printed, report
    # The log's sequence is the printed transitions' targets, after the initial disarmed state.
    assert seq == [0] + printed
    # Terminal, waved off, back to approval-pending and terminal again.
    assert 6 in seq and 7 in seq
    first_terminal = seq.index(6)
    assert seq.index(7) == first_terminal + 1
    assert 6 in seq[first_terminal + 2:]
    # Armed from standby on: arming_state 2 whenever the mode is not disarmed.
    armed = status["arming_state"].astype(int)
    assert np.all((armed == 2) == (nav != 0))


def test_gate_events(flight):
    _, log = flight
    u = ULog(str(log))
    gate = u.get_dataset("kestrel_gate_event").data
    events = gate["event"].astype(int)
    keys = [bytes(int(gate[f"operator_key_id[{k}]"][i]) for k in range(8)) for i in range(len(events))]
    alice, bob = key_id("alice"), key_id("bob")
    answers = [(int(e), keys[i], int(gate["request_seq"][i]), int(gate["reason"][i]))
               for i, e in enumerate(events) if e != EVENT_REQUEST]
    assert [(e, k, r) for e, k, _, r in answers] == [
        (EVENT_APPROVAL, alice, 0), (EVENT_WAVE_OFF, bob, 0), (EVENT_APPROVAL, bob, 0)]
    requests = [int(gate["request_seq"][i]) for i, e in enumerate(events) if e == EVENT_REQUEST]
    assert requests == [1, 2]
    assert [s for _, _, s, _ in answers] == [1, 1, 2]
    for i, e in enumerate(events):
        if e == EVENT_REQUEST:
            assert keys[i] == bytes(8)
    # Each answer comes with a mode change within one mission tick: terminal after approvals, wave-off after bob's.
    status = u.get_dataset("vehicle_status").data
    t_status, nav = status["timestamp"], status["nav_state"].astype(int)
    for e, t in zip(events, gate["timestamp"]):
        if e in (EVENT_APPROVAL, EVENT_WAVE_OFF):
            after = nav[(t_status >= t) & (t_status <= t + 100_000)]
            assert (6 if e == EVENT_APPROVAL else 7) in after


def test_kestrel_log_info(kestrel, flight):
    _, log = flight
    proc = subprocess.run([str(kestrel), "log", "info", str(log)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    for topic in ("vehicle_status", "kestrel_gate_event", "vehicle_attitude"):
        assert topic in proc.stdout
    assert "Kestrel" in proc.stdout


# --- The estimator's sensor samples (replay input) ---------------------------------------------------------------

SENSOR_TOPICS = ("sensor_combined", "vehicle_air_data", "differential_pressure", "airspeed", "vehicle_gps_position")


def test_ulog2csv_reads_the_sensor_topics(flight, tmp_path):
    _, log = flight
    proc = subprocess.run([tool("ulog2csv"), "-m", ",".join(SENSOR_TOPICS), "-o", str(tmp_path), str(log)],
                          capture_output=True, text=True, timeout=300)
    text = proc.stdout + proc.stderr
    assert proc.returncode == 0, text
    for word in BAD_WORDS:
        assert word not in text.lower(), f"ulog2csv printed {word!r}:\n{text}"
    for topic in SENSOR_TOPICS:
        files = list(tmp_path.glob(f"*_{topic}_0.csv"))
        assert len(files) == 1, topic
        header = files[0].read_text().splitlines()[0]
        assert header.startswith("timestamp,"), header
    imu = next(tmp_path.glob("*_sensor_combined_0.csv")).read_text().splitlines()[0].split(",")
    assert {"gyro_rad[0]", "gyro_rad[2]", "accelerometer_m_s2[2]", "gyro_integral_dt",
            "accelerometer_integral_dt"} <= set(imu)


def test_sensor_combined_is_every_imu_sample(flight):
    _, log = flight
    d = ULog(str(log)).get_dataset("sensor_combined").data
    t = d["timestamp"].astype(np.int64)
    # Every 400 Hz sample the filter predicted with, none missing: integral dt is the step since the previous one.
    assert np.all(np.diff(t) == 2500)
    assert len(t) == pytest.approx(400 * 400, abs=2)
    assert int(d["gyro_integral_dt"][0]) == 0
    assert np.all(d["gyro_integral_dt"][1:].astype(np.int64) == np.diff(t))
    assert np.all(d["accelerometer_integral_dt"] == d["gyro_integral_dt"])


def test_sensor_values_are_plausible(flight):
    _, log = flight
    u = ULog(str(log))
    imu = u.get_dataset("sensor_combined").data
    t_s = (imu["timestamp"] - imu["timestamp"][0]) * 1e-6
    # On the catapult (launch at 8 s): specific force is g pointing up the body, tilted by the rail's pitch
    # (x positive, z negative in FRD), no side force; rates near zero.
    rest = t_s < 7.0
    f = np.array([np.mean(imu[f"accelerometer_m_s2[{k}]"][rest]) for k in range(3)])
    assert np.linalg.norm(f) == pytest.approx(9.81, abs=0.3)
    assert f[2] < -8.5 and f[0] > 0 and abs(f[1]) < 0.5
    rail_pitch_deg = math.degrees(math.atan2(f[0], -f[2]))
    assert 5 < rail_pitch_deg < 30
    # Near zero within the airframe's gyro bias budget: turn-on bias σ 0.01 rad/s, the thermal coefficient σ 0.0002
    # rad/s/°C with the die still near the air's 12 °C before it warms up (about 13 °C from the 25 °C reference),
    # and the g-sensitivity σ 0.1 °/s/g: 0.04 rad/s is about 3.5σ of their sum.
    for k in range(3):
        assert abs(np.mean(imu[f"gyro_rad[{k}]"][rest])) < 0.04
    # In flight the mean vertical specific force is still about one g (level flight and banked turns).
    flying = t_s > 30.0
    assert -12.0 < np.mean(imu["accelerometer_m_s2[2]"][flying]) < -9.3

    origin = tomllib.loads(SCENARIO.read_text())["origin"]
    gps = u.get_dataset("vehicle_gps_position").data
    assert np.all(gps["fix_type"] == 3) and np.min(gps["satellites_used"]) >= 6
    north_m = (gps["latitude_deg"] - origin["latitude_deg"]) * math.radians(1) * 6371000.0
    east_m = ((gps["longitude_deg"] - origin["longitude_deg"]) * math.radians(1) * 6371000.0
              * math.cos(math.radians(origin["latitude_deg"])))
    assert abs(north_m[0]) < 10 and abs(east_m[0]) < 10  # the launcher sits at the origin
    assert np.max(np.hypot(north_m, east_m)) < 3000
    assert np.all(gps["eph"] > 0) and np.all(gps["eph"] < 10)
    gps_rate = 1e6 / np.median(np.diff(gps["timestamp"].astype(np.float64)))
    assert 4 <= gps_rate <= 11
    # The fix is older than its arrival (receiver latency), never newer.
    assert np.all(gps["timestamp_sample"] <= gps["timestamp"])

    # Barometer: ISA pressure at the origin's altitude (488 m: 95.6 kPa) before launch.
    air = u.get_dataset("vehicle_air_data").data
    at = (air["timestamp"] - imu["timestamp"][0]) * 1e-6
    isa_pa = 101325.0 * (1 - 2.25577e-5 * origin["altitude_m"]) ** 5.25588
    assert np.mean(air["baro_pressure_pa"][at < 7]) == pytest.approx(isa_pa, abs=300)
    assert np.mean(air["baro_alt_meter"][at < 7]) == pytest.approx(origin["altitude_m"], abs=25)

    # Pitot: still air on the launcher (wind 5 m/s gives < 20 Pa), cruise airspeed in flight.
    arsp = u.get_dataset("airspeed").data
    st = (arsp["timestamp"] - imu["timestamp"][0]) * 1e-6
    assert 12.0 < np.median(arsp["true_airspeed_m_s"][st > 30]) < 30.0
    # TAS over IAS is sqrt(rho0 / rho): about 1.02-1.03 at 500-600 m.
    ratio = np.median(arsp["true_airspeed_m_s"][st > 30] / arsp["indicated_airspeed_m_s"][st > 30])
    assert ratio == pytest.approx(1.025, abs=0.015)


def test_airframe_parameters_are_logged(flight):
    _, log = flight
    u = ULog(str(log))
    params = u.initial_parameters
    assert len(params) >= 100 and all(len(k) <= 16 for k in params)
    airframe = tomllib.loads((REPO / "Hardware" / "airframes" / "kestrel-2m.toml").read_text())
    est = airframe.get("estimation", {})
    # Independent check against the airframe file where it sets a value, else the filter's documented default;
    # the names are the ground link's (the same PARAM_VALUE ids).
    expect = {"EKF_GPS_P_G_SG": est.get("gps_position_gate_sigma", 5.0),
              "EKF_BARO_N": est.get("baro_noise_m", 0.5),
              "EKF_USE_MAG": int(est.get("use_magnetometer", True)),
              "EKF_GPS_MIN_SAT": est.get("gps_min_satellites", 6),
              "NAV_LOITER_RAD": airframe["guidance"]["loiter_radius_m"],
              "RATE_RLL_R_KP": airframe["control"]["rates"]["roll_rate_kp"]}
    for k, v in expect.items():
        assert params[k] == pytest.approx(v, rel=1e-6), k
    exact = dict(line.split("=") for line in u.msg_info_dict["kestrel_parameters_exact"].splitlines())
    assert set(exact) == set(params)
