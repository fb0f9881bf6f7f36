"""A campaign: many `kestrel sim` runs of one scenario with dispersed wind and turbulence, each classified safe or
unsafe by safety invariants checked on its summary JSON. The runs go out in chunks, one Ray task per chunk, each task
one `kestrel sim --batch` process flying its chunk on the task's CPUs (`--mode process`: one Ray task and one
`kestrel sim --summary-json` process per run, as before).

A run is reproducible from (scenario, seed, dispersions) alone: the dispersed values are drawn from RNGs seeded by
the run's seed, written into a copy of the scenario (paths made absolute), and the same seed goes to `kestrel sim`.

    Tools/campaign Scenarios/demo.toml --runs 100 --out .build/campaign
    Tools/campaign Scenarios/demo.toml --runs 100 --address ray://head:10001   # a cluster (same repo path on nodes)
    Tools/campaign Scenarios/demo.toml --rerun 7 --out .build/campaign        # one seed again, compared bit for bit
    Tools/campaign Scenarios/demo.toml --runs 100 --mode process              # one process per run
"""
import argparse
import csv
import json
import math
import os
import pathlib
import random
import re
import shlex
import subprocess
import sys
import tempfile
import time
import tomllib

REPO = pathlib.Path(__file__).resolve().parents[1]
TURBULENCE_LEVELS = ["none", "light", "moderate", "severe"]
DISPERSIONS = ["wind", "turbulence", "faults", "devices", "stuck"]
# One fault per run (or none), at a random time: GPS outage, ground-link loss, and the operator's wrong moves around a
# terminal request (a wave-off at any moment of the approach; forged, replayed, stale or wrong-designation approvals
# before the real one).
FAULT_KINDS = ["none", "link_loss", "gps_outage", "wave_off", "forged", "replay", "stale", "wrong_designation"]
# `devices`: one chip per run stops answering on its I2C bus for a while ([[device_faults]]: NACK or timeout, met by
# the real drivers at the emulated bus), or none. Its own RNG, so it adds to the faults above without changing them.
DEVICE_FAULT_KINDS = ["none", "imu", "barometer", "airspeed", "servo_board"]
# power_loss: the chip comes back in its power-on state, and its driver must configure it again.
DEVICE_FAULT_EFFECTS = ["nack", "timeout", "power_loss"]
# `stuck`: one sensor per run keeps answering with a frozen value for a while (effect "stuck": a frozen ADC, a
# blocked static port or pitot), or none. Its own RNG, like `devices`.
STUCK_SENSOR_KINDS = ["none", "imu", "barometer", "airspeed"]
# The MPU-6000 driver refuses the 100th identical sample in a row: 0.2 s at the boards' 500 Hz.
IMU_STUCK_DETECT_S = 0.2
# The chips whose power-on state differs from the configured one (the pitot has no configuration).
RECONFIGURED_CHIPS = ("imu", "barometer", "servo_board")
# The estimator failsafe follows an IMU silent this long (NavigationValidity.imuLostTimeoutUs), within a mission tick.
IMU_LOST_S = 0.5
FIGURES = ["cross_track_m", "loiter_radius_m", "altitude_m", "airspeed_mps"]
# How hard the autopilot worked for those figures (`kestrel sim --summary-json` "effort"; Sources/SITL/ControlEffort.swift).
EFFORT = ["pitch_setpoint_sd_deg", "pitch_setpoint_rate_rms_degps", "pitch_limited_fraction", "throttle_sd",
          "throttle_activity_per_s", "max_surface_travel_deg_per_min"]
# What a `kestrel sim --batch` line holds besides the run's --summary-json object.
BATCH_KEYS = {"wall_s", "exit_status", "error", "line"}
# Keys whose string values are paths relative to the scenario file.
PATH_KEY = re.compile(r'^(\s*(?:airframe|file|board)\s*=\s*)"([^"]+)"', re.M)


class CampaignError(Exception):
    pass


