"""Interop: Kestrel's HIL board flown on JSBSim 1.3.3 instead of Kestrel's own plant. Tools/jsbsim-hil generates a
JSBSim aircraft from the airframe file at start-up (Tools/jsbsim/airframe_xml.py) and serves `kestrel fly --hil` as
`kestrel sim Scenarios/hil/rig.toml --hil-serve` does (test_hil_loopback.py): HIL_SENSOR / HIL_GPS /
HIL_STATE_QUATERNION paced to the wall clock, HIL_ACTUATOR_CONTROLS flown, the catapult 2 s after the arm.

1. The generated model loads and JSBSim's own trim routine flies it level at 15, 18 and 22 m/s, agreeing with
   Kestrel's trim equations (TrimSolver.swift, re-implemented in Tools/jsbsim/reference_trim.py); the product of
   inertia has Kestrel's sign; the board's outputs move the surfaces with Kestrel's signs. Bad input to the
   simulator is one line naming what is wrong. (Seconds.)
2. A HIL board on JSBSim arms, is launched, climbs above 30 m, enters its mission and reaches its orbit; its estimate,
   made from the JSBSim sensor frames alone, agrees with JSBSim's truth in its flight log. (About 50 s.)
3. The operator's whole flow (test_fly_operator_flow.operator_flow) on JSBSim: terminal only on a signed approval.
   (About 55 s.)

    .venv/bin/pip install jsbsim==1.3.3
    KESTREL_BIN_DIR=$(swift build --show-bin-path) .venv/bin/python -m pytest Tests/Interop/test_jsbsim_hil.py
"""
import math
import os
import pathlib
import subprocess
import sys
import time

import pytest

os.environ["MAVLINK20"] = "1"  # before pymavlink is imported

from test_mavlink_link import dialect  # noqa: E402,F401
from test_sim_link_approval import LINK_KEY, MODE_MISSION, Ground, write_key_file  # noqa: E402
from test_fly_operator_flow import VEHICLE_ID, link_tool, operator_flow, operator_keys, private_key_of  # noqa: E402
from test_hil_loopback import IMU_BITS, arm, check_truth_in_the_flight_log, start_rig, stop_rig  # noqa: E402

REPO = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "Tools" / "jsbsim"))

import airframe_toml  # noqa: E402
import airframe_xml  # noqa: E402
import jsbsim_plant  # noqa: E402
import reference_trim  # noqa: E402

AIRFRAME = "Hardware/airframes/kestrel-2m.toml"
RIG_ORIGIN_ALT_M = 488.0
# Scenarios/hil/rig.toml's air: 1.7 m/s north, 4.7 m/s east, light turbulence.
RIG_AIR = ["--wind-north-mps", "1.7", "--wind-east-mps", "4.7", "--turbulence", "light"]


def jsbsim_hil_command(endpoint, seconds):
    return [sys.executable, str(REPO / "Tools" / "jsbsim-hil"), "--airframe", AIRFRAME, "--hil-serve", endpoint,
            "--launch-delay-s", "2", "--duration-s", str(seconds), *RIG_AIR]


def start_jsbsim_rig(kestrel, link_key, seconds, operators=None, log_dir=None):
    """test_hil_loopback.start_rig with Tools/jsbsim-hil serving the board instead of `kestrel sim --hil-serve`: the
    same board command (Scenarios/hil/mission.toml, signed ground link), the simulator on the rig's air and catapult."""
    return start_rig(kestrel, link_key, seconds, operators=operators, log_dir=log_dir, simulator=jsbsim_hil_command)


# ---------------------------------------------------------------------------------------------------------------
# 1. The generated model


