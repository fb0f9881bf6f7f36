"""Interop: the closed loop on two engines (issue 17). The same HIL board (`kestrel fly --hil`) flies the same mission
(Scenarios/hil/compare-mission.toml: the demo's route shortened to a climb-out, two straight legs and a 120 m orbit)
in the same steady 5 m/s wind (no turbulence; the simulators' GPS position error off on both, see below) against
Kestrel's plant (`kestrel sim --hil-serve`) and against JSBSim 1.3.3 (`Tools/jsbsim-hil`), both rigs at once on their
own ports. Tools/hil-compare computes, with one function
(Tools/jsbsim/closed_loop_metrics.py) from each simulator's truth, cross-track RMS on the straight legs, loiter radius
error RMS, altitude error RMS and airspeed error RMS, prints both side by side and requires every JSBSim figure within
20 % of Kestrel's (or within 0.5 m / 0.1 m/s). Bounded to 240 s of wall time.

Why the GPS error is off: its position error wanders slowly (1.2 m horizontal, 2 m vertical 1σ, 60 s correlation), so
on one 150 s flight each engine gets one draw of a near-constant offset, which the board's estimate follows and the
truth figures then mostly measure (with it on, one run: cross-track 2.88 m on Kestrel's plant against 1.81 m on
JSBSim, while the tracking of the board's own estimate was 0.62 against 0.45 m). The board's filter keeps its
nominal GPS noise; every other sensor error model stays on.

    KESTREL_BIN_DIR=$(swift build --show-bin-path) .venv/bin/python -m pytest -s \
        Tests/Interop/test_jsbsim_closed_loop.py
"""
import json
import math
import pathlib
import subprocess
import sys
import time

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
TOOL = REPO / "Tools" / "hil-compare"

pytest.importorskip("jsbsim")
pytest.importorskip("pyulog")


def test_the_mission_on_kestrels_plant_and_on_jsbsim_agrees_within_20_percent(kestrel, tmp_path):
    started = time.time()
    r = subprocess.run([sys.executable, str(TOOL), "--kestrel-bin", str(kestrel), "--seconds", "150",
                        "--out", str(tmp_path / "rigs"), "--json", str(tmp_path / "figures.json")],
                       cwd=REPO, capture_output=True, text=True, timeout=230)
    print(r.stdout, r.stderr[-3000:])
    elapsed = time.time() - started
    print(f"closed-loop comparison: {elapsed:.0f} s of wall time")
    assert r.returncode in (0, 1), r.stderr
    result = json.loads((tmp_path / "figures.json").read_text())
    for engine in ("kestrel", "jsbsim"):
        f = result["figures"][engine]
        # The route was flown: both legs past their settling distance, the orbit captured, the mission's heights.
        assert f["cross_track_samples"] > 120 and f["loiter_radius_samples"] > 150 and f["altitude_samples"] > 600, f
        assert all(math.isfinite(f[k]) for k in ("cross_track_rms_m", "loiter_radius_rms_m", "altitude_rms_m",
                                                  "airspeed_rms_mps")), f
    assert r.returncode == 0 and result["disagree"] == [], r.stdout
    assert elapsed < 240


def test_bad_input_is_one_line(tmp_path):
    cases = [
        (["--seconds", "5"], "--seconds must be between 60 and 3600"),
        (["--turbulence", "gusty"], "invalid choice: 'gusty'"),
        (["--kestrel-bin", str(tmp_path / "nope")], "not an executable"),
        (["--analyze", str(tmp_path / "a"), str(tmp_path / "b")], "not a directory"),
        (["--analyze", str(tmp_path), str(tmp_path)], "no kestrel_*.ulg flight log"),
    ]
    for args, message in cases:
        r = subprocess.run([sys.executable, str(TOOL), *args], cwd=REPO, capture_output=True, text=True, timeout=60)
        assert r.returncode in (1, 2), (args, r.stdout, r.stderr)
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("hil-compare: error:") and message in lines[0], (args, r.stderr)
        assert "Traceback" not in r.stderr


@pytest.mark.parametrize("cross, expected", [(3.0, True), (3.7, False), (0.1, True), (0.55, True)])
def test_the_bound_is_relative_with_an_absolute_floor(cross, expected):
    """20 % of Kestrel's figure, or 0.5 m whatever the ratio (Kestrel 3 m: 3.7 m disagrees; Kestrel 0.1 m: 0.55 m
    agrees)."""
    sys.path.insert(0, str(REPO / "Tools"))
    import importlib.machinery
    import importlib.util
    loader = importlib.machinery.SourceFileLoader("hil_compare", str(TOOL))
    spec = importlib.util.spec_from_loader("hil_compare", loader)
    tool = importlib.util.module_from_spec(spec)
    loader.exec_module(tool)
    args = tool.arguments(["--analyze", "a", "b"])
    base = 3.0 if cross >= 1 else 0.1
    k = {"cross_track_rms_m": base, "loiter_radius_rms_m": 2.0, "altitude_rms_m": 1.0, "airspeed_rms_mps": 0.5,
         "cross_track_samples": 1, "loiter_radius_samples": 1, "altitude_samples": 1, "wind_estimate_north_mps": 1.7,
         "wind_estimate_east_mps": 4.7, "launch_s": 5, "mission_s": 20}
    j = dict(k, cross_track_rms_m=cross)
    assert (tool.compare({"kestrel": k, "jsbsim": j}, args) == []) == expected
