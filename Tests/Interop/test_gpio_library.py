"""kestrel loads libgpiod at run time (libgpiod.so.3, then .so.2; KESTREL_LIBGPIOD names another file), so one binary
and one .deb serve Debian 12 (libgpiod 1.6) and Debian 13 (libgpiod 2.x). check-board on a real board file shows
which library it loaded, and a board without a usable libgpiod gets an error naming what was tried and what to
install, for every GPIO line, instead of a binary that will not start."""
import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
BOARD = REPO / "Hardware/boards/rpi4-pca9685.toml"
GPIOD2 = pathlib.Path(os.environ.get("KESTREL_GPIOD2_SYSROOT", pathlib.Path.home() / ".cache/kestrel/gpiod2-sysroot"))


def check_board(kestrel, library=None):
    env = dict(os.environ)
    env.pop("KESTREL_LIBGPIOD", None)
    if library is not None:
        env["KESTREL_LIBGPIOD"] = str(library)
    r = subprocess.run([str(kestrel), "check-board", "--board", str(BOARD), "--seconds", "0.2"], cwd=REPO, env=env,
                       capture_output=True, text=True, timeout=60)
    return r.stdout + r.stderr


def gpio_library_line(output):
    return next((l.strip() for l in output.splitlines() if l.strip().startswith("GPIO library:")), None)


def test_check_board_names_the_libgpiod_it_loaded(kestrel):
    line = gpio_library_line(check_board(kestrel))
    assert line is not None and line.startswith("GPIO library: libgpiod "), line
    # This machine's libgpiod (1.6 on Debian 12, 2.x on 13), by the file the loader found.
    assert "(v1 API, libgpiod.so.2)" in line or "(v2 API, libgpiod.so.3)" in line, line


def test_a_missing_libgpiod_is_named_with_what_to_install(kestrel):
    output = check_board(kestrel, "/nonexistent/libgpiod.so.3")
    assert gpio_library_line(output) == ("GPIO library: no libgpiod (/nonexistent/libgpiod.so.3: cannot open shared "
                                         "object file: No such file or directory)"), output
    switch = next(l for l in output.splitlines() if l.split()[:3] == ["safety", "switch", "MISSING"])
    assert "no libgpiod 1.x or 2.x could be loaded" in switch and "install libgpiod3 (Debian 13) or libgpiod2" in switch


def test_a_library_that_is_not_libgpiod_is_refused(kestrel):
    output = check_board(kestrel, "libc.so.6")
    assert "libc.so.6: not a usable libgpiod 1.x or 2.x (no gpiod_chip_open)" in gpio_library_line(output), output


def test_libgpiod_2_is_loaded_by_the_same_binary(kestrel):
    library = next(iter(sorted((GPIOD2 / "root/usr/lib").glob("*/libgpiod.so.3"))), None)
    if library is None or not (GPIOD2 / "root/.complete").exists():
        pytest.skip("trixie's libgpiod 2 is fetched by Tools/check-gpiod2 (Tools/test does it before this)")
    line = gpio_library_line(check_board(kestrel, library))
    assert line is not None and line.startswith("GPIO library: libgpiod 2.") and f"(v2 API, {library})" in line, line
