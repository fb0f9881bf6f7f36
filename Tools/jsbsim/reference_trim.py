"""Kestrel's level-flight trim (Sources/Simulation/Plant/TrimSolver.swift) re-implemented from the airframe file, to
check the generated JSBSim model against: the same three longitudinal equilibrium equations (body x force, body z
force, pitching moment) solved for α, δe and throttle by Newton's method."""
import math

import numpy as np

STANDARD_GRAVITY_MPS2 = 9.80665


def stall_blend(lift, alpha_rad):
    m, a0 = lift["stall_blend_per_rad"], math.radians(lift["stall_alpha_deg"])
    e1 = math.exp(min(50.0, max(-50.0, -m * (alpha_rad - a0))))
    e2 = math.exp(min(50.0, max(-50.0, m * (alpha_rad + a0))))
    return (1 + e1 + e2) / ((1 + e1) * (1 + e2))


def thrust_n(propulsion, throttle, axial_airspeed_mps, density_kgpm3, voltage_ratio=1.0):
    """PropulsionModel.output's axial force: the thrust law above the zero-thrust speed; below it the propeller is
    drag, the windmilling drag ½ρV²·A·C_D at n = 0 fading linearly to nothing at the zero-thrust speed."""
    n = min(max(throttle, 0.0), 1.0) * min(max(voltage_ratio, 0.0), 1.2)
    va = max(0.0, axial_airspeed_mps)
    zero_thrust_n = va / propulsion["pitch_speed_mps"]
    if n > zero_thrust_n:
        return propulsion["static_thrust_n"] * density_kgpm3 / 1.225 * n * (n - zero_thrust_n)
    if zero_thrust_n <= 0:
        return 0.0
    disk_m2 = math.pi * propulsion["prop_diameter_m"] ** 2 / 4
    windmill_n = 0.5 * density_kgpm3 * va * va * disk_m2 * propulsion.get("windmill_drag_coefficient", 0.1)
    return -windmill_n * (1 - n / zero_thrust_n)


def moments_nm(propulsion, throttle, axial_airspeed_mps, density_kgpm3, voltage_ratio=1.0):
    """(roll, pitch) moments of the propulsion, N·m, body axes: the reaction torque P_shaft/ω against the rotation
    plus torque_per_thrust_m × thrust, and thrust × thrust_line_offset_m."""
    n = min(max(throttle, 0.0), 1.0) * min(max(voltage_ratio, 0.0), 1.2)
    thrust = thrust_n(propulsion, throttle, axial_airspeed_mps, density_kgpm3, voltage_ratio)
    torque = 0.0
    if thrust > 0:
        disk_m2 = math.pi * propulsion["prop_diameter_m"] ** 2 / 4
        half_v = max(0.0, axial_airspeed_mps) / 2
        induced = -half_v + math.sqrt(half_v * half_v + thrust / (2 * density_kgpm3 * disk_m2))
        shaft_w = thrust * (2 * half_v + induced) / propulsion["prop_figure_of_merit"]
        pitch_m = propulsion.get("prop_pitch_m", 0.65 * propulsion["prop_diameter_m"])
        torque = shaft_w / (n * 2 * math.pi * propulsion["pitch_speed_mps"] / pitch_m)
    roll = -propulsion.get("prop_rotation_sign", 1.0) * torque + propulsion["torque_per_thrust_m"] * thrust
    return roll, propulsion.get("thrust_line_offset_m", 0.0) * thrust


def residual(airframe, alpha_rad, elevator_rad, throttle, airspeed_mps, density_kgpm3, gamma_rad=0.0):
    """Wings-level, zero rates and β: (x force, z force)/weight and the pitching-moment coefficient."""
    c, g = airframe["aerodynamics"], airframe["geometry"]
    lift, drag, cm = c["lift"], c["drag"], c["pitch_moment"]
    sigma = stall_blend(lift, alpha_rad)
    sin_a, cos_a = math.sin(alpha_rad), math.cos(alpha_rad)
    linear = lift["c0"] + lift["alpha_per_rad"] * alpha_rad
    cl = (1 - sigma) * linear + sigma * drag["flat_plate_c"] * sin_a * cos_a + lift["delta_e_per_rad"] * elevator_rad
    cd = (1 - sigma) * (drag["c0"] + drag["induced_k"] * linear * linear) \
        + sigma * (drag["c0"] + drag["flat_plate_c"] * sin_a * sin_a) + drag["abs_delta_e_per_rad"] * abs(elevator_rad)
    c_pitch = cm["c0"] + cm["alpha_per_rad"] * alpha_rad + cm["delta_e_per_rad"] * elevator_rad
    qs = 0.5 * density_kgpm3 * airspeed_mps ** 2 * g["wing_area_m2"]
    weight = airframe["mass"]["mass_kg"] * STANDARD_GRAVITY_MPS2
    thrust = thrust_n(airframe["propulsion"], throttle, airspeed_mps * cos_a, density_kgpm3)
    _, thrust_pitch_nm = moments_nm(airframe["propulsion"], throttle, airspeed_mps * cos_a, density_kgpm3)
    theta = alpha_rad + gamma_rad
    return np.array([(qs * (-cd * cos_a + cl * sin_a) + thrust - weight * math.sin(theta)) / weight,
                     (qs * (-cd * sin_a - cl * cos_a) + weight * math.cos(theta)) / weight,
                     c_pitch + thrust_pitch_nm / (qs * g["chord_m"])])


def level_trim(airframe, airspeed_mps, density_kgpm3=1.225):
    """(α rad, δe rad, throttle) for level flight, or None when Newton's method does not converge in 0…1 throttle."""
    x = np.array([0.05, 0.0, 0.95])  # high throttle: below the windmill point thrust and its slope are zero
    f = lambda x: residual(airframe, x[0], x[1], x[2], airspeed_mps, density_kgpm3)  # noqa: E731
    for _ in range(50):
        r = f(x)
        if np.linalg.norm(r) < 1e-12:
            break
        jacobian = np.column_stack([(f(x + h) - r) / 1e-7 for h in np.eye(3) * 1e-7])
        step = np.linalg.solve(jacobian, r)
        norm = np.linalg.norm(step)
        x = x - (step * 0.2 / norm if norm > 0.2 else step)
    if np.linalg.norm(f(x)) > 1e-9 or not 0 <= x[2] <= 1:
        return None
    return float(x[0]), float(x[1]), float(x[2])


def aileron_trim_rad(airframe, alpha_rad, throttle, airspeed_mps, density_kgpm3, voltage_ratio=1.0):
    """TrimSolver.aileronTrimRad: the δa whose roll moment Clδa·δa·q̄·S·b cancels the propeller's at the trim."""
    g = airframe["geometry"]
    roll_nm, _ = moments_nm(airframe["propulsion"], throttle, airspeed_mps * math.cos(alpha_rad), density_kgpm3,
                            voltage_ratio)
    per_rad = airframe["aerodynamics"]["roll_moment"]["delta_a_per_rad"] * 0.5 * density_kgpm3 \
        * airspeed_mps ** 2 * g["wing_area_m2"] * g["span_m"]
    return -roll_nm / per_rad if per_rad else 0.0