def kestrel_binary():
    path = os.environ.get("KESTREL_BIN_DIR")
    if not path:
        path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=REPO, check=True, capture_output=True,
                              text=True).stdout.strip()
    exe = pathlib.Path(path) / "kestrel"
    if not exe.exists():
        raise CampaignError(f"{exe} missing: run `swift build --product kestrel` first (or set KESTREL_BIN_DIR)")
    return str(exe)


def draw(seed, dispersions, wind_max_mps):
    """The dispersed values of one run; each dispersion has its own RNG so adding one does not change the others."""
    values = {}
    if "wind" in dispersions:
        rng = random.Random(f"wind:{seed}")
        speed = rng.uniform(0.0, wind_max_mps)
        from_deg = rng.uniform(0.0, 360.0)
        # Meteorological direction: where the wind comes from; the scenario gives where it blows to, in NED.
        values.update(wind_speed_mps=speed, wind_from_deg=from_deg,
                      wind_north_mps=-speed * math.cos(math.radians(from_deg)),
                      wind_east_mps=-speed * math.sin(math.radians(from_deg)))
    if "turbulence" in dispersions:
        values["turbulence"] = random.Random(f"turbulence:{seed}").choice(TURBULENCE_LEVELS)
    if "faults" in dispersions:
        rng = random.Random(f"faults:{seed}")
        kind = rng.choice(FAULT_KINDS)
        # Every run has every column (runs.csv), empty where the fault has no such value.
        values.update(fault=kind, fault_start_s=None, fault_duration_s=None, fault_after_request_s=None)
        if kind in ("link_loss", "gps_outage"):
            values["fault_start_s"] = round(rng.uniform(60.0, 560.0), 1)
            values["fault_duration_s"] = round(rng.uniform(3.0, 60.0), 1)
        elif kind == "wave_off":
            values["fault_after_request_s"] = round(rng.uniform(5.5, 45.0), 1)
        elif kind != "none":
            values["fault_after_request_s"] = round(rng.uniform(0.5, 4.5), 1)
    if "devices" in dispersions:
        rng = random.Random(f"devices:{seed}")
        device = rng.choice(DEVICE_FAULT_KINDS)
        values.update(device_fault=device, device_fault_effect=None, device_fault_start_s=None,
                      device_fault_duration_s=None)
        if device != "none":
            values["device_fault_effect"] = rng.choice(DEVICE_FAULT_EFFECTS)
            values["device_fault_start_s"] = round(rng.uniform(60.0, 560.0), 1)
            # Mostly short (a brown-out, a loose connector), sometimes long.
            values["device_fault_duration_s"] = round(rng.choice([rng.uniform(0.1, 2.0), rng.uniform(2.0, 30.0)]), 2)
    if "stuck" in dispersions:
        rng = random.Random(f"stuck:{seed}")
        sensor = rng.choice(STUCK_SENSOR_KINDS)
        values.update(stuck_sensor=sensor, stuck_start_s=None, stuck_duration_s=None)
        if sensor != "none":
            values["stuck_start_s"] = round(rng.uniform(60.0, 560.0), 1)
            values["stuck_duration_s"] = round(rng.choice([rng.uniform(0.5, 3.0), rng.uniform(3.0, 30.0)]), 2)
    return values


def device_fault_tables(values):
    """The TOML that injects the drawn device fault and stuck sensor (appended to the per-run scenario)."""
    lines = []
    if values.get("device_fault", "none") != "none":
        lines += ["[[device_faults]]", f'device = "{values["device_fault"]}"',
                  f'effect = "{values["device_fault_effect"]}"', f"start_s = {values['device_fault_start_s']!r}",
                  f"duration_s = {values['device_fault_duration_s']!r}"]
    if values.get("stuck_sensor", "none") != "none":
        lines += ["[[device_faults]]", f'device = "{values["stuck_sensor"]}"', 'effect = "stuck"',
                  f"start_s = {values['stuck_start_s']!r}", f"duration_s = {values['stuck_duration_s']!r}"]
    return lines


