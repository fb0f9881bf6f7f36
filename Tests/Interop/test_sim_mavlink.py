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


def test_system_time_on_request_and_as_a_stream(dialect, sim):
    """SYSTEM_TIME: REQUEST_MESSAGE sends one, SET_MESSAGE_INTERVAL makes it a stream at that interval (vehicle
    time: the SITL runs at 4x), -1 stops it. time_unix_usec is the vehicle's GPS UTC (the paced SITL's receiver
    starts at the wall clock's now), 0 before it has one; time_boot_ms is the vehicle clock."""
    proc, port = sim
    started = time.time()
    conn = connect(dialect, f"udpout:127.0.0.1:{port}")
    assert vehicle_heartbeat(conn, 20) is not None, "no HEARTBEAT from the simulated vehicle"
    system_time = mavutil.mavlink.MAVLINK_MSG_ID_SYSTEM_TIME

    conn.mav.command_long_send(VEHICLE, 1, mavutil.mavlink.MAV_CMD_REQUEST_MESSAGE, 0, system_time, 0, 0, 0, 0, 0, 0)
    ack = recv(conn, "COMMAND_ACK", 5, lambda m: m.command == mavutil.mavlink.MAV_CMD_REQUEST_MESSAGE)
    assert ack is not None and ack.result == mavutil.mavlink.MAV_RESULT_ACCEPTED, ack
    one = recv(conn, "SYSTEM_TIME", 5)
    assert one is not None and one.time_boot_ms > 0

    conn.mav.command_long_send(VEHICLE, 1, mavutil.mavlink.MAV_CMD_SET_MESSAGE_INTERVAL, 0, system_time, 200_000,
                               0, 0, 0, 0, 0)
    ack = recv(conn, "COMMAND_ACK", 5, lambda m: m.command == mavutil.mavlink.MAV_CMD_SET_MESSAGE_INTERVAL)
    assert ack is not None and ack.result == mavutil.mavlink.MAV_RESULT_ACCEPTED, ack
    stream = []
    deadline = time.time() + 20
    while time.time() < deadline and (len(stream) < 20 or stream[-1].time_unix_usec == 0):
        m = recv(conn, "SYSTEM_TIME", 2)
        assert m is not None, "the SYSTEM_TIME stream stopped"
        stream.append(m)
    gaps = sorted(b.time_boot_ms - a.time_boot_ms for a, b in zip(stream, stream[1:]))
    assert abs(gaps[len(gaps) // 2] - 200) <= 10, gaps
    with_utc = [m for m in stream if m.time_unix_usec != 0]
    assert with_utc, "no UTC from the simulated GPS"
    # UTC and the vehicle clock advance together; their difference is the UTC of simulated time zero.
    epoch_s = [m.time_unix_usec * 1e-6 - m.time_boot_ms * 1e-3 for m in with_utc]
    assert max(epoch_s) - min(epoch_s) < 0.05
    assert abs(epoch_s[0] - started) < 10, (epoch_s[0], started)

    conn.mav.command_long_send(VEHICLE, 1, mavutil.mavlink.MAV_CMD_SET_MESSAGE_INTERVAL, 0, system_time, -1,
                               0, 0, 0, 0, 0)
    ack = recv(conn, "COMMAND_ACK", 5, lambda m: m.command == mavutil.mavlink.MAV_CMD_SET_MESSAGE_INTERVAL)
    assert ack is not None and ack.result == mavutil.mavlink.MAV_RESULT_ACCEPTED
    recv(conn, "SYSTEM_TIME", 0.3)  # one may still be on its way
    assert recv(conn, "SYSTEM_TIME", 1.5) is None
