"""Interop: Kestrel's MAVLink ground link (GroundLink) against pymavlink 2.4.50 over real UDP sockets.

The vehicle is `mavlink-test-vehicle` (Tools/mavlink-test-vehicle): GroundLink with an in-memory vehicle that stores
missions and parameters and obeys commands, but does not fly. The ground station is pymavlink with the Kestrel
dialect compiled by pymavlink's own mavgen from Tools/mavgen-swift/kestrel.xml.

Run from the repository root:
    python3 -m venv .venv && .venv/bin/pip install pymavlink==2.4.50 pytest
    swift build --product mavlink-test-vehicle
    .venv/bin/python -m pytest Tests/Interop/test_mavlink_link.py
($MAVLINK_TEST_VEHICLE overrides the binary.) Waits are bounded by generous timeouts; no test asserts a timing.
"""
import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import time

os.environ["MAVLINK20"] = "1"  # before pymavlink is imported

import pymavlink  # noqa: E402
import pytest  # noqa: E402
from pymavlink import mavutil, mavwp  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
KEY = bytes(range(0x20, 0x40))
GCS_SYSID, GCS_COMPID = 255, 190
VEHICLE = 1
MAV_CMD_KESTREL_DESIGNATION = 53200


@pytest.fixture(scope="session")
def dialect(tmp_path_factory):
    work = tmp_path_factory.mktemp("link_dialect")
    v20 = os.path.join(os.path.dirname(pymavlink.__file__), "dialects", "v20")
    for name in ("common.xml", "standard.xml", "minimal.xml"):
        shutil.copy(os.path.join(v20, name), work)
    shutil.copy(os.path.join(ROOT, "Tools", "mavgen-swift", "kestrel.xml"), work)
    mavgen = os.path.join(os.path.dirname(sys.executable), "mavgen.py")
    out = work / "kestrel_link_dialect.py"
    subprocess.run([sys.executable, mavgen, "--lang=Python", "--wire-protocol=2.0", "-o", str(out),
                    str(work / "kestrel.xml")], check=True, capture_output=True)
    spec = importlib.util.spec_from_file_location("kestrel_link_dialect", out)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def vehicle_exe(swift_product):
    if os.environ.get("MAVLINK_TEST_VEHICLE"):
        return os.environ["MAVLINK_TEST_VEHICLE"]
    return swift_product("mavlink-test-vehicle")


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Vehicle:
    def __init__(self, exe, endpoints, *extra):
        self.proc = subprocess.Popen([exe, endpoints, *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True)
        line = self.proc.stdout.readline().strip()
        assert line == "ready", f"vehicle did not start: {line!r} {self.proc.stderr.read() if not line else ''}"

    def stop(self):
        """Stops the vehicle and returns its exit counters as a dict."""
        self.proc.terminate()
        out, err = self.proc.communicate(timeout=10)
        assert self.proc.returncode == 0, err
        line = [l for l in out.splitlines() if l.startswith("counters ")][-1]
        return {k: int(v) for k, v in (kv.split("=") for kv in line.split()[1:])}


@pytest.fixture
def vehicle(vehicle_exe):
    started = []

    def start(endpoints, *extra):
        v = Vehicle(vehicle_exe, endpoints, *extra)
        started.append(v)
        return v

    yield start
    for v in started:
        if v.proc.poll() is None:
            v.proc.kill()
            v.proc.wait()


def connect(dialect, address, key=None):
    conn = mavutil.mavlink_connection(address, source_system=GCS_SYSID, source_component=GCS_COMPID)
    conn.mav = dialect.MAVLink(conn, srcSystem=GCS_SYSID, srcComponent=GCS_COMPID)
    conn.mav.robust_parsing = True
    if key is not None:
        conn.setup_signing(key, sign_outgoing=True)
    return conn


def gcs(dialect, vehicle_factory, *extra, key=None):
    """A vehicle on udpin and a pymavlink GCS on udpout to it, heartbeats exchanged."""
    port = free_udp_port()
    v = vehicle_factory(f"udpin:127.0.0.1:{port}", *extra)
    conn = connect(dialect, f"udpout:127.0.0.1:{port}", key)
    conn.mav.heartbeat_send(mavutil.mavlink.MAV_TYPE_GCS, mavutil.mavlink.MAV_AUTOPILOT_INVALID, 0, 0, 0)
    assert conn.wait_heartbeat(timeout=5) is not None
    return v, conn


def recv(conn, kind, timeout=5, condition=None):
    deadline = time.time() + timeout
    while time.time() < deadline:
        msg = conn.recv_match(type=kind, blocking=True, timeout=max(deadline - time.time(), 0.01))
        if msg is not None and (condition is None or condition(msg)):
            return msg
    return None


def command(conn, cmd, *params, timeout=5):
    p = list(params) + [0] * (7 - len(params))
    conn.mav.command_long_send(VEHICLE, 1, cmd, 0, *p)
    return recv(conn, "COMMAND_ACK", timeout, lambda m: m.command == cmd)


def heartbeat(conn):
    return recv(conn, "HEARTBEAT", 5, lambda m: m.get_srcSystem() == VEHICLE)


# ---------------------------------------------------------------------------------------------------------------
# Endpoints and heartbeat


def test_udpin_vehicle_answers_a_udpout_ground_station(dialect, vehicle):
    v, conn = gcs(dialect, vehicle)
    hb = heartbeat(conn)
    assert hb.type == mavutil.mavlink.MAV_TYPE_FIXED_WING
    assert hb.autopilot == mavutil.mavlink.MAV_AUTOPILOT_GENERIC
    assert hb.base_mode & mavutil.mavlink.MAV_MODE_FLAG_CUSTOM_MODE_ENABLED
    assert hb.custom_mode == dialect.KESTREL_FLIGHT_MODE_PREFLIGHT
    assert hb.get_header().incompat_flags == 0 and hb._header.mlen  # a MAVLink 2 frame
    assert conn.mavlink20()
    v.stop()


def test_udpout_vehicle_reaches_a_udpin_ground_station(dialect, vehicle):
    port = free_udp_port()
    conn = connect(dialect, f"udpin:127.0.0.1:{port}")
    vehicle(f"udpout:127.0.0.1:{port}")
    hb = conn.wait_heartbeat(timeout=5)
    assert hb is not None and hb.get_srcSystem() == VEHICLE and hb.type == mavutil.mavlink.MAV_TYPE_FIXED_WING


def test_two_endpoints_at_once(dialect, vehicle):
    port_in, port_out = free_udp_port(), free_udp_port()
    listener = connect(dialect, f"udpin:127.0.0.1:{port_out}")
    vehicle(f"udpin:127.0.0.1:{port_in},udpout:127.0.0.1:{port_out}")
    sender = connect(dialect, f"udpout:127.0.0.1:{port_in}")
    sender.mav.heartbeat_send(mavutil.mavlink.MAV_TYPE_GCS, mavutil.mavlink.MAV_AUTOPILOT_INVALID, 0, 0, 0)
    assert sender.wait_heartbeat(timeout=5) is not None
    assert listener.wait_heartbeat(timeout=5) is not None
    # A command on one link is acknowledged on that link, and its effect shows on the other.
    ack = command(sender, mavutil.mavlink.MAV_CMD_COMPONENT_ARM_DISARM, 1)
    assert ack.result == mavutil.mavlink.MAV_RESULT_ACCEPTED
    hb = recv(listener, "HEARTBEAT", 5, lambda m: m.base_mode & mavutil.mavlink.MAV_MODE_FLAG_SAFETY_ARMED)
    assert hb is not None


def test_telemetry_streams_carry_the_in_memory_vehicle_state(dialect, vehicle):
    _, conn = gcs(dialect, vehicle)
    pos = recv(conn, "GLOBAL_POSITION_INT")
    assert (pos.lat, pos.lon, pos.alt, pos.relative_alt) == (473977420, 85455940, 488000, 0)
    gps = recv(conn, "GPS_RAW_INT")
    assert gps.fix_type == 3 and gps.satellites_visible == 12 and gps.alt_ellipsoid == 535500
    sys_status = recv(conn, "SYS_STATUS")
    assert sys_status.voltage_battery == 12400 and sys_status.battery_remaining == 90
    for kind in ("ATTITUDE", "VFR_HUD", "BATTERY_STATUS", "HOME_POSITION", "EXTENDED_SYS_STATE", "MISSION_CURRENT",
                 "TERMINAL_STATUS"):
        assert recv(conn, kind) is not None, kind


# ---------------------------------------------------------------------------------------------------------------
# Mission protocol


def mission_items(conn):
    """A mission in the shape QGC plans it: takeoff, waypoints, loiter, designation, RTL."""
    m = conn.mav
    rel = mavutil.mavlink.MAV_FRAME_GLOBAL_RELATIVE_ALT_INT
    items = [
        (mavutil.mavlink.MAV_CMD_NAV_TAKEOFF, rel, 15, 0, 0, 0, 473977420, 85455940, 60),
        (mavutil.mavlink.MAV_CMD_NAV_WAYPOINT, rel, 0, 10, 0, 0, 473987420, 85465940, 100),
        (mavutil.mavlink.MAV_CMD_NAV_WAYPOINT, rel, 2, 0, 0, 0, 473997420, 85475940, 110),
        (mavutil.mavlink.MAV_CMD_NAV_LOITER_TURNS, rel, 3, 0, -90, 0, 474007420, 85485940, 120),
        (mavutil.mavlink.MAV_CMD_NAV_LOITER_TIME, rel, 45, 0, 80, 0, 474017420, 85495940, 120),
        (MAV_CMD_KESTREL_DESIGNATION, mavutil.mavlink.MAV_FRAME_GLOBAL_INT, 0, 0, 0, 0, 474027420, 85505940, 540.5),
        (mavutil.mavlink.MAV_CMD_NAV_LOITER_UNLIM, rel, 0, 0, 100, 0, 474027420, 85505940, 120),
        (mavutil.mavlink.MAV_CMD_NAV_RETURN_TO_LAUNCH, mavutil.mavlink.MAV_FRAME_MISSION, 0, 0, 0, 0, 0, 0, 0),
    ]
    loader = mavwp.MAVWPLoader(target_system=VEHICLE, target_component=1)
    for seq, (cmd, frame, p1, p2, p3, p4, x, y, z) in enumerate(items):
        loader.add(m.mission_item_int_encode(VEHICLE, 1, seq, frame, cmd, 0, 1, p1, p2, p3, p4, x, y, z,
                                             mavutil.mavlink.MAV_MISSION_TYPE_MISSION))
    return loader


def upload(conn, loader, skip_first_request_of=None, timeout=15):
    """mavwp-style upload: MISSION_COUNT, then answer each request; returns (ack, requests seen)."""
    conn.mav.mission_count_send(VEHICLE, 1, loader.count(), mavutil.mavlink.MAV_MISSION_TYPE_MISSION)
    requests, skipped = [], set()
    deadline = time.time() + timeout
    while time.time() < deadline:
        msg = conn.recv_match(type=["MISSION_REQUEST_INT", "MISSION_REQUEST", "MISSION_ACK"], blocking=True,
                              timeout=1)
        if msg is None:
            continue
        if msg.get_type() == "MISSION_ACK":
            return msg, requests
        requests.append((msg.get_type(), msg.seq))
        if msg.seq == skip_first_request_of and msg.seq not in skipped:
            skipped.add(msg.seq)  # pretend the item was lost on the way
            continue
        conn.mav.send(loader.wp(msg.seq))
    return None, requests


def download(conn, timeout=10):
    conn.mav.mission_request_list_send(VEHICLE, 1, mavutil.mavlink.MAV_MISSION_TYPE_MISSION)
    count = recv(conn, "MISSION_COUNT", timeout)
    items = []
    for seq in range(count.count):
        conn.mav.mission_request_int_send(VEHICLE, 1, seq, mavutil.mavlink.MAV_MISSION_TYPE_MISSION)
        item = recv(conn, "MISSION_ITEM_INT", timeout, lambda m, s=seq: m.seq == s)
        assert item is not None, f"no item {seq}"
        items.append(item)
    conn.mav.mission_ack_send(VEHICLE, 1, mavutil.mavlink.MAV_MISSION_ACCEPTED,
                              mavutil.mavlink.MAV_MISSION_TYPE_MISSION)
    return items


def test_mission_upload_then_download_round_trips(dialect, vehicle):
    v, conn = gcs(dialect, vehicle)
    loader = mission_items(conn)
    ack, requests = upload(conn, loader)
    assert ack is not None and ack.type == mavutil.mavlink.MAV_MISSION_ACCEPTED
    assert requests == [("MISSION_REQUEST_INT", s) for s in range(loader.count())]
    items = download(conn)
    assert len(items) == loader.count()
    for sent, got in zip((loader.wp(i) for i in range(loader.count())), items):
        assert (got.command, got.x, got.y) == (sent.command, sent.x, sent.y)
        assert got.z == pytest.approx(sent.z)
        if sent.command != mavutil.mavlink.MAV_CMD_NAV_RETURN_TO_LAUNCH:
            assert got.frame == sent.frame
        for p in ("param1", "param2", "param3"):
            assert getattr(got, p) == pytest.approx(getattr(sent, p), abs=1e-4), (sent.command, p)
    # The counter-clockwise loiter keeps its sign, the designation its AMSL frame.
    assert items[3].param3 == -90 and items[5].frame == mavutil.mavlink.MAV_FRAME_GLOBAL_INT
    counters = v.stop()
    assert counters["mission_items"] == 8 and counters["uploads_accepted"] == 1


def test_legacy_mission_request_is_answered_with_mission_item_int(dialect, vehicle):
    _, conn = gcs(dialect, vehicle)
    ack, _ = upload(conn, mission_items(conn))
    assert ack.type == mavutil.mavlink.MAV_MISSION_ACCEPTED
    conn.mav.mission_request_send(VEHICLE, 1, 1, mavutil.mavlink.MAV_MISSION_TYPE_MISSION)
    item = recv(conn, "MISSION_ITEM_INT", 5, lambda m: m.seq == 1)
    assert item is not None and item.x == 473987420 and item.param2 == 10


def test_lost_item_is_requested_again(dialect, vehicle):
    v, conn = gcs(dialect, vehicle)
    ack, requests = upload(conn, mission_items(conn), skip_first_request_of=2)
    assert ack.type == mavutil.mavlink.MAV_MISSION_ACCEPTED
    seqs = [s for _, s in requests]
    assert seqs.count(2) == 2 and seqs == sorted(seqs)  # item 2 re-requested, nothing skipped
    assert v.stop()["item_retries"] == 1


def test_silent_ground_station_gets_operation_cancelled(dialect, vehicle):
    _, conn = gcs(dialect, vehicle)
    conn.mav.mission_count_send(VEHICLE, 1, 3, mavutil.mavlink.MAV_MISSION_TYPE_MISSION)
    # Never answer: 1 request + 5 retries, then MISSION_ACK OPERATION_CANCELLED (about 9 s).
    ack = recv(conn, "MISSION_ACK", 20)
    assert ack is not None and ack.type == mavutil.mavlink.MAV_MISSION_OPERATION_CANCELLED


def test_unsupported_item_is_refused_and_old_mission_kept(dialect, vehicle):
    _, conn = gcs(dialect, vehicle)
    good = mission_items(conn)
    assert upload(conn, good)[0].type == mavutil.mavlink.MAV_MISSION_ACCEPTED
    bad = mavwp.MAVWPLoader(target_system=VEHICLE, target_component=1)
    bad.add(conn.mav.mission_item_int_encode(VEHICLE, 1, 0, mavutil.mavlink.MAV_FRAME_GLOBAL_RELATIVE_ALT_INT,
                                             mavutil.mavlink.MAV_CMD_NAV_LAND, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0))
    ack, _ = upload(conn, bad)
    assert ack.type == mavutil.mavlink.MAV_MISSION_UNSUPPORTED
    assert len(download(conn)) == good.count()


def test_clear_all_empties_the_mission_and_fence_list_is_empty(dialect, vehicle):
    _, conn = gcs(dialect, vehicle)
    assert upload(conn, mission_items(conn))[0].type == mavutil.mavlink.MAV_MISSION_ACCEPTED
    conn.mav.mission_clear_all_send(VEHICLE, 1, mavutil.mavlink.MAV_MISSION_TYPE_MISSION)
    assert recv(conn, "MISSION_ACK").type == mavutil.mavlink.MAV_MISSION_ACCEPTED
    assert download(conn) == []
    conn.mav.mission_request_list_send(VEHICLE, 1, mavutil.mavlink.MAV_MISSION_TYPE_FENCE)
    count = recv(conn, "MISSION_COUNT", 5, lambda m: m.mission_type == mavutil.mavlink.MAV_MISSION_TYPE_FENCE)
    assert count.count == 0


def test_set_current_is_confirmed_by_mission_current(dialect, vehicle):
    _, conn = gcs(dialect, vehicle)
    assert upload(conn, mission_items(conn))[0].type == mavutil.mavlink.MAV_MISSION_ACCEPTED
    conn.mav.mission_set_current_send(VEHICLE, 1, 4)
    current = recv(conn, "MISSION_CURRENT", 5, lambda m: m.seq == 4)
    assert current is not None and current.total == 8


# ---------------------------------------------------------------------------------------------------------------
# Parameters


def test_param_list_read_and_set(dialect, vehicle):
    _, conn = gcs(dialect, vehicle)
    conn.mav.param_request_list_send(VEHICLE, 1)
    values = {}
    while True:
        msg = recv(conn, "PARAM_VALUE", 3)
        if msg is None:
            break
        values[msg.param_index] = msg
    assert sorted(values) == list(range(8)) and all(m.param_count == 8 for m in values.values())
    names = {m.param_id: m for m in values.values()}
    assert names["FW_AIRSPD_TRIM"].param_value == 16 and names["FW_AIRSPD_TRIM"].param_type == 9
    # Every parameter is REAL32 on the wire, integers included (no C-cast/bytewise ambiguity).
    assert names["LINK_LOSS_S"].param_value == 10 and names["LINK_LOSS_S"].param_type == 9

    conn.mav.param_request_read_send(VEHICLE, 1, b"RTL_ALT_M", -1)
    assert recv(conn, "PARAM_VALUE", 5, lambda m: m.param_id == "RTL_ALT_M").param_value == 120
    conn.mav.param_request_read_send(VEHICLE, 1, b"", 3)
    assert recv(conn, "PARAM_VALUE", 5, lambda m: m.param_index == 3).param_id == "LOITER_RAD_M"

    conn.mav.param_set_send(VEHICLE, 1, b"FW_AIRSPD_TRIM", 18.5, 9)
    assert recv(conn, "PARAM_VALUE", 5, lambda m: m.param_id == "FW_AIRSPD_TRIM").param_value == 18.5
    # 12.5 is no INT32: refused, the old value comes back and a STATUSTEXT says why.
    conn.mav.param_set_send(VEHICLE, 1, b"LINK_LOSS_S", 12.5, 9)
    seen = {}
    deadline = time.time() + 5
    while len(seen) < 2 and time.time() < deadline:
        msg = conn.recv_match(type=["PARAM_VALUE", "STATUSTEXT"], blocking=True, timeout=1)
        if msg is not None and (msg.get_type() == "STATUSTEXT" or msg.param_id == "LINK_LOSS_S"):
            seen[msg.get_type()] = msg
    assert seen["PARAM_VALUE"].param_value == 10
    assert "LINK_LOSS_S" in seen["STATUSTEXT"].text
    conn.mav.param_set_send(VEHICLE, 1, b"LINK_LOSS_S", 12, 9)
    assert recv(conn, "PARAM_VALUE", 5, lambda m: m.param_id == "LINK_LOSS_S").param_value == 12
    conn.mav.param_request_read_send(VEHICLE, 1, b"FW_AIRSPD_TRIM", -1)
    assert recv(conn, "PARAM_VALUE", 5, lambda m: m.param_id == "FW_AIRSPD_TRIM").param_value == 18.5


# ---------------------------------------------------------------------------------------------------------------
# Commands


def test_commands_are_acknowledged_and_act(dialect, vehicle):
    v, conn = gcs(dialect, vehicle)
    mav = mavutil.mavlink
    assert command(conn, mav.MAV_CMD_COMPONENT_ARM_DISARM, 1).result == mav.MAV_RESULT_ACCEPTED
    assert recv(conn, "HEARTBEAT", 5, lambda m: m.base_mode & mav.MAV_MODE_FLAG_SAFETY_ARMED) is not None
    ack = command(conn, mav.MAV_CMD_DO_SET_MODE, mav.MAV_MODE_FLAG_CUSTOM_MODE_ENABLED, dialect.KESTREL_FLIGHT_MODE_LOITER)
    assert ack.result == mav.MAV_RESULT_ACCEPTED
    assert recv(conn, "HEARTBEAT", 5, lambda m: m.custom_mode == dialect.KESTREL_FLIGHT_MODE_LOITER) is not None
    # The terminal phase is never entered by a mode command.
    ack = command(conn, mav.MAV_CMD_DO_SET_MODE, mav.MAV_MODE_FLAG_CUSTOM_MODE_ENABLED,
                  dialect.KESTREL_FLIGHT_MODE_TERMINAL)
    assert ack.result == mav.MAV_RESULT_DENIED
    assert command(conn, mav.MAV_CMD_NAV_RETURN_TO_LAUNCH).result == mav.MAV_RESULT_ACCEPTED
    assert recv(conn, "HEARTBEAT", 5,
                lambda m: m.custom_mode == dialect.KESTREL_FLIGHT_MODE_RETURN_TO_LAUNCH) is not None
    conn.mav.command_int_send(VEHICLE, 1, mav.MAV_FRAME_GLOBAL_RELATIVE_ALT_INT, mav.MAV_CMD_DO_REPOSITION, 0, 0,
                              -1, 0, 120, 0, 473990000, 85460000, 150)
    assert recv(conn, "COMMAND_ACK", 5, lambda m: m.command == mav.MAV_CMD_DO_REPOSITION).result == \
        mav.MAV_RESULT_ACCEPTED
    assert recv(conn, "HEARTBEAT", 5, lambda m: m.custom_mode == dialect.KESTREL_FLIGHT_MODE_LOITER) is not None
    assert command(conn, mav.MAV_CMD_DO_SET_SERVO, 1, 1500).result == mav.MAV_RESULT_UNSUPPORTED
    assert command(conn, mav.MAV_CMD_COMPONENT_ARM_DISARM, 0).result == mav.MAV_RESULT_ACCEPTED
    counters = v.stop()
    assert counters["armed"] == 0 and counters["mode"] == dialect.KESTREL_FLIGHT_MODE_LOITER


def test_request_message_and_capabilities(dialect, vehicle):
    _, conn = gcs(dialect, vehicle)
    mav = mavutil.mavlink
    ack = command(conn, mav.MAV_CMD_REQUEST_MESSAGE, mav.MAVLINK_MSG_ID_AUTOPILOT_VERSION)
    assert ack.result == mav.MAV_RESULT_ACCEPTED
    version = recv(conn, "AUTOPILOT_VERSION")
    caps = version.capabilities
    for flag in ("MISSION_INT", "PARAM_FLOAT", "COMMAND_INT", "MAVLINK2"):
        assert caps & getattr(mav, "MAV_PROTOCOL_CAPABILITY_" + flag), flag
    for flag in ("MISSION_FENCE", "MISSION_RALLY", "FTP", "PARAM_ENCODE_BYTEWISE", "PARAM_ENCODE_C_CAST"):
        assert not caps & getattr(mav, "MAV_PROTOCOL_CAPABILITY_" + flag), flag
    assert version.uid == 4242
    assert command(conn, mav.MAV_CMD_REQUEST_AUTOPILOT_CAPABILITIES, 1).result == mav.MAV_RESULT_ACCEPTED
    assert recv(conn, "AUTOPILOT_VERSION") is not None
    assert command(conn, mav.MAV_CMD_REQUEST_MESSAGE, mav.MAVLINK_MSG_ID_HOME_POSITION).result == \
        mav.MAV_RESULT_ACCEPTED
    assert recv(conn, "HOME_POSITION").latitude == 473977420


def test_set_message_interval_stops_and_restores_a_stream(dialect, vehicle):
    _, conn = gcs(dialect, vehicle)
    mav = mavutil.mavlink
    assert recv(conn, "ATTITUDE") is not None
    ack = command(conn, mav.MAV_CMD_SET_MESSAGE_INTERVAL, mav.MAVLINK_MSG_ID_ATTITUDE, -1)
    assert ack.result == mav.MAV_RESULT_ACCEPTED
    # Drain what was in flight, then nothing more comes while the stream is off.
    time.sleep(0.3)
    while conn.recv_match(blocking=False) is not None:
        pass
    assert recv(conn, "ATTITUDE", 1.5) is None
    assert command(conn, mav.MAV_CMD_SET_MESSAGE_INTERVAL, mav.MAVLINK_MSG_ID_ATTITUDE, 200000).result == \
        mav.MAV_RESULT_ACCEPTED
    assert recv(conn, "ATTITUDE", 3) is not None
    # HEARTBEAT stays at 1 Hz; an unknown message id is unsupported.
    assert command(conn, mav.MAV_CMD_SET_MESSAGE_INTERVAL, mav.MAVLINK_MSG_ID_HEARTBEAT, -1).result == \
        mav.MAV_RESULT_DENIED
    assert command(conn, mav.MAV_CMD_SET_MESSAGE_INTERVAL, 12345, 100000).result == mav.MAV_RESULT_UNSUPPORTED


# ---------------------------------------------------------------------------------------------------------------
# Signing


def test_signed_commands_act_and_unsigned_ones_are_denied(dialect, vehicle):
    port = free_udp_port()
    v = vehicle(f"udpin:127.0.0.1:{port}", "--key", KEY.hex())
    mav = mavutil.mavlink
    unsigned = connect(dialect, f"udpout:127.0.0.1:{port}")
    unsigned.mav.heartbeat_send(mav.MAV_TYPE_GCS, mav.MAV_AUTOPILOT_INVALID, 0, 0, 0)
    # On a signed link only an authenticated station becomes a udpin peer: no telemetry for an unsigned one.
    assert unsigned.wait_heartbeat(timeout=2) is None
    # Unsigned: the arm command is denied and changes nothing; read-only requests are still answered (the replies
    # to its own datagrams reach it).
    assert command(unsigned, mav.MAV_CMD_COMPONENT_ARM_DISARM, 1).result == mav.MAV_RESULT_DENIED
    unsigned.mav.param_set_send(VEHICLE, 1, b"RTL_ALT_M", 50, 9)
    unsigned.mav.param_request_read_send(VEHICLE, 1, b"RTL_ALT_M", -1)
    assert recv(unsigned, "PARAM_VALUE", 5, lambda m: m.param_id == "RTL_ALT_M").param_value == 120
    assert command(unsigned, mav.MAV_CMD_REQUEST_MESSAGE, mav.MAVLINK_MSG_ID_AUTOPILOT_VERSION).result == \
        mav.MAV_RESULT_ACCEPTED

    signed = connect(dialect, f"udpout:127.0.0.1:{port}", key=KEY)
    signed.mav.heartbeat_send(mav.MAV_TYPE_GCS, mav.MAV_AUTOPILOT_INVALID, 0, 0, 0)
    hb = signed.wait_heartbeat(timeout=5)
    assert hb is not None and hb.get_signed()  # the vehicle signs what it sends; pymavlink verified it
    assert command(signed, mav.MAV_CMD_COMPONENT_ARM_DISARM, 1).result == mav.MAV_RESULT_ACCEPTED
    signed.mav.param_set_send(VEHICLE, 1, b"RTL_ALT_M", 50, 9)
    assert recv(signed, "PARAM_VALUE", 5, lambda m: m.param_id == "RTL_ALT_M").param_value == 50
    # A ground station with the wrong key is refused like an unsigned one (its frames fail verification).
    wrong = connect(dialect, f"udpout:127.0.0.1:{port}", key=bytes(32))
    wrong.mav.heartbeat_send(mav.MAV_TYPE_GCS, mav.MAV_AUTOPILOT_INVALID, 0, 0, 0)
    wrong.mav.command_long_send(VEHICLE, 1, mav.MAV_CMD_COMPONENT_ARM_DISARM, 0, 0, 0, 0, 0, 0, 0, 0)
    time.sleep(1)
    counters = v.stop()
    assert counters["armed"] == 1 and counters["commands_accepted"] >= 2
    assert counters["unsigned_rejected"] >= 2


# ---------------------------------------------------------------------------------------------------------------
# Terminal approval dialect


def test_approval_request_is_repeated_and_answered(dialect, vehicle):
    v, conn = gcs(dialect, vehicle, "--approval-request")
    first = recv(conn, "TERMINAL_APPROVAL_REQUEST", 5)
    second = recv(conn, "TERMINAL_APPROVAL_REQUEST", 5)
    assert first is not None and second is not None and bytes(first.nonce) == bytes(second.nonce)
    assert (first.vehicle_id, first.lat, first.lon, first.alt, first.sequence) == (4242, 473977420, 85455940,
                                                                                   535500, 1)
    status = recv(conn, "TERMINAL_STATUS", 5)
    assert status.gate_state == dialect.KESTREL_TERMINAL_GATE_STATE_PENDING
    assert status.last_rejection == dialect.KESTREL_TERMINAL_REJECTION_NONE
    assert bytes(status.nonce) == bytes(first.nonce)

    # A stale nonce is rejected (reported in TERMINAL_STATUS), the matching one accepted.
    stale = bytes(16)
    conn.mav.terminal_approval_send(VEHICLE, 1, stale, first.vehicle_id, first.lat, first.lon, first.alt,
                                    first.expiry_us, dialect.KESTREL_TERMINAL_DECISION_APPROVE, bytes(8), bytes(64))
    rejected = recv(conn, "TERMINAL_STATUS", 5,
                    lambda m: m.last_rejection == dialect.KESTREL_TERMINAL_REJECTION_OTHER_NONCE)
    assert rejected is not None and rejected.gate_state == dialect.KESTREL_TERMINAL_GATE_STATE_PENDING
    conn.mav.terminal_approval_send(VEHICLE, 1, bytes(first.nonce), first.vehicle_id, first.lat, first.lon,
                                    first.alt, first.expiry_us, dialect.KESTREL_TERMINAL_DECISION_APPROVE,
                                    bytes(range(8)), bytes(range(64)))
    approved = recv(conn, "TERMINAL_STATUS", 5,
                    lambda m: m.gate_state == dialect.KESTREL_TERMINAL_GATE_STATE_TERMINAL)
    assert approved is not None
    # Answered: no more requests.
    time.sleep(0.2)
    while conn.recv_match(blocking=False) is not None:
        pass
    assert recv(conn, "TERMINAL_APPROVAL_REQUEST", 2.5) is None
    counters = v.stop()
    assert counters["approvals"] == 2 and counters["gate_state"] == 2
