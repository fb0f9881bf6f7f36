"""Interop: the operator's whole flow against the flight daemon itself, `kestrel fly --emulated --plant`, and against
`kestrel sim --realtime`, on a signed link: the SITL plant flies behind the register-level emulators while pymavlink
2.4.50 (Kestrel dialect compiled by pymavlink's own mavgen) and `kestrel approve link` act as the ground station.

Arm, catapult, climb into the orbit over the designation (Scenarios/missions/gate-bench.toml); ask for the terminal
phase over the link (MAV_CMD_KESTREL_REQUEST_TERMINAL), refused while not yet loitering over the designation; a
forged approval refused; approval with `kestrel approve link`; wave-off with it; a replayed approval refused; a new
request and approval with `kestrel approve link --request`; a stale approval (of a superseded request) refused.
Operator keys come from `kestrel approve keygen`; the approvals pymavlink sends are signed here with Python's
`cryptography` from the documented message layout, not by Kestrel.

    KESTREL_BIN_DIR=$(swift build --show-bin-path) .venv/bin/python -m pytest Tests/Interop/test_fly_operator_flow.py
"""
import os
import pathlib
import subprocess
import time

os.environ["MAVLINK20"] = "1"  # before pymavlink is imported

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402
from pymavlink import mavutil  # noqa: E402

from test_mavlink_link import dialect, free_udp_port  # noqa: E402,F401
from test_sim_link_approval import (  # noqa: E402
    APPROVE, GATE_IDLE, GATE_PENDING, GATE_TERMINAL, LINK_KEY, MODE_TERMINAL, MODE_WAVE_OFF, Ground,
    alice_key_file, key_id, signed_bytes, write_key_file)

REPO = pathlib.Path(__file__).resolve().parents[2]
VEHICLE_ID = 0x4B45_5354_0000_0001  # the bench id (FlightDaemonOptions.sitlVehicleID)
REQUEST_TERMINAL = 53201  # MAV_CMD_KESTREL_REQUEST_TERMINAL
# kestrel.xml KESTREL_TERMINAL_REJECTION
UNKNOWN_KEY, REPLAYED, NOT_PENDING, OTHER_NONCE, NOT_LOITERING = 1, 4, 5, 6, 10


def private_key_of(path):
    """The Ed25519 key of a `kestrel approve keygen` private key file ("NAME ed25519-private HEX")."""
    line = [l for l in path.read_text().splitlines() if l and not l.startswith("#")][0]
    return Ed25519PrivateKey.from_private_bytes(bytes.fromhex(line.split()[2]))


def approval_send(ground, request, private, decision=APPROVE):
    sig = private.sign(signed_bytes(request.vehicle_id, bytes(request.nonce), request.lat, request.lon, request.alt,
                                    request.expiry_us, decision))
    ground.conn.mav.terminal_approval_send(1, 1, bytes(request.nonce), request.vehicle_id, request.lat, request.lon,
                                           request.alt, request.expiry_us, decision, key_id(private), sig)


def status_after(ground, rejections_before, timeout=5):
    """The first TERMINAL_STATUS whose rejection count moved past `rejections_before`."""
    return ground.recv("TERMINAL_STATUS", timeout, lambda m: m.rejection_count != rejections_before)


