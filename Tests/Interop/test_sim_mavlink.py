"""Interop: `kestrel sim --mavlink` makes the SITL vehicle a MAVLink 2 vehicle, checked with pymavlink 2.4.50.

The gate wave-off scenario runs closed loop at 4x wall-clock pace with its ground link on udpin; pymavlink (with the
Kestrel dialect compiled by pymavlink's own mavgen from Tools/mavgen-swift/kestrel.xml) connects as a ground
station. Expected values come from the scenario and mission files, not from Kestrel's code.

    python3 -m venv .venv && .venv/bin/pip install pymavlink==2.4.50 pytest
    swift build --product kestrel
    .venv/bin/python -m pytest Tests/Interop/test_sim_mavlink.py
"""
import math
import os
import subprocess
import time

os.environ["MAVLINK20"] = "1"  # before pymavlink is imported

import pytest  # noqa: E402
from pymavlink import mavutil  # noqa: E402

from test_mavlink_link import GCS_SYSID, VEHICLE, MAV_CMD_KESTREL_DESIGNATION, connect, dialect, free_udp_port, recv  # noqa: E402,F401

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCENARIO = os.path.join(ROOT, "Scenarios", "gate", "wave-off.toml")
# Scenarios/gate/wave-off.toml [origin] and Scenarios/missions/gate-short.toml.
ORIGIN_LAT, ORIGIN_LON = 47.397742, 8.545594
LOITER_LAT, LOITER_LON = 47.4058370, 8.5535421
MAV_MODE_FLAG_SAFETY_ARMED = 128
KESTREL_FLIGHT_MODE_PREFLIGHT = 0
KESTREL_FLIGHT_MODE_MISSION = 2
KESTREL_FLIGHT_MODE_RTL = 4


def horizontal_distance_m(lat1, lon1, lat2, lon2):
    r = 6_371_000.0
    dlat = math.radians(lat2 - lat1)
    dlon = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return r * math.hypot(dlat, dlon)


