"""Tools/flight-report turns a Kestrel ULog into one PNG.

The log comes from `flightlog-sample flight DIR` (Sources/flightlog-sample/SampleFlight.swift): a deterministic
five-minute flight written through Kestrel's real logging pipeline, with every topic the report draws. The tests
check the PNG's size, that each panel's colours are really drawn, that panels without data say so instead of failing,
that unreadable files give one line and exit 1, and the report's own arithmetic (local coordinates, Euler angles,
terminal-phase windows) against independent values.

Run from the repo root after `swift build`:  .venv/bin/python -m pytest Tests/Interop/test_flight_report.py
"""
import importlib.machinery
import importlib.util
import math
import pathlib
import struct
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image
from pyulog import ULog

REPO = pathlib.Path(__file__).resolve().parents[2]
TOOL = REPO / "Tools" / "flight-report"
WIDTH, HEIGHT = 1600, 2200


def load_tool():
    loader = importlib.machinery.SourceFileLoader("flight_report", str(TOOL))
    spec = importlib.util.spec_from_loader("flight_report", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


def report(*args, direct=False):
    cmd = [str(TOOL), *map(str, args)] if direct else [sys.executable, str(TOOL), *map(str, args)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300)


def png_size(path):
    """Width and height from the PNG IHDR chunk, read without an imaging library."""
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def colour_counts(path):
    pixels = np.asarray(Image.open(path).convert("RGB")).reshape(-1, 3)
    colours, counts = np.unique(pixels, axis=0, return_counts=True)
    return {tuple(int(v) for v in c): int(n) for c, n in zip(colours, counts)}


def rgb(hex_colour):
    return tuple(int(hex_colour[i:i + 2], 16) for i in (0, 2, 4))


@pytest.fixture(scope="module")
def generator(bin_dir):
    exe = bin_dir / "flightlog-sample"
    assert exe.exists(), f"{exe} missing: run `swift build` first"
    return str(exe)


@pytest.fixture(scope="module")
def flight_log(generator, tmp_path_factory):
    out = subprocess.run([generator, "flight", str(tmp_path_factory.mktemp("flight"))], capture_output=True,
                         text=True, timeout=300, check=True).stdout
    path = pathlib.Path(out.strip().split("=", 1)[1])
    assert path.exists()
    return path


@pytest.fixture(scope="module")
def sparse_log(generator, tmp_path_factory):
    """The pyulog interop sample: attitude, status and a gate event, but no position, TECS or innovations."""
    out = subprocess.run([generator, "write", str(tmp_path_factory.mktemp("sparse"))], capture_output=True,
                         text=True, timeout=300, check=True).stdout
    return pathlib.Path(dict(l.split("=", 1) for l in out.splitlines())["path"])


@pytest.fixture(scope="module")
def tool():
    return load_tool()


def test_sample_flight_has_every_topic_the_report_draws(flight_log, tool):
    log = ULog(str(flight_log))
    assert not log.file_corruption
    names = {d.name for d in log.data_list}
    assert set(tool.TOPICS) <= names
    gate = log.get_dataset("kestrel_gate_event").data
    assert list(gate["event"]) == [0, 2, 0, 1, 3]  # request, rejection, request, approval, wave-off


def test_report_of_full_flight(flight_log, tmp_path):
    out = tmp_path / "report.png"
    run = report(flight_log, "--out", out)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == f"wrote {out} ({WIDTH}x{HEIGHT} px, 8 of 8 panels)"
    assert run.stderr == ""
    assert png_size(out) == (WIDTH, HEIGHT)
    counts = colour_counts(out)
    assert len(counts) > 1000, "an anti-aliased report with eight panels has thousands of distinct colours"
    # Not blank: about 12 % of this report is ink; the same figure with every panel empty has about 8 %.
    assert counts.get((255, 255, 255), 0) < 0.9 * WIDTH * HEIGHT
    # Each panel's own colours: track/response (blue), setpoints (orange), mode bands (mission green, loiter
    # orange, RTL purple), designated point (red star), gate approval (green) and wave-off (purple) markers.
    for colour, minimum in (("08519c", 2000), ("e6550d", 1000), ("74c476", 5000), ("fdae6b", 5000),
                            ("9e9ac8", 5000), ("de2d26", 50), ("31a354", 100), ("756bb1", 100)):
        assert counts.get(rgb(colour), 0) >= minimum, f"colour #{colour} drawn on {counts.get(rgb(colour), 0)} px"


def test_run_directly_finds_the_venv(flight_log, tmp_path):
    out = tmp_path / "direct.png"
    run = report(flight_log, "--out", out, direct=True)
    assert run.returncode == 0, run.stderr
    assert png_size(out) == (WIDTH, HEIGHT)


def test_panels_without_topics_say_so(sparse_log, tmp_path):
    out = tmp_path / "sparse.png"
    run = report(sparse_log, "--out", out)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().endswith(
        "3 of 8 panels; no data for: ground track, altitude, airspeed, innovations, test ratios)")
    assert png_size(out) == (WIDTH, HEIGHT)
    counts = colour_counts(out)
    assert counts.get(rgb("f0f0f0"), 0) > 5 * 2000, "the 'no data' boxes are missing"
    assert counts.get(rgb("08519c"), 0) > 1000, "roll/pitch from vehicle_attitude not drawn"


def one_error_line(run, *fragments):
    assert run.returncode == 1, f"exit {run.returncode}: {run.stdout}{run.stderr}"
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("flight-report: ")
    for f in fragments:
        assert f in lines[0], lines[0]
    assert "Traceback" not in run.stderr


def test_unreadable_files_give_one_line_and_exit_1(flight_log, tmp_path):
    junk = tmp_path / "junk.ulg"
    junk.write_bytes(bytes((i * 73 + 11) % 256 for i in range(5000)))
    one_error_line(report(junk, "--out", tmp_path / "j.png"), "junk.ulg: not a readable ULog file")
    empty = tmp_path / "empty.ulg"
    empty.write_bytes(b"")
    one_error_line(report(empty, "--out", tmp_path / "e.png"), "empty.ulg: not a readable ULog file")
    header_only = tmp_path / "header.ulg"
    header_only.write_bytes(flight_log.read_bytes()[:16] + b"\xff\xff\xff")
    one_error_line(report(header_only, "--out", tmp_path / "h.png"), "header.ulg: not a readable ULog file")
    one_error_line(report(tmp_path / "missing.ulg", "--out", tmp_path / "m.png"), "missing.ulg: no such file")
    one_error_line(report(flight_log, "--out", tmp_path / "no" / "dir.png"), "cannot write the report")
    for name in ("j.png", "e.png", "h.png", "m.png"):
        assert not (tmp_path / name).exists()


def test_corrupted_data_is_reported_not_fatal(flight_log, tmp_path):
    data = bytearray(flight_log.read_bytes())
    for i in range(4000, len(data), 997):
        data[i] ^= 0x5A
    bad = tmp_path / "flipped.ulg"
    bad.write_bytes(bytes(data))
    run = report(bad, "--out", tmp_path / "flipped.png")
    assert run.returncode == 0
    assert "pyulog reports corruption" in run.stderr and len(run.stderr.strip().splitlines()) == 1
    assert png_size(tmp_path / "flipped.png") == (WIDTH, HEIGHT)


# The report's arithmetic -----------------------------------------------------------------------------------------

def test_local_coordinates_match_kestrels_local_frame(flight_log, tool):
    """local_ne (used for waypoints and global-only tracks) against Kestrel's exact ECEF-based LocalFrame."""
    log = ULog(str(flight_log))
    lp = log.get_dataset("vehicle_local_position").data
    gp = log.get_dataset("vehicle_global_position").data
    north, east = tool.local_ne(gp["lat"], gp["lon"], lp["ref_lat"][0], lp["ref_lon"][0])
    distance = np.hypot(lp["x"], lp["y"])
    assert distance.max() > 900
    error = np.hypot(north - lp["x"], east - lp["y"])
    assert error.max() < 0.5 + 1e-3 * distance.max()


def test_euler_angles_from_quaternions(tool):
    roll, pitch, yaw = math.radians(25), math.radians(-12), math.radians(140)
    cr, sr = math.cos(roll / 2), math.sin(roll / 2)
    cp, sp = math.cos(pitch / 2), math.sin(pitch / 2)
    cy, sy = math.cos(yaw / 2), math.sin(yaw / 2)
    q = {"q[0]": cr * cp * cy + sr * sp * sy, "q[1]": sr * cp * cy - cr * sp * sy,
         "q[2]": cr * sp * cy + sr * cp * sy, "q[3]": cr * cp * sy - sr * sp * cy}
    r, p = tool.euler_deg({k: np.array([v]) for k, v in q.items()}, "q")
    assert r[0] == pytest.approx(25, abs=1e-9) and p[0] == pytest.approx(-12, abs=1e-9)


def test_terminal_window_spans_approval_to_wave_off(flight_log, tool):
    log = tool.LogData(ULog(str(flight_log)))
    events = tool.gate_events(log)
    approval = [e[0] for e in events if e[1] == 1]
    wave_off = [e[0] for e in events if e[1] == 3]
    assert tool.terminal_windows(log, events, 300.0) == [(approval[0], wave_off[0])]
    assert 5 < wave_off[0] - approval[0] < 7
