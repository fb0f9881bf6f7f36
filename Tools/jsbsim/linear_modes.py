"""The modes of Kestrel's plant equations linearised at wings-level trim: the equations both engines integrate (rigid
body over a flat earth, AerodynamicModel.swift's derivatives, the thrust law; surfaces and throttle held at trim),
re-implemented from the airframe file as reference_trim.py does for the trim, their Jacobian by central differences
and its eigenvalues. No integrator is involved, so the identified modes of either engine can be checked against them.

    .venv/bin/python Tools/jsbsim/linear_modes.py Hardware/airframes/kestrel-wing-1p4.toml [--airspeed-mps 18]
"""
import argparse
import math
import pathlib

import numpy as np

import reference_trim

STANDARD_GRAVITY_MPS2 = reference_trim.STANDARD_GRAVITY_MPS2


def isa_density_kgpm3(altitude_m):
    """Troposphere of the standard atmosphere (StandardAtmosphere.swift)."""
    t = 288.15 - 0.0065 * altitude_m
    return 1.225 * (t / 288.15) ** (STANDARD_GRAVITY_MPS2 / (287.05287 * 0.0065) - 1)


def _ned_from_body(roll, pitch, yaw):
    cf, sf, ct, st, cp, sp = (math.cos(roll), math.sin(roll), math.cos(pitch), math.sin(pitch), math.cos(yaw),
                              math.sin(yaw))
    return np.array([[ct * cp, sf * st * cp - cf * sp, cf * st * cp + sf * sp],
                     [ct * sp, sf * st * sp + cf * cp, cf * st * sp - sf * cp],
                     [-st, sf * ct, cf * ct]])


def state_derivative(airframe, density_kgpm3, elevator_rad, throttle):
    """f(y) for y = (velocity NED, body rates FRD, roll, pitch, yaw), controls held."""
    c, g, m = airframe["aerodynamics"], airframe["geometry"], airframe["mass"]
    inertia = np.array([[m["ixx_kgm2"], 0, -m["ixz_kgm2"]], [0, m["iyy_kgm2"], 0],
                        [-m["ixz_kgm2"], 0, m["izz_kgm2"]]])
    inverse = np.linalg.inv(inertia)
    lift, drag, cm = c["lift"], c["drag"], c["pitch_moment"]

    def f(y):
        w = y[3:6]
        roll, pitch, _ = y[6:9]
        ned_from_body = _ned_from_body(*y[6:9])
        u, v, wz = ned_from_body.T @ y[0:3]
        speed = math.sqrt(u * u + v * v + wz * wz)
        alpha, beta = math.atan2(wz, u), math.asin(v / speed)
        p_hat, q_hat, r_hat = (w[0] * g["span_m"] / (2 * speed), w[1] * g["chord_m"] / (2 * speed),
                               w[2] * g["span_m"] / (2 * speed))
        sigma = reference_trim.stall_blend(lift, alpha)
        linear = lift["c0"] + lift["alpha_per_rad"] * alpha
        sin_a, cos_a = math.sin(alpha), math.cos(alpha)
        cl = ((1 - sigma) * linear + sigma * drag["flat_plate_c"] * sin_a * cos_a + lift["q_per_rad"] * q_hat
              + lift["delta_e_per_rad"] * elevator_rad)
        cd = ((1 - sigma) * (drag["c0"] + drag["induced_k"] * linear * linear)
              + sigma * (drag["c0"] + drag["flat_plate_c"] * sin_a * sin_a) + drag["q_per_rad"] * q_hat
              + drag["abs_delta_e_per_rad"] * abs(elevator_rad))

        def lateral(d):
            return d["beta_per_rad"] * beta + d["p_per_rad"] * p_hat + d["r_per_rad"] * r_hat

        c_pitch = (cm["c0"] + cm["alpha_per_rad"] * alpha + cm["q_per_rad"] * q_hat
                   + cm["delta_e_per_rad"] * elevator_rad)
        qs = 0.5 * density_kgpm3 * speed * speed * g["wing_area_m2"]
        force = qs * np.array([-cd * cos_a + cl * sin_a, lateral(c["side_force"]), -cd * sin_a - cl * cos_a])
        force[0] += reference_trim.thrust_n(airframe["propulsion"], throttle, u, density_kgpm3)
        moment = qs * np.array([g["span_m"] * lateral(c["roll_moment"]), g["chord_m"] * c_pitch,
                                g["span_m"] * lateral(c["yaw_moment"])])
        prop_roll, prop_pitch = reference_trim.moments_nm(airframe["propulsion"], throttle, u, density_kgpm3)
        moment += np.array([prop_roll, prop_pitch, 0.0])
        p, q, r = w
        euler_rates = [p + (q * math.sin(roll) + r * math.cos(roll)) * math.tan(pitch),
                       q * math.cos(roll) - r * math.sin(roll),
                       (q * math.sin(roll) + r * math.cos(roll)) / math.cos(pitch)]
        return np.concatenate([ned_from_body @ force / m["mass_kg"] + np.array([0, 0, STANDARD_GRAVITY_MPS2]),
                               inverse @ (moment - np.cross(w, inertia @ w)), euler_rates])
    return f


