"""Interop: Kestrel's plant checked against JSBSim 1.3.3 on the same airframe (issue 17's cross-validation). The
JSBSim model is generated from the airframe file (Tools/jsbsim/airframe_xml.py: mass, inertia, every derivative,
the servos, Kestrel's thrust law and battery); Kestrel's side is `kestrel airframe trim` and `kestrel airframe
response`, the Swift plant itself. Both start from wings-level trim 300 m above the rig's 488 m site in calm air and
fly the same input on fixed controls:

- trim at 15, 18 and 22 m/s: angle of attack and elevator within 0.1°, throttle within 0.005;
- elevator, aileron and rudder doublets and a throttle step: the responses within 5 % RMS of JSBSim's over 10 s;
- the modes identified the same way from both responses (short period and Dutch roll from the free oscillation
  after a doublet, the phugoid from a 90 s speed oscillation, the roll mode from the roll-rate decay): frequency
  and damping within 5 %, and short period and Dutch roll within 5 % of the eigenvalues of the equations linearised
  at the trim (Tools/jsbsim/linear_modes.py);
- the engine-off glide: airspeed and glide ratio within 5 %.

    KESTREL_BIN_DIR=$(swift build --show-bin-path) .venv/bin/python -m pytest -s Tests/Interop/test_jsbsim_crossval.py
"""
import csv
import io
import math
import pathlib
import re
import subprocess
import sys

import numpy as np
import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "Tools" / "jsbsim"))

import airframe_toml  # noqa: E402
import airframe_xml as ax  # noqa: E402
import battery as battery_model  # noqa: E402
import jsbsim_plant  # noqa: E402
import linear_modes  # noqa: E402
import reference_trim  # noqa: E402
import servo_frames  # noqa: E402

AIRFRAMES = ["Hardware/airframes/kestrel-2m.toml", "Hardware/airframes/kestrel-wing-1p4.toml"]
SITE_ALT_M, HEIGHT_M, RATE_HZ, DT_S = 488.0, 300.0, 50, 1 / 400
DEG = math.pi / 180
GLIDE_HEIGHT_M = 800.0
JSBSIM_TRIM_LONGITUDINAL = 0  # FGTrim's tLongitudinal (1 is tFull)


