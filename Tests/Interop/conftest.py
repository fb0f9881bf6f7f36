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


# With pytest-xdist (`-n 2 --dist loadgroup`, as Tools/test runs this suite), the tests that time a real-time link
# (the HIL rigs, the operator flow on `kestrel fly`, the speed sweep) and the ones that load every core (JSBSim
# closed loop, campaigns, batches, packaging) share one worker, one after another: a rig test beside a campaign saw
# its loop late and failed its bound. The other worker takes the rest, whose real-time flights need little CPU.
RIG_MODULES = {
    "test_hil_loopback", "test_jsbsim_hil", "test_fly_operator_flow", "test_sim_speed_sweep",
    "test_jsbsim_closed_loop", "test_jsbsim_crossval", "test_campaign", "test_sim_batch", "test_package_deb",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.module.__name__.rpartition(".")[2] in RIG_MODULES:
            item.add_marker(pytest.mark.xdist_group("rig"))


def pytest_configure(config):
    config.addinivalue_line("markers", "xdist_group(name): tests pytest-xdist runs on one worker (see conftest)")