def operator_flow(ground, tool, alice, mallory, vehicle_id):
    """The flow itself, against whichever vehicle `ground` talks to; `tool(*args)` runs `kestrel approve link`."""
    def gate(condition, timeout):
        return ground.recv("TERMINAL_STATUS", timeout, condition)

    # Armed (by the operator on the daemon, by itself in SITL); the catapult fires after the arm.
    deadline = time.time() + 40
    armed = mavutil.mavlink.MAV_MODE_FLAG_SAFETY_ARMED
    while ground.recv("HEARTBEAT", 1, lambda m: m.base_mode & armed) is None:
        ground.command(mavutil.mavlink.MAV_CMD_COMPONENT_ARM_DISARM, 1, timeout=1)
        assert time.time() < deadline, "the vehicle never armed"

    # On the catapult or climbing out: the gate refuses to issue a request until the vehicle loiters over the
    # designation, and says why.
    ack = ground.command(REQUEST_TERMINAL)
    assert ack is not None and ack.result == mavutil.mavlink.MAV_RESULT_DENIED, ack
    assert gate(lambda m: m.last_rejection == NOT_LOITERING, 5) is not None, "no reason in TERMINAL_STATUS"

    # Once in the orbit over the designation the request is issued.
    deadline = time.time() + 120
    while True:
        ack = ground.command(REQUEST_TERMINAL)
        if ack is not None and ack.result == mavutil.mavlink.MAV_RESULT_ACCEPTED:
            break
        assert time.time() < deadline, "never loitering over the designation"
        time.sleep(2)
    first = ground.recv("TERMINAL_APPROVAL_REQUEST", 5)
    assert first is not None and first.vehicle_id == vehicle_id

    # Forged: signed by a key the vehicle does not authorise.
    pending = gate(lambda m: m.gate_state == GATE_PENDING, 5)
    approval_send(ground, first, mallory)
    status = status_after(ground, pending.rejection_count)
    assert status is not None and status.last_rejection == UNKNOWN_KEY and status.gate_state == GATE_PENDING

    # Approved with the operator tool: terminal.
    r = tool()
    assert r.returncode == 0, r.stdout + r.stderr
    assert "approved: gate terminal" in r.stdout
    assert ground.recv("HEARTBEAT", 5, lambda m: m.custom_mode == MODE_TERMINAL) is not None

    # Waved off with the tool (still far above the abort floor): the vehicle climbs back to its orbit.
    r = tool("--decision", "wave-off")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "waved off" in r.stdout
    assert ground.recv("HEARTBEAT", 5, lambda m: m.custom_mode == MODE_WAVE_OFF) is not None
    idle = gate(lambda m: m.gate_state == GATE_IDLE, 120)
    assert idle is not None, "the orbit was never re-established after the wave-off"

    # Replayed: the approval of the first request, used once already, byte for byte (Ed25519 signs
    # deterministically). The link's screen drops a copy of an approval it handed over recently and says so; an
    # older one reaches the gate, which refuses the used nonce. Either way nothing moves.
    approval_send(ground, first, alice)
    deadline = time.time() + 5
    refused = None
    while refused is None and time.time() < deadline:
        msg = ground.recv(["STATUSTEXT", "TERMINAL_STATUS"], 1)
        if msg is None:
            continue
        if msg.get_type() == "STATUSTEXT" and "approval dropped: already handed to the gate" in msg.text:
            refused = msg.text
        elif msg.get_type() == "TERMINAL_STATUS" and msg.rejection_count != idle.rejection_count:
            assert msg.last_rejection == REPLAYED, msg
            refused = "gate: replayed"
    assert refused is not None, "the replay was neither dropped nor refused"
    assert gate(lambda m: True, 3).gate_state == GATE_IDLE

    # A second request, left unanswered, then the tool asks for a third and approves it.
    ack = ground.command(REQUEST_TERMINAL)
    assert ack is not None and ack.result == mavutil.mavlink.MAV_RESULT_ACCEPTED, ack
    second = ground.recv("TERMINAL_APPROVAL_REQUEST", 5, lambda m: bytes(m.nonce) != bytes(first.nonce))
    assert second is not None
    r = tool("--request")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "the vehicle issued a request" in r.stdout and "approved: gate terminal" in r.stdout
    terminal = gate(lambda m: m.gate_state == GATE_TERMINAL, 5)
    assert terminal is not None and bytes(terminal.nonce) != bytes(second.nonce)

    # Stale: an authentic approval of the superseded second request changes nothing.
    approval_send(ground, second, alice)
    status = status_after(ground, terminal.rejection_count)
    assert status is not None and status.last_rejection in (NOT_PENDING, OTHER_NONCE)
    assert status.gate_state == GATE_TERMINAL and bytes(status.nonce) == bytes(terminal.nonce)


def link_tool(kestrel, port, key, link_key):
    def tool(*args):
        return subprocess.run(
            [str(kestrel), "approve", "link", "--connect", f"udpout:127.0.0.1:{port}", "--key", str(key),
             "--mavlink-key", str(link_key), "--yes", "--timeout-s", "30", *args],
            capture_output=True, text=True, timeout=60)
    return tool


def operator_keys(kestrel, tmp_path):
    """alice's and mallory's keys from `kestrel approve keygen` in tmp_path/keys, an authorised-operator file naming
    only alice, and the link's signing key file: (keys directory, authorised file, link key file)."""
    keys = tmp_path / "keys"
    keys.mkdir()
    for name in ("alice", "mallory"):
        subprocess.run([str(kestrel), "approve", "keygen", "--out", str(keys / name)], check=True,
                       capture_output=True, text=True)
    authorised = tmp_path / "operators.keys"
    authorised.write_text((keys / "alice.pub").read_text())  # mallory is not authorised
    return keys, authorised, write_key_file(tmp_path / "link.key", LINK_KEY.hex().encode() + b"\n")