def modes(airframe, airspeed_mps, altitude_m):
    """{"short period", "phugoid", "Dutch roll": (ω rad/s, ζ); "roll mode", "spiral": τ s (negative: divergent)}
    at level trim, by the eigenvectors' content: the short period is the faster longitudinal pair, the Dutch roll the
    lateral pair, the roll mode the fast lateral real pole, the spiral the slow one."""
    density = isa_density_kgpm3(altitude_m)
    trim = reference_trim.level_trim(airframe, airspeed_mps, density)
    if trim is None:
        raise ValueError(f"no level trim at {airspeed_mps} m/s")
    alpha, elevator, throttle = trim
    f = state_derivative(airframe, density, elevator, throttle)
    y0 = np.array([airspeed_mps, 0, 0, 0, 0, 0, 0, alpha, 0])
    h = 1e-6
    jacobian = np.column_stack([(f(y0 + e) - f(y0 - e)) / (2 * h) for e in np.eye(9) * h])
    values, vectors = np.linalg.eig(jacobian)
    lateral_rows = [1, 3, 5, 6]  # east velocity, p, r, roll
    out, longitudinal_pairs, lateral_reals = {}, [], []
    for s, vec in zip(values, vectors.T):
        lateral = np.linalg.norm(vec[lateral_rows]) > np.linalg.norm(vec[[0, 2, 4, 7]])
        if abs(s) < 1e-6:
            continue  # heading
        if s.imag > 1e-9:
            if lateral:
                out["Dutch roll"] = (abs(s), -s.real / abs(s))
            else:
                longitudinal_pairs.append(s)
        elif abs(s.imag) <= 1e-9 and lateral:
            lateral_reals.append(s.real)
    fast, slow = sorted(longitudinal_pairs, key=abs, reverse=True)
    out["short period"] = (abs(fast), -fast.real / abs(fast))
    out["phugoid"] = (abs(slow), -slow.real / abs(slow))
    lateral_reals.sort()
    out["roll mode"] = -1 / lateral_reals[0]
    out["spiral"] = -1 / lateral_reals[-1]
    return out


if __name__ == "__main__":
    import airframe_toml
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("airframe")
    parser.add_argument("--airspeed-mps", type=float, default=18.0)
    parser.add_argument("--altitude-m", type=float, default=788.0, help="above mean sea level (default 488 + 300)")
    args = parser.parse_args()
    for name, value in modes(airframe_toml.load(pathlib.Path(args.airframe)), args.airspeed_mps,
                             args.altitude_m).items():
        print(f"{name}: " + (f"ω {value[0]:.4f} rad/s, ζ {value[1]:.4f}" if isinstance(value, tuple)
                             else f"τ {value:.4f} s"))
