"""Interop: the terminal approval gate over MAVLink against `kestrel sim --realtime --mavlink`, with pymavlink 2.4.50
(Kestrel dialect compiled by pymavlink's own mavgen from Tools/mavgen-swift/kestrel.xml) and Ed25519 signatures made
by the Python `cryptography` package.

Scenarios/gate/link-approval.toml scripts only the request for the terminal phase (at 110 s simulated); nobody
scripted answers it, so every approval here comes over the link. The vehicle's authorised operators are the SITL test
keys: seed = SHA-256("kestrel-sitl-test-operator-key:" + name) (Sources/Mission/Approval/TestOperatorKeys.swift).
The signed bytes are rebuilt here from the documented layout (as in test_approval_ed25519.py), not taken from Kestrel.

    .venv/bin/pip install pymavlink==2.4.50 cryptography pytest
    swift build --product kestrel
    KESTREL_BIN_DIR=$(swift build --show-bin-path) .venv/bin/python -m pytest Tests/Interop/test_sim_link_approval.py
"""
import hashlib
import os
import struct
import subprocess
import threading
import time

os.environ["MAVLINK20"] = "1"  # before pymavlink is imported

import pytest  # noqa: E402
from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402
from pymavlink import mavutil  # noqa: E402

from test_mavlink_link import VEHICLE, connect, dialect, free_udp_port  # noqa: E402,F401

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCENARIO = os.path.join(ROOT, "Scenarios", "gate", "link-approval.toml")
SPEED = 5
DOMAIN = b"KESTREL-TERMINAL-APPROVAL-V1"
APPROVE, WAVE_OFF = 1, 2
# kestrel.xml enums (written out, not read from the dialect, so a renumbering fails here).
GATE_IDLE, GATE_PENDING, GATE_TERMINAL, GATE_WAVING_OFF = 0, 1, 2, 3
REJECTION_UNKNOWN_KEY, REJECTION_OTHER_NONCE, REJECTION_NONE = 1, 6, 255
MODE_MISSION, MODE_LOITER, MODE_RTL, MODE_TERMINAL, MODE_WAVE_OFF = 2, 3, 4, 5, 6
# Scenarios/missions/gate-short.toml [designation]: 47.4058370 N 8.5535421 E, 0 m above home (origin 488 m).
DESIGNATION = (474058370, 85535421, 488000)
SITL_VEHICLE_ID = 0x4B45_5354_0000_0001  # SITLRun.vehicleID, AUTOPILOT_VERSION.uid of the simulated vehicle
LINK_KEY = bytes.fromhex("6b657374726c2d73696d2d6c696e6b2d6b65792d666f722d7465737473212121")


def operator_test_key(name):
    seed = hashlib.sha256(f"kestrel-sitl-test-operator-key:{name}".encode()).digest()
    return Ed25519PrivateKey.from_private_bytes(seed)


def key_id(private):
    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).digest()[:8]


def signed_bytes(vehicle_id, nonce, lat, lon, alt, expiry_us, decision):
    return DOMAIN + struct.pack("<Q", vehicle_id) + bytes(nonce) + struct.pack("<iiiQB", lat, lon, alt, expiry_us,
                                                                                decision)


def send_approval(conn, request, private, decision=APPROVE, nonce=None):
    nonce = bytes(request.nonce) if nonce is None else nonce
    sig = private.sign(signed_bytes(request.vehicle_id, nonce, request.lat, request.lon, request.alt,
                                    request.expiry_us, decision))
    conn.mav.terminal_approval_send(VEHICLE, 1, nonce, request.vehicle_id, request.lat, request.lon, request.alt,
                                    request.expiry_us, decision, key_id(private), sig)


def write_key_file(path, data, mode=0o600):
    path.write_bytes(data)
    path.chmod(mode)
    return path


class Sim:
    def __init__(self, kestrel, tmp_path, key_file=None, extra=()):
        self.port = free_udp_port()
        args = [str(kestrel), "sim", SCENARIO, "--realtime", "--speed", str(SPEED), "--duration-s", "300",
                "--mavlink", f"udpin:127.0.0.1:{self.port}", "--log-dir", str(tmp_path / "logs"), *extra]
        if key_file is not None:
            args += ["--mavlink-key", str(key_file)]
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        return self.proc.communicate(timeout=20)


@pytest.fixture
def sims(kestrel, tmp_path):
    started = []

    def start(**kw):
        s = Sim(kestrel, tmp_path, **kw)
        started.append(s)
        return s
    yield start
    for s in started:
        s.stop()


