"""`kestrel sim --batch MANIFEST`: many closed-loop runs in one process on worker threads, one JSON line per run.
Every run flown side by side with others gives the summary it gives alone (bit for bit, also two copies of one run at
once, which would part if runs shared state); a run that cannot be flown writes its error and does not stop the
others; bad batch input is one line naming the option, the manifest line or the file."""
import json
import subprocess

import pytest

from conftest import REPO

DEMO = REPO / "Scenarios/demo.toml"
CRASH = REPO / "Scenarios/launch/tailwind-crash.toml"
DURATION = "60"
EXTRA_KEYS = {"wall_s", "exit_status", "error", "line"}


def alone(kestrel, scenario, seed, tmp_path):
    out = tmp_path / f"alone-{pathlib_name(scenario)}-{seed}.json"
    proc = subprocess.run([str(kestrel), "sim", str(scenario), "--seed", str(seed), "--no-log", "--duration-s",
                           DURATION, "--summary-json", str(out)], capture_output=True, text=True, timeout=300)
    return proc, (json.loads(out.read_text()) if out.exists() else None)


def pathlib_name(path):
    return str(path).replace("/", "_")


def test_batch_runs_give_the_summaries_they_give_alone(kestrel, tmp_path):
    # Relative paths are taken from the manifest's directory: a copy of the demo's scenario beside it would not find
    # its airframe, so the relative entry points back into the repository.
    relative_demo = "../" * len(tmp_path.parts[1:]) + str(DEMO).lstrip("/")
    manifest = tmp_path / "runs.txt"
    manifest.write_text("\n".join([
        "# demo twice with one seed (two copies in flight at once), another seed, a crash, two runs not flown",
        f"{DEMO} 21",
        f"{DEMO} 21",
        "",
        f"{relative_demo}\t22",
        f"{CRASH} 9",
        f"{tmp_path / 'missing.toml'} 5",
        f"{REPO / 'Scenarios/demo-open-loop.toml'} 6",
    ]) + "\n")
    out = tmp_path / "runs.jsonl"
    proc = subprocess.run([str(kestrel), "sim", "--batch", str(manifest), "--jobs", "3", "--duration-s", DURATION,
                           "--summary-jsonl", str(out)], capture_output=True, text=True, timeout=600)
    # A run not flown makes the batch exit 1, after every other run was flown and reported.
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert proc.stderr.strip() == proc.stderr.strip().splitlines()[0]
    assert "6 runs on 3 threads" in proc.stderr and "3 flown, 1 crashed, 2 not flown" in proc.stderr, proc.stderr
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    by_line = {entry["line"]: entry for entry in lines}
    assert sorted(by_line) == [2, 3, 5, 6, 7, 8], lines
    for number, scenario, seed in [(2, DEMO, 21), (3, DEMO, 21), (5, DEMO, 22), (6, CRASH, 9)]:
        entry = by_line[number]
        single, summary = alone(kestrel, scenario, seed, tmp_path)
        assert summary is not None, single.stderr
        assert entry["exit_status"] == single.returncode and entry["error"] is None
        assert entry["wall_s"] > 0
        flown = {k: v for k, v in entry.items() if k not in EXTRA_KEYS}
        if number == 5:
            # The same file, named from the manifest's directory.
            assert flown.pop("scenario").endswith(relative_demo) and summary.pop("scenario") == str(DEMO)
        assert flown == summary, f"manifest line {number} differs from the run alone"
    assert by_line[2]["metrics"]["altitude_m"]["samples"] > 0
    assert by_line[6]["crashed"] is True and by_line[6]["exit_status"] == 3
    assert by_line[2]["metrics"] != by_line[5]["metrics"]
    missing = by_line[7]
    assert missing["exit_status"] == 1 and "missing.toml" in missing["error"] and missing["seed"] == 5
    assert set(missing) == {"scenario", "seed"} | EXTRA_KEYS
    open_loop = by_line[8]
    assert open_loop["exit_status"] == 1 and "not a closed-loop scenario" in open_loop["error"], open_loop