def test_fly_operator_flow_request_approve_wave_off_reapprove(kestrel, dialect, tmp_path):  # noqa: F811
    keys, authorised, link_key = operator_keys(kestrel, tmp_path)

    port = free_udp_port()
    fly = subprocess.Popen(
        [str(kestrel), "fly", "--board", "Hardware/boards/sitl.toml", "--emulated", "--emulated-switch-armed",
         "--plant", "Scenarios/bench/plant.toml", "--launch-delay-s", "2", "--operators", str(authorised),
         "--signing-key", str(link_key), "--mavlink", f"udpin:127.0.0.1:{port}", "--seconds", "400", "--no-log"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        operator_flow(Ground(dialect, port, key=LINK_KEY), link_tool(kestrel, port, keys / "alice", link_key),
                      private_key_of(keys / "alice"), private_key_of(keys / "mallory"), VEHICLE_ID)
    finally:
        if fly.poll() is None:
            fly.terminate()
        out, err = fly.communicate(timeout=30)
    assert fly.returncode == 0, out + err
    assert "signed" in out and "unsigned" not in out


def test_sim_operator_flow_request_approve_wave_off_reapprove(kestrel, dialect, tmp_path):  # noqa: F811
    """The same flow against `kestrel sim --realtime`: the same vehicle host on simulated time. SITL's authorised
    operators are the test keys (alice, bob); mallory is not one of them."""
    link_key = write_key_file(tmp_path / "link.key", LINK_KEY.hex().encode() + b"\n")
    alice_file = alice_key_file(tmp_path)
    port = free_udp_port()
    sim = subprocess.Popen(
        [str(kestrel), "sim", "Scenarios/bench/plant.toml", "--realtime", "--speed", "3", "--duration-s", "900",
         "--mavlink", f"udpin:127.0.0.1:{port}", "--mavlink-key", str(link_key), "--no-log"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        operator_flow(Ground(dialect, port, key=LINK_KEY), link_tool(kestrel, port, alice_file, link_key),
                      private_key_of(alice_file), Ed25519PrivateKey.generate(), VEHICLE_ID)
    finally:
        if sim.poll() is None:
            sim.kill()
        sim.communicate(timeout=30)


def test_fly_refuses_an_unsigned_link_and_the_bench_vehicle_id_on_a_flight_board(kestrel, tmp_path):  # noqa: F811
    def fly(*args):
        return subprocess.run([str(kestrel), "fly", *args, "--seconds", "1", "--no-log"], cwd=REPO,
                              capture_output=True, text=True, timeout=60)

    # Emulated: unsigned only when asked for by name.
    r = fly("--board", "Hardware/boards/sitl.toml", "--emulated", "--mavlink", "udpout:127.0.0.1:9")
    assert r.returncode != 0 and "--insecure-link" in r.stderr and "signing" in r.stderr, r.stderr
    r = fly("--board", "Hardware/boards/sitl.toml", "--emulated", "--insecure-link", "--mavlink", "udpout:127.0.0.1:9")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "unsigned" in r.stdout
    # A flight board: --insecure-link does not exist for it, and the bench vehicle id is refused before any device.
    r = fly("--board", "Hardware/boards/rpi4-pca9685.toml", "--insecure-link", "--mavlink", "udpout:127.0.0.1:9")
    assert r.returncode != 0 and "--insecure-link only with --emulated" in r.stderr, r.stderr
    r = fly("--board", "Hardware/boards/rpi4-pca9685.toml", "--mavlink", "udpout:127.0.0.1:9")
    assert r.returncode != 0 and "SITL and bench id" in r.stderr, r.stderr
    r = fly("--board", "Hardware/boards/rpi4-pca9685.toml", "--vehicle-id", "0x4B45535400000042", "--mavlink",
            "udpout:127.0.0.1:9")
    assert r.returncode != 0 and "must be signed" in r.stderr and "--signing-key" in r.stderr, r.stderr
    # The plant flies only behind emulated devices.
    r = fly("--board", "Hardware/boards/rpi4-pca9685.toml", "--plant", "Scenarios/bench/plant.toml")
    assert r.returncode != 0 and "--plant" in r.stderr and "--emulated" in r.stderr, r.stderr
    sitl = ("--board", "Hardware/boards/sitl.toml", "--emulated", "--plant", "Scenarios/bench/plant.toml")
    r = fly(*sitl, "--launch-delay-s=-1")
    assert r.returncode != 0 and "--launch-delay-s must be between 0 and 3600" in r.stderr, r.stderr
    r = fly(*sitl, "--airframe", "Hardware/airframes/kestrel-wing-1p4.toml")
    assert r.returncode != 0 and "is not the plant's airframe" in r.stderr, r.stderr
    r = fly("--board", "Hardware/boards/sitl.toml", "--emulated", "--plant", "Hardware/boards/sitl.toml")
    assert r.returncode != 0 and "--plant: Hardware/boards/sitl.toml" in r.stderr, r.stderr