def kestrel_response(kestrel, airframe, input_kind, seconds, airspeed_mps=18.0, amplitude_deg=2.0, throttle=0.1,
                     height_m=HEIGHT_M):
    """`kestrel airframe response` as columns (numpy arrays)."""
    out = subprocess.run(
        [str(kestrel), "airframe", "response", airframe, "--input", input_kind, "--airspeed-mps", str(airspeed_mps),
         "--height-m", str(height_m), "--amplitude-deg", str(amplitude_deg), "--throttle-step", str(throttle),
         "--seconds", str(seconds), "--rate-hz", str(RATE_HZ)],
        cwd=REPO, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    return {k: np.array([float(r[k]) for r in rows]) for k in rows[0]}


class JSBSimRun:
    """The generated JSBSim model trimmed level at `airspeed_mps`, `HEIGHT_M` above the site, with Kestrel's battery
    in the loop (its voltage scales the thrust law, as in the Swift plant)."""

    def __init__(self, airframe, airspeed_mps, root, height_m=HEIGHT_M):
        self.a = airframe
        self.height_m = height_m
        self.fdm, _ = jsbsim_plant.load_fdm(airframe, DT_S, root_dir=root)
        self.airspeed_mps = airspeed_mps
        # The Swift plant trims at the voltage its battery sags to under the trim current: do the same.
        ratio = 1.0
        for _ in range(3):
            self.trim(ratio)
            pack = battery_model.Battery(airframe["battery"])
            pack.draw(self.electrical_w(), DT_S)
            ratio = pack.voltage_ratio
        self.trim(ratio)
        self.pack = battery_model.Battery(airframe["battery"])
        self.trim_surface_cmd = [self.fdm[ax.SURFACE_CMD.format(i)] for i in range(len(airframe["surfaces"]))]

    def trim(self, voltage_ratio):
        f = self.fdm
        f[ax.VOLTAGE_RATIO] = voltage_ratio
        f["ic/lat-geod-deg"], f["ic/long-gc-deg"] = 47.397742, 8.545594
        f["ic/terrain-elevation-ft"] = SITE_ALT_M / ax.M_PER_FT
        f["ic/h-agl-ft"] = self.height_m / ax.M_PER_FT
        f["ic/vt-fps"] = self.airspeed_mps / ax.M_PER_FT
        f["ic/psi-true-deg"] = 0.0
        f["ic/gamma-deg"], f["ic/alpha-deg"] = 0.0, 3.0
        f["ic/p-rad_sec"] = f["ic/q-rad_sec"] = f["ic/r-rad_sec"] = 0.0
        f.run_ic()
        f["fcs/throttle-cmd-norm"] = 0.95
        f["fcs/roll-trim-cmd-norm"] = 0.0
        # JSBSim's longitudinal trim (mode 0), as Kestrel's TrimSolver: with the propeller's reaction torque its full
        # trim (mode 1) would also balance yaw with the rudder and side force with a bank, which Kestrel's does not
        # (and on the flying wing, without a rudder, it fails).
        f.do_trim(JSBSIM_TRIM_LONGITUDINAL)
        # Kestrel's trim adds the aileron that holds the wings level against the propeller torque (TrimSolver);
        # the longitudinal trim leaves roll alone, so set the same aileron through the roll-trim input (it adds
        # δa/max to the aileron, ± to the elevons: the equivalent δa either way).
        aileron = reference_trim.aileron_trim_rad(
            self.a, f["aero/alpha-rad"], f["fcs/throttle-cmd-norm"], self.airspeed_mps,
            f["atmosphere/rho-slugs_ft3"] * ax.KGPM3_PER_SLUGPFT3, voltage_ratio)
        roll_surface = next(s for s in self.a["surfaces"] if s["function"] in ("aileron", "elevon_left"))
        f["fcs/roll-trim-cmd-norm"] = aileron / (roll_surface["max_deflection_deg"] * DEG)
        f.do_trim(JSBSIM_TRIM_LONGITUDINAL)  # again, so that the surfaces start at it (trim passes actuators through)

    def electrical_w(self):
        f = self.fdm
        return battery_model.electrical_power_w(
            self.a["propulsion"], f[ax.THRUST_N], f["velocities/u-aero-fps"] * ax.M_PER_FT,
            f["atmosphere/rho-slugs_ft3"] * ax.KGPM3_PER_SLUGPFT3)

    def has(self, function):
        return any(s["function"] == function for s in self.a["surfaces"])

    def fly(self, input_kind, seconds, amplitude_deg=2.0, throttle=0.1, pulse_s=None, start_s=1.0):
        """The same input as `kestrel airframe response` (OpenLoopResponse.swift), sampled at RATE_HZ."""
        f = self.fdm
        pulse = pulse_s if pulse_s is not None else {"elevator-doublet": 0.3, "aileron-doublet": 0.5,
                                                      "rudder-doublet": 0.7}.get(input_kind, 0.0)
        trim_throttle = f["fcs/throttle-cmd-norm"]
        # The equivalent deflection on each physical surface, as ActuatorModel.commands(for:) maps it.
        axis = {"elevator-doublet": "pitch", "aileron-doublet": "roll", "rudder-doublet": "yaw"}.get(input_kind)
        share = {"pitch": {"elevator": 1, "elevon_left": 1, "elevon_right": 1},
                 "roll": {"aileron": 1, "elevon_left": 1, "elevon_right": -1}, "yaw": {"rudder": 1}}.get(axis, {})
        moved = [(i, share[s["function"]] / (s["max_deflection_deg"] * DEG))
                 for i, s in enumerate(self.a["surfaces"]) if s["function"] in share]
        # Kestrel's servos read their pulse at 0, 20 ms, … in this rig (OpenLoopResponse.swift) and have a dead band.
        servos = servo_frames.ServoFrames(self.a["surfaces"])
        servos.reset(self.trim_surface_cmd)
        commands = list(self.trim_surface_cmd)
        h0 = f["position/h-sl-ft"] * ax.M_PER_FT
        columns = {k: [] for k in ("time_s", "airspeed_mps", "alpha_rad", "beta_rad", "p_radps", "q_radps",
                                   "r_radps", "roll_rad", "pitch_rad", "yaw_rad", "height_m", "throttle",
                                   "elevator_rad", "aileron_rad", "rudder_rad")}
        steps = round(seconds / DT_S)
        every = round(1 / (RATE_HZ * DT_S))
        for i in range(steps + 1):
            t = i * DT_S
            phase = 0.0 if t < start_s else 1.0 if t < start_s + pulse else -1.0 if t < start_s + 2 * pulse else 0.0
            for index, per_rad in moved:
                commands[index] = self.trim_surface_cmd[index] + amplitude_deg * DEG * phase * per_rad
            servo_frames.write_commands(f, servos, commands, DT_S)
            if input_kind == "throttle-step" and t >= start_s:
                f["fcs/throttle-cmd-norm"] = min(max(trim_throttle + throttle, 0.0), 1.0)
            if input_kind == "engine-off" and t >= start_s:
                f["fcs/throttle-cmd-norm"] = 0.0
                f["fcs/roll-trim-cmd-norm"] = 0.0  # the torque's aileron trim goes with it (OpenLoopResponse)
            if i % every == 0:
                for key, value in (("time_s", t), ("airspeed_mps", f["velocities/vt-fps"] * ax.M_PER_FT),
                                   ("alpha_rad", f["aero/alpha-rad"]), ("beta_rad", f["aero/beta-rad"]),
                                   ("p_radps", f["velocities/p-rad_sec"]), ("q_radps", f["velocities/q-rad_sec"]),
                                   ("r_radps", f["velocities/r-rad_sec"]), ("roll_rad", f["attitude/phi-rad"]),
                                   ("pitch_rad", f["attitude/theta-rad"]), ("yaw_rad", f["attitude/psi-rad"]),
                                   ("height_m", self.height_m + f["position/h-sl-ft"] * ax.M_PER_FT - h0),
                                   ("throttle", f["fcs/throttle-cmd-norm"]), ("elevator_rad", f[ax.ELEVATOR_RAD]),
                                   ("aileron_rad", f[ax.AILERON_RAD]), ("rudder_rad", f[ax.RUDDER_RAD])):
                    columns[key].append(value)
            if i < steps:
                f[ax.VOLTAGE_RATIO] = self.pack.voltage_ratio
                f.run()
                self.pack.draw(self.electrical_w(), DT_S)
        return {k: np.array(v) for k, v in columns.items()}


def relative_rms(kestrel, jsbsim, key):
    """RMS of the difference over RMS of JSBSim's response about its start."""
    n = min(len(kestrel[key]), len(jsbsim[key]))
    k, j = kestrel[key][:n], jsbsim[key][:n]
    return float(np.sqrt(np.mean((k - j) ** 2)) / np.sqrt(np.mean((j - j[0]) ** 2)))


def second_order_mode(t, x, start_s, end_s, rate_hz=None):
    """(natural frequency rad/s, damping ratio) of the free response x(t) in [start_s, end_s]: an AR(2) model
    x[k] = a1·x[k−1] + a2·x[k−2] + c fitted by least squares, its poles mapped to s = ln z / dt."""
    keep = (t >= start_s) & (t <= end_s)
    tt, xx = t[keep], x[keep]
    if rate_hz is not None:
        step = max(1, round((tt[1] - tt[0]) ** -1 / rate_hz))
        tt, xx = tt[::step], xx[::step]
    dt = tt[1] - tt[0]
    a = np.column_stack([xx[1:-1], xx[:-2], np.ones(len(xx) - 2)])
    a1, a2, _ = np.linalg.lstsq(a, xx[2:], rcond=None)[0]
    z = np.roots([1.0, -a1, -a2]).astype(complex)
    s = np.log(z[0]) / dt
    omega = abs(s)
    return float(omega), float(-s.real / omega)


def first_order_time_constant(t, x, start_s, end_s):
    """τ of a first-order decay x[k] = a·x[k−1] + c in [start_s, end_s]."""
    keep = (t >= start_s) & (t <= end_s)
    xx = x[keep]
    a = np.column_stack([xx[:-1], np.ones(len(xx) - 1)])
    slope, _ = np.linalg.lstsq(a, xx[1:], rcond=None)[0]
    return float(-(t[1] - t[0]) / math.log(slope))


@pytest.fixture(scope="module")
def models(tmp_path_factory):
    pytest.importorskip("jsbsim")
    return {path: airframe_toml.load(REPO / path) for path in AIRFRAMES}


@pytest.mark.parametrize("airframe", AIRFRAMES)
def test_trim_agrees_at_three_airspeeds(kestrel, models, airframe, tmp_path):
    out = subprocess.run([str(kestrel), "airframe", "trim", airframe, "--height-m", str(HEIGHT_M), "--json"],
                         cwd=REPO, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    import json
    for line in out.stdout.splitlines():
        k = json.loads(line)
        run = JSBSimRun.__new__(JSBSimRun)
        run.a, run.airspeed_mps, run.height_m = models[airframe], k["airspeed_mps"], HEIGHT_M
        run.fdm, _ = jsbsim_plant.load_fdm(run.a, DT_S, root_dir=tmp_path / str(k["airspeed_mps"]))
        run.trim(1.0)
        f = run.fdm
        alpha, elevator, throttle = f["aero/alpha-deg"], f[ax.ELEVATOR_RAD] / DEG, f["fcs/throttle-cmd-norm"]
        print(f"{airframe} trim at {k['airspeed_mps']:.0f} m/s: Kestrel α {k['alpha_deg']:.3f}°, elevator "
              f"{k['elevator_deg']:.3f}°, throttle {k['throttle']:.4f}; JSBSim α {alpha:.3f}°, elevator "
              f"{elevator:.3f}°, throttle {throttle:.4f}")
        assert abs(alpha - k["alpha_deg"]) < 0.1
        assert abs(elevator - k["elevator_deg"]) < 0.1
        assert abs(throttle - k["throttle"]) < 0.005


# (input, the responses compared, seconds)
RESPONSES = [
    ("elevator-doublet", ["q_radps", "alpha_rad", "pitch_rad", "airspeed_mps"]),
    ("aileron-doublet", ["p_radps", "r_radps", "roll_rad"]),
    ("rudder-doublet", ["r_radps", "beta_rad", "p_radps"]),
    ("throttle-step", ["airspeed_mps", "pitch_rad", "height_m"]),
]


@pytest.mark.parametrize("airframe", AIRFRAMES)
@pytest.mark.parametrize("input_kind,keys", RESPONSES)
def test_responses_agree_within_five_percent(kestrel, models, airframe, input_kind, keys, tmp_path):
    if input_kind == "rudder-doublet" and not any(s["function"] == "rudder" for s in models[airframe]["surfaces"]):
        pytest.skip(f"{airframe} has no rudder")
    k = kestrel_response(kestrel, airframe, input_kind, 10)
    j = JSBSimRun(models[airframe], 18.0, tmp_path).fly(input_kind, 10)
    figures = {key: relative_rms(k, j, key) for key in keys}
    print(f"{airframe} {input_kind}: " + ", ".join(f"{key} {100 * v:.2f} % RMS" for key, v in figures.items()))
    for key, value in figures.items():
        assert value < 0.05, f"{input_kind}: {key} differs by {100 * value:.1f} % RMS"


def ideal_servos(airframe, directory):
    """A copy of the airframe file whose servos have no play and no dead band."""
    text = (REPO / airframe).read_text()
    text = re.sub(r"(?m)^backlash_deg = .*$", "backlash_deg = 0.0", text)
    text = re.sub(r"(?m)^deadband_us = .*$", "deadband_us = 0.0", text)
    path = pathlib.Path(directory) / f"ideal-servos-{pathlib.Path(airframe).name}"
    path.write_text(text)
    return path


@pytest.mark.parametrize("airframe", AIRFRAMES)
def test_modes_agree_within_five_percent(kestrel, models, airframe, tmp_path):
    """Each mode identified from both plants' responses by the same fit."""
    figures = {}
    # The airframe's own modes: with the servos' play and dead band the doublet's end is a nonlinear input (the
    # surface settles up to half the play, 0.4° on the wing's elevons, off trim), which the free-response fit reads
    # as damping (wing short period ζ 0.388 on both engines against 0.443 linearised). Both engines fly the airframe
    # with ideal linkages here; the responses test above compares them with the play and dead band in.
    path = ideal_servos(airframe, tmp_path)
    model = airframe_toml.load(path)
    # Short period: the pitch rate's free oscillation after the elevator doublet (it ends at 1.6 s; the servos have
    # settled 0.15 s later).
    k = kestrel_response(kestrel, str(path), "elevator-doublet", 4)
    j = JSBSimRun(model, 18.0, tmp_path / "sp").fly("elevator-doublet", 4)
    figures["short period"] = [second_order_mode(r["time_s"], r["q_radps"], 1.75, 2.8) for r in (k, j)]
    # Phugoid: the airspeed's slow oscillation after a throttle step, 5 Hz samples from 5 s on.
    k = kestrel_response(kestrel, str(path), "throttle-step", 90)
    j = JSBSimRun(model, 18.0, tmp_path / "ph").fly("throttle-step", 90)
    figures["phugoid"] = [second_order_mode(r["time_s"], r["airspeed_mps"], 5, 90, rate_hz=5) for r in (k, j)]
    # Dutch roll: the sideslip after the rudder doublet (it ends at 2.4 s), or after the aileron doublet (2 s) on an
    # airframe without a rudder. After the aileron doublet the fit starts 0.8 s later, when the roll subsidence
    # (τ ≈ 0.11 s) has died out: from 2.15 s its tail in β pulled the wing's ζ down to 0.070 on both engines, where
    # the linearised equations give 0.072 (from 2.4 s on the fit gives 0.072).
    rudder = any(s["function"] == "rudder" for s in models[airframe]["surfaces"])
    kind, start = ("rudder-doublet", 2.55) if rudder else ("aileron-doublet", 2.8)
    k = kestrel_response(kestrel, str(path), kind, 6)
    j = JSBSimRun(model, 18.0, tmp_path / "dr").fly(kind, 6)
    figures["Dutch roll"] = [second_order_mode(r["time_s"], r["beta_rad"], start, start + 3) for r in (k, j)]
    # Roll mode: the roll rate's decay after the aileron doublet (it ends at 2 s; the servos settle by 2.1 s).
    k = kestrel_response(kestrel, str(path), "aileron-doublet", 3)
    j = JSBSimRun(model, 18.0, tmp_path / "rm").fly("aileron-doublet", 3)
    taus = [first_order_time_constant(r["time_s"], r["p_radps"], 2.1, 2.35) for r in (k, j)]
    linear = linear_modes.modes(models[airframe], 18.0, SITE_ALT_M + HEIGHT_M)
    for name, ((wk, zk), (wj, zj)) in figures.items():
        print(f"{airframe} {name}: Kestrel ω {wk:.3f} rad/s ζ {zk:.4f}; JSBSim ω {wj:.3f} rad/s ζ {zj:.4f}; "
              f"linearised ω {linear[name][0]:.3f} rad/s ζ {linear[name][1]:.4f}")
    print(f"{airframe} roll mode: Kestrel τ {taus[0]:.4f} s; JSBSim τ {taus[1]:.4f} s; linearised τ "
          f"{linear['roll mode']:.4f} s")
    # The oscillations identified from the doublets are the equations' own (the phugoid's fit over 90 s sees the
    # density change with height and the battery's sag, which the linearisation holds still): an artefact of the
    # integration or of the fit common to both engines fails here.
    for name in ("short period", "Dutch roll"):
        w0, z0 = linear[name]
        for engine, (w, z) in zip(("Kestrel", "JSBSim"), figures[name]):
            assert abs(w - w0) / w0 < 0.05 and abs(z - z0) / z0 < 0.05, f"{engine} {name} against the linearisation"
    for name, ((wk, zk), (wj, zj)) in figures.items():
        assert abs(wk - wj) / wj < 0.05, f"{name} frequency"
        # JSBSim's default integrators (forward Euler on the body rates) took ω·dt/2 off every oscillation's ζ: the
        # wing's Dutch roll was 0.066 against 0.070 (jsbsim_plant.load_fdm now sets Adams-Bashforth 3).
        assert abs(zk - zj) / zj < 0.05, f"{name} damping"
    assert abs(taus[0] - taus[1]) / taus[1] < 0.05


@pytest.mark.parametrize("airframe", AIRFRAMES)
def test_engine_off_glide_agrees(kestrel, models, airframe, tmp_path):
    """The motor stops at 1 s on trim controls: after 120 s the glide is steady; airspeed and glide ratio (over the
    last 30 s) within 5 %."""
    # Ideal linkages: the aileron trim against the torque (0.004 rad) is taken out with the motor, and inside the
    # linkage's play (half of it 0.004 rad on the 2 m, 0.007 on the wing) the surface would not follow and would
    # roll the glide into a spiral on both engines (the wing reached the ground in 90 s).
    # From 800 m: the windmilling propeller's drag steepens the glide (the 2 m sinks 2.3 m/s), and from 300 m it
    # reached the ground at 133 s, inside the window measured.
    path = ideal_servos(airframe, tmp_path)
    k = kestrel_response(kestrel, str(path), "engine-off", 150, throttle=0, height_m=GLIDE_HEIGHT_M)
    j = JSBSimRun(airframe_toml.load(path), 18.0, tmp_path, height_m=GLIDE_HEIGHT_M).fly("engine-off", 150)

    def glide(r):
        keep = r["time_s"] >= 120
        t, h, v = r["time_s"][keep], r["height_m"][keep], r["airspeed_mps"][keep]
        sink = -(h[-1] - h[0]) / (t[-1] - t[0])
        speed = float(np.mean(v))
        return speed, math.sqrt(max(speed ** 2 - sink ** 2, 0)) / sink
    (vk, gk), (vj, gj) = glide(k), glide(j)
    print(f"{airframe} engine-off glide: Kestrel {vk:.2f} m/s, L/D {gk:.2f}; JSBSim {vj:.2f} m/s, L/D {gj:.2f}")
    assert abs(vk - vj) / vj < 0.05
    assert abs(gk - gj) / gj < 0.05