def test_batch_lines_go_to_standard_output_by_default(kestrel, tmp_path):
    manifest = tmp_path / "m.txt"
    manifest.write_text(f"{CRASH} 3\n")
    proc = subprocess.run([str(kestrel), "sim", "--batch", str(manifest)], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 3, proc.stdout + proc.stderr
    (line,) = proc.stdout.splitlines()
    entry = json.loads(line)
    assert entry["seed"] == 3 and entry["crashed"] is True and entry["line"] == 1


def bad_input_cases(tmp):
    manifest = tmp / "good.txt"
    manifest.write_text(f"{DEMO} 1\n")
    lines = {
        "no-seed.txt": (f"# header\n{DEMO}\n", "no-seed.txt:2: expected `SCENARIO SEED`"),
        "bad-seed.txt": (f"{DEMO} 1\n{DEMO} seven\n", "bad-seed.txt:2: seed 'seven' is not an integer"),
        "negative-seed.txt": (f"{DEMO} -4\n", "negative-seed.txt:1: seed '-4' is not an integer"),
        "huge-seed.txt": (f"{DEMO} 18446744073709551616\n", "huge-seed.txt:1: seed '18446744073709551616'"),
        "empty.txt": ("# nothing\n\n", "empty.txt: no runs"),
    }
    cases = []
    for name, (text, message) in lines.items():
        (tmp / name).write_text(text)
        cases.append((["--batch", str(tmp / name)], message))
    (tmp / "binary.txt").write_bytes(b"\xff\xfe\x00 1\n")
    cases.append((["--batch", str(tmp / "binary.txt")], "binary.txt: not UTF-8 text"))
    cases.append((["--batch", str(tmp / "absent.txt")], "absent.txt: no such file"))
    cases.append((["--batch", str(tmp)], "it is a directory"))
    good = ["--batch", str(manifest)]
    cases += [
        (good + ["--jobs", "0"], "--jobs must be between 1 and 1024, got 0"),
        (good + ["--jobs", "5000"], "--jobs must be between 1 and 1024, got 5000"),
        (good + ["--duration-s", "0"], "--duration-s must be between 0 and 86400, got 0.0"),
        (good + ["--summary-jsonl", str(tmp)], "--summary-jsonl: cannot write"),
        (good + ["--summary-jsonl", str(tmp / "no-dir" / "x.jsonl")], "--summary-jsonl: cannot write"),
        (good + [str(DEMO)], "--batch: the scenario argument does not apply"),
        (good + ["--seed", "4"], "--batch: --seed does not apply"),
        (good + ["--realtime"], "--batch: --realtime does not apply"),
        (good + ["--speed", "2"], "--batch: --speed does not apply"),
        (good + ["--mavlink", "udpin:127.0.0.1:14999"], "--batch: --mavlink does not apply"),
        (good + ["--hil-serve", "udpout:127.0.0.1:14998"], "--batch: --hil-serve does not apply"),
        (good + ["--out", str(tmp / "o")], "--batch: --out does not apply"),
        (good + ["--csv-rate-hz", "5"], "--batch: --csv-rate-hz does not apply"),
        (good + ["--log-dir", str(tmp / "logs")], "--batch: --log-dir does not apply"),
        (good + ["--summary-json", str(tmp / "s.json")], "--batch: --summary-json does not apply"),
        ([str(DEMO), "--jobs", "2"], "--jobs needs --batch"),
        ([str(DEMO), "--summary-jsonl", str(tmp / "x.jsonl")], "--summary-jsonl needs --batch"),
    ]
    return cases


def test_bad_batch_input_is_one_typed_line(kestrel, tmp_path):
    for args, message in bad_input_cases(tmp_path):
        proc = subprocess.run([str(kestrel), "sim", *args], capture_output=True, text=True, timeout=60)
        lines = proc.stderr.strip().splitlines()
        assert proc.returncode == 1 and len(lines) == 1 and message in lines[0], (args, proc.stderr)
        assert proc.stdout == "", (args, proc.stdout)