class Ground:
    """A pymavlink ground station that keeps sending GCS heartbeats (2 Hz) while it waits, so the vehicle on udpin
    knows where to send and its link-loss failsafe stays quiet."""

    def __init__(self, dialect, port, key=None):
        self.conn = connect(dialect, f"udpout:127.0.0.1:{port}", key)
        self.next_beat = 0.0

    def beat(self):
        if time.time() >= self.next_beat:
            self.conn.mav.heartbeat_send(mavutil.mavlink.MAV_TYPE_GCS, mavutil.mavlink.MAV_AUTOPILOT_INVALID, 0, 0, 0)
            self.next_beat = time.time() + 0.5

    def recv(self, kind, timeout, condition=lambda m: True):
        deadline = time.time() + timeout
        while time.time() < deadline:
            self.beat()
            msg = self.conn.recv_match(type=kind, blocking=True, timeout=0.1)
            if msg is not None and msg.get_srcSystem() == VEHICLE and condition(msg):
                return msg
        return None

    def command(self, cmd, *params, timeout=5):
        p = list(params) + [0] * (7 - len(params))
        self.conn.mav.command_long_send(VEHICLE, 1, cmd, 0, *p)
        return self.recv("COMMAND_ACK", timeout, lambda m: m.command == cmd)


def wait_request(ground, timeout=90):
    return ground.recv("TERMINAL_APPROVAL_REQUEST", timeout)


# ---------------------------------------------------------------------------------------------------------------
# 1. Message signing on the sim link


def test_signed_sim_link_acts_only_on_validly_signed_commands(dialect, sims, tmp_path):
    sim = sims(key_file=write_key_file(tmp_path / "link.key", LINK_KEY.hex().encode() + b"\n"))
    signed = Ground(dialect, sim.port, key=LINK_KEY)
    hb = signed.recv("HEARTBEAT", 30)
    assert hb is not None, "no verified HEARTBEAT from the signed sim"
    assert hb.get_signed()  # pymavlink verified the vehicle's signature with the shared key
    assert signed.recv("HEARTBEAT", 60, lambda m: m.custom_mode == MODE_MISSION) is not None

    # Unsigned ground station: RTL is denied and changes nothing; a read-only request is still answered.
    unsigned = Ground(dialect, sim.port)
    ack = unsigned.command(mavutil.mavlink.MAV_CMD_NAV_RETURN_TO_LAUNCH)
    assert ack is not None and ack.result == mavutil.mavlink.MAV_RESULT_DENIED
    unsigned.conn.mav.param_request_read_send(VEHICLE, 1, b"RTL_ALT_M", -1)
    assert unsigned.recv("PARAM_VALUE", 5, lambda m: m.param_id == "RTL_ALT_M") is not None

    # Wrong key: its frames fail verification (it cannot even read the vehicle's, so no ack is expected).
    wrong = Ground(dialect, sim.port, key=bytes(32))
    wrong.conn.mav.command_long_send(VEHICLE, 1, mavutil.mavlink.MAV_CMD_NAV_RETURN_TO_LAUNCH, 0, 0, 0, 0, 0, 0, 0, 0)
    wrong.conn.mav.command_long_send(VEHICLE, 1, mavutil.mavlink.MAV_CMD_NAV_RETURN_TO_LAUNCH, 0, 0, 0, 0, 0, 0, 0, 0)
    wrong.beat()
    # Still flying the mission a couple of (simulated) seconds later: neither refused command changed the mode.
    time.sleep(1.0)
    for _ in range(3):
        hb = signed.recv("HEARTBEAT", 5)
        assert hb is not None and hb.custom_mode == MODE_MISSION, f"mode changed to {hb and hb.custom_mode}"

    # The same command, validly signed, acts.
    ack = signed.command(mavutil.mavlink.MAV_CMD_NAV_RETURN_TO_LAUNCH)
    assert ack is not None and ack.result == mavutil.mavlink.MAV_RESULT_ACCEPTED
    assert signed.recv("HEARTBEAT", 5, lambda m: m.custom_mode == MODE_RTL) is not None


