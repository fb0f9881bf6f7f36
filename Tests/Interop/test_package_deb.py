"""The .deb that Tools/package-deb builds, checked with dpkg-deb as a board's package manager would see it."""
import subprocess

from conftest import REPO


def test_deb_contents(kestrel, tmp_path):
    deb = subprocess.run([str(REPO / "Tools/package-deb"), "--binary", str(kestrel), "--out", str(tmp_path)],
                         cwd=REPO, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    listing = subprocess.run(["dpkg-deb", "-c", deb], check=True, capture_output=True, text=True).stdout
    paths = {line.split()[-1] for line in listing.splitlines()}
    for expected in ["./usr/bin/kestrel", "./lib/systemd/system/kestrel.service",
                     "./lib/udev/rules.d/60-kestrel.rules", "./etc/default/kestrel",
                     "./usr/share/doc/kestrel/README.md"]:
        assert expected in paths, f"{expected} missing from {deb}"
    binary_line = next(line for line in listing.splitlines() if line.endswith("./usr/bin/kestrel"))
    assert binary_line.startswith("-rwxr-xr-x root/root")

    info = subprocess.run(["dpkg-deb", "-I", deb], check=True, capture_output=True, text=True).stdout
    arch = subprocess.run(["dpkg", "--print-architecture"], check=True, capture_output=True, text=True).stdout.strip()
    assert "Package: kestrel" in info and f"Architecture: {arch}" in info
    assert "postinst" in info

    # The maintainer script creates the kestrel user with access to I2C, GPIO and serial ports.
    postinst = subprocess.run(["dpkg-deb", "--ctrl-tarfile", deb], check=True, capture_output=True).stdout
    assert b"adduser --system --group" in postinst
    assert b"i2c gpio dialout" in postinst

    unit = subprocess.run(["dpkg-deb", "--fsys-tarfile", deb], check=True, capture_output=True).stdout
    assert b"Type=notify" in unit and b"WatchdogSec=" in unit


def test_bad_argument_is_named(tmp_path):
    r = subprocess.run([str(REPO / "Tools/package-deb"), "--frobnicate"], cwd=REPO, capture_output=True, text=True)
    assert r.returncode == 2
    assert "unknown argument '--frobnicate'" in r.stderr
