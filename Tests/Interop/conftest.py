"""Shared fixtures for the interoperability tests: where the Swift build put its binaries."""
import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def bin_dir() -> pathlib.Path:
    path = os.environ.get("KESTREL_BIN_DIR")
    if not path:
        path = subprocess.run(["swift", "build", "--show-bin-path"], cwd=REPO, check=True,
                              capture_output=True, text=True).stdout.strip()
    return pathlib.Path(path)


@pytest.fixture(scope="session")
def kestrel(bin_dir) -> pathlib.Path:
    exe = bin_dir / "kestrel"
    assert exe.exists(), f"{exe} missing: run `swift build` first"
    return exe
