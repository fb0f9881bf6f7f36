"""Interoperability of Kestrel's terminal-approval signatures with the Python `cryptography` package.

Two directions:
- Python -> Swift: `vectors/approval_ed25519_v1.txt` is written by this module (`python3 test_approval_ed25519.py
  --write-vectors`) with keys, messages and signatures made by `cryptography`; the Swift test
  `MissionTests.InteropVectorTests` checks that Kestrel builds the same signed bytes, derives the same keys and key
  ids, makes the same (deterministic, RFC 8032) signatures and verifies them.
- Swift -> Python: `test_swift_signed_approvals_verify` runs the Swift test
  `InteropVectorTests/exportSwiftSignedApprovals`, which signs approvals with freshly generated keys and writes an
  authorised-operator key file and approval files; this module verifies them with `cryptography`, rebuilding the
  signed bytes from its own reading of the documented layout.

Run from the repository root: `pytest Tests/Interop/test_approval_ed25519.py`.
"""

import base64
import hashlib
import os
import pathlib
import struct
import subprocess
import sys

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

HERE = pathlib.Path(__file__).resolve().parent
REPO = HERE.parent.parent
VECTORS = HERE / "vectors" / "approval_ed25519_v1.txt"
DOMAIN = b"KESTREL-TERMINAL-APPROVAL-V1"
DECISIONS = {"approve": 1, "wave-off": 2}


def message(vehicle_id, nonce, lat_e7, lon_e7, alt_mm, expires_us, decision):
    """The signed bytes, from the layout documented in SignedApprovalMessage.swift."""
    assert len(nonce) == 16
    return DOMAIN + struct.pack("<Q", vehicle_id) + nonce + struct.pack(
        "<iiiQB", lat_e7, lon_e7, alt_mm, expires_us, DECISIONS[decision])


def raw_public(key):
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def key_id(public_raw):
    return hashlib.sha256(public_raw).digest()[:8]


def parse_blocks(text):
    """key = value blocks separated by blank lines; '#' comments."""
    blocks, current = [], {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            if current:
                blocks.append(current)
                current = {}
            continue
        k, v = (s.strip() for s in line.split("=", 1))
        assert k not in current, k
        current[k] = v
    if current:
        blocks.append(current)
    return blocks


# Python -> Swift vectors ------------------------------------------------------------------------------------------

VECTOR_CASES = [
    # seed byte, vehicle id, nonce, lat, lon, alt, expiry, decision
    (0x01, 0x4B53545200000017, bytes(range(16)), 473977419, 85455938, 488000, 1_795_300_030_000_000, "approve"),
    (0x02, 0x4B53545200000017, bytes(range(16)), 473977419, 85455938, 488000, 1_795_300_030_000_000, "wave-off"),
    (0x03, 1, bytes([0xFF] * 16), -900000000, -1800000000, -2147483648, 0, "approve"),
    (0x04, 2**64 - 1, bytes(reversed(range(16))), 900000000, 1800000000, 2147483647, 2**64 - 1, "wave-off"),
    (0x05, 0, hashlib.sha256(b"nonce").digest()[:16], -338688000, 1512093000, 58000, 31_000_000, "approve"),
]


def make_vectors():
    out = ["# Kestrel terminal approval Ed25519 vectors, written by Tests/Interop/test_approval_ed25519.py",
           "# with the Python 'cryptography' package. Do not edit by hand.", ""]
    for seed_byte, vid, nonce, lat, lon, alt, exp, decision in VECTOR_CASES:
        seed = hashlib.sha256(bytes([seed_byte]) * 32).digest()
        key = Ed25519PrivateKey.from_private_bytes(seed)
        pub = raw_public(key.public_key())
        msg = message(vid, nonce, lat, lon, alt, exp, decision)
        sig = key.sign(msg)
        out += [
            f"seed = {seed.hex()}",
            f"public_key = {pub.hex()}",
            f"key_id = {key_id(pub).hex()}",
            f"vehicle_id = {vid}",
            f"nonce = {nonce.hex()}",
            f"latitude_e7 = {lat}",
            f"longitude_e7 = {lon}",
            f"altitude_mm = {alt}",
            f"expires_us = {exp}",
            f"decision = {decision}",
            f"message = {msg.hex()}",
            f"signature = {sig.hex()}",
            "",
        ]
    return "\n".join(out)


def test_committed_vectors_are_what_cryptography_produces():
    assert VECTORS.read_text() == make_vectors(), "regenerate with: python3 Tests/Interop/test_approval_ed25519.py --write-vectors"


def test_vectors_verify_and_tampering_fails():
    blocks = parse_blocks(VECTORS.read_text())
    assert len(blocks) == len(VECTOR_CASES)
    for b in blocks:
        pub = Ed25519PublicKey.from_public_bytes(bytes.fromhex(b["public_key"]))
        msg = bytes.fromhex(b["message"])
        sig = bytes.fromhex(b["signature"])
        assert len(msg) == 73 and len(sig) == 64
        pub.verify(sig, msg)
        tampered = bytearray(msg)
        tampered[-1] ^= 3  # approve <-> wave-off
        with pytest.raises(InvalidSignature):
            pub.verify(sig, bytes(tampered))


# Swift -> Python ------------------------------------------------------------------------------------------------

def test_swift_signed_approvals_verify(tmp_path, swift_test_command):
    env = dict(os.environ, KESTREL_INTEROP_EXPORT=str(tmp_path))
    run = subprocess.run(
        swift_test_command + ["--filter", "InteropVectorTests/exportSwiftSignedApprovals"],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=1800)
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-4000:]

    keys = {}
    for line in (tmp_path / "authorised.keys").read_text().splitlines():
        line = line.split("#", 1)[0].split()
        if not line:
            continue
        name, algorithm, encoded = line
        assert algorithm == "ed25519"
        raw = base64.b64decode(encoded, validate=True)
        assert len(raw) == 32
        keys[key_id(raw)] = (name, Ed25519PublicKey.from_public_bytes(raw))
    assert len(keys) >= 2

    files = sorted(tmp_path.glob("approval-*.txt"))
    assert len(files) >= 8
    decisions = set()
    for f in files:
        (a,) = parse_blocks(f.read_text())
        assert a["format"] == "kestrel-terminal-approval-v1"
        _, pub = keys[bytes.fromhex(a["key_id"])]
        msg = message(int(a["vehicle_id"]), bytes.fromhex(a["nonce"]), int(a["latitude_e7"]),
                      int(a["longitude_e7"]), int(a["altitude_mm"]), int(a["expires_us"]), a["decision"])
        sig = bytes.fromhex(a["signature"])
        pub.verify(sig, msg)
        decisions.add(a["decision"])
        for i in (0, 40, 72):
            bad = bytearray(msg)
            bad[i] ^= 0x10
            with pytest.raises(InvalidSignature):
                pub.verify(sig, bytes(bad))
    assert decisions == {"approve", "wave-off"}


if __name__ == "__main__":
    if sys.argv[1:] == ["--write-vectors"]:
        VECTORS.write_text(make_vectors())
        print(f"wrote {VECTORS}")
    else:
        sys.exit("usage: test_approval_ed25519.py --write-vectors")