def test_generated_model_trims_level_as_kestrels_equations_do(tmp_path):
    """JSBSim's trim (FGTrim, full mode: throttle, α and pitch trim against u̇, ẇ, q̇, and the lateral axes) at
    three airspeeds, 100 m above the rig's launcher; α, elevator and throttle match Kestrel's trim at JSBSim's air
    density within the trim tolerances."""
    started = time.time()
    airframe = airframe_toml.load(REPO / AIRFRAME)
    fdm, _ = jsbsim_plant.load_fdm(airframe, 1 / 400, root_dir=tmp_path)
    assert (tmp_path / "aircraft" / "kestrel-2m" / "kestrel-2m.xml").exists()
    assert abs(fdm["inertia/mass-slugs"] * jsbsim_plant.SLUG_KG - airframe["mass"]["mass_kg"]) < 1e-6
    for airspeed_mps in (15.0, 18.0, 22.0):
        fdm["ic/lat-geod-deg"], fdm["ic/long-gc-deg"] = 47.397742, 8.545594
        fdm["ic/terrain-elevation-ft"] = RIG_ORIGIN_ALT_M / airframe_xml.M_PER_FT
        fdm["ic/h-agl-ft"] = 100 / airframe_xml.M_PER_FT
        fdm["ic/vt-fps"] = airspeed_mps / airframe_xml.M_PER_FT
        fdm["ic/gamma-deg"], fdm["ic/alpha-deg"] = 0.0, 4.0
        fdm.run_ic()
        fdm["fcs/throttle-cmd-norm"] = 0.95  # start high: below the windmill point thrust has no slope
        # Longitudinal trim (mode 0), as Kestrel's equations: with the propeller's reaction torque JSBSim's full trim
        # (mode 1) would also bank the airframe and use the rudder against the torque's roll and yaw.
        fdm.do_trim(0)
        alpha_deg = fdm["aero/alpha-deg"]
        elevator_deg = math.degrees(fdm[airframe_xml.ELEVATOR_RAD])
        throttle = fdm["fcs/throttle-cmd-norm"]
        density = fdm["atmosphere/rho-slugs_ft3"] * airframe_xml.KGPM3_PER_SLUGPFT3
        ref_alpha, ref_elevator, ref_throttle = reference_trim.level_trim(airframe, airspeed_mps, density)
        print(f"JSBSim trim at {airspeed_mps:.0f} m/s: α {alpha_deg:.3f}°, elevator {elevator_deg:.3f}° (trailing "
              f"edge down +), throttle {throttle:.4f}, thrust {fdm[airframe_xml.THRUST_N]:.2f} N; Kestrel's "
              f"equations: α {math.degrees(ref_alpha):.3f}°, elevator {math.degrees(ref_elevator):.3f}°, "
              f"throttle {ref_throttle:.4f}")
        assert abs(fdm["accelerations/udot-ft_sec2"]) < 0.01 and abs(fdm["accelerations/wdot-ft_sec2"]) < 0.01
        # The bank stays at the initial condition's (the full trim on a rotating Earth left a hair of it, 0.01°).
        assert abs(fdm["accelerations/qdot-rad_sec2"]) < 1e-3 and abs(fdm["attitude/phi-deg"]) < 0.05
        assert abs(alpha_deg - math.degrees(ref_alpha)) < 0.02
        assert abs(elevator_deg - math.degrees(ref_elevator)) < 0.02
        assert abs(throttle - ref_throttle) < 5e-4
    print(f"trim test: {time.time() - started:.1f} s")


def test_generated_model_couples_roll_into_yaw_with_kestrels_product_of_inertia(tmp_path):
    """A pure roll moment, motionless: JSBSim's ṗ and ṙ are Kestrel's J⁻¹·M with J = [[Ixx, 0, −Ixz], [0, Iyy, 0],
    [−Ixz, 0, Izz]] (MassProperties.swift), so the generated <ixz> has the right (opposite) sign."""
    airframe = airframe_toml.load(REPO / AIRFRAME)
    fdm, _ = jsbsim_plant.load_fdm(airframe, 1 / 400, root_dir=tmp_path)
    fdm["ic/h-agl-ft"] = 3000
    fdm.run_ic()
    fdm["external_reactions/launcher-roll/magnitude-lbsft"] = 1.0
    fdm.run()
    m = airframe["mass"]
    moment_nm = airframe_xml.NM_PER_LBFFT
    det = m["ixx_kgm2"] * m["izz_kgm2"] - m["ixz_kgm2"] ** 2
    assert math.isclose(fdm["accelerations/pdot-rad_sec2"], m["izz_kgm2"] * moment_nm / det, rel_tol=1e-3)
    assert math.isclose(fdm["accelerations/rdot-rad_sec2"], m["ixz_kgm2"] * moment_nm / det, rel_tol=1e-3)


class Controls:
    """A HIL_ACTUATOR_CONTROLS as the board sends it (controls in Hardware/boards/sitl.toml's channel order)."""

    def __init__(self, controls, armed):
        self.controls, self.mode, self.time_usec = controls + [0.0] * (16 - len(controls)), 128 * armed, 0


