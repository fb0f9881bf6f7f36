"""Runs per core-hour of `kestrel sim --batch` against one `kestrel sim` process per run, on one scenario: the same
seeds flown both ways, `--jobs` at a time, the two ways alternated over `--repeats` rounds (so a change in the
machine's load falls on both), medians reported. Also checks that both ways gave the same summaries.

    .venv/bin/python Tools/batch-throughput.py Scenarios/wind/2m-wind05.toml --runs 12 --repeats 3
"""
import argparse
import concurrent.futures
import json
import os
import pathlib
import resource
import statistics
import subprocess
import sys
import tempfile
import time

REPO = pathlib.Path(__file__).resolve().parents[1]
BATCH_KEYS = {"wall_s", "exit_status", "error", "line"}


def kestrel_binary():
    path = os.environ.get("KESTREL_BIN_DIR") or subprocess.run(
        ["swift", "build", "--show-bin-path"], cwd=REPO, check=True, capture_output=True, text=True).stdout.strip()
    return str(pathlib.Path(path) / "kestrel")


def children_cpu_s():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(body):
    cpu, start = children_cpu_s(), time.monotonic()
    result = body()
    return result, time.monotonic() - start, children_cpu_s() - cpu


def batch(kestrel, scenario, seeds, jobs, tmp, duration):
    manifest, out = tmp / "runs.txt", tmp / "runs.jsonl"
    manifest.write_text("".join(f"{scenario} {seed}\n" for seed in seeds))
    proc = subprocess.run([kestrel, "sim", "--batch", str(manifest), "--jobs", str(jobs), "--summary-jsonl",
                           str(out), *duration], capture_output=True, text=True)
    if proc.returncode not in (0, 3):
        sys.exit(f"batch failed: {proc.stderr.strip()}")
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    return {e["seed"]: {k: v for k, v in e.items() if k not in BATCH_KEYS} for e in lines}


def per_process(kestrel, scenario, seeds, jobs, tmp, duration):
    def one(seed):
        out = tmp / f"seed-{seed}.json"
        subprocess.run([kestrel, "sim", str(scenario), "--seed", str(seed), "--no-log", "--summary-json", str(out),
                        *duration],
                       capture_output=True, text=True)
        return seed, json.loads(out.read_text())
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        return dict(pool.map(one, seeds))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("scenario")
    p.add_argument("--runs", type=int, default=12)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--jobs", type=int, default=os.cpu_count())
    p.add_argument("--duration-s", help="simulated seconds per run instead of the scenario's (a short run shows "
                                        "the fixed cost per run)")
    args = p.parse_args()
    kestrel, scenario = kestrel_binary(), pathlib.Path(args.scenario).resolve()
    seeds = list(range(1, args.runs + 1))
    duration = ["--duration-s", args.duration_s] if args.duration_s else []
    figures = {"batch": [], "process": []}
    print(f"{scenario.name}: {args.runs} runs, {args.jobs} at a time, {os.cpu_count()} CPUs online; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    reference = None
    for round_ in range(args.repeats):
        order = ["batch", "process"] if round_ % 2 == 0 else ["process", "batch"]
        for mode in order:
            with tempfile.TemporaryDirectory() as tmp:
                body = batch if mode == "batch" else per_process
                summaries, wall_s, cpu_s = timed(lambda: body(kestrel, scenario, seeds, args.jobs, pathlib.Path(tmp),
                                                                 duration))
            reference = reference or summaries
            if summaries != reference:
                sys.exit(f"{mode}: summaries differ from the first round's")
            per_core_hour = args.runs * 3600 / (wall_s * args.jobs)
            figures[mode].append((per_core_hour, args.runs * 3600 / cpu_s, wall_s, cpu_s))
            print(f"round {round_ + 1} {mode:7}: wall {wall_s:6.1f} s, CPU {cpu_s:6.1f} s: {per_core_hour:6.0f} runs per "
                  f"core-hour (wall x {args.jobs}), {args.runs * 3600 / cpu_s:6.0f} per CPU-hour; load "
                  f"{os.getloadavg()[0]:.2f}")
    medians = {m: [statistics.median(f[i] for f in figures[m]) for i in range(4)] for m in figures}
    for m, (core, cpu, wall, cpu_s) in medians.items():
        print(f"median {m:7}: {core:.0f} runs per core-hour, {cpu:.0f} per CPU-hour (wall {wall:.1f} s, CPU {cpu_s:.1f} s)")
    print(f"batch / per-process: {medians['batch'][0] / medians['process'][0]:.3f} (core-hours), "
          f"{medians['batch'][1] / medians['process'][1]:.3f} (CPU time); summaries identical both ways")


if __name__ == "__main__":
    main()
