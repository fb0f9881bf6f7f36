"""A crash ends `kestrel sim`: the plant stops at the touchdown it calls a crash and the command exits 3 with one
line naming when and how fast, in fast time and paced to the wall clock alike (before, the run flew on past the
wreck and exited 0, so a script or a campaign counted it as a flight)."""
import re
import subprocess

import pytest

from conftest import REPO

SCENARIO = str(REPO / "Scenarios/launch/tailwind-crash.toml")


@pytest.mark.parametrize("pacing", [[], ["--realtime", "--speed", "40"]], ids=["fast", "paced"])
def test_crash_ends_the_run_with_exit_status_3(kestrel, pacing):
    proc = subprocess.run([str(kestrel), "sim", SCENARIO, "--no-log", *pacing], capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 3, proc.stdout + proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    m = re.fullmatch(r"kestrel sim: the vehicle crashed at ([\d.]+) s \(([\d.]+) m/s over the ground, ([\d.]+) m/s "
                     r"down\) in mode launch; the run ended there", lines[0])
    assert m, lines[0]
    crash_s = float(m.group(1))
    simulated = re.search(r"seed \d+: ([\d.]+) s simulated", proc.stdout)
    assert simulated and abs(float(simulated.group(1)) - crash_s) <= 0.1, proc.stdout
    assert crash_s < 20
