"""The host's side of the virtual flight board's install test (Tools/vm/run): what a rig engineer does to a board
that runs the packaged daemon under systemd, done to a QEMU guest.

- A u-blox receiver on the guest's second UART (ttyS1, QEMU's 16550): UBX NAV-PVT at 5 Hz, a 3D fix at rest at the
  bench origin, written into QEMU's chardev socket. Like a real receiver it transmits whether anyone listens: a
  frame the socket cannot take now is dropped, not queued.
- Once the guest says the daemon is READY (PAYLOAD/guest-ready), a pymavlink ground station on the signed link
  (the key the .deb generated, through QEMU's user network: the daemon sends to 10.0.2.2, the host) arms it:
  refused while the arm switch (a gpio-sim line) is SAFE, accepted once it is flipped to ARM over SSH; the PCA9685's
  registers hold the neutral pulses on the launcher; a catapult stroke played into the IMU's FIFO starts the launch
  and the outputs move (throttle up); the switch back to SAFE in flight cuts them to the safe pulses after the hold.
- Tools/deploy over SSH (QEMU forwards a loopback port to the guest's sshd) installs a newer .deb: the daemon is
  restarted by the upgrade, READY again, and keeps its signing key.

Each check is one PASS/FAIL line in PAYLOAD/host-results.txt; PAYLOAD/host-done tells the guest to go on (stop the
daemon with SIGTERM and check the safe pulses). Run by Tools/vm/run with the .venv's Python (pymavlink).
"""
import argparse
import os
import pathlib
import socket
import struct
import subprocess
import sys
import threading
import time

os.environ["MAVLINK20"] = "1"  # before pymavlink is imported
from pymavlink import mavutil  # noqa: E402

REPO = pathlib.Path(__file__).resolve().parents[2]
# The bench origin (Scenarios/bench/plant.toml), where Tools/vm/payload/vm-mission.toml is laid out.
LAT_DEG, LON_DEG, HEIGHT_M = 47.397742, 8.545594, 488.0
ARM_DISARM = 400  # MAV_CMD_COMPONENT_ARM_DISARM
ARMED_FLAG, AUTO_FLAG = 128, 4  # MAV_MODE_FLAG_SAFETY_ARMED, MAV_MODE_FLAG_AUTO_ENABLED
# PCA9685 at 50 Hz (PRE_SCALE 121): 4096 counts per 20 ms frame.
US_PER_COUNT = 20_000 / 4096
SAFE_US = [1500, 1500, 1000, 1500]  # Tools/vm/payload/vm-board.toml.in: aileron, elevator, throttle, rudder


def near(pulses_us, wanted_us, tolerance_us=6):
    """Pulses equal within the PCA9685's 4.9 µs step and its 50 Hz prescaler's rounding."""
    return len(pulses_us) == len(wanted_us) and all(abs(p - w) <= tolerance_us for p, w in zip(pulses_us, wanted_us))


class Results:
    def __init__(self, path):
        self.file = open(path, "a", buffering=1)
        self.failed = 0

    def check(self, name, ok, detail=""):
        line = f"{'PASS' if ok else 'FAIL'} host: {name}" + (f": {detail}" if detail and not ok else "")
        if not ok:
            self.failed += 1
        self.file.write(line + "\n")
        print(line + (f" ({detail})" if detail and ok else ""), flush=True)
        return ok

    def info(self, text):
        self.file.write(f"INFO host: {text}\n")
        print(f"INFO host: {text}", flush=True)


# --- the GPS receiver --------------------------------------------------------------------------------------------

def ubx_frame(cls, msg_id, payload):
    body = bytes([cls, msg_id]) + struct.pack("<H", len(payload)) + payload
    a = b = 0
    for byte in body:
        a = (a + byte) & 0xFF
        b = (b + a) & 0xFF
    return b"\xb5\x62" + body + bytes([a, b])


