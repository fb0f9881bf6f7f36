"""`kestrel approve`, the operator side of the terminal approval gate, driven as a user would drive it.

keygen -> list -> sign -> show/verify with the built binary, every bad input answered by one line on stderr and a
non-zero exit, and every signature checked independently with the Python `cryptography` package over the 73-byte
message as documented in Sources/Mission/Approval/SignedApprovalMessage.swift (not over bytes the tool prints).

Times in request files are UTC µs since the Unix epoch, the clock `kestrel approve` compares expiry against.

Run from the repo root after `swift build`:  .venv/bin/python -m pytest Tests/Interop/test_kestrel_approve.py
"""
import base64
import hashlib
import re
import stat
import struct
import subprocess
import time

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

DOMAIN = b"KESTREL-TERMINAL-APPROVAL-V1"
DECISIONS = {"approve": 1, "wave-off": 2}
VEHICLE = 5427464722094080023
NONCE = bytes.fromhex("0f1e2d3c4b5a69788796a5b4c3d2e1f0")
POINT = (473977419, 85455938, 488000)


def now_us():
    return time.time_ns() // 1000


def message(vehicle_id, nonce, lat_e7, lon_e7, alt_mm, expires_us, decision):
    """The signed bytes, built from the documented layout."""
    return DOMAIN + struct.pack("<Q", vehicle_id) + nonce + struct.pack(
        "<iiiQB", lat_e7, lon_e7, alt_mm, expires_us, DECISIONS[decision])


def key_value(text):
    fields = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            k, v = (s.strip() for s in line.split("=", 1))
            assert k not in fields
            fields[k] = v
    return fields


def write_request(path, *, issued_us, expires_us, vehicle=VEHICLE, nonce=NONCE, point=POINT, sequence=3,
                  extra=""):
    path.write_text(
        "# Kestrel terminal approval request\n"
        "format = kestrel-terminal-request-v1\n"
        f"vehicle_id = {vehicle}\n"
        f"sequence = {sequence}\n"
        f"nonce = {nonce.hex()}\n"
        f"latitude_e7 = {point[0]}\n"
        f"longitude_e7 = {point[1]}\n"
        f"altitude_mm = {point[2]}\n"
        f"issued_us = {issued_us}\n"
        f"expires_us = {expires_us}\n" + extra)
    return path


def fresh_request(path, lifetime_s=120, **kw):
    t = now_us()
    return write_request(path, issued_us=t - 5_000_000, expires_us=t + lifetime_s * 1_000_000, **kw)


@pytest.fixture
def approve(kestrel):
    def run(*args):
        return subprocess.run([str(kestrel), "approve", *map(str, args)], capture_output=True, text=True, timeout=60)
    return run


def ok(proc):
    assert proc.returncode == 0, f"exit {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    return proc


def fails_with(proc, *fragments):
    """Non-zero exit, exactly one line on stderr naming the problem, nothing that looks like a crash."""
    assert proc.returncode != 0, f"expected failure, got exit 0:\n{proc.stdout}"
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, f"expected one error line, got:\n{proc.stderr}"
    assert lines[0].startswith("Error: "), lines[0]
    for f in fragments:
        assert f in lines[0], f"'{f}' not in: {lines[0]}"
    for crash in ("Fatal error", "Stack dump", "Crash", "Illegal instruction"):
        assert crash not in proc.stderr
    return lines[0]


@pytest.fixture
def keys(approve, tmp_path):
    """Two operators (alice, bob) and an authorised key file holding both."""
    d = tmp_path / "keys"
    d.mkdir()
    result = {}
    for name in ("alice", "bob"):
        out = ok(approve("keygen", "--out", d / name)).stdout
        result[name] = {"private": d / name, "public": d / f"{name}.pub", "stdout": out}
    authorised = tmp_path / "authorised.keys"
    authorised.write_text("# vehicle KST-0001\n" + result["alice"]["public"].read_text()
                          + result["bob"]["public"].read_text())
    authorised.chmod(0o644)
    result["authorised"] = authorised
    return result


def public_key_of(private_path):
    """Ed25519 key from the private key file as `cryptography` reads the seed, and the raw public bytes."""
    name, algorithm, seed_hex = private_path.read_text().split("#")[-1].split("\n", 1)[1].split()
    assert algorithm == "ed25519-private"
    private = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(seed_hex))
    raw = private.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return name, raw


