"""Interop: Kestrel's Swift MAVLink codec against pymavlink 2.4.50 (MAVLink 2, Kestrel dialect built by mavgen).

Run from the repository root:
    python3 -m venv .venv && .venv/bin/pip install pymavlink==2.4.50 pytest
    .venv/bin/python -m pytest Tests/Interop/test_mavlink_codec.py
The Swift side is the `mavlink-vectors` tool (built here with `swift build --product mavlink-vectors`, or taken from
$MAVLINK_VECTORS). Expected field values come from Tools/mavgen-swift/mavgen_swift.pattern_values, computed from the
XML alone, so a wrong wire order or CRC_EXTRA on either side shows up as a mismatch.
"""
import importlib.util
import os
import shutil
import subprocess
import sys
import time

os.environ["MAVLINK20"] = "1"  # before pymavlink is imported

import pymavlink  # noqa: E402
import pytest  # noqa: E402
from pymavlink import mavutil  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
GENERATOR_DIR = os.path.join(ROOT, "Tools", "mavgen-swift")
sys.path.insert(0, GENERATOR_DIR)
import mavgen_swift  # noqa: E402

KEY = bytes(range(0x40, 0x60))  # 32 bytes
WRONG_KEY = bytes(range(0x41, 0x61))
# Messages in the generated catalog (Tools/mavgen-swift/whitelist.txt): every one is cross-checked with pymavlink.
MESSAGE_COUNT = 45
EPOCH_2015 = 1420070400


@pytest.fixture(scope="session")
def dialect(tmp_path_factory):
    """The Kestrel dialect compiled by pymavlink's own mavgen (kestrel.xml beside copies of its includes)."""
    work = tmp_path_factory.mktemp("dialect")
    v20 = os.path.join(os.path.dirname(pymavlink.__file__), "dialects", "v20")
    for name in ("common.xml", "standard.xml", "minimal.xml"):
        shutil.copy(os.path.join(v20, name), work)
    shutil.copy(os.path.join(GENERATOR_DIR, "kestrel.xml"), work)
    mavgen = os.path.join(os.path.dirname(sys.executable), "mavgen.py")
    out = work / "kestrel_dialect.py"
    subprocess.run([sys.executable, mavgen, "--lang=Python", "--wire-protocol=2.0", "-o", str(out),
                    str(work / "kestrel.xml")], check=True, capture_output=True)
    spec = importlib.util.spec_from_file_location("kestrel_dialect", out)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def vectors_tool(swift_product):
    if os.environ.get("MAVLINK_VECTORS"):
        return os.environ["MAVLINK_VECTORS"]
    return swift_product("mavlink-vectors")


@pytest.fixture(scope="session")
def xml_messages():
    """Generator's view of the whitelisted messages, by name."""
    messages, enums, versions = {}, {}, []
    v20 = os.path.join(os.path.dirname(pymavlink.__file__), "dialects", "v20")
    mavgen_swift.load(os.path.join(GENERATOR_DIR, "kestrel.xml"), [v20], messages, enums, versions, set())
    with open(os.path.join(GENERATOR_DIR, "whitelist.txt")) as fh:
        wanted = {line.split("#")[0].strip() for line in fh} - {""}
    return {m.name: m for m in messages.values() if m.name in wanted}


def run_tool(tool, *args, stdin=None):
    result = subprocess.run([tool, *args], input=stdin, capture_output=True, text=True, check=True)
    return result.stdout.splitlines()


def expected_fields(message):
    """Pattern values as pymavlink presents them (char arrays as str)."""
    out = {}
    for name, value in mavgen_swift.pattern_values(message).items():
        out[name] = value.decode("ascii") if isinstance(value, bytes) else value
    return out


def new_mav(dialect, system=1, component=1):
    return dialect.MAVLink(None, srcSystem=system, srcComponent=component)


def signing_connection(dialect, port, key, timestamp=None, link_id=0, system=1, component=1):
    """A pymavlink connection whose signing state is set by mavutil's own setup_signing."""
    conn = mavutil.mavlink_connection(f"udpout:127.0.0.1:{port}", source_system=system,
                                      source_component=component)
    conn.mav = dialect.MAVLink(conn, srcSystem=system, srcComponent=component)
    conn.setup_signing(key, sign_outgoing=True, initial_timestamp=timestamp, link_id=link_id)
    return conn


def pymavlink_pattern_message(dialect, message):
    cls = dialect.mavlink_map[message.id]
    fields = mavgen_swift.pattern_values(message)
    return cls(**{name: fields[name] for name in cls.fieldnames})


def pack_in_sequence(dialect, mav, message, **kwargs):
    """Packs like MAVLink.send does: consecutive sequence numbers."""
    frame = pymavlink_pattern_message(dialect, message).pack(mav, **kwargs)
    mav.seq = (mav.seq + 1) % 256
    return frame