def nav_pvt(itow_ms):
    """UBX NAV-PVT (u-blox 8 interface description, 92 bytes): a 3D fix at rest, date and time valid and resolved."""
    t = time.gmtime()
    p = bytearray(92)
    struct.pack_into("<IHBBBBBB", p, 0, itow_ms, t.tm_year, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, 0x07)
    struct.pack_into("<I", p, 12, 50)                          # tAcc ns
    struct.pack_into("<BBBB", p, 20, 3, 0x01, 0x00, 14)         # fixType 3D, gnssFixOK, flags2, numSV
    struct.pack_into("<iiii", p, 24, round(LON_DEG * 1e7), round(LAT_DEG * 1e7), round(HEIGHT_M * 1e3),
                     round((HEIGHT_M - 48.0) * 1e3))             # lon, lat, height (ellipsoid), hMSL
    struct.pack_into("<II", p, 40, 900, 1400)                   # hAcc, vAcc mm
    struct.pack_into("<iiiii", p, 48, 0, 0, 0, 0, 0)            # velN, velE, velD, gSpeed mm/s, headMot
    struct.pack_into("<II", p, 68, 150, 1_000_000)              # sAcc mm/s, headAcc 1e-5 deg
    struct.pack_into("<H", p, 76, 110)                          # pDOP 0.01
    return ubx_frame(0x01, 0x07, bytes(p))


def play_gps(socket_path, stop):
    """NAV-PVT at 5 Hz into QEMU's socket for ttyS1 until `stop` is set."""
    sock = None
    while not stop.is_set() and sock is None:
        try:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(socket_path)
        except OSError:
            sock = None
            time.sleep(0.2)
    if sock is None:
        return
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    sock.setblocking(False)
    itow = 0
    while not stop.is_set():
        try:
            sock.send(nav_pvt(itow))
        except BlockingIOError:
            pass  # nobody reads the UART yet: a receiver's bytes are lost, not queued
        except OSError:
            return  # QEMU went away
        itow += 200
        time.sleep(0.2)


# --- the guest over SSH --------------------------------------------------------------------------------------------

class Guest:
    def __init__(self, ssh_config):
        self.ssh_config = ssh_config

    def run(self, command, timeout=60):
        r = subprocess.run(["ssh", "-F", self.ssh_config, "kestrel-vm", command], capture_output=True, text=True,
                           timeout=timeout)
        return r.returncode, r.stdout.strip(), r.stderr.strip()

    def output(self, command):
        status, out, err = self.run(command)
        if status != 0:
            raise RuntimeError(f"ssh '{command}' exited {status}: {err}")
        return out

    def pulses_us(self, bus):
        """The PCA9685's LED0…LED3 OFF counts as pulse widths (µs). Byte by byte: i2c-stub keeps a word of its own
        per register, apart from the bytes the daemon's block writes set."""
        registers = [0x08 + 4 * c + half for c in range(4) for half in (0, 1)]
        out = self.output("; ".join(f"i2cget -y {bus} 0x40 {r:#04x}" for r in registers)).split()
        counts = [int(out[i], 16) | (int(out[i + 1], 16) & 0x0F) << 8 for i in range(0, len(out), 2)]
        return [round(count * US_PER_COUNT) for count in counts]


# --- the ground station ------------------------------------------------------------------------------------------

