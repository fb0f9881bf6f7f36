"""Interop: every airframe tunable is a MAVLink parameter of `kestrel sim --mavlink`, checked with pymavlink 2.4.50.

PARAM_REQUEST_LIST lists them all, PARAM_SET on the ground changes one and `--params FILE` persists it, a value
outside the airframe decoder's range is refused with the old value echoed, and once the vehicle has armed itself
parameters are refused (gains are not swapped under a flying controller). Expected values come from the airframe
file, read here with Python's own TOML parser.
"""
import os
import subprocess
import time
import tomllib

os.environ["MAVLINK20"] = "1"  # before pymavlink is imported

import pytest  # noqa: E402
from pymavlink import mavutil  # noqa: E402

from test_mavlink_link import VEHICLE, connect, dialect, free_udp_port  # noqa: E402,F401
from test_sim_mavlink import recv, vehicle_heartbeat  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCENARIO = os.path.join(ROOT, "Scenarios", "gate", "wave-off.toml")
AIRFRAME = os.path.join(ROOT, "Hardware", "airframes", "kestrel-2m.toml")


@pytest.fixture
def sim(kestrel, tmp_path):
    port = free_udp_port()
    params = tmp_path / "kestrel.params"
    proc = subprocess.Popen([str(kestrel), "sim", SCENARIO, "--realtime", "--duration-s", "60", "--no-log",
                             "--params", str(params), "--mavlink", f"udpin:127.0.0.1:{port}"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    yield proc, port, params
    if proc.poll() is None:
        proc.kill()
    proc.communicate(timeout=10)


def set_param(conn, name, value, timeout=5):
    """PARAM_SET, then the PARAM_VALUE echo and any STATUSTEXT that came with it (in either order)."""
    conn.mav.param_set_send(VEHICLE, 1, name.encode(), value, mavutil.mavlink.MAV_PARAM_TYPE_REAL32)
    echo, texts = None, []
    deadline = time.time() + timeout
    while time.time() < deadline and (echo is None or time.time() < settle):
        m = conn.recv_match(type=["PARAM_VALUE", "STATUSTEXT"], blocking=True, timeout=0.2)
        if m is None:
            continue
        if m.get_type() == "STATUSTEXT":
            texts.append(m.text)
        elif m.param_id == name and echo is None:
            echo = m
            settle = time.time() + 0.5  # a STATUSTEXT may follow the echo
    return echo, texts


def param(conn, name, timeout=5):
    conn.mav.param_request_read_send(VEHICLE, 1, name.encode(), -1)
    return recv(conn, "PARAM_VALUE", timeout, lambda m: m.param_id == name)


def test_airframe_tunables_are_parameters_set_on_the_ground_and_saved(dialect, sim):
    proc, port, params = sim
    airframe = tomllib.load(open(AIRFRAME, "rb"))
    conn = connect(dialect, f"udpout:127.0.0.1:{port}")
    assert vehicle_heartbeat(conn, 20) is not None, "no vehicle heartbeat"

    # The file's own values, under their parameter names.
    loiter = param(conn, "NAV_LOITER_RAD")
    assert loiter is not None and abs(loiter.param_value - airframe["guidance"]["loiter_radius_m"]) < 1e-4
    roll_kp = param(conn, "RATE_RLL_R_KP")
    assert roll_kp is not None and abs(roll_kp.param_value - airframe["control"]["rates"]["roll_rate_kp"]) < 1e-6
    total = loiter.param_count
    assert total > 100, f"only {total} parameters"

    # Set on the ground: echoed, readable back, persisted.
    echo, _ = set_param(conn, "NAV_LOITER_RAD", 95.0)
    assert echo is not None and abs(echo.param_value - 95.0) < 1e-4
    assert abs(param(conn, "NAV_LOITER_RAD").param_value - 95.0) < 1e-4
    assert params.read_text().strip().splitlines()[-1] == "NAV_LOITER_RAD 95"

    # Outside the decoder's range: refused, old value echoed, reason as STATUSTEXT.
    echo, texts = set_param(conn, "NAV_LOITER_RAD", -5.0)
    assert echo is not None and abs(echo.param_value - 95.0) < 1e-4
    assert any("NAV_LOITER_RAD" in t and "outside" in t for t in texts), texts

    # The whole list: every index once, all names distinct.
    conn.mav.param_request_list_send(VEHICLE, 1)
    seen = {}
    deadline = time.time() + 20
    while len(seen) < total and time.time() < deadline:
        m = recv(conn, "PARAM_VALUE", 2)
        if m is not None:
            seen[m.param_index] = m.param_id
    assert len(seen) == total and len(set(seen.values())) == total

    # Armed (the SITL vehicle arms itself once its navigation is ready): no more changes.
    armed = vehicle_heartbeat(conn, 40, lambda m: m.base_mode & mavutil.mavlink.MAV_MODE_FLAG_SAFETY_ARMED)
    assert armed is not None, "the vehicle never armed"
    echo, texts = set_param(conn, "NAV_LOITER_RAD", 120.0)
    assert echo is not None and abs(echo.param_value - 95.0) < 1e-4
    assert any("armed: disarm first" in t for t in texts), texts
    assert params.read_text().strip().splitlines()[-1] == "NAV_LOITER_RAD 95"


def test_bad_parameter_file_is_one_clear_line(kestrel, tmp_path):
    bad = tmp_path / "bad.params"
    bad.write_text("# tuned\nNAV_LOITER_RAD 90\nNOT_A_PARAM 1\n")
    out = subprocess.run([str(kestrel), "sim", SCENARIO, "--duration-s", "1", "--no-log", "--params", str(bad)],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode != 0
    assert out.stderr.strip() == f"Error: {bad}:3: no parameter named NOT_A_PARAM"