def parse_all(mav, data, errors=None):
    """Messages pymavlink decodes from `data`, fed byte by byte; its MAVErrors are appended to `errors`."""
    msgs = []
    for i in range(len(data)):
        try:
            m = mav.parse_char(data[i:i + 1])
        except Exception as error:  # pymavlink raises its dialect's MAVError per rejected frame
            if errors is None:
                raise
            errors.append(str(error))
            continue
        if m is not None:
            msgs.append(m)
    return msgs


def now_timestamp():
    return int((time.time() - EPOCH_2015) * 100_000)


def test_catalog_matches_mavgen(vectors_tool, dialect, xml_messages):
    lines = run_tool(vectors_tool, "catalog")
    assert len(lines) == len(xml_messages) == MESSAGE_COUNT
    for line in lines:
        mid, name, crc_extra, min_len, max_len = line.split()
        cls = dialect.mavlink_map[int(mid)]
        assert cls.msgname == name
        assert int(crc_extra) == cls.crc_extra, name
        assert int(max_len) == cls.unpacker.size, name
        assert int(min_len) == xml_messages[name].min_length


def test_kestrel_ids_are_in_the_reserved_range(dialect):
    assert dialect.MAVLINK_MSG_ID_TERMINAL_APPROVAL_REQUEST == 53200
    assert dialect.MAVLINK_MSG_ID_TERMINAL_APPROVAL == 53201
    assert dialect.MAVLINK_MSG_ID_TERMINAL_STATUS == 53202
    checker = os.path.join(GENERATOR_DIR, "check_id_range.py")
    assert subprocess.run([sys.executable, checker, "53200", "53299"], capture_output=True).returncode == 0
    assert subprocess.run([sys.executable, checker, "0", "0"], capture_output=True).returncode == 1


def test_swift_frames_decode_in_pymavlink(vectors_tool, dialect, xml_messages):
    lines = run_tool(vectors_tool, "encode", "--sysid", "42", "--compid", "7", "--seq", "250")
    mav = new_mav(dialect)
    decoded = parse_all(mav, b"".join(bytes.fromhex(line.split()[1]) for line in lines))
    assert len(decoded) == len(lines) == MESSAGE_COUNT
    for seq_offset, msg in enumerate(decoded):
        assert msg.get_srcSystem() == 42 and msg.get_srcComponent() == 7
        assert msg.get_seq() == (250 + seq_offset) % 256
        for name, value in expected_fields(xml_messages[msg.get_type()]).items():
            assert getattr(msg, name) == value, f"{msg.get_type()}.{name}"
    assert mav.total_receive_errors == 0


def test_swift_frames_equal_pymavlink_frames_byte_for_byte(vectors_tool, dialect, xml_messages):
    """Same fields, header and sequence give identical bytes: wire order, truncation and CRC agree."""
    lines = run_tool(vectors_tool, "encode", "--sysid", "3", "--compid", "190")
    mav = new_mav(dialect, 3, 190)
    for line in lines:
        name, swift_hex = line.split()
        ours = pack_in_sequence(dialect, mav, xml_messages[name])
        assert swift_hex == ours.hex(), name
    request = next(line for line in lines if line.startswith("PARAM_REQUEST_READ "))
    # param_id is last on the wire and its text leaves zeros: MAVLink 2 truncation must have shortened the payload.
    assert bytes.fromhex(request.split()[1])[1] == 20 - 16 + len("param_request_read-param_id"[:14])


def test_pymavlink_frames_decode_in_swift(vectors_tool, dialect, xml_messages):
    mav = new_mav(dialect, 9, 1)
    frames = [pack_in_sequence(dialect, mav, m).hex() for m in xml_messages.values()]
    out = run_tool(vectors_tool, "decode", stdin="\n".join(frames) + "\n")
    verdicts = [line for line in out if not line.startswith("counters")]
    assert len(verdicts) == MESSAGE_COUNT
    assert all(line.endswith("unsigned match") for line in verdicts), verdicts
    assert f"accepted={MESSAGE_COUNT} discarded=0 badCRC=0" in out[-1]


def test_pymavlink_mavlink1_frames_decode_in_swift(vectors_tool, dialect, xml_messages):
    mav = new_mav(dialect, 9, 1)
    small = [m for m in xml_messages.values() if m.id <= 255]
    frames = [pack_in_sequence(dialect, mav, m, force_mavlink1=True) for m in small]
    assert all(f[0] == 0xFE for f in frames)
    # pymavlink keeps extension fields in MAVLink 1 frames (the C library does not); the parser takes both.
    assert [f[1] for f in frames] == [m.max_length for m in small]
    out = run_tool(vectors_tool, "decode", stdin="\n".join(f.hex() for f in frames) + "\n")
    verdicts = [line for line in out if not line.startswith("counters")]
    assert len(verdicts) == len(small)
    for line, m in zip(verdicts, small):
        assert line == f"{m.name} unsigned match"