class Ground:
    def __init__(self, port, key):
        self.conn = mavutil.mavlink_connection(f"udpin:0.0.0.0:{port}", source_system=255, source_component=190)
        self.conn.setup_signing(key, sign_outgoing=True)
        self.vehicle = None
        self.next_beat = 0.0
        self.texts = []

    def beat(self):
        if self.vehicle is not None and time.time() >= self.next_beat:
            self.conn.mav.heartbeat_send(mavutil.mavlink.MAV_TYPE_GCS, mavutil.mavlink.MAV_AUTOPILOT_INVALID, 0, 0, 0)
            self.next_beat = time.time() + 0.5

    def recv(self, kind, timeout, condition=lambda m: True):
        deadline = time.time() + timeout
        while time.time() < deadline:
            self.beat()
            msg = self.conn.recv_match(blocking=True, timeout=0.2)
            if msg is None:
                continue
            if msg.get_type() == "STATUSTEXT":
                self.texts.append(msg.text)
            if msg.get_type() == "HEARTBEAT" and self.vehicle is None and msg.type == mavutil.mavlink.MAV_TYPE_FIXED_WING:
                self.vehicle = msg.get_srcSystem()
            if msg.get_type() in (kind if isinstance(kind, tuple) else (kind,)) and condition(msg):
                return msg
        return None

    def arm(self, timeout=5):
        self.texts.clear()
        self.conn.mav.command_long_send(self.vehicle, 1, ARM_DISARM, 0, 1, 0, 0, 0, 0, 0, 0)
        ack = self.recv("COMMAND_ACK", timeout, lambda m: m.command == ARM_DISARM)
        self.recv("STATUSTEXT", 1, lambda m: "arming" in m.text)
        return ack, [t for t in self.texts if "arm" in t]