def fault_tables(values):
    """The TOML that injects the drawn fault (appended to the per-run scenario)."""
    kind = values.get("fault", "none")
    if kind == "gps_outage":
        return ["[[gps_outages]]", f"start_s = {values['fault_start_s']!r}",
                f"duration_s = {values['fault_duration_s']!r}"]
    if kind == "link_loss":
        start = values["fault_start_s"]
        return ["[[operator.link_loss]]", f"from_s = {start!r}", f"to_s = {start + values['fault_duration_s']!r}"]
    if kind == "wave_off":
        return ["[[operator.actions]]", f"after_request_s = {values['fault_after_request_s']!r}",
                'action = "wave_off"', 'by = "bob"']
    if kind in ("forged", "replay", "stale", "wrong_designation"):
        return ["[[operator.actions]]", f"after_request_s = {values['fault_after_request_s']!r}",
                f'action = "{kind}"']
    return []


def run_scenario_text(scenario_path, values):
    """The scenario with its [wind] table replaced by the drawn values, paths made absolute."""
    scenario_path = pathlib.Path(scenario_path).resolve()
    text = scenario_path.read_text()
    base = tomllib.loads(text)
    wind = dict(base.get("wind", {}))
    if "wind_north_mps" in values:
        wind["north_mps"], wind["east_mps"] = values["wind_north_mps"], values["wind_east_mps"]
    if "turbulence" in values:
        wind["turbulence"] = values["turbulence"]

    def absolute(m):
        p = pathlib.Path(m.group(2))
        return f'{m.group(1)}"{p if p.is_absolute() else (scenario_path.parent / p).resolve()}"'

    text = PATH_KEY.sub(absolute, text)
    # Drop the [wind] table (up to the next table header) and append the dispersed one.
    text = re.sub(r'^\[wind\]\s*\n(?:(?!\[).*\n?)*', "", text, flags=re.M)
    lines = ["", "# Dispersed by Tools/campaign.", "[wind]"]
    for key, value in wind.items():
        lines.append(f"{key} = {json.dumps(value) if isinstance(value, str) else repr(float(value))}")
    faults = fault_tables(values)
    if faults and "operator" not in base and values["fault"] != "gps_outage":
        raise CampaignError(f"{scenario_path}: the fault {values['fault']} needs an [operator] section")
    if faults:
        lines += ["", f"# Fault drawn by Tools/campaign: {values['fault']}."] + faults
    devices = device_fault_tables(values)
    if devices:
        lines += ["", f"# Device faults drawn by Tools/campaign: {values.get('device_fault', 'none')}, stuck "
                  f"{values.get('stuck_sensor', 'none')}."] + devices
    text = text.rstrip("\n") + "\n" + "\n".join(lines) + "\n"
    tomllib.loads(text)  # still a valid scenario file
    return text


def run_once(kestrel, scenario_text, seed, duration_s):
    """One `kestrel sim` run on this node: the per-run scenario in a temporary directory, the JSON read back."""
    with tempfile.TemporaryDirectory(prefix="kestrel-campaign-") as tmp:
        scenario = pathlib.Path(tmp) / f"seed-{seed}.toml"
        scenario.write_text(scenario_text)
        summary = pathlib.Path(tmp) / "summary.json"
        cmd = [kestrel, "sim", str(scenario), "--seed", str(seed), "--no-log", "--summary-json", str(summary)]
        if duration_s is not None:
            cmd += ["--duration-s", repr(duration_s)]
        start = time.monotonic()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        wall_s = time.monotonic() - start
        data = json.loads(summary.read_text()) if summary.exists() else None
        return {"seed": seed, "exit_status": proc.returncode, "summary": data, "wall_s": wall_s,
                "stderr": proc.stderr.strip()[-500:]}


