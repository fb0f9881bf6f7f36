"""Tools/count-instructions stops when its release build fails. Before, the build's output went through grep and
`|| true`, so a failed build counted the instructions of the stale binary left from an earlier build and passed."""
import os
import shutil
import subprocess

from conftest import REPO


def test_a_failed_build_fails_the_count_instead_of_counting_a_stale_binary(tmp_path):
    stale = tmp_path / "bin"
    stale.mkdir()
    shutil.copy("/bin/true", stale / "tick-instructions")
    shims = tmp_path / "shims"
    shims.mkdir()
    # A swift whose build fails, and whose --show-bin-path points at a binary from "an earlier build".
    (shims / "swift").write_text(
        "#!/bin/sh\n"
        f"case \"$*\" in *--show-bin-path*) echo {stale}; exit 0;; esac\n"
        "echo \"Sources/X.swift:1:1: error: cannot find 'Y' in scope\"\n"
        "exit 1\n")
    (shims / "swift").chmod(0o755)
    r = subprocess.run([str(REPO / "Tools/count-instructions")], cwd=REPO, capture_output=True, text=True,
                       env=dict(os.environ, PATH=f"{shims}:{os.environ['PATH']}"), timeout=120)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "the release build of tick-instructions failed" in r.stderr, r.stderr
    assert "cannot find 'Y' in scope" in r.stderr
    assert "instructions (baseline" not in r.stdout