def test_swift_mavlink1_frames_decode_in_pymavlink(vectors_tool, dialect, xml_messages):
    lines = run_tool(vectors_tool, "encode", "--v1")
    mav = new_mav(dialect)
    decoded = parse_all(mav, b"".join(bytes.fromhex(line.split()[1]) for line in lines))
    assert len(decoded) == len(lines) == sum(1 for m in xml_messages.values() if m.id <= 255)
    # Swift sends MAVLink 1 frames like the C library: base fields only, extensions left out.
    for line in lines:
        name, frame = line.split()
        assert bytes.fromhex(frame)[1] == xml_messages[name].min_length
    for msg in decoded:
        message = xml_messages[msg.get_type()]
        for field in message.fields:
            if not field.is_extension:
                assert getattr(msg, field.name) == expected_fields(message)[field.name], msg.get_type()


def test_swift_signed_frames_verify_in_pymavlink_setup_signing(vectors_tool, dialect, xml_messages):
    timestamp = now_timestamp()
    lines = run_tool(vectors_tool, "encode", "--key", KEY.hex(), "--link", "5", "--timestamp", str(timestamp))
    data = b"".join(bytes.fromhex(line.split()[1]) for line in lines)
    receiver = signing_connection(dialect, 14561, KEY)
    decoded = parse_all(receiver.mav, data)
    assert len(decoded) == MESSAGE_COUNT
    assert receiver.mav.signing.goodsig_count == MESSAGE_COUNT and receiver.mav.signing.badsig_count == 0
    assert all(m._signed and m._link_id == 5 for m in decoded)
    # Byte-exact against pymavlink's own signer with the same key, link id and timestamps.
    sender = signing_connection(dialect, 14562, KEY, timestamp=timestamp, link_id=5)
    ours = b"".join(pack_in_sequence(dialect, sender.mav, xml_messages[line.split()[0]]) for line in lines)
    assert ours == data
    # With the wrong key pymavlink rejects every frame.
    wrong = signing_connection(dialect, 14563, WRONG_KEY)
    errors = []
    assert [m for m in parse_all(wrong.mav, data, errors) if m.get_type() != "BAD_DATA"] == []
    assert errors == ["Invalid signature"] * MESSAGE_COUNT
    assert wrong.mav.signing.goodsig_count == 0 and wrong.mav.signing.badsig_count == MESSAGE_COUNT


def test_pymavlink_signed_frames_verify_in_swift(vectors_tool, dialect, xml_messages):
    timestamp = now_timestamp()
    sender = signing_connection(dialect, 14564, KEY, timestamp=timestamp, link_id=9, system=20, component=1)
    frames = [pack_in_sequence(dialect, sender.mav, m).hex() for m in xml_messages.values()]
    stdin = "\n".join(frames) + "\n"
    now_us = int(time.time() * 1_000_000)
    out = run_tool(vectors_tool, "decode", "--key", KEY.hex(), "--time-us", str(now_us), stdin=stdin)
    verdicts = [line for line in out if not line.startswith("counters")]
    assert len(verdicts) == MESSAGE_COUNT and all(line.endswith("verified:9 match") for line in verdicts), verdicts

    # Wrong key: every frame dropped and counted.
    out = run_tool(vectors_tool, "decode", "--key", WRONG_KEY.hex(), "--time-us", str(now_us), stdin=stdin)
    assert len(out) == 1 and out[0].startswith("counters accepted=0 ")
    assert out[0].endswith(f"badCRC=0 unknown=0 signatureFailures={MESSAGE_COUNT} bad={MESSAGE_COUNT} replayed=0 tooOld=0")

    # Replay: the same frames twice; the second copies are rejected as replays.
    out = run_tool(vectors_tool, "decode", "--key", KEY.hex(), "--time-us", str(now_us), stdin=stdin + stdin)
    assert out[-1].endswith(f"signatureFailures={MESSAGE_COUNT} bad=0 replayed={MESSAGE_COUNT} tooOld=0")

    # A recording more than a minute old is refused for a new stream.
    out = run_tool(vectors_tool, "decode", "--key", KEY.hex(), "--time-us", str(now_us + 61_000_000), stdin=stdin)
    assert out[-1].endswith(f"signatureFailures={MESSAGE_COUNT} bad=0 replayed=0 tooOld={MESSAGE_COUNT}")

    # Without a key the frames pass, marked unchecked.
    out = run_tool(vectors_tool, "decode", stdin=stdin)
    assert all(line.endswith("unchecked match") for line in out[:-1]) and len(out) == MESSAGE_COUNT + 1
