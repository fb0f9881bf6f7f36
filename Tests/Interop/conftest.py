"""Shared fixtures for the interoperability tests: where the Swift build put its binaries."""
import os
import pathlib
import subprocess
import tempfile

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
def swift_product(bin_dir):
    """The path of one of the package's executables, by product name: from KESTREL_BIN_DIR when it is set (a build that
    has it, as Tools/test's release build), else built here (debug)."""
    def product(name: str) -> str:
        if not os.environ.get("KESTREL_BIN_DIR"):
            subprocess.run(["swift", "build", "--product", name], cwd=REPO, check=True, capture_output=True)
        exe = bin_dir / name
        assert exe.exists(), f"{exe} missing: KESTREL_BIN_DIR names a build without {name}"
        return str(exe)
    return product


@pytest.fixture(scope="session")
def swift_test_command() -> list:
    """`swift test` in the configuration KESTREL_BIN_DIR was built in, without building again when that build has
    the tests (Tools/test's `swift test -c release`); else plain `swift test`, which builds (debug)."""
    path = os.environ.get("KESTREL_BIN_DIR")
    if path and (pathlib.Path(path) / "KestrelPackageTests.xctest").exists():
        configuration = "release" if pathlib.Path(path).resolve().name == "release" else "debug"
        return ["swift", "test", "-c", configuration, "--skip-build"]
    return ["swift", "test"]


@pytest.fixture(scope="session")
def kestrel(bin_dir) -> pathlib.Path:
    exe = bin_dir / "kestrel"
    assert exe.exists(), f"{exe} missing: run `swift build` first"
    return exe


# With pytest-xdist (`-n 2 --dist loadgroup`, as Tools/test runs this suite), the tests that load every core (JSBSim
# closed loop, campaigns, batches, packaging) share one worker, one after another, and the other worker takes the rest,
# whose real-time flights need little CPU.
# The tests that bound the timing of a real-time link (the HIL rigs' estimate against the simulator's truth, the
# operator flow on `kestrel fly`, the speed sweep) are marked `alone`: Tools/test runs them first, one at a time with
# nothing beside them (`-m alone`), then the rest on two workers (`-m "not alone"`). Beside the other worker's light
# tests the HIL loopback's roll estimate was once 3.9° off the truth at the 95th percentile (0.6-1.0° alone, and under
# two CPU hogs); a rig test beside a campaign saw its loop late and failed its bound.
ALONE_MODULES = {"test_hil_loopback", "test_jsbsim_hil", "test_fly_operator_flow", "test_sim_speed_sweep"}
CORE_HEAVY_MODULES = {"test_jsbsim_closed_loop", "test_jsbsim_crossval", "test_campaign", "test_sim_batch",
                      "test_package_deb"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        module = item.module.__name__.rpartition(".")[2]
        if module in ALONE_MODULES:
            item.add_marker(pytest.mark.alone)
        if module in ALONE_MODULES | CORE_HEAVY_MODULES:
            item.add_marker(pytest.mark.xdist_group("rig"))


def pytest_configure(config):
    # A kestrel process on a real board file (check-board, fly) takes the machine's board lock, /run/lock/kestrel.lock,
    # and refuses to start while another holds it. Two workers' tests each start such processes: CI once saw
    # test_gpio_library's check-board refused because the other worker's check-board had the board. Each test process
    # (pytest-xdist's workers are processes) gets a lock of its own; the tests of the lock itself set theirs.
    # A worker inherits the controller's environment, so the lock this hook set there is replaced, not kept.
    if "KESTREL_BOARD_LOCK" not in os.environ or os.environ.get("KESTREL_INTEROP_OWN_LOCK") == "1":
        worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        os.environ["KESTREL_BOARD_LOCK"] = os.path.join(tempfile.gettempdir(),
                                                        f"kestrel-interop-{os.getpid()}-{worker}.lock")
        os.environ["KESTREL_INTEROP_OWN_LOCK"] = "1"
    config.addinivalue_line("markers", "xdist_group(name): tests pytest-xdist runs on one worker (see conftest)")
    config.addinivalue_line("markers", "alone: a real-time link's timing is bounded; Tools/test runs these with "
                                       "nothing beside them (see conftest)")