def test_sim_refuses_a_key_file_others_can_read(kestrel, tmp_path):
    key = write_key_file(tmp_path / "open.key", LINK_KEY.hex().encode(), mode=0o644)
    proc = subprocess.run([str(kestrel), "sim", SCENARIO, "--mavlink", "udpin:127.0.0.1:1", "--mavlink-key", str(key),
                           "--no-log"], capture_output=True, text=True, timeout=60)
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "chmod 600" in lines[0] and str(key) in lines[0], proc.stderr


# ---------------------------------------------------------------------------------------------------------------
# 2. Approval end to end over the (signed) link


def test_approval_over_the_link_enters_terminal_and_bad_ones_are_refused_with_reason(dialect, sims, tmp_path):
    sim = sims(key_file=write_key_file(tmp_path / "link.key", LINK_KEY))
    ground = Ground(dialect, sim.port, key=LINK_KEY)
    request = wait_request(ground)
    assert request is not None, "no TERMINAL_APPROVAL_REQUEST from the simulated vehicle"
    assert (request.lat, request.lon) == DESIGNATION[:2]
    # 0 m above home, and home is where the vehicle's own estimate put the launcher: within metres of [origin].
    assert abs(request.alt - DESIGNATION[2]) < 5_000
    # The request's own clock fields: issued ~110 s into the run; the gate time it reports lies inside its lifetime.
    assert request.issued_us <= request.gate_time_us < request.expiry_us
    assert request.expiry_us - request.issued_us == 60_000_000  # MissionSetup's default request lifetime
    nonce = bytes(request.nonce)
    status = ground.recv("TERMINAL_STATUS", 5, lambda m: bytes(m.nonce) == nonce)
    assert status.gate_state == GATE_PENDING and status.last_rejection == REJECTION_NONE
    count0 = status.rejection_count
    assert ground.recv("HEARTBEAT", 5).custom_mode == MODE_LOITER

    # A perfectly good Ed25519 approval by alice, but in an unsigned MAVLink frame: dropped by the link's signing
    # policy before the gate sees it, so nothing changes, not even the refusal count.
    unsigned = Ground(dialect, sim.port)
    send_approval(unsigned.conn, request, operator_test_key("alice"))
    for _ in range(3):
        status = ground.recv("TERMINAL_STATUS", 5)
        assert status.gate_state == GATE_PENDING and status.rejection_count == count0
    assert ground.recv("HEARTBEAT", 5).custom_mode == MODE_LOITER

    # Forged: signed by a key the vehicle does not know.
    send_approval(ground.conn, request, operator_test_key("mallory"))
    status = ground.recv("TERMINAL_STATUS", 5, lambda m: m.rejection_count == count0 + 1)
    assert status is not None, "forged approval not reported"
    assert status.last_rejection == REJECTION_UNKNOWN_KEY and status.gate_state == GATE_PENDING

    # Wrong nonce: a valid signature by alice over another nonce.
    wrong_nonce = bytes(b ^ 0x5A for b in nonce)
    send_approval(ground.conn, request, operator_test_key("alice"), nonce=wrong_nonce)
    status = ground.recv("TERMINAL_STATUS", 5, lambda m: m.rejection_count == count0 + 2)
    assert status is not None, "wrong-nonce approval not reported"
    assert status.last_rejection == REJECTION_OTHER_NONCE and status.gate_state == GATE_PENDING
    assert ground.recv("HEARTBEAT", 5).custom_mode == MODE_LOITER

    # The real thing, by bob.
    send_approval(ground.conn, request, operator_test_key("bob"))
    status = ground.recv("TERMINAL_STATUS", 5, lambda m: m.gate_state == GATE_TERMINAL)
    assert status is not None, "gate never went terminal"
    assert bytes(status.nonce) == nonce and status.rejection_count == count0 + 2
    assert ground.recv("HEARTBEAT", 5, lambda m: m.custom_mode == MODE_TERMINAL) is not None
    # The request is answered: no more copies of it.
    time.sleep(0.5)
    ground.conn.recv_match(type="TERMINAL_APPROVAL_REQUEST", blocking=False)
    assert ground.recv("TERMINAL_APPROVAL_REQUEST", 2) is None


# ---------------------------------------------------------------------------------------------------------------
# 3. `kestrel approve link`


def alice_key_file(tmp_path, name="alice"):
    seed = hashlib.sha256(f"kestrel-sitl-test-operator-key:{name}".encode()).digest()
    path = tmp_path / f"{name}.key"
    path.write_text(f"# SITL test key\n{name} ed25519-private {seed.hex()}\n")
    path.chmod(0o600)
    return path


