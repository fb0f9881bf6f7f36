"""Interop: MAVProxy 1.8.75 as a headless router between `kestrel sim --realtime --mavlink` and a pymavlink client.

    kestrel sim … --mavlink udpout:127.0.0.1:A  ->  mavproxy.py --master=udpin:127.0.0.1:A --out=udpout:127.0.0.1:B
                                                ->  pymavlink on udpin:127.0.0.1:B

The client sees the vehicle's heartbeats and GLOBAL_POSITION_INT through MAVProxy and reads a parameter, whose
request and answer both cross MAVProxy. The parameter value is the scenario's (LINK_LOSS_S: link_loss_timeout_s = 10
in Scenarios/gate/link-approval.toml).

    .venv/bin/pip install MAVProxy==1.8.75 pymavlink==2.4.50 pytest
    swift build --product kestrel
    KESTREL_BIN_DIR=$(swift build --show-bin-path) .venv/bin/python -m pytest Tests/Interop/test_sim_mavproxy.py
"""
import math
import os
import shutil
import signal
import subprocess
import sys
import time

os.environ["MAVLINK20"] = "1"  # before pymavlink is imported

import pytest  # noqa: E402
from pymavlink import mavutil  # noqa: E402

from test_mavlink_link import free_udp_port, recv  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCENARIO = os.path.join(ROOT, "Scenarios", "gate", "link-approval.toml")
ORIGIN = (47.397742, 8.545594)
VEHICLE = 1


def mavproxy_exe():
    exe = os.path.join(os.path.dirname(sys.executable), "mavproxy.py")
    if not os.path.exists(exe):
        exe = shutil.which("mavproxy.py")
    if exe is None:
        pytest.skip("MAVProxy not installed (pip install MAVProxy==1.8.75)")
    return exe


@pytest.fixture
def chain(kestrel, tmp_path):
    master, forward = free_udp_port(), free_udp_port()
    procs = []
    # MAVProxy first, so the vehicle's first datagrams find its socket.
    proxy = subprocess.Popen(
        [sys.executable, mavproxy_exe(), f"--master=udpin:127.0.0.1:{master}", f"--out=udpout:127.0.0.1:{forward}",
         "--daemon", "--nowait", "--state-basedir", str(tmp_path), "--logfile", str(tmp_path / "mav.tlog")],
        cwd=tmp_path, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    procs.append(proxy)
    time.sleep(2.0)
    sim = subprocess.Popen([str(kestrel), "sim", SCENARIO, "--realtime", "--speed", "2", "--duration-s", "200",
                            "--mavlink", f"udpout:127.0.0.1:{master}", "--no-log"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    procs.append(sim)
    yield forward, proxy
    for p in reversed(procs):
        if p.poll() is None:
            p.send_signal(signal.SIGINT)
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                p.kill()
        p.communicate(timeout=10)


def test_pymavlink_reaches_the_sim_through_headless_mavproxy(chain):
    forward, proxy = chain
    conn = mavutil.mavlink_connection(f"udpin:127.0.0.1:{forward}", source_system=254, source_component=190)
    hb = recv(conn, "HEARTBEAT", 30, lambda m: m.get_srcSystem() == VEHICLE)
    assert hb is not None, "no vehicle HEARTBEAT through MAVProxy"
    assert hb.type == mavutil.mavlink.MAV_TYPE_FIXED_WING
    assert hb.autopilot == mavutil.mavlink.MAV_AUTOPILOT_GENERIC
    assert proxy.poll() is None, "MAVProxy exited"

    pos = recv(conn, "GLOBAL_POSITION_INT", 10, lambda m: m.get_srcSystem() == VEHICLE)
    assert pos is not None, "no GLOBAL_POSITION_INT through MAVProxy"
    dlat = math.radians(pos.lat * 1e-7 - ORIGIN[0])
    dlon = math.radians(pos.lon * 1e-7 - ORIGIN[1]) * math.cos(math.radians(ORIGIN[0]))
    assert 6_371_000 * math.hypot(dlat, dlon) < 500  # on or just off the launcher

    # MAVProxy fetches the parameter list itself on connect and forwards the answers; wait until that is over, so
    # the PARAM_VALUE below can only answer our own request.
    quiet_since, deadline = time.time(), time.time() + 30
    while time.time() < deadline and time.time() - quiet_since < 2.0:
        conn.mav.heartbeat_send(mavutil.mavlink.MAV_TYPE_GCS, mavutil.mavlink.MAV_AUTOPILOT_INVALID, 0, 0, 0)
        if conn.recv_match(type="PARAM_VALUE", blocking=True, timeout=0.5) is not None:
            quiet_since = time.time()
    assert time.time() - quiet_since >= 2.0, "PARAM_VALUEs never stopped"

    # A parameter read through MAVProxy: our request goes out through its --out link to the vehicle, the answer back.
    conn.mav.param_request_read_send(VEHICLE, 1, b"LINK_LOSS_S", -1)
    value = recv(conn, "PARAM_VALUE", 5, lambda m: m.param_id == "LINK_LOSS_S")
    assert value is not None, "no PARAM_VALUE for LINK_LOSS_S through MAVProxy"
    assert value.param_value == pytest.approx(10.0)
    assert value.param_type == mavutil.mavlink.MAV_PARAM_TYPE_REAL32
    # The 6 failsafe-policy values plus every airframe tunable (Hardware/airframes/kestrel-2m.toml's decoders).
    assert value.param_count > 100

    # A command round trip: the vehicle's COMMAND_ACK is addressed to this client's system id (254), not MAVProxy's.
    conn.mav.command_long_send(VEHICLE, 1, mavutil.mavlink.MAV_CMD_REQUEST_MESSAGE, 0,
                               mavutil.mavlink.MAVLINK_MSG_ID_AUTOPILOT_VERSION, 0, 0, 0, 0, 0, 0)
    ack = recv(conn, "COMMAND_ACK", 5, lambda m: m.command == mavutil.mavlink.MAV_CMD_REQUEST_MESSAGE
               and m.target_system == 254)
    assert ack is not None and ack.result == mavutil.mavlink.MAV_RESULT_ACCEPTED
    assert proxy.poll() is None, "MAVProxy exited"