@pytest.fixture
def sim(kestrel):
    port = free_udp_port()
    proc = subprocess.Popen([str(kestrel), "sim", SCENARIO, "--realtime", "--speed", "4", "--duration-s", "200",
                             "--mavlink", f"udpin:127.0.0.1:{port}"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    yield proc, port
    if proc.poll() is None:
        proc.kill()
    proc.communicate(timeout=10)


def vehicle_heartbeat(conn, timeout, condition=lambda m: True):
    """Sends GCS heartbeats at 2 Hz (the vehicle on udpin learns our address from them) until a vehicle
    HEARTBEAT meeting `condition` arrives."""
    deadline = time.time() + timeout
    next_beat = 0.0
    while time.time() < deadline:
        if time.time() >= next_beat:
            conn.mav.heartbeat_send(mavutil.mavlink.MAV_TYPE_GCS, mavutil.mavlink.MAV_AUTOPILOT_INVALID, 0, 0, 0)
            next_beat = time.time() + 0.5
        msg = conn.recv_match(type="HEARTBEAT", blocking=True, timeout=0.2)
        if msg is not None and msg.get_srcSystem() == VEHICLE and condition(msg):
            return msg
    return None


def test_sim_vehicle_flies_as_a_mavlink_vehicle(dialect, sim):
    proc, port = sim
    conn = connect(dialect, f"udpout:127.0.0.1:{port}")

    first = vehicle_heartbeat(conn, 20)
    assert first is not None, "no HEARTBEAT from the simulated vehicle"
    assert first.type == mavutil.mavlink.MAV_TYPE_FIXED_WING

    # SITL arms itself on the launcher once navigation is up; the armed flag must then show.
    armed = vehicle_heartbeat(conn, 20, lambda m: m.base_mode & MAV_MODE_FLAG_SAFETY_ARMED)
    assert armed is not None, "vehicle never reported armed"

    # Arming again while armed is refused by the mode machine (or accepted as a no-op); either way answered.
    conn.mav.command_long_send(VEHICLE, 1, mavutil.mavlink.MAV_CMD_COMPONENT_ARM_DISARM, 0, 1, 0, 0, 0, 0, 0, 0)
    ack = recv(conn, "COMMAND_ACK", 5, lambda m: m.command == mavutil.mavlink.MAV_CMD_COMPONENT_ARM_DISARM)
    assert ack is not None

    pos = recv(conn, "GLOBAL_POSITION_INT", 5)
    assert pos is not None
    # Before or just after the catapult: within a few hundred metres of the launch point.
    assert horizontal_distance_m(pos.lat * 1e-7, pos.lon * 1e-7, ORIGIN_LAT, ORIGIN_LON) < 500

    # The loaded plan downloads: launch (takeoff), waypoint, loiter, then the designation.
    conn.mav.mission_request_list_send(VEHICLE, 1, mavutil.mavlink.MAV_MISSION_TYPE_MISSION)
    count = recv(conn, "MISSION_COUNT", 5)
    assert count is not None and count.count == 4
    items = []
    for seq in range(count.count):
        conn.mav.mission_request_int_send(VEHICLE, 1, seq, mavutil.mavlink.MAV_MISSION_TYPE_MISSION)
        item = recv(conn, "MISSION_ITEM_INT", 5, lambda m, s=seq: m.seq == s)
        assert item is not None, f"no item {seq}"
        items.append(item)
    conn.mav.mission_ack_send(VEHICLE, 1, mavutil.mavlink.MAV_MISSION_ACCEPTED,
                              mavutil.mavlink.MAV_MISSION_TYPE_MISSION)
    assert [i.command for i in items] == [
        mavutil.mavlink.MAV_CMD_NAV_TAKEOFF, mavutil.mavlink.MAV_CMD_NAV_WAYPOINT,
        mavutil.mavlink.MAV_CMD_NAV_LOITER_UNLIM, MAV_CMD_KESTREL_DESIGNATION]
    assert items[0].z == pytest.approx(80.0)
    assert (items[1].x, items[1].y) == (474031387, 85455940) and items[1].z == pytest.approx(100.0)
    assert (items[2].x, items[2].y) == (round(LOITER_LAT * 1e7), round(LOITER_LON * 1e7))
    assert items[2].param3 == pytest.approx(120.0)  # radius, clockwise positive
    assert (items[3].x, items[3].y) == (round(LOITER_LAT * 1e7), round(LOITER_LON * 1e7))

    # After the catapult (8 s sim = 2 s wall at 4x) it flies away from the launch point, climbing.
    def flying(m):
        return m.relative_alt > 20_000
    airborne = recv(conn, "GLOBAL_POSITION_INT", 30, flying)
    assert airborne is not None, "vehicle never climbed above 20 m"
    hb = vehicle_heartbeat(conn, 5)
    assert hb.system_status == mavutil.mavlink.MAV_STATE_ACTIVE
    assert hb.custom_mode != KESTREL_FLIGHT_MODE_PREFLIGHT

    # A mission upload while flying is refused with the reason.
    conn.mav.mission_count_send(VEHICLE, 1, 1, mavutil.mavlink.MAV_MISSION_TYPE_MISSION)
    request = recv(conn, "MISSION_REQUEST_INT", 5, lambda m: m.seq == 0)
    assert request is not None
    conn.mav.mission_item_int_send(
        VEHICLE, 1, 0, mavutil.mavlink.MAV_FRAME_GLOBAL_RELATIVE_ALT_INT, mavutil.mavlink.MAV_CMD_NAV_WAYPOINT,
        0, 1, 0, 0, 0, 0, 474031387, 85455940, 100.0, mavutil.mavlink.MAV_MISSION_TYPE_MISSION)
    refusal = recv(conn, "MISSION_ACK", 5)
    assert refusal is not None and refusal.type == mavutil.mavlink.MAV_MISSION_DENIED
    assert recv(conn, "STATUSTEXT", 5, lambda m: "disarm before changing the mission" in m.text) is not None

    # Once flying the plan, RTL from the ground station reaches the mode machine.
    assert vehicle_heartbeat(conn, 30, lambda m: m.custom_mode == KESTREL_FLIGHT_MODE_MISSION) is not None
    conn.mav.command_long_send(VEHICLE, 1, mavutil.mavlink.MAV_CMD_NAV_RETURN_TO_LAUNCH, 0, 0, 0, 0, 0, 0, 0, 0)
    ack = recv(conn, "COMMAND_ACK", 5, lambda m: m.command == mavutil.mavlink.MAV_CMD_NAV_RETURN_TO_LAUNCH)
    assert ack is not None and ack.result == mavutil.mavlink.MAV_RESULT_ACCEPTED
    assert vehicle_heartbeat(conn, 5, lambda m: m.custom_mode == KESTREL_FLIGHT_MODE_RTL) is not None