def verify_approval_file(fields, public_raw, decision):
    assert fields["format"] == "kestrel-terminal-approval-v1"
    assert fields["decision"] == decision
    msg = message(int(fields["vehicle_id"]), bytes.fromhex(fields["nonce"]), int(fields["latitude_e7"]),
                  int(fields["longitude_e7"]), int(fields["altitude_mm"]), int(fields["expires_us"]), decision)
    assert len(msg) == 73
    sig = bytes.fromhex(fields["signature"])
    assert len(sig) == 64
    pub = Ed25519PublicKey.from_public_bytes(public_raw)
    pub.verify(sig, msg)
    for i in (28, 36, 52, 64, 72):  # vehicle, nonce, point, expiry, decision
        bad = bytearray(msg)
        bad[i] ^= 0x01
        with pytest.raises(InvalidSignature):
            pub.verify(sig, bytes(bad))
    return msg


# Happy path --------------------------------------------------------------------------------------------------------

def test_keygen_writes_private_0600_and_public_line(keys):
    alice = keys["alice"]
    assert stat.S_IMODE(alice["private"].stat().st_mode) == 0o600
    assert stat.S_IMODE(alice["public"].stat().st_mode) == 0o644
    name, raw = public_key_of(alice["private"])
    assert name == "alice"
    (line,) = [l for l in alice["public"].read_text().splitlines() if l.strip()]
    pub_name, algorithm, encoded = line.split()
    assert (pub_name, algorithm) == ("alice", "ed25519")
    assert base64.b64decode(encoded, validate=True) == raw, "public line is not the private key's public key"
    key_id = hashlib.sha256(raw).digest()[:8].hex()
    assert f"key id:      {key_id}" in alice["stdout"]
    assert line in alice["stdout"]
    assert public_key_of(keys["bob"]["private"])[1] != raw


def test_keygen_name_option(approve, tmp_path):
    out = ok(approve("keygen", "--out", tmp_path / "k1", "--name", "field-laptop.2")).stdout
    assert "operator:    field-laptop.2" in out
    assert (tmp_path / "k1.pub").read_text().startswith("field-laptop.2 ed25519 ")


def test_list_shows_names_and_key_ids(approve, keys):
    out = ok(approve("list", "--keys", keys["authorised"])).stdout.splitlines()
    assert out[0].split() == ["operator", "key", "id"]
    rows = [l.split() for l in out[1:]]
    expected = [[n, hashlib.sha256(public_key_of(keys[n]["private"])[1]).digest()[:8].hex()] for n in ("alice", "bob")]
    assert rows == expected


def test_sign_approve_show_and_verify(approve, keys, tmp_path):
    request = fresh_request(tmp_path / "request.txt")
    out_file = tmp_path / "approval.txt"
    run = ok(approve("sign", "--request", request, "--key", keys["alice"]["private"], "--decision", "approve",
                     "--vehicle", VEHICLE, "--keys", keys["authorised"], "--out", out_file))
    assert "signed approve for vehicle 5427464722094080023" in run.stdout
    assert "operator 'alice'" in run.stdout and "expires in" in run.stdout
    fields = key_value(out_file.read_text())
    req = key_value(request.read_text())
    for k in ("vehicle_id", "nonce", "latitude_e7", "longitude_e7", "altitude_mm", "expires_us"):
        assert fields[k] == req[k], k
    _, raw = public_key_of(keys["alice"]["private"])
    assert fields["key_id"] == hashlib.sha256(raw).digest()[:8].hex()
    msg = verify_approval_file(fields, raw, "approve")

    shown = ok(approve("show", "--approval", out_file, "--keys", keys["authorised"])).stdout
    assert "decision:   approve" in shown
    assert "47.3977419° N, 8.5455938° E, 488.000 m above the WGS-84 ellipsoid" in shown
    assert f"signed bytes (73): {msg.hex()}" in shown
    assert "verified:   valid signature by authorised operator 'alice'" in shown

    both = ok(approve("show", "--request", request, "--approval", out_file, "--keys", keys["authorised"])).stdout
    assert "sequence:   3" in both and "lifetime:   125.0 s" in both and "verified:" in both


def test_sign_to_stdout_and_show_request(approve, keys, tmp_path):
    request = fresh_request(tmp_path / "request.txt", lifetime_s=60)
    run = ok(approve("sign", "--request", request, "--key", keys["bob"]["private"], "--decision", "approve"))
    fields = key_value(run.stdout)
    verify_approval_file(fields, public_key_of(keys["bob"]["private"])[1], "approve")
    assert "signed approve" in run.stderr  # the summary goes to stderr so stdout is the file alone
    shown = ok(approve("show", "--request", request)).stdout
    assert "vehicle:    5427464722094080023" in shown
    assert "nonce:      0f1e2d3c4b5a69788796a5b4c3d2e1f0" in shown
    remaining = float(shown.split("expires in ", 1)[1].split(" s", 1)[0])
    assert 0 < remaining <= 60


