"""The airframe's generated JSBSim model, flown one step at a time: commands in, truth out, and the launcher rail's
hold (external forces and moments that keep the airframe on the rail's kinematic path, as a rail and catapult do)."""
import math
import os
import shutil
import tempfile

import airframe_xml
import servo_frames
from airframe_xml import M_PER_FT, N_PER_LBF, NM_PER_LBFFT
from geodesy import LocalFrame

SLUG_KG = 14.5939029
PA_PER_PSF = 47.880259
STANDARD_GRAVITY_MPS2 = 9.80665
# Rail hold: a stiff, critically damped spring about the rail's path and attitude (ωn · dt ≈ 0.1 at 400 Hz).
RAIL_OMEGA_RADPS = 40.0
# JSBSim's state integrators (FGPropagate::eIntegrateType: 1 rectangular Euler, 3 AB2, 4 AB3, 5 AB4).
INTEGRATORS = ("simulation/integrator/rate/rotational", "simulation/integrator/rate/translational")
ADAMS_BASHFORTH_3 = 4


class ModelError(Exception):
    """JSBSim refused the generated model."""


def load_fdm(airframe, dt_s, root_dir=None):
    """(FGFDMExec with the airframe's model loaded, the directory holding the model). The model is written to
    `root_dir`, or to a fresh temporary directory the caller removes."""
    os.environ.setdefault("JSBSIM_DEBUG", "0")  # before the first FGFDMExec: no start-up banner
    import jsbsim
    root = root_dir or tempfile.mkdtemp(prefix="kestrel-jsbsim-")
    name = airframe_xml.write_model(airframe, root)
    fdm = jsbsim.FGFDMExec(str(root), None)
    fdm.set_debug_level(0)
    # Before the model: the flight-control channels take their time step when they are built, so a step set
    # afterwards leaves the servos' and the motor's lags filtering at JSBSim's default 1/120 s (3.3x too fast).
    fdm.set_dt(dt_s)
    if not fdm.load_model(name):
        if root_dir is None:
            shutil.rmtree(root, ignore_errors=True)
        raise ModelError(f"JSBSim could not load the model generated from {airframe['path']} ({root}/aircraft/{name})")
    fdm.set_dt(dt_s)
    # JSBSim's default integrators step the body rates and the attitude by rectangular (forward) Euler, the velocity
    # by Adams-Bashforth 2. Forward Euler moves an oscillatory pole s = −ζω ± iω by about +ω²·dt/2 along the real
    # axis, so every oscillation is under-damped by Δζ ≈ ω·dt/2: at 400 Hz −0.004 on the wing's Dutch roll
    # (ζ 0.066 against the equations' 0.072; Kestrel's RK4 gives 0.072) and −0.01 on the short periods. Third-order
    # Adams-Bashforth on all four is converged at 400 Hz (the same modes as at 1600 Hz, within 0.0002 in ζ), but on
    # the attitude it made the HIL truth disagree with the sensors built from the same step (the board's roll estimate
    # 2.3° median off the truth, 0.4° otherwise): the rates alone take most of the damping error away (wing Dutch
    # roll ζ 0.0704 against the plant's 0.0724).
    for integrator in INTEGRATORS:
        fdm[integrator] = ADAMS_BASHFORTH_3
    return fdm, root


def quaternion_of_euler(roll, pitch, yaw):
    """Attitude quaternion (w, x, y, z) of Z-Y-X Euler angles: it turns body (FRD) vectors into NED, as MAVLink's
    attitude_quaternion does."""
    cr, sr = math.cos(roll / 2), math.sin(roll / 2)
    cp, sp = math.cos(pitch / 2), math.sin(pitch / 2)
    cy, sy = math.cos(yaw / 2), math.sin(yaw / 2)
    return (cr * cp * cy + sr * sp * sy, sr * cp * cy - cr * sp * sy,
            cr * sp * cy + sr * cp * sy, cr * cp * sy - sr * sp * cy)


def body_from_ned(q):
    """Rows of the rotation that takes NED vectors into body axes."""
    w, x, y, z = q
    return ((1 - 2 * (y * y + z * z), 2 * (x * y + w * z), 2 * (x * z - w * y)),
            (2 * (x * y - w * z), 1 - 2 * (x * x + z * z), 2 * (y * z + w * x)),
            (2 * (x * z + w * y), 2 * (y * z - w * x), 1 - 2 * (x * x + y * y)))


def rotate(rows, v):
    return tuple(r[0] * v[0] + r[1] * v[1] + r[2] * v[2] for r in rows)


def rotate_transposed(rows, v):
    return tuple(rows[0][i] * v[0] + rows[1][i] * v[1] + rows[2][i] * v[2] for i in range(3))


