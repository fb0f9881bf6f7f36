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
    r = subprocess.run([str(REPO / "Tools/package-deb"), "--arch", "vax", "--binary", "/bin/true"], cwd=REPO,
                       capture_output=True, text=True)
    assert r.returncode == 2 and "unsupported architecture 'vax'" in r.stderr


def test_deploy_dry_run_prints_the_plan(kestrel, tmp_path):
    deb = subprocess.run([str(REPO / "Tools/package-deb"), "--binary", str(kestrel), "--out", str(tmp_path)],
                         cwd=REPO, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    r = subprocess.run([str(REPO / "Tools/deploy"), "--host", "pi@board.invalid", "--deb", deb,
                        "--board", "rpi4-pca9685", "--dry-run"], cwd=REPO, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert any(l.startswith("would run: scp ") and "pi@board.invalid:/tmp/" in l for l in lines)
    assert any("apt-get install -y /tmp/kestrel_" in l for l in lines)
    assert any("KESTREL_BOARD=/etc/kestrel/boards/rpi4-pca9685.toml" in l for l in lines)
    assert any("systemctl enable --now kestrel.service" in l for l in lines)


def test_deploy_rejects_bad_arguments(tmp_path):
    r = subprocess.run([str(REPO / "Tools/deploy"), "--host", "pi@x", "--deb", str(tmp_path / "nope.deb")],
                       cwd=REPO, capture_output=True, text=True)
    assert r.returncode == 2 and "does not exist" in r.stderr
    r = subprocess.run([str(REPO / "Tools/deploy"), "--deb", "x.deb"], cwd=REPO, capture_output=True, text=True)
    assert r.returncode == 2 and "--host" in r.stderr
