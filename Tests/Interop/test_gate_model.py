"""Runs the SPIN model of the terminal gate (Tools/gate-model) and its seeded-bug variants."""
import pathlib
import subprocess

import pytest

CHECK = pathlib.Path(__file__).resolve().parents[2] / "Tools" / "gate-model" / "check"


def run(*defines):
    return subprocess.run([str(CHECK), *defines], capture_output=True, text=True, timeout=600)


def test_model_holds_all_properties():
    result = run()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "errors: 0" in result.stdout


@pytest.mark.parametrize("bug, violated", [
    ("BUG_ENTER_UNAPPROVED", "authorised"),        # property 1
    ("BUG_WAVEOFF_IGNORED", "was_terminal_above"),  # property 2
    ("BUG_DISAGREE", "mode=="),                     # property 3
    ("BUG_STUCK", "(gate==3)"),                     # property 4
])
def test_seeded_bug_is_caught(bug, violated):
    result = run(f"-D{bug}")
    assert result.returncode != 0, result.stdout
    assert "assertion violated" in result.stdout and violated in result.stdout, result.stdout


REPLAY = CHECK.parent / "replay"


def test_the_swift_gates_transitions_are_the_models():
    """The tie between model and code: every transition the real TerminalGate makes from the model's abstract states
    (gate-table.txt, which Tests/MissionTests/GateModelTableTests.swift checks against the Swift gate) is the one
    the model's inline for that event makes."""
    result = subprocess.run([str(REPLAY)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "91 of 91 transitions" in result.stdout, result.stdout


def test_replay_catches_a_model_that_drifted_from_the_code():
    """A model whose wave-off does nothing (a seeded bug) no longer makes the Swift gate's wave-off transitions."""
    result = subprocess.run([str(REPLAY), "-DBUG_WAVEOFF_IGNORED"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, result.stdout
    assert "'pending pending waveOff -> idle'" in result.stdout and "'terminalAbove terminal waveOff -> wavingOff'" \
        in result.stdout, result.stdout


def test_replay_catches_code_that_drifted_from_the_model(tmp_path):
    """A gate that let a wave-off below the abort floor end the approach (a table the Swift test would write for such
    a change) is not what the model does, so the model must be changed and re-checked before it passes."""
    table = (CHECK.parent / "gate-table.txt").read_text()
    changed = table.replace("terminalBelow terminal waveOff -> terminal", "terminalBelow terminal waveOff -> wavingOff")
    assert changed != table
    (tmp_path / "table.txt").write_text(changed)
    result = subprocess.run([str(REPLAY), str(tmp_path / "table.txt")], capture_output=True, text=True, timeout=300)
    assert result.returncode == 1 and "row 70" in result.stdout, result.stdout