def test_wave_off_is_signed_for_an_expired_request(approve, keys, tmp_path):
    t = now_us()
    request = write_request(tmp_path / "old.txt", issued_us=t - 90_000_000, expires_us=t - 60_000_000)
    out_file = tmp_path / "waveoff.txt"
    ok(approve("sign", "--request", request, "--key", keys["alice"]["private"], "--decision", "wave-off",
               "--out", out_file))
    fields = key_value(out_file.read_text())
    verify_approval_file(fields, public_key_of(keys["alice"]["private"])[1], "wave-off")
    shown = ok(approve("show", "--approval", out_file, "--keys", keys["authorised"])).stdout
    assert "decision:   wave-off" in shown and "a wave-off still counts" in shown
    assert float(re.search(r"expired ([0-9.]+) s ago", shown).group(1)) >= 60


def test_expiry_is_judged_on_the_utc_clock(approve, keys, tmp_path):
    # A vehicle stamping requests with its boot clock (seconds after power-on) would produce requests that are
    # "expired" in UTC: they are refused rather than trusted.
    boot = write_request(tmp_path / "boot.txt", issued_us=5_000_000, expires_us=35_000_000)
    fails_with(approve("sign", "--request", boot, "--key", keys["alice"]["private"], "--decision", "approve"),
               "request expired")
    # Expiry far beyond any gate lifetime: signed (the vehicle is the judge) with a warning about the clocks.
    far = write_request(tmp_path / "far.txt", issued_us=now_us(), expires_us=2**64 - 1)
    run = ok(approve("sign", "--request", far, "--key", keys["alice"]["private"], "--decision", "approve"))
    assert "clock may be behind the vehicle's" in run.stderr
    assert "after the year 9999" in ok(approve("show", "--request", far)).stdout


# Errors ----------------------------------------------------------------------------------------------------------

def test_keygen_errors(approve, keys, tmp_path):
    before = keys["alice"]["private"].read_bytes()
    fails_with(approve("keygen", "--out", keys["alice"]["private"]), "already exists; refusing to overwrite")
    assert keys["alice"]["private"].read_bytes() == before
    (tmp_path / "carol.pub").write_text("stale\n")
    fails_with(approve("keygen", "--out", tmp_path / "carol"), "carol.pub: already exists")
    assert not (tmp_path / "carol").exists(), "a private key was left without its public half"
    fails_with(approve("keygen", "--out", tmp_path / "bad name!"), "operator name 'bad name!'", "--name")
    fails_with(approve("keygen", "--out", tmp_path / "nodir" / "dave"), "No such file or directory")


def test_list_errors(approve, keys, tmp_path):
    fails_with(approve("list", "--keys", tmp_path / "missing.keys"), "missing.keys", "No such file or directory")
    writable = tmp_path / "writable.keys"
    writable.write_text(keys["authorised"].read_text())
    writable.chmod(0o664)
    fails_with(approve("list", "--keys", writable), "lets group or others add keys", "chmod go-w")
    malformed = tmp_path / "malformed.keys"
    malformed.write_text("# ok\nalice ed25519\n")
    malformed.chmod(0o644)
    fails_with(approve("list", "--keys", malformed), "malformed.keys:2", "expected 3 fields")
    empty = tmp_path / "empty.keys"
    empty.write_text("# nobody\n")
    empty.chmod(0o644)
    fails_with(approve("list", "--keys", empty), "no authorised operator keys")
    fails_with(approve("list", "--keys", keys["alice"]["private"]), "key type 'ed25519-private' is not supported")


def test_sign_rejects_bad_requests(approve, keys, tmp_path):
    key = keys["alice"]["private"]
    fails_with(approve("sign", "--request", tmp_path / "none.txt", "--key", key, "--decision", "approve"),
               "none.txt", "No such file or directory")
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("format = kestrel-terminal-approval-v1\n")
    fails_with(approve("sign", "--request", wrong, "--key", key, "--decision", "approve"),
               "not a 'kestrel-terminal-request-v1' file")
    t = now_us()
    bad_nonce = write_request(tmp_path / "nonce.txt", issued_us=t, expires_us=t + 60_000_000, nonce=b"\x01" * 15)
    fails_with(approve("sign", "--request", bad_nonce, "--key", key, "--decision", "approve"),
               "nonce.txt:5", "'nonce' must be 32 hex digits")
    unknown = fresh_request(tmp_path / "unknown.txt", extra="pilot = me\n")
    fails_with(approve("sign", "--request", unknown, "--key", key, "--decision", "approve"), "unknown key 'pilot'")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    fails_with(approve("sign", "--request", binary, "--key", key, "--decision", "approve"), "not UTF-8")