def test_board_controls_move_jsbsims_surfaces_with_kestrels_signs():
    """The board's outputs (aileron, elevator, throttle, rudder) at +0.5, +0.5, 0.7, +0.5: the mixer's roll right, nose
    up and nose right. On JSBSim they become δa > 0, δe < 0 (trailing edge up), δr < 0 (trailing edge right), at half
    the maximum deflections, the throttle at 0.7, and moment coefficients that roll right, pitch up and yaw right."""
    import hil_simulator
    sim = hil_simulator.HILSimulator(REPO / AIRFRAME, REPO / "Hardware/boards/sitl.toml", "udpout:127.0.0.1:9",
                                     launch_delay_s=60, catapult_stroke_s=0.3, origin=(47.397742, 8.545594, 488.0))
    try:
        sim.apply(Controls([0.5, 0.5, 0.7, 0.5], armed=False), now_us=0)
        for _ in range(1200):  # 3 s: the servos and the motor spool (τ 0.03, 0.08 s) have settled
            sim.step()
        f = sim.plant.fdm
        # Coming from neutral, each surface stops short of the command by at most its servo's dead band and half the
        # linkage's play (servo_frames.py, the actuator hysteresis): 12.16° for 12.5° on this airframe.
        for prop, function, wanted_deg in ((airframe_xml.AILERON_RAD, "aileron", 12.5),
                                           (airframe_xml.ELEVATOR_RAD, "elevator", -12.5),
                                           (airframe_xml.RUDDER_RAD, "rudder", -15.0)):
            s = next(s for s in sim.airframe["surfaces"] if s["function"] == function)
            short_deg = s["deadband_us"] / 500 * s["max_deflection_deg"] + s["backlash_deg"] / 2
            got_deg = math.degrees(f[prop])
            assert got_deg * wanted_deg > 0 and abs(wanted_deg) - short_deg - 1e-6 <= abs(got_deg) <= abs(wanted_deg)
        assert math.isclose(f[airframe_xml.THROTTLE_SPOOLED], 0.7, abs_tol=1e-6)
        c0 = sim.airframe["aerodynamics"]["pitch_moment"]["c0"]
        assert f["aero/kestrel/c-roll"] > 0 and f["aero/kestrel/c-pitch"] > c0 and f["aero/kestrel/c-yaw"] > 0
        assert sim.height_m == pytest.approx(2.0, abs=0.01), "still on the catapult rail: the board never armed"
    finally:
        sim.close()


def test_bad_input_is_one_line_naming_it(tmp_path):
    """A missing derivative, a missing file, a malformed endpoint: one error line, exit status 1, no traceback."""
    text = (REPO / AIRFRAME).read_text()
    broken = tmp_path / "broken.toml"
    assert "alpha_per_rad = 5.2\n" in text
    broken.write_text(text.replace("alpha_per_rad = 5.2\n", ""))
    cases = [
        (["--airframe", str(broken), "--hil-serve", "udpout:127.0.0.1:9"],
         "[aerodynamics.lift]: missing key alpha_per_rad"),
        (["--airframe", "nope.toml", "--hil-serve", "udpout:127.0.0.1:9"], "airframe file nope.toml: no such file"),
        (["--airframe", AIRFRAME, "--hil-serve", "udp:127.0.0.1"], "--hil-serve endpoint 'udp:127.0.0.1'"),
        (["--airframe", AIRFRAME, "--hil-serve", "udpout:127.0.0.1:0"], "port must be 1…65535"),
        (["--airframe", AIRFRAME, "--board", AIRFRAME, "--hil-serve", "udpout:127.0.0.1:9"], "no [[pwm.channels]]"),
    ]
    for args, message in cases:
        r = subprocess.run([sys.executable, str(REPO / "Tools" / "jsbsim-hil"), *args], cwd=REPO, capture_output=True,
                           text=True, timeout=60)
        assert r.returncode == 1, (args, r.stdout, r.stderr)
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("jsbsim-hil: error:") and message in lines[0], r.stderr


# ---------------------------------------------------------------------------------------------------------------
# 2. Closed loop