def test_kestrel_approve_link_drives_the_sim_into_terminal_and_waves_it_off(kestrel, dialect, sims, tmp_path):
    sim = sims(key_file=write_key_file(tmp_path / "link.key", LINK_KEY))
    # A pymavlink observer on the same signed link records, in the background, what the tool achieves.
    observer = Ground(dialect, sim.port, key=LINK_KEY)
    assert observer.recv("HEARTBEAT", 30) is not None
    seen, done = [], threading.Event()

    def watch():
        while not done.is_set():
            observer.beat()
            m = observer.conn.recv_match(type=["TERMINAL_STATUS", "HEARTBEAT"], blocking=True, timeout=0.2)
            if m is None or m.get_srcSystem() != VEHICLE:
                continue
            seen.append(("gate", m.gate_state) if m.get_type() == "TERMINAL_STATUS" else ("mode", m.custom_mode))
    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    tool = subprocess.Popen(
        [str(kestrel), "approve", "link", "--connect", f"udpout:127.0.0.1:{sim.port}", "--key",
         str(alice_key_file(tmp_path)), "--mavlink-key", str(tmp_path / "link.key"), "--timeout-s", "90"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # The tool asks before it signs: the answer waits in its standard input until it has shown the request.
    out, err = tool.communicate("yes\n", timeout=150)
    assert tool.returncode == 0, f"stdout:\n{out}\nstderr:\n{err}"
    assert f"vehicle:    {SITL_VEHICLE_ID}" in out
    assert f"designated: {DESIGNATION[0] * 1e-7:.7f}, {DESIGNATION[1] * 1e-7:.7f}" in out
    assert "Type 'yes' to send" in out
    assert "expires in" in out and "gate time" in out
    assert "approved: gate terminal" in out
    assert "flight mode: terminal" in out

    # At once, before the approach reaches the 30 m abort floor: bob waves it off. No request is pending any more;
    # the tool takes the nonce from TERMINAL_STATUS and the vehicle id from AUTOPILOT_VERSION.
    wave = subprocess.run(
        [str(kestrel), "approve", "link", "--connect", f"udpout:127.0.0.1:{sim.port}", "--key",
         str(alice_key_file(tmp_path, "bob")), "--mavlink-key", str(tmp_path / "link.key"), "--decision", "wave-off",
         "--yes", "--timeout-s", "20"], capture_output=True, text=True, timeout=60)
    if wave.returncode != 0:
        sim_out, _ = sim.stop()
        pytest.fail(f"wave-off failed:\n{wave.stdout}\n{wave.stderr}\nsim:\n{sim_out}")
    assert "terminal approach in progress" in wave.stdout and f"vehicle:    {SITL_VEHICLE_ID}" in wave.stdout
    assert "waved off: gate waving off" in wave.stdout

    # The observer saw it all: the gate pending, terminal, then waving off; the modes loiter, terminal, after it.
    time.sleep(1.0)
    done.set()
    watcher.join(timeout=5)
    gates = [v for k, v in seen if k == "gate"]
    modes = [v for k, v in seen if k == "mode"]
    assert GATE_PENDING in gates and GATE_TERMINAL in gates and GATE_WAVING_OFF in gates, gates
    assert gates.index(GATE_PENDING) < gates.index(GATE_TERMINAL) < gates.index(GATE_WAVING_OFF), gates
    assert MODE_TERMINAL in modes and modes[-1] in (MODE_WAVE_OFF, MODE_LOITER), modes
    assert modes.index(MODE_LOITER) < modes.index(MODE_TERMINAL), modes


def test_kestrel_approve_link_reports_rejection_by_an_unauthorised_key(kestrel, dialect, sims, tmp_path):
    sim = sims()
    tool = subprocess.run(
        [str(kestrel), "approve", "link", "--connect", f"udpout:127.0.0.1:{sim.port}", "--key",
         str(alice_key_file(tmp_path, "mallory")), "--yes", "--timeout-s", "90"],
        capture_output=True, text=True, timeout=150)
    assert tool.returncode != 0
    lines = tool.stderr.strip().splitlines()
    assert lines[-1].startswith("Error: ") and "rejected" in lines[-1] and "not in the authorised" in lines[-1], \
        tool.stderr
    assert "(last_rejection 1)" in lines[-1]


def test_kestrel_approve_link_typed_errors(kestrel, tmp_path):
    def run(*args, **kw):
        return subprocess.run([str(kestrel), "approve", "link", *map(str, args)], capture_output=True, text=True,
                              timeout=30, **kw)

    def one_line_error(proc, *fragments):
        assert proc.returncode != 0
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), proc.stderr
        for f in fragments:
            assert f in lines[0], lines[0]
        return lines[0]

    key = alice_key_file(tmp_path)
    port = free_udp_port()
    # Nobody there: a timeout naming the endpoint.
    one_line_error(run("--connect", f"udpout:127.0.0.1:{port}", "--key", key, "--yes", "--timeout-s", "1"),
                   "no TERMINAL_APPROVAL_REQUEST", f"udpout:127.0.0.1:{port}", "no vehicle heard")
    # Key files: readable by others, missing, a public key instead of a private one, a bad MAVLink key.
    key.chmod(0o644)
    one_line_error(run("--connect", f"udpout:127.0.0.1:{port}", "--key", key, "--timeout-s", "1"), str(key))
    key.chmod(0o600)
    one_line_error(run("--connect", f"udpout:127.0.0.1:{port}", "--key", tmp_path / "none", "--timeout-s", "1"),
                   str(tmp_path / "none"))
    pub = tmp_path / "alice.pub"
    pub.write_text("alice ed25519 " + "00" * 32 + "\n")
    pub.chmod(0o600)
    one_line_error(run("--connect", f"udpout:127.0.0.1:{port}", "--key", pub, "--timeout-s", "1"), str(pub))
    bad = write_key_file(tmp_path / "short.key", b"abcd")
    one_line_error(run("--connect", f"udpout:127.0.0.1:{port}", "--key", key, "--mavlink-key", bad,
                       "--timeout-s", "1"), "--mavlink-key", "expected 32 raw bytes or 64 hex digits")
    one_line_error(run("--connect", "tcp:1.2.3.4:5", "--key", key, "--timeout-s", "1"), "tcp")


class FakeGate(threading.Thread):
    """A pymavlink stand-in for a vehicle whose gate clock runs 5x faster than the wall clock (like a sim at
    --speed 5): it sends HEARTBEAT, a pending TERMINAL_APPROVAL_REQUEST and TERMINAL_STATUS at 5 Hz, each stamped
    with its gate clock. Only what the tool reads from these messages can tell it that the request has expired."""

    def __init__(self, dialect, port, lifetime_gate_s, spoofer=None):
        super().__init__(daemon=True)
        self.conn = connect(dialect, f"udpin:127.0.0.1:{port}")
        self.conn.mav.srcSystem, self.conn.mav.srcComponent = VEHICLE, 1
        self.issued_us = 1_000_000_000
        self.expiry_us = self.issued_us + lifetime_gate_s * 1_000_000
        self.stop = threading.Event()
        self.approvals = []
        # Another system on the same link (system id `spoofer`) announcing itself and a request of its own.
        self.spoofer = spoofer

    def run(self):
        start = time.time()
        while not self.stop.is_set():
            msg = self.conn.recv_match(blocking=True, timeout=0.2)
            if msg is not None and msg.get_type() == "COMMAND_LONG" and msg.command == 512 and msg.param1 == 148:
                # MAV_CMD_REQUEST_MESSAGE AUTOPILOT_VERSION: the tool learns the vehicle id it may sign for.
                self.conn.mav.autopilot_version_send(0, 0, 0, 0, 0, bytes(8), bytes(8), bytes(8), 0, 0,
                                                     SITL_VEHICLE_ID)
                continue
            if msg is None or msg.get_type() not in ("HEARTBEAT", "TERMINAL_APPROVAL"):
                continue
            if msg.get_type() == "TERMINAL_APPROVAL":
                self.approvals.append(msg)
            gate_us = self.issued_us + int((time.time() - start) * 5 * 1_000_000)
            if self.spoofer is not None:
                self.conn.mav.srcSystem = self.spoofer
                self.conn.mav.heartbeat_send(mavutil.mavlink.MAV_TYPE_FIXED_WING,
                                             mavutil.mavlink.MAV_AUTOPILOT_GENERIC, 0, MODE_LOITER,
                                             mavutil.mavlink.MAV_STATE_ACTIVE)
                self.conn.mav.terminal_approval_request_send(
                    bytes(range(100, 116)), 0x5350_4F4F_4621, *DESIGNATION, self.issued_us, self.expiry_us, 9, gate_us)
                self.conn.mav.srcSystem = VEHICLE
            self.conn.mav.heartbeat_send(mavutil.mavlink.MAV_TYPE_FIXED_WING, mavutil.mavlink.MAV_AUTOPILOT_GENERIC,
                                         0, MODE_LOITER, mavutil.mavlink.MAV_STATE_ACTIVE)
            if gate_us < self.expiry_us:
                self.conn.mav.terminal_approval_request_send(
                    bytes(range(16)), SITL_VEHICLE_ID, *DESIGNATION, self.issued_us, self.expiry_us, 1, gate_us)
            self.conn.mav.terminal_status_send(GATE_PENDING if gate_us < self.expiry_us else GATE_IDLE,
                                               REJECTION_NONE, 0, 1, bytes(range(16)), gate_us, 0)


@pytest.fixture
def fake_gate(dialect):
    gates = []

    def start(lifetime_gate_s, spoofer=None):
        g = FakeGate(dialect, free_udp_port(), lifetime_gate_s, spoofer)
        g.port = g.conn.port.getsockname()[1]
        g.start()
        gates.append(g)
        return g
    yield start
    for g in gates:
        g.stop.set()
        g.join(timeout=5)


def test_kestrel_approve_link_judges_expiry_by_the_vehicles_gate_clock(kestrel, fake_gate, tmp_path):
    # 10 s of gate time = 2 s of wall time: the operator has not answered when the gate's clock passes the expiry.
    gate = fake_gate(10)
    tool = subprocess.Popen([str(kestrel), "approve", "link", "--connect", f"udpout:127.0.0.1:{gate.port}", "--key",
                             str(alice_key_file(tmp_path)), "--timeout-s", "20"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        tool.wait(timeout=30)  # its standard input stays open and silent
    finally:
        if tool.poll() is None:
            tool.kill()
        tool.stdin.close()
    out, err = tool.stdout.read(), tool.stderr.read()
    assert tool.returncode != 0
    assert "expiry_us:  1010000000, expires in" in out
    lines = err.strip().splitlines()
    assert lines[-1].startswith("Error: request expired") and "gate clock" in lines[-1], err
    assert gate.approvals == [], "nothing may be sent for an expired request"


def test_kestrel_approve_link_sends_nothing_unless_confirmed(kestrel, fake_gate, tmp_path):
    gate = fake_gate(300)
    tool = subprocess.run([str(kestrel), "approve", "link", "--connect", f"udpout:127.0.0.1:{gate.port}", "--key",
                           str(alice_key_file(tmp_path)), "--timeout-s", "20"],
                          input="no\n", capture_output=True, text=True, timeout=30)
    assert tool.returncode != 0
    assert tool.stderr.strip().splitlines()[-1] == "Error: not confirmed: nothing sent"
    time.sleep(0.5)
    assert gate.approvals == []


def test_kestrel_approve_link_listens_to_one_vehicle_only(kestrel, fake_gate, tmp_path):
    """A second system on the link (system 42, which speaks first on every exchange) announces itself and a request
    of its own: with --target-system the tool answers only the pinned vehicle's request, for that vehicle's id."""
    gate = fake_gate(300, spoofer=42)
    tool = subprocess.run([str(kestrel), "approve", "link", "--connect", f"udpout:127.0.0.1:{gate.port}", "--key",
                           str(alice_key_file(tmp_path)), "--timeout-s", "20", "--yes", "--target-system",
                           str(VEHICLE)], capture_output=True, text=True, timeout=40)
    assert "from MAVLink system 1" in tool.stdout, tool.stdout + tool.stderr
    assert f"vehicle:    {SITL_VEHICLE_ID}" in tool.stdout
    assert gate.approvals, "nothing sent"
    assert all(bytes(a.nonce) == bytes(range(16)) and a.vehicle_id == SITL_VEHICLE_ID for a in gate.approvals)
    # Without --target-system the first vehicle heard is pinned; a request of another vehicle id than the pinned
    # system's AUTOPILOT_VERSION uid is refused (the spoofer's own system reports none, so nothing is signed).
    spoofed = fake_gate(300, spoofer=42)
    tool = subprocess.run([str(kestrel), "approve", "link", "--connect", f"udpout:127.0.0.1:{spoofed.port}", "--key",
                           str(alice_key_file(tmp_path)), "--timeout-s", "3", "--yes"],
                          capture_output=True, text=True, timeout=40)
    assert tool.returncode != 0
    assert spoofed.approvals == [], tool.stdout + tool.stderr
