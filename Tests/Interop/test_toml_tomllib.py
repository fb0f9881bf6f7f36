"""Differential test of Kestrel's TOML parser (Sources/TOML, through Tools/toml-dump) against Python's tomllib: every
.toml file of the repository and a set of tricky snippets must be accepted or refused by both, and read to the same
values (types included: 1 is not 1.0, a local date-time is not an offset one)."""
import datetime
import json
import math
import subprocess
import tomllib

import pytest

from conftest import REPO


@pytest.fixture(scope="session")
def toml_dump(bin_dir):
    exe = bin_dir / "toml-dump"
    assert exe.exists(), f"{exe} missing: run `swift build --product toml-dump` first"
    return exe


def canonical_time(text):
    """HH:MM:SS with the fraction cut to microseconds (tomllib's precision) and trailing zeros dropped."""
    if "." not in text:
        return text
    whole, fraction = text.split(".", 1)
    fraction = fraction[:6].rstrip("0")
    return f"{whole}.{fraction}" if fraction else whole


def from_dump(node):
    """toml-dump's tagged JSON -> comparable Python values."""
    if isinstance(node, list):
        return [from_dump(v) for v in node]
    if set(node) == {"type", "value"} and isinstance(node["type"], str) and isinstance(node["value"], str):
        kind, value = node["type"], node["value"]
        if kind == "float":
            f = float(value)
            return ("float", "nan" if math.isnan(f) else f)
        if kind == "integer":
            return ("integer", int(value))
        if kind in ("datetime", "datetime-local"):
            date, rest = value.split("T", 1)
            offset = ""
            for mark in ("Z", "+", "-"):
                if mark in rest:
                    rest, offset = rest.split(mark, 1)[0], mark + rest.split(mark, 1)[1]
                    break
            return (kind, f"{date}T{canonical_time(rest)}{offset}")
        if kind == "time-local":
            return (kind, canonical_time(value))
        return (kind, value)
    return {k: from_dump(v) for k, v in node.items()}


