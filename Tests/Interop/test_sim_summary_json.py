"""`kestrel sim --summary-json FILE` writes the run's figures as JSON (what Tools/campaign classifies runs by), also
for a crashed run, and a path it cannot write is one typed line, not a crash."""
import json
import subprocess

from conftest import REPO


def test_summary_json_of_a_crashed_run(kestrel, tmp_path):
    out = tmp_path / "s.json"
    proc = subprocess.run([str(kestrel), "sim", str(REPO / "Scenarios/launch/tailwind-crash.toml"), "--no-log",
                           "--seed", "9", "--summary-json", str(out)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3, proc.stdout + proc.stderr
    s = json.loads(out.read_text())
    assert s["seed"] == 9 and s["crashed"] is True and s["final_mode"] == "launch"
    assert s["crash"]["time_s"] < 20 and s["crash"]["impact_speed_mps"] > 0
    assert f"{s['simulated_s']:.1f}" in proc.stdout
    assert [t["to"] for t in s["transitions"]][:2] == ["standby", "launch"], s["transitions"]
    assert set(s["metrics"]) == {"cross_track_m", "loiter_radius_m", "altitude_m", "airspeed_mps"}
    assert s["metrics"]["loiter_radius_m"] == {"rms": None, "max": None, "samples": 0}


def test_summary_json_unwritable_path_is_one_line(kestrel, tmp_path):
    bad = tmp_path / "missing-dir" / "s.json"
    proc = subprocess.run([str(kestrel), "sim", str(REPO / "Scenarios/launch/tailwind-crash.toml"), "--no-log",
                           "--summary-json", str(bad)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "--summary-json" in lines[0] and str(bad) in lines[0], proc.stderr


def test_summary_json_needs_a_closed_loop_scenario(kestrel, tmp_path):
    proc = subprocess.run([str(kestrel), "sim", str(REPO / "Scenarios/demo-open-loop.toml"),
                           "--summary-json", str(tmp_path / "s.json")], capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0 and "--summary-json needs a closed-loop scenario" in proc.stderr
