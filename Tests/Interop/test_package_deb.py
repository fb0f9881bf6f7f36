"""The .deb that Tools/package-deb builds, checked with dpkg-deb as a board's package manager would see it."""
import os
import re
import shlex
import shutil
import subprocess

import pytest

from conftest import REPO


@pytest.fixture(scope="module")
def deb(kestrel, tmp_path_factory):
    """The .deb of the build under test, as CI packages it (compressing the debug binary takes about 10 s, so the
    tests that only read the package share one)."""
    out = tmp_path_factory.mktemp("deb")
    return subprocess.run([str(REPO / "Tools/package-deb"), "--binary", str(kestrel), "--out", str(out)],
                          cwd=REPO, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]


def test_deb_contents(deb):
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


def test_groups_the_udev_rules_name_exist_before_the_rules_are_unpacked(deb, tmp_path):
    # udevd resolves GROUP= when it parses the rules, which may happen between dpkg's unpack and the postinst; a group
    # created only in the postinst is then ignored until the rules file changes (seen in the Debian 12 guest:
    # "Unknown group 'gpio', ignoring", /dev/gpiochip0 left root:root and the daemon unable to open it).
    control = tmp_path / "control"
    subprocess.run(["dpkg-deb", "-e", deb, str(control)], check=True)
    assert (control / "preinst").exists(), "the .deb has no preinst to create the device groups"
    rules = subprocess.run(["dpkg-deb", "--fsys-tarfile", deb], check=True, capture_output=True).stdout
    named = set(re.findall(rb'GROUP="([a-z_][a-z0-9_-]*)"', rules)) | set(re.findall(rb"chgrp -R ([a-z_][a-z0-9_-]*)", rules))
    assert {b"i2c", b"gpio", b"dialout"} <= named
    # The preinst on a system that has none of the groups: getent finds nothing, groupadd records what it is asked.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    created = tmp_path / "created"
    (bin_dir / "getent").write_text("#!/bin/sh\nexit 2\n")
    (bin_dir / "groupadd").write_text(f"#!/bin/sh\necho \"$*\" >> {created}\n")
    for tool in ("getent", "groupadd"):
        (bin_dir / tool).chmod(0o755)
    for action in ("install", "upgrade"):
        created.write_text("")
        subprocess.run(["sh", str(control / "preinst"), action], check=True,
                       env={"PATH": f"{bin_dir}:/usr/bin:/bin"})
        calls = created.read_text().split("\n")
        made = {line.split()[-1].encode() for line in calls if line.strip()}
        assert named <= made, f"preinst {action} did not create {sorted(named - made)}"
        assert all("--system" in line for line in calls if line.strip())


def test_bad_argument_is_named(tmp_path):
    r = subprocess.run([str(REPO / "Tools/package-deb"), "--frobnicate"], cwd=REPO, capture_output=True, text=True)
    assert r.returncode == 2
    assert "unknown argument '--frobnicate'" in r.stderr
    r = subprocess.run([str(REPO / "Tools/package-deb"), "--arch", "vax", "--binary", "/bin/true"], cwd=REPO,
                       capture_output=True, text=True)
    assert r.returncode == 2 and "unsupported architecture 'vax'" in r.stderr


