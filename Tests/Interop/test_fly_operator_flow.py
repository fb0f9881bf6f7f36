"""Interop: the operator's whole flow against the flight daemon itself, `kestrel fly --emulated --plant`, on a signed
link: the SITL plant flies in real time behind the register-level emulators while pymavlink 2.4.50 (Kestrel dialect
compiled by pymavlink's own mavgen) and `kestrel approve link` act as the ground station.

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
    APPROVE, GATE_IDLE, GATE_PENDING, GATE_TERMINAL, GATE_WAVING_OFF, LINK_KEY, MODE_TERMINAL, MODE_WAVE_OFF,
    Ground, key_id, signed_bytes, write_key_file)

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


def test_fly_operator_flow_request_approve_wave_off_reapprove(kestrel, dialect, tmp_path):  # noqa: F811
    keys = tmp_path / "keys"
    keys.mkdir()
    for name in ("alice", "mallory"):
        subprocess.run([str(kestrel), "approve", "keygen", "--out", str(keys / name)], check=True,
                       capture_output=True, text=True)
    authorised = tmp_path / "operators.keys"
    authorised.write_text((keys / "alice.pub").read_text())  # mallory is not authorised
    link_key = write_key_file(tmp_path / "link.key", LINK_KEY.hex().encode() + b"\n")
    alice, mallory = private_key_of(keys / "alice"), private_key_of(keys / "mallory")

    port = free_udp_port()
    fly = subprocess.Popen(
        [str(kestrel), "fly", "--board", "Hardware/boards/sitl.toml", "--emulated", "--emulated-switch-armed",
         "--plant", "Scenarios/bench/plant.toml", "--launch-delay-s", "2", "--operators", str(authorised),
         "--signing-key", str(link_key), "--mavlink", f"udpin:127.0.0.1:{port}", "--seconds", "400", "--no-log"],
        cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ground = Ground(dialect, port, key=LINK_KEY)

    def tool(*args, timeout=60):
        return subprocess.run(
            [str(kestrel), "approve", "link", "--connect", f"udpout:127.0.0.1:{port}", "--key", str(keys / "alice"),
             "--mavlink-key", str(link_key), "--yes", "--timeout-s", "30", *args],
            capture_output=True, text=True, timeout=timeout)

    def gate(condition, timeout):
        return ground.recv("TERMINAL_STATUS", timeout, condition)

    try:
        # Arm (the estimator needs a few seconds for its origin); the catapult fires 2 s later.
        deadline = time.time() + 40
        while True:
            ack = ground.command(mavutil.mavlink.MAV_CMD_COMPONENT_ARM_DISARM, 1, timeout=2)
            if ack is not None and ack.result == mavutil.mavlink.MAV_RESULT_ACCEPTED:
                break
            assert time.time() < deadline, "the bench vehicle never armed"
            time.sleep(1)

        # Climbing out: the gate refuses to issue a request until the vehicle loiters over the designation.
        ack = ground.command(REQUEST_TERMINAL)
        assert ack is not None and ack.result == mavutil.mavlink.MAV_RESULT_DENIED, ack
        refused = gate(lambda m: m.last_rejection == NOT_LOITERING, 5)
        assert refused is not None, "the refusal's reason never showed in TERMINAL_STATUS"

        # Once in the orbit over the designation the request is issued.
        deadline = time.time() + 120
        while True:
            ack = ground.command(REQUEST_TERMINAL)
            if ack is not None and ack.result == mavutil.mavlink.MAV_RESULT_ACCEPTED:
                break
            assert time.time() < deadline, "never loitering over the designation"
            time.sleep(2)
        first = ground.recv("TERMINAL_APPROVAL_REQUEST", 5)
        assert first is not None and first.vehicle_id == VEHICLE_ID

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

        # Replayed: the approval of the first request, used once already.
        approval_send(ground, first, alice)
        status = status_after(ground, idle.rejection_count)
        assert status is not None and status.last_rejection == REPLAYED and status.gate_state == GATE_IDLE

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
    finally:
        if fly.poll() is None:
            fly.terminate()
        out, err = fly.communicate(timeout=30)
    assert fly.returncode == 0, out + err
    assert "signed" in out and "unsigned" not in out


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
