"""Interop: a ground station plans the SITL vehicle's flight over MAVLink, checked with pymavlink 2.4.50.

`kestrel sim --arm-from-link` keeps the vehicle disarmed on its catapult until armed over the link. pymavlink
uploads a mission (takeoff, waypoint, loiter over a designation, the Kestrel designation item), downloads it back,
arms, and sees MISSION_ITEM_REACHED for the uploaded waypoint; an upload while armed and an AMSL item are refused.
Positions are computed here from the scenario's origin, not taken from Kestrel.
"""
import math
import os
import struct
import subprocess
import time

os.environ["MAVLINK20"] = "1"  # before pymavlink is imported

import pytest  # noqa: E402
from pymavlink import mavutil, mavwp  # noqa: E402

from test_mavlink_link import MAV_CMD_KESTREL_DESIGNATION, VEHICLE, command, connect, dialect, download, free_udp_port, upload  # noqa: E402,F401,E501
from test_sim_mavlink import ORIGIN_LAT, ORIGIN_LON, recv, vehicle_heartbeat  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCENARIO = os.path.join(ROOT, "Scenarios", "gate", "wave-off.toml")
REL = mavutil.mavlink.MAV_FRAME_GLOBAL_RELATIVE_ALT_INT


def offset_e7(north_m, east_m):
    lat = ORIGIN_LAT + math.degrees(north_m / 6_378_137.0)
    lon = ORIGIN_LON + math.degrees(east_m / (6_378_137.0 * math.cos(math.radians(ORIGIN_LAT))))
    return round(lat * 1e7), round(lon * 1e7)


def loader_for(conn, items):
    loader = mavwp.MAVWPLoader(target_system=VEHICLE, target_component=1)
    for seq, (cmd, frame, p1, p2, p3, x, y, z) in enumerate(items):
        loader.add(conn.mav.mission_item_int_encode(VEHICLE, 1, seq, frame, cmd, 0, 1, p1, p2, p3, 0, x, y, z,
                                                    mavutil.mavlink.MAV_MISSION_TYPE_MISSION))
    return loader