class Truth:
    """The plant's state after a step, SI units, NED and body FRD."""
    __slots__ = ("lat_deg", "lon_deg", "alt_m", "position_ned_m", "velocity_ned_mps", "euler_rad", "quaternion",
                 "body_from_ned", "body_rate_frd_radps", "inertial_rate_frd_radps", "specific_force_frd_mps2",
                 "air_velocity_frd_mps", "airspeed_mps", "density_kgpm3", "pressure_pa", "temperature_k",
                 "thrust_n", "on_ground")


class JSBSimPlant:
    def __init__(self, airframe, origin, dt_s=1 / 400):
        self.airframe = airframe
        self.frame = LocalFrame(*origin)
        self.fdm, self._root = load_fdm(airframe, dt_s)
        self.dt_s = dt_s
        self.surface_count = len(airframe["surfaces"])
        # Frame boundaries at t = 0 on every servo (Kestrel draws each servo's phase from the seed: up to one frame,
        # 20 ms at 50 Hz, of latency that differs between the engines by where the draw fell).
        self.servos = servo_frames.ServoFrames(airframe["surfaces"])
        self.mass_kg = airframe["mass"]["mass_kg"]
        m = airframe["mass"]
        self._inertia = ((m["ixx_kgm2"], 0.0, -m["ixz_kgm2"]), (0.0, m["iyy_kgm2"], 0.0),
                         (-m["ixz_kgm2"], 0.0, m["izz_kgm2"]))
        self._contacts = [f"contact/unit[{i}]/WOW" for i in range(int(self.fdm["gear/num-units"]))]
        self._holding = False

    def close(self):
        shutil.rmtree(self._root, ignore_errors=True)

    def start_on_rail(self, rail):
        """Initial condition: at rest on the rail, motor off, surfaces neutral."""
        f = self.fdm
        lat, lon, alt = self.frame.origin
        roll, pitch, yaw = rail.attitude_euler_rad
        f["ic/lat-geod-deg"], f["ic/long-gc-deg"] = lat, lon
        f["ic/terrain-elevation-ft"] = alt / M_PER_FT
        f["ic/h-agl-ft"] = -rail.start_ned_m[2] / M_PER_FT
        f["ic/phi-rad"], f["ic/theta-rad"], f["ic/psi-true-rad"] = roll, pitch, yaw
        for key in ("ic/vn-fps", "ic/ve-fps", "ic/vd-fps", "ic/p-rad_sec", "ic/q-rad_sec", "ic/r-rad_sec"):
            f[key] = 0.0
        f.run_ic()

    def set_wind(self, north_mps, east_mps, down_mps=0.0):
        """Steady wind: the air's velocity, NED, as Kestrel's [wind]. JSBSim's own turbulence stays off (see
        turbulence.py); the simulator feeds Kestrel's through `set_gust`."""
        f = self.fdm
        f["atmosphere/turb-type"] = 0
        f["atmosphere/wind-north-fps"] = north_mps / M_PER_FT
        f["atmosphere/wind-east-fps"] = east_mps / M_PER_FT
        f["atmosphere/wind-down-fps"] = down_mps / M_PER_FT

    def set_gust(self, gust_ned_mps):
        """The turbulent part of the wind for the next step, NED, m/s (JSBSim adds it to the steady wind)."""
        f = self.fdm
        f["atmosphere/gust-north-fps"] = gust_ned_mps[0] / M_PER_FT
        f["atmosphere/gust-east-fps"] = gust_ned_mps[1] / M_PER_FT
        f["atmosphere/gust-down-fps"] = gust_ned_mps[2] / M_PER_FT

    def set_controls(self, surfaces, throttle, voltage_ratio=1.0):
        """Normalised surface commands (plant convention, −1…1, airframe channel order) and throttle 0…1."""
        f = self.fdm
        servo_frames.write_commands(f, self.servos, surfaces[:self.surface_count], self.dt_s)
        f[airframe_xml.THROTTLE_CMD] = throttle
        f[airframe_xml.VOLTAGE_RATIO] = voltage_ratio

    def step(self):
        self.fdm.run()

    def hold(self, truth, position_ned_m, velocity_ned_mps, acceleration_ned_mps2, euler_rad):
        """Sets the launcher's force and moment for the next step: the acceleration the rail imposes, less what
        gravity, aerodynamics, thrust and ground already give, plus a stiff spring-damper onto the rail's path and
        attitude. At rest this is the rail carrying the weight, so the accelerometer reads −g as on a real rail."""
        f = self.fdm
        k_p, k_d = RAIL_OMEGA_RADPS ** 2, 2 * RAIL_OMEGA_RADPS
        other_frd_n = tuple(N_PER_LBF * sum(f[f"forces/fb{a}-{s}-lbs"] for s in ("aero", "prop", "gear"))
                            for a in "xyz")
        other_ned_n = rotate_transposed(truth.body_from_ned, other_frd_n)
        gravity_ned = (0.0, 0.0, STANDARD_GRAVITY_MPS2)
        for i, name in enumerate(airframe_xml.LAUNCHER_FORCES_NED):
            wanted = acceleration_ned_mps2[i] - gravity_ned[i] \
                + k_p * (position_ned_m[i] - truth.position_ned_m[i]) \
                + k_d * (velocity_ned_mps[i] - truth.velocity_ned_mps[i])
            f[f"external_reactions/{name}/magnitude"] = (self.mass_kg * wanted - other_ned_n[i]) / N_PER_LBF
        error_frd = attitude_error_frd(truth.quaternion, quaternion_of_euler(*euler_rad))
        other_moment_frd = tuple(NM_PER_LBFFT * sum(f[f"moments/{a}-{s}-lbsft"] for s in ("aero", "prop", "gear"))
                                 for a in "lmn")
        angular = tuple(k_p * e - k_d * w for e, w in zip(error_frd, truth.body_rate_frd_radps))
        moment = rotate(self._inertia, angular)
        for i, name in enumerate(airframe_xml.LAUNCHER_MOMENTS_FRD):
            f[f"external_reactions/{name}/magnitude-lbsft"] = (moment[i] - other_moment_frd[i]) / NM_PER_LBFFT
        self._holding = True

    def release(self):
        if not self._holding:
            return
        for name in airframe_xml.LAUNCHER_FORCES_NED:
            self.fdm[f"external_reactions/{name}/magnitude"] = 0.0
        for name in airframe_xml.LAUNCHER_MOMENTS_FRD:
            self.fdm[f"external_reactions/{name}/magnitude-lbsft"] = 0.0
        self._holding = False

    def truth(self):
        f = self.fdm
        t = Truth()
        t.lat_deg, t.lon_deg = f["position/lat-geod-deg"], f["position/long-gc-deg"]
        t.alt_m = f["position/geod-alt-ft"] * M_PER_FT
        t.position_ned_m = self.frame.ned_of(t.lat_deg, t.lon_deg, t.alt_m)
        t.velocity_ned_mps = (f["velocities/v-north-fps"] * M_PER_FT, f["velocities/v-east-fps"] * M_PER_FT,
                              f["velocities/v-down-fps"] * M_PER_FT)
        t.euler_rad = (f["attitude/phi-rad"], f["attitude/theta-rad"], f["attitude/psi-rad"])
        t.quaternion = quaternion_of_euler(*t.euler_rad)
        t.body_from_ned = body_from_ned(t.quaternion)
        t.body_rate_frd_radps = (f["velocities/p-rad_sec"], f["velocities/q-rad_sec"], f["velocities/r-rad_sec"])
        # What a gyro measures: the rate against inertial space (earth rotation included, 7e-5 rad/s).
        t.inertial_rate_frd_radps = (f["velocities/pi-rad_sec"], f["velocities/qi-rad_sec"],
                                     f["velocities/ri-rad_sec"])
        # Every force but gravity (aerodynamics, thrust, ground, launcher) over the mass: the specific force.
        per_slug = M_PER_FT / f["inertia/mass-slugs"]
        t.specific_force_frd_mps2 = (f["forces/fbx-total-lbs"] * per_slug, f["forces/fby-total-lbs"] * per_slug,
                                     f["forces/fbz-total-lbs"] * per_slug)
        t.air_velocity_frd_mps = (f["velocities/u-aero-fps"] * M_PER_FT, f["velocities/v-aero-fps"] * M_PER_FT,
                                  f["velocities/w-aero-fps"] * M_PER_FT)
        t.airspeed_mps = f["velocities/vt-fps"] * M_PER_FT
        t.density_kgpm3 = f["atmosphere/rho-slugs_ft3"] * airframe_xml.KGPM3_PER_SLUGPFT3
        t.pressure_pa = f["atmosphere/P-psf"] * PA_PER_PSF
        t.temperature_k = f["atmosphere/T-R"] / 1.8
        t.thrust_n = f[airframe_xml.THRUST_N]
        t.on_ground = any(f[c] > 0 for c in self._contacts)
        return t


def attitude_error_frd(q, q_wanted):
    """Small-angle rotation (body axes, rad) from attitude `q` to `q_wanted`: twice the vector part of q⁻¹·q_wanted."""
    w0, x0, y0, z0 = q
    w1, x1, y1, z1 = q_wanted
    w = w0 * w1 + x0 * x1 + y0 * y1 + z0 * z1
    x = w0 * x1 - x0 * w1 - y0 * z1 + z0 * y1
    y = w0 * y1 + x0 * z1 - y0 * w1 - z0 * x1
    z = w0 * z1 - x0 * y1 + y0 * x1 - z0 * w1
    s = 2.0 if w >= 0 else -2.0
    return (s * x, s * y, s * z)
