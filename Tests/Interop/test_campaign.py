"""Tools/campaign on a local Ray instance: a small campaign of the demo with dispersed wind and turbulence writes
runs.csv, summary.txt and the histograms, classifies every run, and one seed rerun alone gives the same figures bit for
bit; a campaign of the tailwind launch finds the crash unsafe (exit 3) and prints the command that reproduces it."""
import csv
import json
import os
import pathlib
import subprocess
import sys

from conftest import REPO

CAMPAIGN = REPO / "Tools" / "campaign"


def run_campaign(bin_dir, *args, timeout=240):
    env = dict(os.environ, KESTREL_BIN_DIR=str(bin_dir), RAY_USAGE_STATS_ENABLED="0")
    return subprocess.run([sys.executable, str(REPO / "Tools" / "campaign.py"), *args], capture_output=True,
                          text=True, timeout=timeout, env=env, cwd=REPO)


def read_rows(out):
    with open(out / "runs.csv") as f:
        return list(csv.DictReader(f))


def test_demo_campaign_classifies_every_run_and_reruns_bit_identical(kestrel, bin_dir, tmp_path):
    out = tmp_path / "demo"
    proc = run_campaign(bin_dir, "Scenarios/demo.toml", "--runs", "6", "--first-seed", "11", "--duration-s", "60",
                        "--dispersion", "wind,turbulence", "--out", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows = read_rows(out)
    assert [int(r["seed"]) for r in rows] == list(range(11, 17))
    assert all(r["safe"] in ("yes", "no") for r in rows)
    assert all(r["safe"] == "yes" and r["exit_status"] == "0" for r in rows), rows
    # The dispersion changed from run to run and is recorded.
    assert len({r["wind_speed_mps"] for r in rows}) == 6
    assert all(r["turbulence"] in ("none", "light", "moderate", "severe") for r in rows)
    assert all(r["altitude_m_rms"] != "" and float(r["altitude_m_rms"]) >= 0 for r in rows), rows
    summary = (out / "summary.txt").read_text()
    assert "6 runs" in summary and "safe: 6/6 (100.0 %)" in summary
    assert "altitude_m RMS: p50" in summary and "UNSAFE" not in summary
    assert {p.name for p in out.glob("*.png")} >= {"cross_track_m_rms.png", "altitude_m_rms.png",
                                                     "airspeed_mps_rms.png", "loiter_radius_m_rms.png"}
    # The per-run scenario is a copy with only the wind changed.
    scenario = (out / "scenarios" / "seed-13.toml").read_text()
    assert f'{REPO}/Hardware/airframes/kestrel-2m.toml' in scenario
    rerun = run_campaign(bin_dir, "Scenarios/demo.toml", "--rerun", "13", "--duration-s", "60",
                         "--dispersion", "wind,turbulence", "--out", str(out))
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert "seed 13: identical" in rerun.stdout


def test_batch_and_per_process_campaigns_agree(kestrel, bin_dir, tmp_path):
    """The same seeds flown as `kestrel sim --batch` processes (two Ray tasks of two runs, two threads each) and as
    one process per run: runs.csv and every run's summary JSON are the same, bar wall times and the temporary path
    the run's scenario was read from."""
    common = ["Scenarios/demo.toml", "--runs", "4", "--first-seed", "31", "--duration-s", "60",
              "--dispersion", "wind,turbulence,faults"]
    batch, process = tmp_path / "batch", tmp_path / "process"
    proc = run_campaign(bin_dir, *common, "--out", str(batch), "--task-cpus", "2", "--batch-runs", "2")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "batch: 2 tasks of up to 2 runs on 2 CPUs" in (batch / "summary.txt").read_text()
    proc = run_campaign(bin_dir, *common, "--out", str(process), "--mode", "process")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "one process per run" in (process / "summary.txt").read_text()
    strip = lambda rows: [{k: v for k, v in r.items() if k != "wall_s"} for r in rows]
    batch_rows = read_rows(batch)
    assert [int(r["seed"]) for r in batch_rows] == [31, 32, 33, 34]
    assert strip(batch_rows) == strip(read_rows(process))
    assert len({r["altitude_m_rms"] for r in batch_rows}) == 4, batch_rows
    for seed in range(31, 35):
        a, b = (json.loads((d / "scenarios" / f"seed-{seed}.json").read_text()) for d in (batch, process))
        assert a.pop("scenario").endswith(f"seed-{seed}.toml") and b.pop("scenario").endswith(f"seed-{seed}.toml")
        assert a == b, f"seed {seed}: batch and per-process summaries differ"


def test_a_batch_process_that_dies_costs_only_its_runs_flown_alone(kestrel, tmp_path):
    """A trap in one run would take the whole `kestrel sim --batch` process down: the runs it did not report are flown
    alone afterwards, with their figures, and say so."""
    campaign = load_campaign_module()
    fake = tmp_path / "kestrel"
    fake.write_text(f'#!/bin/sh\nfor a in "$@"; do [ "$a" = --batch ] && {{ echo "Fatal error: trap" >&2; exit 134; }}; done\n'
                    f'exec {kestrel} "$@"\n')
    fake.chmod(0o755)
    text = campaign.run_scenario_text(REPO / "Scenarios/launch/tailwind-crash.toml", {})
    results = campaign.run_batch(str(fake), [(4, text), (5, text)], None, 2)
    assert [r["seed"] for r in results] == [4, 5]
    for r in results:
        assert r["exit_status"] == 3 and r["summary"]["crashed"] is True and r["summary"]["seed"] == r["seed"], r
        assert r["stderr"].startswith("flown alone: the batch process exited 134 before reporting it (Fatal error: "
                                      "trap)"), r["stderr"]


def test_crash_campaign_is_unsafe_with_a_reproducing_command(kestrel, bin_dir, tmp_path):
    out = tmp_path / "crash"
    proc = run_campaign(bin_dir, "Scenarios/launch/tailwind-crash.toml", "--runs", "2", "--dispersion", "turbulence",
                        "--out", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows = read_rows(out)
    assert len(rows) == 2
    for r in rows:
        assert r["safe"] == "no" and r["exit_status"] == "3" and r["crashed"] == "True", r
        assert "crashed at" in r["reasons"] and "exit status 3" in r["reasons"]
    summary = (out / "summary.txt").read_text()
    assert "safe: 0/2 (0.0 %)" in summary
    assert "UNSAFE seed 1:" in summary and "UNSAFE seed 2:" in summary
    alone = next(line for line in summary.splitlines() if line.strip().startswith("or alone:"))
    cmd = alone.split("or alone:", 1)[1].strip()
    rerun = subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=120)
    assert rerun.returncode == 3, rerun.stdout + rerun.stderr


def test_refused_launches_are_safe_and_counted_as_not_flown(kestrel, bin_dir, tmp_path):
    """The tailwind launch with the wind declared: every run refuses to arm, which is safe, and the summary says that
    nothing launched, so a campaign whose vehicles stayed on the ground is never read as a good one."""
    out = tmp_path / "refused"
    proc = run_campaign(bin_dir, "Scenarios/launch/tailwind-refused.toml", "--runs", "2", "--dispersion", "turbulence",
                        "--out", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows = read_rows(out)
    assert [(r["safe"], r["launched"]) for r in rows] == [("yes", "no"), ("yes", "no")], rows
    assert all(r["arming_refused"].startswith("arming refused: airspeed off the launcher") for r in rows), rows
    summary = (out / "summary.txt").read_text()
    assert "safe: 2/2 (100.0 %)" in summary and "launched: 0/2; arming refused: 2 (seeds 1, 2; first: arming " \
        "refused: airspeed off the launcher would be 4.0 m/s" in summary, summary


def test_bad_dispersion_is_one_line(bin_dir, tmp_path):
    proc = run_campaign(bin_dir, "Scenarios/demo.toml", "--dispersion", "gravity", "--out", str(tmp_path))
    assert proc.returncode == 1 and proc.stderr.strip() == "campaign: unknown dispersion gravity: use wind,turbulence,faults,devices,stuck"


def load_campaign_module():
    import importlib.util
    spec = importlib.util.spec_from_file_location("campaign", REPO / "Tools" / "campaign.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def synthetic(transitions, gate_events):
    return {"seed": 1, "exit_status": 0, "wall_s": 0.0,
            "summary": {"crashed": False, "crash": None, "metrics": {}, "final_mode": "loiter",
                        "items_completed": 1,
                        "transitions": [{"time_s": t, "from": a, "to": b, "reason": ""} for t, a, b in transitions],
                        "gate_events": [{"time_s": t, "event": e, "outcome": o} for t, e, o in gate_events]}}


def test_classifier_flags_terminal_without_approval_and_an_ignored_wave_off():
    c = load_campaign_module()
    approved = synthetic([(1, "approval-pending", "terminal"), (5, "terminal", "wave-off")],
                         [(1, "approval", "terminalEntered"), (4, "waveOff", "terminalLeft")])
    assert c.classify(approved) == []
    unapproved = synthetic([(1, "approval-pending", "terminal")], [(2, "approval", "terminalEntered")])
    assert c.classify(unapproved) == ["terminal at 1.0 s without an accepted approval before it"]
    rejected = synthetic([(1, "approval-pending", "terminal")], [(1, "approval", "rejected")])
    assert c.classify(rejected) == ["terminal at 1.0 s without an accepted approval before it"]
    ignored = synthetic([(1, "approval-pending", "terminal")],
                        [(1, "approval", "terminalEntered"), (4, "waveOff", "terminalLeft")])
    assert c.classify(ignored) == ["wave-off at 4.0 s not honoured: still terminal"]


def test_dispersion_is_drawn_from_the_seed_alone():
    c = load_campaign_module()
    assert c.draw(7, ["wind", "turbulence"], 8.0) == c.draw(7, ["wind", "turbulence"], 8.0)
    assert c.draw(7, ["wind"], 8.0)["wind_speed_mps"] == c.draw(7, ["wind", "turbulence"], 8.0)["wind_speed_mps"]
    assert c.draw(7, ["wind"], 8.0) != c.draw(8, ["wind"], 8.0)


def load_campaign_module():
    import importlib.util
    spec = importlib.util.spec_from_file_location("campaign", CAMPAIGN.parent / "campaign.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_fault_draws_are_reproducible_and_written_into_the_scenario():
    """The faults dispersion draws one fault per seed from its own RNG (so wind and turbulence draws do not move) and
    writes it as the scenario tables the simulator reads."""
    campaign = load_campaign_module()
    draws = [campaign.draw(seed, ["wind", "faults"], 8.0) for seed in range(1, 200)]
    assert {d["fault"] for d in draws} == set(campaign.FAULT_KINDS)
    assert draws[0] == campaign.draw(1, ["wind", "faults"], 8.0)
    assert draws[0]["wind_speed_mps"] == campaign.draw(1, ["wind"], 8.0)["wind_speed_mps"]
    link = next(d for d in draws if d["fault"] == "link_loss")
    text = campaign.run_scenario_text(REPO / "Scenarios/demo.toml", link)
    import tomllib
    windows = tomllib.loads(text)["operator"]["link_loss"]
    assert windows[-1] == {"from_s": link["fault_start_s"], "to_s": link["fault_start_s"] + link["fault_duration_s"]}
    forged = next(d for d in draws if d["fault"] == "forged")
    actions = tomllib.loads(campaign.run_scenario_text(REPO / "Scenarios/demo.toml", forged))["operator"]["actions"]
    assert actions[-1] == {"after_request_s": forged["fault_after_request_s"], "action": "forged"}


def test_a_link_loss_without_its_failsafe_is_unsafe():
    """The link-loss invariant on a run's summary: lost for longer than the timeout while in the mission, the vehicle
    must enter the link-loss failsafe within 2 s of the timeout; a run that did not is unsafe, naming why."""
    campaign = load_campaign_module()
    values = {"fault": "link_loss", "fault_start_s": 100.0, "fault_duration_s": 30.0}
    flown = [{"from": "disarmed", "to": "standby", "time_s": 2.0, "reason": "armed"},
             {"from": "standby", "to": "launch", "time_s": 8.0, "reason": "launch detected"},
             {"from": "launch", "to": "mission", "time_s": 25.0, "reason": "launch height reached"}]
    summary = {"crashed": False, "crash": None, "gate_events": [], "simulated_s": 600.0, "transitions": flown}
    result = {"exit_status": 0, "summary": summary}
    assert campaign.classify(result, values, 10.0) == ["link lost at 100.0 s for 30.0 s: no link-loss failsafe by "
                                                        "112.0 s"]
    summary["transitions"] = flown + [{"from": "mission", "to": "rtl", "time_s": 110.0,
                                       "reason": "failsafe: link loss"}]
    assert campaign.classify(result, values, 10.0) == []
    # Shorter than the timeout: nothing is due.
    summary["transitions"] = flown
    assert campaign.classify(result, dict(values, fault_duration_s=9.0), 10.0) == []


def test_leaving_the_geofence_is_unsafe_even_with_its_failsafe():
    """A run whose vehicle breached the geofence is unsafe although the geofence failsafe then flew it home: the fence
    must never be left (found by the 10 m/s wind-set campaign, which counted such runs safe)."""
    campaign = load_campaign_module()
    transitions = [{"from": "launch", "to": "mission", "time_s": 25.0, "reason": "launch height reached"},
                   {"from": "mission", "to": "rtl", "time_s": 389.0, "reason": "failsafe: geofence breach"}]
    summary = {"crashed": False, "crash": None, "gate_events": [], "simulated_s": 600.0, "transitions": transitions}
    assert campaign.classify({"exit_status": 0, "summary": summary}) == [
        "left the geofence at 389.0 s (mission -> rtl)"]


def test_the_exclusion_volume_after_an_approved_approach_is_not_a_breach():
    """Entering the designation's exclusion volume without an approval is unsafe (seed 108 of the 1000-run demo
    campaign sank into it in severe turbulence before any request); being inside it when an approved approach ends
    is by design, and the failsafe that then flies the vehicle out is no breach."""
    campaign = load_campaign_module()
    reason = "failsafe: entered the designation's exclusion volume without approval"
    before = [{"from": "launch", "to": "mission", "time_s": 25.0, "reason": "launch height reached"},
              {"from": "mission", "to": "rtl", "time_s": 409.2, "reason": reason}]
    summary = {"crashed": False, "crash": None, "gate_events": [], "simulated_s": 600.0, "transitions": before}
    assert campaign.classify({"exit_status": 0, "summary": summary}) == [
        "entered the exclusion volume without approval at 409.2 s"]
    summary["transitions"] = [
        {"from": "mission", "to": "approval-pending", "time_s": 420.0, "reason": "terminal requested"},
        {"from": "approval-pending", "to": "terminal", "time_s": 425.1, "reason": "approved by operator key 86"},
        {"from": "terminal", "to": "loiter", "time_s": 531.4, "reason": "terminal phase finished"},
        {"from": "loiter", "to": "rtl", "time_s": 531.5, "reason": reason}]
    summary["gate_events"] = [{"time_s": 425.1, "event": "approval", "outcome": "terminalEntered"}]
    assert campaign.classify({"exit_status": 0, "summary": summary}) == []


def test_device_fault_draws_leave_the_other_dispersions_alone_and_reach_the_scenario():
    """The devices dispersion draws one chip per seed (or none) from its own RNG: adding it changes no wind,
    turbulence or fault draw, and the drawn fault is written as a [[device_faults]] table the simulator reads."""
    campaign = load_campaign_module()
    draws = [campaign.draw(seed, ["wind", "turbulence", "faults", "devices"], 8.0) for seed in range(1, 200)]
    assert {d["device_fault"] for d in draws} == set(campaign.DEVICE_FAULT_KINDS)
    for seed, d in zip(range(1, 200), draws):
        without = campaign.draw(seed, ["wind", "turbulence", "faults"], 8.0)
        assert {k: v for k, v in d.items() if not k.startswith("device_fault")} == without
    imu = next(d for d in draws if d["device_fault"] == "imu")
    import tomllib
    tables = tomllib.loads(campaign.run_scenario_text(REPO / "Scenarios/demo.toml", imu))["device_faults"]
    assert tables == [{"device": "imu", "effect": imu["device_fault_effect"], "start_s": imu["device_fault_start_s"],
                       "duration_s": imu["device_fault_duration_s"]}]


def test_an_imu_loss_without_the_estimator_failsafe_is_unsafe():
    """An IMU silent for longer than 0.5 s in flight must bring the estimator failsafe within 1 s of going silent;
    a run that did not is unsafe, naming why. Shorter dropouts, or on the catapult, owe nothing."""
    campaign = load_campaign_module()
    values = {"device_fault": "imu", "device_fault_effect": "nack", "device_fault_start_s": 150.0,
              "device_fault_duration_s": 3.0}
    flown = [{"from": "standby", "to": "launch", "time_s": 8.0, "reason": "launch detected"},
             {"from": "launch", "to": "mission", "time_s": 25.0, "reason": "launch height reached"}]
    summary = {"crashed": False, "crash": None, "gate_events": [], "simulated_s": 600.0, "transitions": flown}
    result = {"exit_status": 0, "summary": summary}
    assert campaign.classify(result, values) == ["IMU silent from 150.0 s for 3.00 s: no estimator failsafe by "
                                                 "151.0 s"]
    summary["transitions"] = flown + [{"from": "mission", "to": "failsafe", "time_s": 150.5,
                                       "reason": "failsafe: estimator failure"}]
    assert campaign.classify(result, values) == []
    summary["transitions"] = flown
    assert campaign.classify(result, dict(values, device_fault_duration_s=0.3)) == []
    assert campaign.classify(result, dict(values, device_fault_start_s=5.0)) == []


def test_stuck_sensor_draws_leave_the_other_dispersions_alone_and_reach_the_scenario():
    """The stuck dispersion draws one sensor per seed (or none) from its own RNG: adding it changes no other draw, and
    the drawn sensor is written as a [[device_faults]] table with effect "stuck", after the devices one."""
    campaign = load_campaign_module()
    draws = [campaign.draw(seed, ["wind", "faults", "devices", "stuck"], 8.0) for seed in range(1, 200)]
    assert {d["stuck_sensor"] for d in draws} == set(campaign.STUCK_SENSOR_KINDS)
    for seed, d in zip(range(1, 200), draws):
        without = campaign.draw(seed, ["wind", "faults", "devices"], 8.0)
        assert {k: v for k, v in d.items() if not k.startswith("stuck_")} == without
    both = next(d for d in draws if d["stuck_sensor"] == "imu" and d["device_fault"] != "none")
    import tomllib
    tables = tomllib.loads(campaign.run_scenario_text(REPO / "Scenarios/demo.toml", both))["device_faults"]
    assert tables[-1] == {"device": "imu", "effect": "stuck", "start_s": both["stuck_start_s"],
                          "duration_s": both["stuck_duration_s"]}
    assert len(tables) == 2


def test_a_stuck_imu_without_the_estimator_failsafe_is_unsafe():
    """An IMU stuck in flight for longer than its detection (0.2 s) and 0.5 s of silence must bring the estimator
    failsafe within 1.2 s; a run that did not is unsafe, naming why. A short freeze owes nothing."""
    campaign = load_campaign_module()
    values = {"stuck_sensor": "imu", "stuck_start_s": 150.0, "stuck_duration_s": 3.0}
    flown = [{"from": "standby", "to": "launch", "time_s": 8.0, "reason": "launch detected"},
             {"from": "launch", "to": "mission", "time_s": 25.0, "reason": "launch height reached"}]
    summary = {"crashed": False, "crash": None, "gate_events": [], "simulated_s": 600.0, "transitions": flown}
    result = {"exit_status": 0, "summary": summary}
    assert campaign.classify(result, values) == ["IMU stuck from 150.0 s for 3.00 s: no estimator failsafe by "
                                                 "151.2 s"]
    summary["transitions"] = flown + [{"from": "mission", "to": "failsafe", "time_s": 150.8,
                                       "reason": "failsafe: estimator failure"}]
    assert campaign.classify(result, values) == []
    summary["transitions"] = flown
    assert campaign.classify(result, dict(values, stuck_duration_s=0.6)) == []
    assert campaign.classify(result, dict(values, stuck_sensor="barometer")) == []


def test_a_chip_that_lost_power_and_was_never_configured_again_is_unsafe():
    """After a power loss the chip's driver must configure it again once it answers; a run whose summary counts no
    reconfiguration of that chip is unsafe, naming why. The pitot has nothing to configure; a run that ended before
    the chip came back owes nothing."""
    campaign = load_campaign_module()
    values = {"device_fault": "servo_board", "device_fault_effect": "power_loss", "device_fault_start_s": 90.1,
              "device_fault_duration_s": 0.66}
    summary = {"crashed": False, "crash": None, "gate_events": [], "simulated_s": 600.0, "transitions": [],
               "reconfigurations": {"imu": 0, "barometer": 0, "servo_board": 0}}
    result = {"exit_status": 0, "summary": summary}
    assert campaign.classify(result, values) == ["servo_board lost power at 90.1 s for 0.66 s: never configured again"]
    summary["reconfigurations"]["servo_board"] = 1
    assert campaign.classify(result, values) == []
    assert campaign.classify(result, dict(values, device_fault="airspeed")) == []
    summary["reconfigurations"]["servo_board"] = 0
    assert campaign.classify(result, dict(values, device_fault_effect="nack")) == []
    summary["simulated_s"] = 91.0
    assert campaign.classify(result, values) == []


def test_a_device_fault_campaign_runs_safe(kestrel, bin_dir, tmp_path):
    """Seeds 4 and 19 of the devices dispersion: the IMU loses power for 0.33 s at 229.9 s, and times out for 1.39 s
    at 219.0 s, in the demo's legs. Both fail safe where they must (the estimator failsafe within 1 s of the longer
    silence), the IMU's driver configures the chip again after the power loss, and both are classified safe."""
    def one_seed(seed, duration_s, fault):
        out = tmp_path / f"devices-{seed}"
        proc = run_campaign(bin_dir, "Scenarios/demo.toml", "--runs", "1", "--first-seed", str(seed), "--duration-s",
                            str(duration_s), "--dispersion", "devices", "--out", str(out))
        assert proc.returncode == 0, proc.stdout + proc.stderr
        (r,) = read_rows(out)
        assert (r["device_fault"], r["device_fault_effect"], r["device_fault_start_s"]) == fault
        assert r["safe"] == "yes" and r["crashed"] == "False", r
        return json.loads((out / "scenarios" / f"seed-{seed}.json").read_text())
    summary = one_seed(4, 235, ("imu", "power_loss", "229.9"))
    assert summary["reconfigurations"]["imu"] == 1, summary["reconfigurations"]
    one_seed(19, 225, ("imu", "timeout", "219.0"))


def test_bad_batch_layout_is_one_line(bin_dir, tmp_path):
    proc = run_campaign(bin_dir, "Scenarios/demo.toml", "--task-cpus", "0", "--out", str(tmp_path))
    assert proc.returncode == 1 and proc.stderr.strip() == "campaign: --task-cpus must be between 1 and 1024, got 0"
    proc = run_campaign(bin_dir, "Scenarios/demo.toml", "--runs", "1", "--task-cpus", "1000", "--out", str(tmp_path))
    assert proc.returncode == 1 and proc.stderr.strip().endswith(
        "campaign: --task-cpus 1000: no node of the cluster has that many CPUs (the largest has "
        f"{os.cpu_count()})"), proc.stderr