def offset_text(delta):
    minutes = int(delta.total_seconds() // 60)
    if minutes == 0:
        return "Z"
    sign = "-" if minutes < 0 else "+"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def time_text(t):
    text = f"{t.hour:02d}:{t.minute:02d}:{t.second:02d}"
    return canonical_time(f"{text}.{t.microsecond:06d}") if t.microsecond else text


def from_tomllib(value):
    if isinstance(value, dict):
        return {k: from_tomllib(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_tomllib(v) for v in value]
    if isinstance(value, bool):
        return ("bool", "true" if value else "false")
    if isinstance(value, int):
        return ("integer", value)
    if isinstance(value, float):
        return ("float", "nan" if math.isnan(value) else value)
    if isinstance(value, str):
        return ("string", value)
    if isinstance(value, datetime.datetime):
        text = f"{value.date().isoformat()}T{time_text(value.time())}"
        if value.tzinfo is None:
            return ("datetime-local", text)
        return ("datetime", text + offset_text(value.utcoffset()))
    if isinstance(value, datetime.date):
        return ("date-local", value.isoformat())
    if isinstance(value, datetime.time):
        return ("time-local", time_text(value))
    raise TypeError(type(value))


def kestrel_reads(toml_dump, data: bytes):
    r = subprocess.run([str(toml_dump)], input=data, capture_output=True, timeout=30)
    assert r.returncode in (0, 1), r.stderr.decode(errors="replace")
    if r.returncode == 1:
        assert r.stderr.strip(), "a refusal must say why"
        return None, r.stderr.decode(errors="replace")
    return from_dump(json.loads(r.stdout)), None


def tomllib_reads(data: bytes):
    try:
        return from_tomllib(tomllib.loads(data.decode("utf-8"))), None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, ValueError) as e:
        return None, str(e)


def compare(toml_dump, data: bytes):
    ours, our_error = kestrel_reads(toml_dump, data)
    theirs, their_error = tomllib_reads(data)
    assert (ours is None) == (theirs is None), (
        f"acceptance differs on {data!r}: Kestrel {'refused: ' + our_error if ours is None else 'accepted'}, "
        f"tomllib {'refused: ' + their_error if theirs is None else 'accepted'}")
    assert ours == theirs, f"values differ on {data!r}"
    return ours is not None


REPOSITORY_FILES = sorted(p for p in REPO.rglob("*.toml")
                          if not any(part.startswith(".") for part in p.relative_to(REPO).parts))


def test_the_repository_has_toml_files():
    assert len(REPOSITORY_FILES) >= 5, REPOSITORY_FILES


@pytest.mark.parametrize("path", REPOSITORY_FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_repository_file(toml_dump, path):
    assert compare(toml_dump, path.read_bytes()), f"{path} must parse"


VALID = [
    'a = 1\nb = -2\nc = +3\nd = 0\ne = 1_000\nf = 0xdead_BEEF\ng = 0o17\nh = 0b101\n',
    'i = 9223372036854775807\nj = -9223372036854775808\n',
    'a = 1.0\nb = -0.5e-3\nc = 1e06\nd = 6.626e-34\ne = inf\nf = -inf\ng = nan\nh = +nan\ni = 1_0.0_1e1_0\n',
    'a = 1e400\nb = 0.1\nc = 3.141592653589793\nd = 5e-324\n',
    'a = true\nb = false\n',
    'a = "\\b\\t\\n\\f\\r\\"\\\\ \\u00E9 \\U0001F600"\nb = \'C:\\x\'\nc = ""\nd = \'\'\n',
    'a = """\nroses\r\nviolets"""\nb = """x \\\n   \n  y"""\nc = """q""\\""""\nd = """a""\"""\n',
    "a = '''\nraw \\n '' text'''\nb = '''''quoted'''''\n",
    'a = 1979-05-27T07:32:00Z\nb = 1979-05-27T00:32:00.999999-07:00\nc = 1979-05-27 07:32:00+05:30\n',
    'a = 1979-05-27T07:32:00\nb = 1979-05-27\nc = 07:32:00\nd = 00:32:00.1234567\ne = 1979-05-27t07:32:00z\n',
    'a = 2000-02-29\nb = 1979-05-27T07:32:00.5\n',
    'a = [1, "b", 2.0, [3], {c = 4}]\nb = [\n  1, # one\n  2,\n]\nc = []\nd = [[], [[]]]\n',
    'a = { b = 1, c.d = "e", f = { g = [1,\n2] } }\nh = {}\n',
    '"quoted" = 1\n\'lit\' = 2\n"" = 3\na . "b.c" . d = 4\n3.14 = 5\n-_- = 6\n',
    '[a.b.c]\nd = 1\n[a]\ne = 2\n[a.b]\nf = 3\n',
    '[fruit]\napple.color = "red"\napple.taste.sweet = true\n[fruit.apple.texture]\nsmooth = true\n',
    '[[f]]\nn = 1\n[f.p]\nc = 2\n[[f.v]]\nn = 3\n[[f.v]]\nn = 4\n[[f]]\nn = 5\n',
    '[a.b.c]\n[a]\nb.d = 1\n',
    '# only a comment\n\n\n',
    '',
    'a = 1 # comment "with" [brackets]\r\n[ t ]  # table\r\nb = "#not a comment"\n',
    'k = "é ü ✓ 😀"\n"é" = 1\n',
    'a=1\nb.c=2\n[d]\ne={f=3}\n',
]

INVALID = [
    'a = 1\na = 2\n', '[a]\n[a]\n', '[a]\nb = 1\n[a.b]\n', 'a = {}\n[a]\n', 'a = {b = 1}\na.c = 2\n',
    'a = []\n[[a]]\n', '[[a]]\n[a]\n', '[a]\n[[a]]\n', '[fruit]\napple.color = 1\n[fruit.apple]\n',
    '[a.b.c]\nz = 9\n[a]\nb.c.t = 9\n', '[a.b.c]\n[a]\nb.d = 1\n[a.b]\n', 'a.b = 1\na.b.c = 2\n',
    'a = 01\n', 'a = 1__0\n', 'a = _1\n', 'a = 1_\n', 'a = +0x1\n', 'a = 0x\n', 'a = 1.\n', 'a = .1\n', 'a = 1e\n', 'a = 1.e1\n',
    'a = 03.14\n', 'a = Inf\n', 'a = NaN\n', 'a = infinity\n', 'a = True\n', 'a = bare\n',
    'a = "\\e"\n', 'a = "\\x41"\n', 'a = "\\uD800"\n', 'a = "\\U00110000"\n', 'a = "\\u12"\n', 'a = "a\nb"\n',
    'a = "\x00"\n', 'a = "\x7f"\n', "a = 'a\x01'\n", 'a = """a\rb"""\n', 'a = """a""""""\n', "a = '''a''''''\n",
    'a = 1979-05-27T\n', 'a = 1979-05-27T07:32\n', 'a = 1979-13-01\n', 'a = 1979-02-30\n', 'a = 2023-02-29\n',
    'a = 1979-05-27T24:00:00\n', 'a = 1979-05-27T07:60:00\n', 'a = 1979-05-27T07:32:60\n', 'a = 07:32\n',
    'a = 1979-05-27T07:32:00+24:00\n', 'a = 1979-05-27 7\n', 'a = 1979-5-27\n', 'a = 07:32:00.\n',
    'a = [1,,2]\n', 'a = [,]\n', 'a = [1 2]\n', 'a = [1\n', 'g=[}\n', 'a = {b=1,}\n', 'a = {b=1\n}\n',
    'a = {\nb=1}\n', 'a = {b=1, b=2}\n', '[a\n', '[a]]\n', '[[a]\n', '[]\n', '[a.]\n', '[=]\n', '[ !x]\n',
    'a\n', 'a =\n', '= 1\n', 'a = 1 b = 2\n', 'a b = 1\n', '"""a""" = 1\n', 'a = 1\r', '# \x7f\n', '# \x01\n',
    'a = 1 # \x00\n', 'é = 1\n', 'lat_deg = 42-9-05-2= 1\n', 'a = [1979-05-27t:]\n', 'l=1979-05-2G 7#\n',
    'a = tru\n', 'a = truex\n', 'a.b = 1\na = 2\n', '[[a.b]]\n[a]\nb.x = 1\n', 'x = 1\n[x.y]\n',
]


@pytest.mark.parametrize("text", VALID)
def test_valid_snippet(toml_dump, text):
    assert compare(toml_dump, text.encode()), "must parse"


@pytest.mark.parametrize("text", INVALID)
def test_invalid_snippet(toml_dump, text):
    assert not compare(toml_dump, text.encode()), "must be refused"


# TOML 1.0 asks for an error where an integer cannot be kept losslessly; Kestrel keeps 64 bits, tomllib any size.
BEYOND_INT64 = ['a = 9223372036854775808\n', 'a = -9223372036854775809\n', 'a = 0x8000000000000000\n',
                'a = 0b1' + '0' * 64 + '\n']


@pytest.mark.parametrize("text", BEYOND_INT64)
def test_integers_beyond_64_bits_are_refused_where_tomllib_keeps_them(toml_dump, text):
    ours, error = kestrel_reads(toml_dump, text.encode())
    assert ours is None and "64-bit" in error, error
    theirs, _ = tomllib_reads(text.encode())
    assert not -2**63 <= theirs["a"][1] < 2**63


def test_invalid_utf8_is_refused_by_both(toml_dump):
    assert not compare(toml_dump, b'a = "\xff"\n')