@pytest.fixture
def sim(kestrel):
    port = free_udp_port()
    proc = subprocess.Popen([str(kestrel), "sim", SCENARIO, "--realtime", "--speed", "4", "--duration-s", "240",
                             "--no-log", "--arm-from-link", "--mavlink", f"udpin:127.0.0.1:{port}"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    yield proc, port
    if proc.poll() is None:
        proc.kill()
    proc.communicate(timeout=10)


def test_uploaded_mission_is_flown_after_arming_over_the_link(dialect, sim):
    proc, port = sim
    conn = connect(dialect, f"udpout:127.0.0.1:{port}")
    assert vehicle_heartbeat(conn, 20) is not None, "no vehicle heartbeat"
    wp = offset_e7(700, 0)
    centre = offset_e7(1400, 300)
    items = [
        (mavutil.mavlink.MAV_CMD_NAV_TAKEOFF, REL, 0, 0, 0, 0, 0, 60),
        (mavutil.mavlink.MAV_CMD_NAV_WAYPOINT, REL, 0, 40, 0, wp[0], wp[1], 100),
        (mavutil.mavlink.MAV_CMD_NAV_LOITER_UNLIM, REL, 0, 0, 150, centre[0], centre[1], 120),
        (MAV_CMD_KESTREL_DESIGNATION, REL, 0, 0, 0, centre[0], centre[1], 0),
    ]
    loader = loader_for(conn, items)
    ack, _ = upload(conn, loader)
    assert ack is not None and ack.type == mavutil.mavlink.MAV_MISSION_ACCEPTED, ack

    # The vehicle reports the plan it will fly: once navigation is ready it is rebuilt from the upload.
    deadline = time.time() + 30
    got = []
    while time.time() < deadline and len(got) != len(items):
        got = download(conn)
        time.sleep(0.5)
    assert [(i.command, i.x, i.y) for i in got] == [(c, x, y) for c, _, _, _, _, x, y, _ in items]
    assert got[2].param3 == pytest.approx(150) and got[1].param2 == pytest.approx(40)

    # Arm over the link; the catapult fires once armed, the uploaded waypoint is reached.
    ack = command(conn, mavutil.mavlink.MAV_CMD_COMPONENT_ARM_DISARM, 1, timeout=10)
    assert ack is not None and ack.result == mavutil.mavlink.MAV_RESULT_ACCEPTED, ack
    reached = recv(conn, "MISSION_ITEM_REACHED", 90, lambda m: m.seq == 1)
    assert reached is not None, "waypoint 1 never reached"

    # MISSION_SET_CURRENT back to the waypoint while flying the mission: confirmed by MISSION_CURRENT, and the
    # vehicle turns back and reaches it again.
    conn.mav.mission_set_current_send(VEHICLE, 1, 1)
    current = recv(conn, "MISSION_CURRENT", 10, lambda m: m.seq == 1)
    assert current is not None, "set-current not confirmed"
    assert recv(conn, "MISSION_ITEM_REACHED", 90, lambda m: m.seq == 1) is not None, "waypoint 1 not flown again"

    # Reposition (QGC's "go to location"): the vehicle orbits the target at its relative height.
    target = offset_e7(200, -600)
    conn.mav.command_int_send(VEHICLE, 1, REL, mavutil.mavlink.MAV_CMD_DO_REPOSITION, 0, 0,
                              -1, 0, 0, float("nan"), target[0], target[1], 90)
    ack = recv(conn, "COMMAND_ACK", 10, lambda m: m.command == mavutil.mavlink.MAV_CMD_DO_REPOSITION)
    assert ack is not None and ack.result == mavutil.mavlink.MAV_RESULT_ACCEPTED, ack

    def near_target(m):
        north = math.radians(m.lat * 1e-7 - target[0] * 1e-7) * 6_378_137.0
        east = math.radians(m.lon * 1e-7 - target[1] * 1e-7) * 6_378_137.0 * math.cos(math.radians(ORIGIN_LAT))
        return math.hypot(north, east) < 250 and abs(m.relative_alt * 1e-3 - 90) < 15

    assert recv(conn, "GLOBAL_POSITION_INT", 90, near_target) is not None, "never orbited the reposition target"

    # Armed: a new upload is refused and the plan stays.
    ack, _ = upload(conn, loader_for(conn, items[:2]))
    assert ack is not None and ack.type == mavutil.mavlink.MAV_MISSION_DENIED
    assert len(download(conn)) == len(items)


def test_amsl_items_are_refused_with_the_reason(dialect, sim):
    proc, port = sim
    conn = connect(dialect, f"udpout:127.0.0.1:{port}")
    assert vehicle_heartbeat(conn, 20) is not None
    wp = offset_e7(700, 0)
    items = [
        (mavutil.mavlink.MAV_CMD_NAV_TAKEOFF, REL, 0, 0, 0, 0, 0, 60),
        (mavutil.mavlink.MAV_CMD_NAV_WAYPOINT, mavutil.mavlink.MAV_FRAME_GLOBAL_INT, 0, 0, 0, wp[0], wp[1], 600),
    ]
    ack, _ = upload(conn, loader_for(conn, items))
    assert ack is not None and ack.type == mavutil.mavlink.MAV_MISSION_UNSUPPORTED_FRAME
    text = recv(conn, "STATUSTEXT", 5, lambda m: "RELATIVE_ALT" in m.text)
    assert text is not None

    # Cleared on the ground: nothing to download, and the vehicle will not arm without a plan.
    conn.mav.mission_clear_all_send(VEHICLE, 1, mavutil.mavlink.MAV_MISSION_TYPE_MISSION)
    ack = recv(conn, "MISSION_ACK", 5)
    assert ack is not None and ack.type == mavutil.mavlink.MAV_MISSION_ACCEPTED
    assert download(conn) == []
    conn.mav.command_long_send(VEHICLE, 1, mavutil.mavlink.MAV_CMD_COMPONENT_ARM_DISARM, 0, 1, 0, 0, 0, 0, 0, 0)
    seen = {}
    deadline = time.time() + 10
    while time.time() < deadline and not ("ack" in seen and "text" in seen):
        m = conn.recv_match(type=["COMMAND_ACK", "STATUSTEXT"], blocking=True, timeout=0.5)
        if m is not None and m.get_type() == "COMMAND_ACK":
            seen["ack"] = m.result
        elif m is not None and "no mission" in m.text:
            seen["text"] = m.text
    assert seen.get("ack") == mavutil.mavlink.MAV_RESULT_DENIED and "text" in seen, seen


def test_uploaded_plan_downloads_field_by_field(dialect, sim):
    """QGroundControl compares a downloaded plan with the one it sent: every field must come back as uploaded,
    including the takeoff's position and pitch, the yaw left NaN, the acceptance radius 0 ("the vehicle's default")
    and frame 3 (QGroundControl writes MAV_FRAME_GLOBAL_RELATIVE_ALT in MISSION_ITEM_INT)."""
    proc, port = sim
    conn = connect(dialect, f"udpout:127.0.0.1:{port}")
    assert vehicle_heartbeat(conn, 20) is not None, "no vehicle heartbeat"
    rel3 = mavutil.mavlink.MAV_FRAME_GLOBAL_RELATIVE_ALT
    nan = float("nan")
    start, wp1, wp2, centre = offset_e7(40, 0), offset_e7(700, 0), offset_e7(1000, 300), offset_e7(1400, 300)
    sent = [  # frame, command, p1, p2, p3, p4, x, y, z
        (rel3, mavutil.mavlink.MAV_CMD_NAV_TAKEOFF, 15, 0, 0, nan, start[0], start[1], 60),
        (rel3, mavutil.mavlink.MAV_CMD_NAV_WAYPOINT, 0, 0, 0, nan, wp1[0], wp1[1], 100),
        (REL, mavutil.mavlink.MAV_CMD_NAV_WAYPOINT, 0, 35, 0, nan, wp2[0], wp2[1], 110),
        (rel3, mavutil.mavlink.MAV_CMD_NAV_LOITER_UNLIM, 0, 0, -150, nan, centre[0], centre[1], 120),
        (rel3, MAV_CMD_KESTREL_DESIGNATION, 0, 0, 0, 0, centre[0], centre[1], 0),
        (mavutil.mavlink.MAV_FRAME_MISSION, mavutil.mavlink.MAV_CMD_NAV_RETURN_TO_LAUNCH, 0, 0, 0, 0, 0, 0, 0),
    ]
    loader = mavwp.MAVWPLoader(target_system=VEHICLE, target_component=1)
    for seq, (frame, cmd, p1, p2, p3, p4, x, y, z) in enumerate(sent):
        loader.add(conn.mav.mission_item_int_encode(VEHICLE, 1, seq, frame, cmd, 0, 1, p1, p2, p3, p4, x, y, z,
                                                    mavutil.mavlink.MAV_MISSION_TYPE_MISSION))
    ack, _ = upload(conn, loader)
    assert ack is not None and ack.type == mavutil.mavlink.MAV_MISSION_ACCEPTED, ack

    def fields(m):
        # Floats as float32 bit patterns: NaN sent must be NaN back, 0 must stay 0.
        f32 = [struct.unpack("<I", struct.pack("<f", v))[0] for v in (m.param1, m.param2, m.param3, m.param4, m.z)]
        return {"seq": m.seq, "frame": m.frame, "command": m.command, "param1": f32[0], "param2": f32[1],
                "param3": f32[2], "param4": f32[3], "x": m.x, "y": m.y, "z": f32[4],
                "autocontinue": m.autocontinue, "mission_type": m.mission_type}

    got = download(conn)
    assert len(got) == len(sent)
    for seq, item in enumerate(got):
        assert fields(item) == fields(loader.wp(seq)), f"item {seq}"


KESTREL_FLIGHT_MODE_PREFLIGHT, KESTREL_FLIGHT_MODE_LAUNCH, KESTREL_FLIGHT_MODE_MISSION = 0, 1, 2
KESTREL_FLIGHT_MODE_LOITER, KESTREL_FLIGHT_MODE_RTL = 3, 4


def test_do_set_mode_mission_in_every_phase(dialect, sim):
    """DO_SET_MODE to KESTREL_FLIGHT_MODE_MISSION, as QGroundControl sends it: accepted on the ground, armed on the
    launcher and in the launch climb (the vehicle goes on into the mission), a no-op in the mission, and it resumes
    the mission from loiter and from RTL."""
    proc, port = sim
    conn = connect(dialect, f"udpout:127.0.0.1:{port}")
    assert vehicle_heartbeat(conn, 20) is not None, "no vehicle heartbeat"

    def set_mode(custom_mode):
        return command(conn, mavutil.mavlink.MAV_CMD_DO_SET_MODE,
                       mavutil.mavlink.MAV_MODE_FLAG_CUSTOM_MODE_ENABLED, custom_mode, timeout=10)

    def mission():
        ack = set_mode(KESTREL_FLIGHT_MODE_MISSION)
        assert ack is not None and ack.result == mavutil.mavlink.MAV_RESULT_ACCEPTED, ack

    def mode_becomes(mode, timeout):
        return vehicle_heartbeat(conn, timeout, lambda m: m.custom_mode == mode) is not None

    mission()  # disarmed on the catapult
    assert vehicle_heartbeat(conn, 5).custom_mode == KESTREL_FLIGHT_MODE_PREFLIGHT

    # Armed (once navigation is up), waiting for the catapult, then in the climb.
    deadline = time.time() + 40
    ack = None
    while time.time() < deadline:
        ack = command(conn, mavutil.mavlink.MAV_CMD_COMPONENT_ARM_DISARM, 1, timeout=10)
        if ack is not None and ack.result == mavutil.mavlink.MAV_RESULT_ACCEPTED:
            break
        time.sleep(1)
    assert ack is not None and ack.result == mavutil.mavlink.MAV_RESULT_ACCEPTED, ack
    mission()  # on the launcher (or just off it)
    assert mode_becomes(KESTREL_FLIGHT_MODE_LAUNCH, 20), "never launched"
    mission()  # in the climb
    assert mode_becomes(KESTREL_FLIGHT_MODE_MISSION, 60), "the climb never handed over to the mission"
    mission()  # flying it: a no-op
    assert vehicle_heartbeat(conn, 5).custom_mode == KESTREL_FLIGHT_MODE_MISSION

    ack = set_mode(KESTREL_FLIGHT_MODE_LOITER)
    assert ack is not None and ack.result == mavutil.mavlink.MAV_RESULT_ACCEPTED, ack
    assert mode_becomes(KESTREL_FLIGHT_MODE_LOITER, 10)
    mission()
    assert mode_becomes(KESTREL_FLIGHT_MODE_MISSION, 10), "loiter did not resume the mission"

    ack = command(conn, mavutil.mavlink.MAV_CMD_NAV_RETURN_TO_LAUNCH, timeout=10)
    assert ack is not None and ack.result == mavutil.mavlink.MAV_RESULT_ACCEPTED, ack
    assert mode_becomes(KESTREL_FLIGHT_MODE_RTL, 10)
    mission()
    assert mode_becomes(KESTREL_FLIGHT_MODE_MISSION, 10), "RTL did not resume the mission"