def test_hil_board_flies_its_mission_on_jsbsim(kestrel, dialect, tmp_path):  # noqa: F811
    """Armed over the signed link, the board is launched by JSBSim's catapult 2 s later, climbs above 30 m, enters its
    mission and flies on into its orbit (Scenarios/hil/mission.toml: 120 m radius, 80 m up, 580 m from the launcher).
    The board refuses none of JSBSim's frames, and its attitude estimate agrees with JSBSim's truth in the flight log.
    Bounded to 150 s of wall time."""
    started = time.time()
    link_key = write_key_file(tmp_path / "link.key", LINK_KEY.hex().encode() + b"\n")
    fly, sim, gcs_port = start_jsbsim_rig(kestrel, link_key, seconds=120, log_dir=tmp_path / "logs")
    try:
        ground = Ground(dialect, gcs_port, key=LINK_KEY)
        arm(ground)
        armed_at = time.time()
        firsts, deadline = {}, armed_at + 60
        while len(firsts) < 2 and time.time() < deadline:
            m = ground.recv(["HEARTBEAT", "GLOBAL_POSITION_INT"], 1)
            if m is not None and m.get_type() == "HEARTBEAT" and m.custom_mode == MODE_MISSION:
                firsts.setdefault("mission", time.time() - armed_at)
            if m is not None and m.get_type() == "GLOBAL_POSITION_INT" and m.relative_alt > 30_000:
                firsts.setdefault("30 m", time.time() - armed_at)
        assert "30 m" in firsts, "never climbed 30 m above home"
        assert "mission" in firsts, "never in mission"
        status = ground.recv("SYS_STATUS", 5)
        assert status is not None and status.onboard_control_sensors_health & IMU_BITS == IMU_BITS
        orbit_s, deadline = None, armed_at + 100
        while orbit_s is None and time.time() < deadline:
            m = ground.recv("GLOBAL_POSITION_INT", 2)
            if m is not None and abs(distance_m(m.lat, m.lon, *ORBIT_CENTRE) - ORBIT_RADIUS_M) < 30 \
                    and abs(m.relative_alt / 1000 - ORBIT_HEIGHT_M) < 10:
                orbit_s = time.time() - armed_at
        hb = ground.recv("HEARTBEAT", 5)
        assert hb is not None and hb.custom_mode == MODE_MISSION, hb
        print(f"JSBSim HIL: armed {armed_at - started:.1f} s after start; after the arm 30 m up in "
              f"{firsts['30 m']:.1f} s, in mission in {firsts['mission']:.1f} s, on the orbit (±30 m, ±10 m) in "
              f"{'—' if orbit_s is None else f'{orbit_s:.1f} s'}")
        assert orbit_s is not None, "never on the orbit over the designation"
    finally:
        out, err = stop_rig(fly, sim)
    assert fly.returncode == 0 and sim.returncode == 0, out + err
    assert "(HIL)" in out and "HIL board: sensors IMU" in out
    assert "0 NaN/inf, 0 out of range, 0 non-monotonic time_usec, 0 missing fields" in out
    check_truth_in_the_flight_log(tmp_path / "logs")
    print(f"closed-loop test: {time.time() - started:.1f} s")
    assert time.time() - started < 150


# Scenarios/hil/mission.toml's loiter item.
ORBIT_CENTRE, ORBIT_RADIUS_M, ORBIT_HEIGHT_M = (474004369, 85522295), 120.0, 80.0


def distance_m(lat_e7, lon_e7, centre_lat_e7, centre_lon_e7):
    """Horizontal distance between two MAVLink positions (1e-7 degrees), flat earth: the orbit is 600 m away."""
    north = (lat_e7 - centre_lat_e7) * 1e-7 * 111_195.0
    east = (lon_e7 - centre_lon_e7) * 1e-7 * 111_195.0 * math.cos(math.radians(centre_lat_e7 * 1e-7))
    return math.hypot(north, east)


# ---------------------------------------------------------------------------------------------------------------
# 3. The operator's flow


def test_hil_board_on_jsbsim_enters_terminal_only_on_a_signed_approval(kestrel, dialect, tmp_path):  # noqa: F811
    """test_hil_loopback's operator flow with JSBSim as the simulator: refused until loitering over the designation,
    a forged approval refused, approved (terminal), waved off, a replay refused, a stale approval changes nothing.
    Bounded to 300 s of wall time."""
    started = time.time()
    keys, authorised, link_key = operator_keys(kestrel, tmp_path)
    fly, sim, gcs_port = start_jsbsim_rig(kestrel, link_key, seconds=290, operators=authorised)
    try:
        operator_flow(Ground(dialect, gcs_port, key=LINK_KEY), link_tool(kestrel, gcs_port, keys / "alice", link_key),
                      private_key_of(keys / "alice"), private_key_of(keys / "mallory"), VEHICLE_ID)
        print(f"JSBSim HIL: the operator flow ended in terminal {time.time() - started:.1f} s after start")
    finally:
        out, err = stop_rig(fly, sim)
    assert fly.returncode == 0, out + err
    assert "(HIL)" in out and "signed" in out and "unsigned" not in out
    assert time.time() - started < 300