def run_batch(kestrel, items, duration_s, jobs):
    """One `kestrel sim --batch` process on this node for a chunk of runs [(seed, scenario text)], on `jobs` threads;
    the same results as `run_once` gives each run. Runs the process did not report (it died: a trap in one run takes
    the others in flight with it) are flown alone afterwards, so one bad run costs only itself."""
    with tempfile.TemporaryDirectory(prefix="kestrel-campaign-") as tmp:
        tmp = pathlib.Path(tmp)
        for seed, text in items:
            (tmp / f"seed-{seed}.toml").write_text(text)
        manifest = tmp / "runs.txt"
        manifest.write_text("".join(f"seed-{seed}.toml {seed}\n" for seed, _ in items))
        lines = tmp / "runs.jsonl"
        cmd = [kestrel, "sim", "--batch", str(manifest), "--jobs", str(jobs), "--summary-jsonl", str(lines)]
        if duration_s is not None:
            cmd += ["--duration-s", repr(duration_s)]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        results = {}
        for line in (lines.read_text().splitlines() if lines.exists() else []):
            entry = json.loads(line)
            flown = entry["error"] is None
            results[entry["seed"]] = {
                "seed": entry["seed"], "exit_status": entry["exit_status"],
                "summary": {k: v for k, v in entry.items() if k not in BATCH_KEYS} if flown else None,
                "wall_s": entry["wall_s"], "stderr": "" if flown else entry["error"][-500:]}
        texts = dict(items)
        for seed, _ in items:
            if seed not in results:
                result = run_once(kestrel, texts[seed], seed, duration_s)
                result["stderr"] = (f"flown alone: the batch process exited {proc.returncode} before reporting it "
                                    f"({proc.stderr.strip()[-200:]}); " + result["stderr"])[-500:]
                results[seed] = result
        return [results[seed] for seed, _ in items]


def chunks(items, size):
    return [items[i:i + size] for i in range(0, len(items), size)]