def test_deploy_dry_run_prints_the_plan(deb):
    r = subprocess.run([str(REPO / "Tools/deploy"), "--host", "pi@board.invalid", "--deb", deb,
                        "--board", "rpi4-pca9685", "--dry-run"], cwd=REPO, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert any(l.startswith("would run: scp ") and "pi@board.invalid:/tmp/" in l for l in lines)
    assert any("apt-get install -y /tmp/kestrel_" in l for l in lines)
    assert any("KESTREL_BOARD=/etc/kestrel/boards/rpi4-pca9685.toml" in l for l in lines)
    assert any("systemctl restart kestrel.service" in l for l in lines)


def test_deploy_rejects_bad_arguments(tmp_path):
    r = subprocess.run([str(REPO / "Tools/deploy"), "--host", "pi@x", "--deb", str(tmp_path / "nope.deb")],
                       cwd=REPO, capture_output=True, text=True)
    assert r.returncode == 2 and "does not exist" in r.stderr
    r = subprocess.run([str(REPO / "Tools/deploy"), "--deb", "x.deb"], cwd=REPO, capture_output=True, text=True)
    assert r.returncode == 2 and "--host" in r.stderr


def test_deploy_passes_its_ssh_config_to_ssh_and_scp(kestrel, deb, tmp_path):
    """--ssh-config (a board behind a forwarded port, as the virtual flight board's upgrade test uses) reaches both
    ssh and scp as -F FILE; a missing file is refused before anything is copied."""
    config = tmp_path / "ssh-config"
    config.write_text("Host kestrel-vm\n    HostName 127.0.0.1\n    Port 2222\n")
    r = subprocess.run([str(REPO / "Tools/deploy"), "--host", "kestrel-vm", "--ssh-config", str(config), "--deb", deb,
                        "--dry-run"], cwd=REPO, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert any(l.startswith(f"would run: scp -F {config} ") for l in r.stdout.splitlines()), r.stdout
    r = subprocess.run([str(REPO / "Tools/deploy"), "--host", "kestrel-vm", "--ssh-config", str(tmp_path / "none"),
                        "--deb", deb], cwd=REPO, capture_output=True, text=True)
    assert r.returncode == 2 and "--ssh-config needs an existing file" in r.stderr, r.stderr


def test_package_deb_takes_a_version_and_refuses_a_bad_one(kestrel, tmp_path):
    r = subprocess.run([str(REPO / "Tools/package-deb"), "--binary", str(kestrel), "--out", str(tmp_path),
                        "--version", "0.2.0+rig1"], cwd=REPO, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    deb = r.stdout.strip().splitlines()[-1]
    version = subprocess.run(["dpkg-deb", "-f", deb, "Version"], capture_output=True, text=True).stdout.strip()
    assert version == "0.2.0+rig1"
    r = subprocess.run([str(REPO / "Tools/package-deb"), "--binary", str(kestrel), "--out", str(tmp_path),
                        "--version", "rig one"], cwd=REPO, capture_output=True, text=True)
    assert r.returncode == 2 and "'rig one' is not a Debian version" in r.stderr, r.stderr


def test_deb_declares_the_libraries_the_binary_links(kestrel, deb, tmp_path):
    """Depends names the libi2c the binary was linked against, and either libgpiod: the binary links none (it loads
    libgpiod.so.3 or .so.2 at run time), so the one package installs on Debian 12 (libgpiod2) and 13 (libgpiod3)."""
    needed = subprocess.run(["readelf", "-d", str(kestrel)], check=True, capture_output=True, text=True).stdout
    assert "libgpiod" not in needed, needed
    i2c = re.search(r"\[libi2c\.so\.(\d+)\]", needed).group(1)
    depends = subprocess.run(["dpkg-deb", "-f", deb, "Depends"], check=True, capture_output=True, text=True).stdout
    names = [d.strip() for d in depends.split(",")]
    assert f"libi2c{i2c}" in names and "libgpiod3 | libgpiod2" in names, depends
    # A binary without libi2c is refused, naming the library.
    r = subprocess.run([str(REPO / "Tools/package-deb"), "--binary", "/bin/true", "--out", str(tmp_path)], cwd=REPO,
                       capture_output=True, text=True)
    assert r.returncode != 0 and "does not link libi2c" in r.stderr, r.stderr


def test_the_units_command_line_is_complete(kestrel, deb, tmp_path):
    """The installed unit's ExecStart, with /etc/default/kestrel and the files the package installs (paths moved into
    an unpacked copy of the package), gets `kestrel fly` as far as the board's devices: the airframe, board, operator
    file, signing key and vehicle id all load. Before, it passed no airframe (relative default, run from /) and no
    ground-link settings."""
    root = tmp_path / "root"
    subprocess.run(["dpkg-deb", "-x", deb, str(root)], check=True)
    unit = (root / "lib/systemd/system/kestrel.service").read_text()
    for line in ("WorkingDirectory=/var/lib/kestrel", "NoNewPrivileges=yes", "ProtectSystem=strict",
                 "DevicePolicy=closed", "DeviceAllow=char-i2c rw", "DeviceAllow=char-gpiochip rw", "StartLimitBurst=",
                 "EnvironmentFile=-/etc/kestrel/vehicle.env"):
        assert line in unit, line
    assert (root / "usr/lib/modules-load.d/kestrel.conf").read_text().strip().endswith("i2c-dev")
    assert "[mavlink]" in (root / "etc/kestrel/boards/rpi4-pca9685.toml").read_text()
    # What postinst writes at install.
    etc = root / "etc/kestrel"
    (etc / "vehicle.env").write_text("KESTREL_VEHICLE_ID=0x0123456789abcdef\n")
    (etc / "mavlink.key").write_text("ab" * 32 + "\n")
    (etc / "mavlink.key").chmod(0o600)
    env = {}
    for f in (root / "etc/default/kestrel", etc / "vehicle.env"):
        for line in f.read_text().splitlines():
            if line and not line.startswith("#"):
                k, _, v = line.partition("=")
                env[k] = v.replace("/etc/", f"{root}/etc/")
    command = " ".join(l.strip().rstrip("\\") for l in unit.split("ExecStart=")[1].split("\n# ")[0].splitlines())
    command = re.sub(r"\$\{(\w+)\}", lambda m: env[m.group(1)], command)
    command = re.sub(r"\$(\w+)", lambda m: env.get(m.group(1), ""), command)
    args = command.split()
    assert args[0] == "/usr/bin/kestrel"
    args[args.index("--log-dir") + 1] = str(tmp_path / "logs")
    r = subprocess.run([str(kestrel), *args[1:], "--seconds", "1"], cwd="/", capture_output=True, text=True,
                       timeout=60)
    assert r.returncode != 0
    # It stops at the hardware this machine does not have (no I2C bus clock in a device tree, so the bus-time
    # budget refuses the board; or no /dev/i2c-1), not at a file or an argument.
    assert ("/dev/i2c-1" in r.stderr and "does not exist" in r.stderr) or \
        ("bus-time budget does not fit" in r.stderr and "dtparam=i2c_arm_baudrate=400000" in r.stderr), r.stderr
    for word in ("airframe", "signing", "vehicle id", "Usage"):
        assert word not in r.stderr.replace("without an operators file", ""), r.stderr


def test_deploy_sends_the_board_its_commands_word_for_word(kestrel, deb, tmp_path):
    """With ssh and scp stand-ins that record what the board's shell would be given: the sed expression that sets the
    board file arrives as one word (its '|' were pipes before), and an upgrade restarts the daemon."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "ssh.log"
    arch = subprocess.run(["dpkg", "--print-architecture"], check=True, capture_output=True, text=True).stdout.strip()
    (bin_dir / "ssh").write_text(f"#!/bin/sh\nshift\nprintf '%s\\n' \"$*\" >> {log}\n"
                                 f"case \"$*\" in *print-architecture*) echo {arch};; esac\n")
    (bin_dir / "scp").write_text("#!/bin/sh\nexit 0\n")
    for f in ("ssh", "scp"):
        (bin_dir / f).chmod(0o755)
    env = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}")
    r = subprocess.run([str(REPO / "Tools/deploy"), "--host", "pi@board.invalid", "--deb", deb, "--board",
                        "rpi4-pca9685"], cwd=REPO, capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    lines = log.read_text().splitlines()
    sed = next(l for l in lines if " sed " in l)
    words = list(shlex.shlex(sed, posix=True, punctuation_chars=True))
    assert "|" not in words and "s|^KESTREL_BOARD=.*|KESTREL_BOARD=/etc/kestrel/boards/rpi4-pca9685.toml|" in words
    assert "sudo systemctl restart kestrel.service" in lines


def _binary_needing(tmp_path, sonames):
    """A tiny ELF executable whose NEEDED entries are `sonames`, linked against stub libraries of those names: what a
    build against another distribution's libgpiod looks like to readelf, without that distribution or its packages."""
    stubs = []
    for soname in sonames:
        stub = tmp_path / soname
        subprocess.run(["cc", "-shared", "-fPIC", "-x", "c", "-", "-o", str(stub), f"-Wl,-soname,{soname}"],
                       input="int kestrel_stub_symbol;\n", check=True, capture_output=True, text=True)
        stubs.append(str(stub))
    binary = tmp_path / "kestrel"
    subprocess.run(["cc", "-x", "c", "-", "-x", "none", "-o", str(binary), "-Wl,--no-as-needed", *stubs],
                   input="int main(void) { return 0; }\n", check=True, capture_output=True, text=True)
    return binary


def test_deb_refuses_a_binary_that_links_libgpiod(tmp_path):
    """A binary linking libgpiod.so.N itself (an old build) would load a second libgpiod beside the one Kestrel loads
    at run time, and its package could only name one of them: package-deb refuses it, naming why."""
    if shutil.which("cc") is None:
        pytest.skip("needs a C compiler to make the stub libraries")
    binary = _binary_needing(tmp_path, ["libgpiod.so.2", "libi2c.so.0"])
    r = subprocess.run([str(REPO / "Tools/package-deb"), "--binary", str(binary), "--out", str(tmp_path / "deb")],
                       cwd=REPO, capture_output=True, text=True)
    assert r.returncode != 0 and "links libgpiod directly" in r.stderr, r.stderr
    (tmp_path / "ok").mkdir()
    binary = _binary_needing(tmp_path / "ok", ["libi2c.so.0"])
    deb = subprocess.run([str(REPO / "Tools/package-deb"), "--binary", str(binary), "--out", str(tmp_path / "deb")],
                         cwd=REPO, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    depends = subprocess.run(["dpkg-deb", "-f", deb, "Depends"], check=True, capture_output=True, text=True).stdout
    names = [d.strip().split(" (")[0] for d in depends.split(",")]
    assert names == ["libc6", "adduser", "libi2c0", "libgpiod3 | libgpiod2"], depends


def test_deb_depends_on_the_c_library_version_the_binary_needs(tmp_path):
    """libc6 is declared at the newest GLIBC symbol version the binary references: a build against a newer glibc (the
    arm64 build of Tools/build-arm64 needs 2.43) must not install on a board with an older one and then fail to
    start. Before, Depends said plain `libc6`."""
    if shutil.which("cc") is None:
        pytest.skip("needs a C compiler to make the stub libraries")
    binary = _binary_needing(tmp_path, ["libi2c.so.0"])
    versions = subprocess.run(["readelf", "-W", "--version-info", str(binary)], check=True, capture_output=True,
                              text=True).stdout
    newest = max(re.findall(r"GLIBC_(\d+\.\d+)", versions), key=lambda v: tuple(map(int, v.split("."))))
    out = tmp_path / "deb"
    deb = subprocess.run([str(REPO / "Tools/package-deb"), "--binary", str(binary), "--out", str(out)], cwd=REPO,
                         check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    depends = subprocess.run(["dpkg-deb", "-f", deb, "Depends"], check=True, capture_output=True, text=True).stdout
    assert depends.split(",")[0].strip() == f"libc6 (>= {newest})", depends


def _deb_version(kestrel, out, env):
    deb = subprocess.run([str(REPO / "Tools/package-deb"), "--binary", str(kestrel), "--out", str(out)],
                         cwd=REPO, env=env, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    info = subprocess.run(["dpkg-deb", "-f", deb, "Version"], check=True, capture_output=True, text=True)
    return info.stdout.strip()


def test_untagged_builds_are_versioned_so_a_later_commit_upgrades(kestrel, tmp_path):
    """Regression: a bare commit hash starting with a digit (5414d63) was taken as the whole version, which dpkg
    sorts above every 0.1.0+git… build, so upgrading past it looked like a downgrade."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid", "-C", str(repo)]
    subprocess.run(git + ["init", "-q"], check=True)
    env = dict(os.environ, GIT_DIR=str(repo / ".git"))
    versions = []
    for n in range(40):
        subprocess.run(git + ["commit", "-q", "--allow-empty", "-m", f"c{n}"], check=True)
        head = subprocess.run(git + ["rev-parse", "--short", "HEAD"], check=True, capture_output=True,
                              text=True).stdout.strip()
        if head[0].isdigit() or versions:
            versions.append((n + 1, head, _deb_version(kestrel, tmp_path / f"out{n}", env)))
        if len(versions) == 2:
            break
    assert len(versions) == 2, "no commit hash starting with a digit in 40 commits"
    (count, head, version), (_, _, later) = versions
    assert version == f"0.1.0+git{count}.{head}"
    assert subprocess.run(["dpkg", "--compare-versions", later, "gt", version]).returncode == 0