def flow(args, results):
    ready = pathlib.Path(args.payload) / "guest-ready"
    deadline = time.time() + args.wait_s
    while not ready.exists():
        if time.time() > deadline:
            results.check("the guest reported the daemon READY", False, f"no {ready} after {args.wait_s} s")
            return
        time.sleep(1)
    facts = dict(line.split("=", 1) for line in ready.read_text().split() if "=" in line)
    bus, switch_pull = facts["bus"], facts["switch_pull"]
    key = bytes.fromhex(facts["key"])
    guest = Guest(args.ssh_config)
    status, out, err = guest.run("true", timeout=120)
    if not results.check("ssh into the guest through the forwarded port", status == 0, err):
        return

    ground = Ground(args.mavlink_port, key)
    hb = ground.recv("HEARTBEAT", 60, lambda m: m.type == mavutil.mavlink.MAV_TYPE_FIXED_WING)
    if not results.check("a signed HEARTBEAT from the daemon through QEMU's network", hb is not None):
        return
    results.check("the daemon is disarmed after start", hb.base_mode & ARMED_FLAG == 0, f"base_mode {hb.base_mode}")

    # The estimator needs the IMU at rest and the GPS fix: arming is refused for the estimator until it has them,
    # then for the switch, which is still SAFE.
    reasons = []
    deadline = time.time() + args.align_s
    while time.time() < deadline:
        ack, texts = ground.arm()
        reasons = texts or reasons
        if any("safety switch" in t for t in texts):
            break
        time.sleep(2)
    results.check("arming refused while the arm switch (gpio-sim line 0) is SAFE",
                  any("safety switch is in SAFE" in t for t in reasons) and ack is not None
                  and ack.result != mavutil.mavlink.MAV_RESULT_ACCEPTED, f"last refusal: {reasons}")
    safe = guest.pulses_us(bus)
    results.info(f"disarmed: PCA9685 pulses {safe} µs")

    guest.output(f"echo pull-up > {switch_pull}")
    time.sleep(1)
    ack, texts = ground.arm()
    results.check("armed once the switch reads ARM (COMMAND_ACK accepted)",
                  ack is not None and ack.result == mavutil.mavlink.MAV_RESULT_ACCEPTED, f"{ack} {texts}")
    hb = ground.recv("HEARTBEAT", 5, lambda m: m.base_mode & ARMED_FLAG)
    results.check("HEARTBEAT says armed", hb is not None)
    on_launcher = guest.pulses_us(bus)
    results.check("on the launcher the outputs hold their neutral pulses", near(on_launcher, SAFE_US),
                  f"{on_launcher} µs")

    guest.output("touch /run/kestrel-vm-launch")
    hb = ground.recv("HEARTBEAT", 15, lambda m: m.base_mode & AUTO_FLAG and m.base_mode & ARMED_FLAG)
    results.check("a catapult stroke in the IMU's FIFO starts the launch (auto mode)", hb is not None)
    time.sleep(1)
    flying = guest.pulses_us(bus)
    results.check("in the launch the PCA9685 outputs move: throttle up", flying[2] >= 1800, f"{flying} µs")
    results.info(f"launch: PCA9685 pulses {flying} µs (aileron, elevator, throttle, rudder)")

    guest.output(f"echo pull-down > {switch_pull}")
    time.sleep(3)  # the in-flight hold is 1 s
    cut = guest.pulses_us(bus)
    hb = ground.recv("HEARTBEAT", 3)
    results.info(f"switch SAFE in flight: HEARTBEAT base_mode {hb and hb.base_mode}, custom_mode {hb and hb.custom_mode}")
    results.check("the switch to SAFE in flight cuts the outputs to the safe pulses after the hold",
                  near(cut, SAFE_US), f"{cut} µs")

    # Tools/deploy upgrades the package over SSH: the daemon restarts on the new version and keeps its key.
    pid_before = guest.output("systemctl show -p MainPID --value kestrel.service")
    deploy = subprocess.run([str(REPO / "Tools/deploy"), "--host", "kestrel-vm", "--ssh-config", args.ssh_config,
                             "--deb", args.upgrade_deb, "--board", "vm-i2c-stub"],
                            capture_output=True, text=True, timeout=600)
    results.check("Tools/deploy --ssh-config installs the newer .deb over SSH (exit 0)", deploy.returncode == 0,
                  "" if deploy.returncode == 0 else (deploy.stderr or deploy.stdout)[-400:])
    version = guest.output("dpkg-query -W -f '${Version}' kestrel")
    wanted = subprocess.run(["dpkg-deb", "-f", args.upgrade_deb, "Version"], capture_output=True, text=True).stdout.strip()
    results.check("the guest runs the upgraded package", version == wanted, f"installed {version}, deployed {wanted}")
    status, _, _ = guest.run("systemctl is-active --quiet kestrel.service")
    pid_after = guest.output("systemctl show -p MainPID --value kestrel.service")
    results.check("the upgrade restarted the daemon (a new main PID, active)", status == 0 and pid_after != pid_before
                  and pid_after != "0", f"PID {pid_before} -> {pid_after}, is-active {status}")
    # What the old daemon sent while deploy ran is still queued: drop it, then hear the new one.
    time.sleep(2)
    while ground.conn.recv_match(blocking=False) is not None:
        pass
    hb = ground.recv("HEARTBEAT", 60, lambda m: m.type == mavutil.mavlink.MAV_TYPE_FIXED_WING)
    results.check("after the upgrade the daemon talks on the same signed link (key kept)", hb is not None)
    results.check("after the upgrade the daemon is disarmed", hb is not None and hb.base_mode & ARMED_FLAG == 0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--payload", required=True)
    parser.add_argument("--gps-socket", required=True)
    parser.add_argument("--ssh-config", required=True)
    parser.add_argument("--mavlink-port", type=int, required=True)
    parser.add_argument("--upgrade-deb", required=True)
    parser.add_argument("--wait-s", type=float, default=900, help="how long to wait for the guest's READY")
    parser.add_argument("--align-s", type=float, default=180, help="how long the estimator may take to align")
    args = parser.parse_args()
    results = Results(pathlib.Path(args.payload) / "host-results.txt")
    stop = threading.Event()
    gps = threading.Thread(target=play_gps, args=(args.gps_socket, stop), daemon=True)
    gps.start()
    try:
        flow(args, results)
    except Exception as error:  # a broken step is a failed check, and the guest must still be let go
        results.check("the host flow ran to its end", False, f"{type(error).__name__}: {error}")
    finally:
        (pathlib.Path(args.payload) / "host-done").touch()
    # The GPS keeps playing until the guest powers off (QEMU closes the socket).
    gps.join(timeout=args.wait_s)
    stop.set()
    sys.exit(1 if results.failed else 0)


if __name__ == "__main__":
    main()