def batch_layout(ray, runs, task_cpus, batch_runs):
    """CPUs per batch task (the smallest node's, so every task fits on any node) and runs per task (enough for one
    task per task-sized slot of the cluster)."""
    node_cpus = [c for c in (int(n["Resources"].get("CPU", 0)) for n in ray.nodes() if n.get("Alive")) if c > 0]
    if task_cpus is None:
        task_cpus = min(node_cpus or [1])
    elif task_cpus > max(node_cpus or [1]):
        # Ray would wait for such a node for ever.
        raise CampaignError(f"--task-cpus {task_cpus}: no node of the cluster has that many CPUs "
                            f"(the largest has {max(node_cpus or [1])})")
    slots = max(1, int(ray.cluster_resources().get("CPU", task_cpus)) // task_cpus)
    return task_cpus, batch_runs or max(1, math.ceil(runs / slots))


def mode_at(transitions, t, initial="disarmed"):
    mode = initial
    for tr in transitions:
        if tr["time_s"] <= t:
            mode = tr["to"]
    return mode


def link_loss_reasons(s, values, timeout_s):
    """A ground-link loss longer than the timeout, with the vehicle flying its mission, a loiter or an approval
    request, must end in the link-loss failsafe within 2 s of the timeout (the approach and its wave-off have their
    own rules: the gate's, checked above)."""
    if values.get("fault") != "link_loss" or values["fault_duration_s"] <= timeout_s + 0.5:
        return []
    due = values["fault_start_s"] + timeout_s
    if mode_at(s["transitions"], due - 0.1) not in ("mission", "loiter", "approval-pending"):
        return []
    if s.get("crashed") or s.get("simulated_s", 0) < due + 2.0:
        return []
    if any(due - 0.5 <= tr["time_s"] <= due + 2.0 and "link loss" in tr.get("reason", "")
           for tr in s["transitions"]):
        return []
    return [f"link lost at {values['fault_start_s']:.1f} s for {values['fault_duration_s']:.1f} s: no link-loss "
            f"failsafe by {due + 2.0:.1f} s"]


def power_loss_reasons(s, values):
    """A chip that lost power must be configured again by its driver once it answers (within 1 s), whatever the
    vehicle was doing: otherwise it stays silent, or its outputs dead, for the rest of the flight."""
    chip = values.get("device_fault")
    if values.get("device_fault_effect") != "power_loss" or chip not in RECONFIGURED_CHIPS:
        return []
    back = values["device_fault_start_s"] + values["device_fault_duration_s"]
    if s.get("simulated_s", 0) < back + 1.0:
        return []
    if s.get("reconfigurations", {}).get(chip, 0) >= 1:
        return []
    return [f"{chip} lost power at {values['device_fault_start_s']:.1f} s for {values['device_fault_duration_s']:.2f} "
            f"s: never configured again"]


def imu_loss_reasons(s, values):
    """An IMU silent for longer than IMU_LOST_S in flight must end in the estimator failsafe within 1 s of going
    silent (0.5 s, then the next mission tick)."""
    if values.get("device_fault") != "imu" or values["device_fault_duration_s"] <= IMU_LOST_S + 0.2:
        return []
    start = values["device_fault_start_s"]
    if mode_at(s["transitions"], start) in ("disarmed", "standby", "launch") or s.get("crashed"):
        return []
    if s.get("simulated_s", 0) < start + 1.0:
        return []
    if any(start + IMU_LOST_S - 0.1 <= tr["time_s"] <= start + 1.0 and "estimator failure" in tr.get("reason", "")
           for tr in s["transitions"]):
        return []
    return [f"IMU silent from {start:.1f} s for {values['device_fault_duration_s']:.2f} s: no estimator failsafe by "
            f"{start + 1.0:.1f} s"]


def stuck_imu_reasons(s, values):
    """An IMU whose output sticks in flight for longer than its detection plus IMU_LOST_S must end in the estimator
    failsafe within 1.2 s (0.2 s to see it stuck, 0.5 s of silence, then the next mission tick)."""
    if values.get("stuck_sensor") != "imu" or values["stuck_duration_s"] <= IMU_STUCK_DETECT_S + IMU_LOST_S + 0.2:
        return []
    start = values["stuck_start_s"]
    if mode_at(s["transitions"], start) in ("disarmed", "standby", "launch") or s.get("crashed"):
        return []
    if s.get("simulated_s", 0) < start + 1.2:
        return []
    if any(start + IMU_STUCK_DETECT_S + IMU_LOST_S - 0.1 <= tr["time_s"] <= start + 1.2
           and "estimator failure" in tr.get("reason", "") for tr in s["transitions"]):
        return []
    return [f"IMU stuck from {start:.1f} s for {values['stuck_duration_s']:.2f} s: no estimator failsafe by "
            f"{start + 1.2:.1f} s"]


def classify(result, values=None, timeout_s=10.0):
    """Safety invariants on one run: the reasons it is unsafe (none: safe): exit status, crash, terminal without an
    accepted approval, a wave-off not honoured, the geofence or exclusion volume left, a link loss without its
    failsafe."""
    reasons = []
    if result["exit_status"] != 0:
        reasons.append(f"exit status {result['exit_status']}")
    s = result["summary"]
    if s is None:
        reasons.append("no summary JSON")
        return reasons
    if s["crashed"]:
        c = s["crash"]
        reasons.append(f"crashed at {c['time_s']:.1f} s ({c['impact_speed_mps']:.1f} m/s)")
    approvals = [g["time_s"] for g in s["gate_events"]
                 if g["event"] == "approval" and g["outcome"] == "terminalEntered"]
    for tr in s["transitions"]:
        if tr["to"] == "terminal" and not any(t <= tr["time_s"] for t in approvals):
            reasons.append(f"terminal at {tr['time_s']:.1f} s without an accepted approval before it")
    for g in s["gate_events"]:
        if g["event"] == "waveOff" and mode_at(s["transitions"], g["time_s"]) == "terminal":
            if not any(tr["from"] == "terminal" and tr["time_s"] >= g["time_s"] for tr in s["transitions"]):
                reasons.append(f"wave-off at {g['time_s']:.1f} s not honoured: still terminal")
    # The geofence and the exclusion volume must never be left: the failsafe that follows a breach is the last line,
    # not a pass.
    approached = False
    for tr in s["transitions"]:
        reason = tr.get("reason", "")
        if "geofence breach" in reason:
            reasons.append(f"left the geofence at {tr['time_s']:.1f} s ({tr['from']} -> {tr['to']})")
        elif "exclusion volume" in reason and not approached:
            # After an approved approach the vehicle is inside the volume by design when the approach ends; the
            # failsafe that then flies it out is in the run's transitions, and is no breach.
            reasons.append(f"entered the exclusion volume without approval at {tr['time_s']:.1f} s")
        if tr["to"] == "terminal":
            approached = True
    reasons += link_loss_reasons(s, values or {}, timeout_s)
    reasons += imu_loss_reasons(s, values or {})
    reasons += stuck_imu_reasons(s, values or {})
    reasons += power_loss_reasons(s, values or {})
    return reasons


def figures(summary):
    out = {}
    for name in FIGURES:
        stat = (summary or {}).get("metrics", {}).get(name, {})
        out[f"{name}_rms"] = stat.get("rms")
        out[f"{name}_max"] = stat.get("max")
    effort = (summary or {}).get("effort", {})
    for name in EFFORT:
        out[name] = effort.get(name)
    return out


def link_loss_timeout_s(scenario_path):
    """The scenario's link-loss timeout ([failsafe] link_loss_timeout_s; the vehicle's default 10 s without one)."""
    base = tomllib.loads(pathlib.Path(scenario_path).read_text())
    return float(base.get("failsafe", {}).get("link_loss_timeout_s", 10.0))


def row(result, values, timeout_s=10.0):
    s = result["summary"] or {}
    reasons = classify(result, values, timeout_s)
    r = {"seed": result["seed"], **values, "exit_status": result["exit_status"],
         "final_mode": s.get("final_mode"), "items_completed": s.get("items_completed"),
         "launched": "yes" if any(tr["to"] == "launch" for tr in s.get("transitions", [])) else "no",
         "arming_refused": (s.get("mission_error") or "") if (s.get("mission_error") or "").startswith(
             "arming refused") else "",
         "crashed": s.get("crashed"), "crash_time_s": (s.get("crash") or {}).get("time_s"),
         **figures(s), "safe": "yes" if not reasons else "no", "reasons": "; ".join(reasons),
         "wall_s": round(result["wall_s"], 2)}
    return {k: ("" if v is None else repr(v) if isinstance(v, float) else v) for k, v in r.items()}


def percentile(xs, p):
    xs = sorted(xs)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * p / 100
    lo, hi = math.floor(k), math.ceil(k)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def reproduce_command(args, seed):
    cmd = ["Tools/campaign", args.scenario, "--rerun", str(seed), "--out", args.out,
           "--dispersion", ",".join(args.dispersion), "--wind-max-mps", repr(args.wind_max_mps)]
    if args.duration_s is not None:
        cmd += ["--duration-s", repr(args.duration_s)]
    return shlex.join(cmd)


def sim_command(kestrel, out, seed, duration_s):
    cmd = [kestrel, "sim", str(pathlib.Path(out).resolve() / "scenarios" / f"seed-{seed}.toml"), "--seed", str(seed),
           "--no-log"]
    if duration_s is not None:
        cmd += ["--duration-s", repr(duration_s)]
    return shlex.join(cmd)


def plot(rows, out):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    written = []
    for name in FIGURES:
        for kind in ("rms", "max"):
            xs = [float(r[f"{name}_{kind}"]) for r in rows if r[f"{name}_{kind}"] != ""]
            fig, ax = plt.subplots(figsize=(5, 3.5))
            ax.hist(xs, bins=min(20, max(1, len(xs))))
            ax.set_xlabel(f"{name.replace('_', ' ')} {kind}")
            ax.set_ylabel("runs")
            ax.set_title(f"{len(xs)} runs")
            fig.tight_layout()
            path = pathlib.Path(out) / f"{name}_{kind}.png"
            fig.savefig(path, dpi=80)
            plt.close(fig)
            written.append(path)
    return written


def campaign(args, kestrel):
    import ray
    if args.address:
        ray.init(address=args.address, log_to_driver=False)
    else:
        ray.init(num_cpus=os.cpu_count(), include_dashboard=False, log_to_driver=False)
    cpus = int(ray.cluster_resources().get("CPU", 1))
    out = pathlib.Path(args.out)
    (out / "scenarios").mkdir(parents=True, exist_ok=True)
    seeds = list(range(args.first_seed, args.first_seed + args.runs))
    drawn, items = {}, []
    start = time.monotonic()
    for seed in seeds:
        drawn[seed] = draw(seed, args.dispersion, args.wind_max_mps)
        text = run_scenario_text(args.scenario, drawn[seed])
        (out / "scenarios" / f"seed-{seed}.toml").write_text(text)
        items.append((seed, text))
    if args.mode == "process":
        remote = ray.remote(num_cpus=1)(run_once)
        results = ray.get([remote.remote(kestrel, text, seed, args.duration_s) for seed, text in items])
        layout = "one process per run"
    else:
        task_cpus, size = batch_layout(ray, len(items), args.task_cpus, args.batch_runs)
        remote = ray.remote(num_cpus=task_cpus)(run_batch)
        parts = chunks(items, size)
        results = [r for part in ray.get([remote.remote(kestrel, part, args.duration_s, task_cpus) for part in parts])
                   for r in part]
        layout = f"batch: {len(parts)} task{'s' if len(parts) > 1 else ''} of up to {size} runs on {task_cpus} CPUs"
    wall_s = time.monotonic() - start
    ray.shutdown()
    timeout_s = link_loss_timeout_s(args.scenario)
    rows = [row(r, drawn[r["seed"]], timeout_s) for r in results]
    with open(out / "runs.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    for r in results:
        (out / "scenarios" / f"seed-{r['seed']}.json").write_text(json.dumps(r["summary"], indent=1, sort_keys=True))
    unsafe = [r for r in rows if r["safe"] == "no"]
    lines = [f"campaign: {args.scenario}, {len(rows)} runs, seeds {seeds[0]}..{seeds[-1]}, "
             f"dispersions {','.join(args.dispersion) or 'none'}"
             + (f", --duration-s {args.duration_s}" if args.duration_s is not None else ""),
             f"safe: {len(rows) - len(unsafe)}/{len(rows)} ({100 * (len(rows) - len(unsafe)) / len(rows):.1f} %)",
             f"wall {wall_s:.1f} s: {60 * len(rows) / wall_s:.1f} runs/min, {3600 * len(rows) / (wall_s * cpus):.0f} "
             f"runs per core-hour on {args.address or 'local Ray'} ({cpus} CPUs; {layout})"]
    # A refused launch is the safe outcome, but it flies nothing: say how many, so a campaign whose vehicles stay on
    # the ground is never read as a good one.
    refused = [r for r in rows if r["arming_refused"]]
    lines.append(f"launched: {sum(r['launched'] == 'yes' for r in rows)}/{len(rows)}; arming refused: {len(refused)}"
                 + (f" (seeds {', '.join(str(r['seed']) for r in refused[:20])}"
                    + (", ..." if len(refused) > 20 else "") + f"; first: {refused[0]['arming_refused']})"
                    if refused else ""))
    for name in FIGURES:
        xs = [float(r[f"{name}_rms"]) for r in rows if r[f"{name}_rms"] != ""]
        lines.append(f"{name} RMS: p50 {percentile(xs, 50):.3f}, p95 {percentile(xs, 95):.3f} ({len(xs)} runs)")
    for name in EFFORT:
        xs = [float(r[name]) for r in rows if r.get(name, "") != ""]
        lines.append(f"effort {name}: p50 {percentile(xs, 50):.3f}, p95 {percentile(xs, 95):.3f} ({len(xs)} runs)")
    for r in unsafe:
        lines.append(f"UNSAFE seed {r['seed']}: {r['reasons']}")
        lines.append(f"  reproduce: {reproduce_command(args, r['seed'])}")
        lines.append(f"  or alone:  {sim_command(kestrel, out, r['seed'], args.duration_s)}")
    (out / "summary.txt").write_text("\n".join(lines) + "\n")
    plot(rows, out)
    print("\n".join(lines))
    print(f"results: {out / 'runs.csv'}, {out / 'summary.txt'}, {out}/*.png")
    return 0


def rerun(args, kestrel):
    """One seed again, without Ray; compared bit for bit with the campaign's runs.csv row if there is one."""
    values = draw(args.rerun, args.dispersion, args.wind_max_mps)
    result = run_once(kestrel, run_scenario_text(args.scenario, values), args.rerun, args.duration_s)
    new = row(result, values, link_loss_timeout_s(args.scenario))
    print(json.dumps({k: v for k, v in new.items() if k != "wall_s"}, indent=1))
    csv_path = pathlib.Path(args.out) / "runs.csv"
    if not csv_path.exists():
        return 0
    with open(csv_path) as f:
        old = next((r for r in csv.DictReader(f) if r["seed"] == str(args.rerun)), None)
    if old is None:
        print(f"seed {args.rerun} is not in {csv_path}")
        return 0
    differ = [k for k in old if k != "wall_s" and str(new.get(k, "")) != old[k]]
    if differ:
        for k in differ:
            print(f"DIFFERS {k}: campaign {old[k]!r}, rerun {new.get(k)!r}")
        return 1
    print(f"seed {args.rerun}: identical to {csv_path} (every figure, bit for bit)")
    return 0


def main(argv=None):
    p = argparse.ArgumentParser(prog="Tools/campaign", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("scenario")
    p.add_argument("--runs", type=int, default=10)
    p.add_argument("--first-seed", type=int, default=1)
    p.add_argument("--address", help="Ray cluster address (default: a local Ray instance on this machine's CPUs)")
    p.add_argument("--out", default=".build/campaign")
    p.add_argument("--dispersion", default="wind,turbulence",
                   help=f"comma-separated, of {','.join(DISPERSIONS)} (empty: none)")
    p.add_argument("--wind-max-mps", type=float, default=8.0, help="wind speed is drawn uniformly from 0 to this")
    p.add_argument("--duration-s", type=float, help="simulated seconds per run instead of the scenario's")
    p.add_argument("--rerun", type=int, metavar="SEED", help="run this seed alone and compare with --out's runs.csv")
    p.add_argument("--mode", choices=["batch", "process"], default="batch",
                   help="batch (default): one `kestrel sim --batch` process per Ray task, flying a chunk of runs on "
                        "the task's CPUs; process: one Ray task and one `kestrel sim` process per run")
    p.add_argument("--task-cpus", type=int, help="batch mode: CPUs per Ray task, the threads of its process "
                                                 "(default: the smallest node's CPUs)")
    p.add_argument("--batch-runs", type=int, help="batch mode: runs per Ray task (default: the runs spread evenly "
                                                  "over the tasks the cluster's CPUs hold at once)")
    args = p.parse_args(argv)
    args.dispersion = [d for d in args.dispersion.split(",") if d]
    try:
        bad = [d for d in args.dispersion if d not in DISPERSIONS]
        if bad:
            raise CampaignError(f"unknown dispersion {','.join(bad)}: use {','.join(DISPERSIONS)}")
        if args.runs < 1:
            raise CampaignError(f"--runs must be at least 1, got {args.runs}")
        for name in ("task_cpus", "batch_runs"):
            value = getattr(args, name)
            if value is not None and not 1 <= value <= 1024:
                raise CampaignError(f"--{name.replace('_', '-')} must be between 1 and 1024, got {value}")
        if not pathlib.Path(args.scenario).is_file():
            raise CampaignError(f"scenario {args.scenario} not found")
        kestrel = kestrel_binary()
        return rerun(args, kestrel) if args.rerun is not None else campaign(args, kestrel)
    except (CampaignError, tomllib.TOMLDecodeError) as e:
        print(f"campaign: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