def test_sign_refuses_expired_approval_and_writes_nothing(approve, keys, tmp_path):
    t = now_us()
    request = write_request(tmp_path / "expired.txt", issued_us=t - 40_000_000, expires_us=t - 10_000_000)
    out_file = tmp_path / "approval.txt"
    line = fails_with(approve("sign", "--request", request, "--key", keys["alice"]["private"], "--decision", "approve",
                              "--out", out_file), "ask the vehicle for a new one")
    assert float(re.search(r"request expired ([0-9.]+) s ago", line).group(1)) >= 10
    assert f"expires_us {t - 10_000_000}" in line
    assert not out_file.exists()


def test_sign_rejects_wrong_vehicle_unauthorised_key_and_bad_key_files(approve, keys, tmp_path):
    request = fresh_request(tmp_path / "request.txt")
    key = keys["alice"]["private"]
    fails_with(approve("sign", "--request", request, "--key", key, "--decision", "approve", "--vehicle", 42),
               f"request is from vehicle {VEHICLE}, expected vehicle 42")
    only_bob = tmp_path / "bob-only.keys"
    only_bob.write_text(keys["bob"]["public"].read_text())
    only_bob.chmod(0o644)
    fails_with(approve("sign", "--request", request, "--key", key, "--decision", "approve", "--keys", only_bob),
               "is not in authorised key file", "the vehicle would reject it")
    exposed = tmp_path / "exposed"
    exposed.write_text(key.read_text())
    exposed.chmod(0o644)
    fails_with(approve("sign", "--request", request, "--key", exposed, "--decision", "approve"),
               "mode 644 lets others read the key", "chmod 600")
    public_as_private = tmp_path / "pub-as-private"
    public_as_private.write_text(keys["alice"]["public"].read_text())
    public_as_private.chmod(0o600)
    fails_with(approve("sign", "--request", request, "--key", public_as_private, "--decision", "approve"),
               "this is a public key line")
    fails_with(approve("sign", "--request", request, "--key", tmp_path / "nokey", "--decision", "approve"),
               "nokey", "No such file or directory")
    existing = tmp_path / "existing.txt"
    existing.write_text("keep me\n")
    fails_with(approve("sign", "--request", request, "--key", key, "--decision", "approve", "--out", existing),
               "already exists; refusing to overwrite")
    assert existing.read_text() == "keep me\n"
    bad_decision = approve("sign", "--request", request, "--key", key, "--decision", "maybe")
    assert bad_decision.returncode != 0 and "maybe" in bad_decision.stderr


def test_show_rejects_unauthorised_tampered_mismatched_and_malformed_approvals(approve, keys, tmp_path):
    request = fresh_request(tmp_path / "request.txt")
    approval = tmp_path / "approval.txt"
    ok(approve("sign", "--request", request, "--key", keys["alice"]["private"], "--decision", "approve",
               "--out", approval))
    only_bob = tmp_path / "bob-only.keys"
    only_bob.write_text(keys["bob"]["public"].read_text())
    only_bob.chmod(0o644)
    fails_with(approve("show", "--approval", approval, "--keys", only_bob), "is not in authorised key file")

    tampered = tmp_path / "tampered.txt"
    tampered.write_text(approval.read_text().replace("latitude_e7 = 473977419", "latitude_e7 = 473977420"))
    fails_with(approve("show", "--approval", tampered, "--keys", keys["authorised"]),
               "signature does not verify with operator 'alice'")

    other = fresh_request(tmp_path / "other.txt", nonce=bytes(range(16)))
    fails_with(approve("show", "--request", other, "--approval", approval), "answers another request: nonce differs")

    unsigned = tmp_path / "unsigned.txt"
    unsigned.write_text("\n".join(l for l in approval.read_text().splitlines() if not l.startswith("signature")))
    fails_with(approve("show", "--approval", unsigned), "missing 'signature'")
    zero = tmp_path / "zero.txt"
    fields = key_value(approval.read_text())
    zero.write_text(approval.read_text().replace(fields["signature"], "0" * 128))
    fails_with(approve("show", "--approval", zero, "--keys", keys["authorised"]), "unsigned (all-zero signature)")
    fails_with(approve("show", "--approval", tmp_path), "not a regular file")
    fails_with(approve("show", "--approval", tmp_path / "nothing.txt"), "No such file or directory")
    nothing = approve("show")
    assert nothing.returncode != 0 and "--request" in nothing.stderr
