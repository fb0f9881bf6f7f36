"""Reads the plant sections of a Kestrel airframe file (Hardware/airframes/*.toml) into plain dictionaries, checking
that every key the JSBSim model and the HIL simulator need is present and numeric. The autopilot's sections are
not read here, except the mixer channels (the pulse ranges the plant's servos see, as Sources/SITL/ServoLinkage.swift
reads them)."""
import math
import pathlib
import tomllib

SURFACE_FUNCTIONS = ("aileron", "elevator", "rudder", "elevon_left", "elevon_right")
LATERAL_KEYS = ("beta_per_rad", "p_per_rad", "r_per_rad", "delta_a_per_rad", "delta_r_per_rad")

# Section → numeric keys, as Sources/Simulation/Airframe/*Section.swift decode them.
REQUIRED = {
    "mass": ("mass_kg", "ixx_kgm2", "iyy_kgm2", "izz_kgm2", "ixz_kgm2"),
    "geometry": ("wing_area_m2", "span_m", "chord_m"),
    "aerodynamics.lift": ("c0", "alpha_per_rad", "q_per_rad", "delta_e_per_rad", "stall_alpha_deg",
                          "stall_blend_per_rad"),
    "aerodynamics.drag": ("c0", "induced_k", "q_per_rad", "abs_delta_e_per_rad", "abs_delta_a_per_rad",
                          "abs_delta_r_per_rad", "flat_plate_c"),
    "aerodynamics.side_force": LATERAL_KEYS,
    "aerodynamics.roll_moment": LATERAL_KEYS,
    "aerodynamics.pitch_moment": ("c0", "alpha_per_rad", "q_per_rad", "delta_e_per_rad"),
    "aerodynamics.yaw_moment": LATERAL_KEYS,
    "propulsion": ("static_thrust_n", "pitch_speed_mps", "prop_diameter_m", "prop_figure_of_merit",
                   "motor_efficiency", "spool_time_constant_s", "torque_per_thrust_m"),
    "battery": ("capacity_mah", "cells", "internal_resistance_ohm", "avionics_current_a"),
    "ground_contact": ("resting_height_m", "friction_coefficient", "crash_vertical_speed_mps", "crash_speed_mps"),
    "launch": ("speed_mps", "climb_angle_deg", "heading_deg", "height_m"),
    "sensors.imu": ("rate_hz", "temperature_offset_c", "accel_noise_density_mps2_per_rthz",
                    "accel_bias_instability_mps2", "accel_bias_correlation_time_s", "accel_random_walk_mps3_per_rthz",
                    "accel_turn_on_bias_mps2", "accel_scale_factor_error", "accel_bias_per_degc_mps2",
                    "gyro_noise_density_radps_per_rthz", "gyro_bias_instability_radps",
                    "gyro_bias_correlation_time_s", "gyro_random_walk_radps2_per_rthz", "gyro_turn_on_bias_radps",
                    "gyro_scale_factor_error", "gyro_bias_per_degc_radps"),
    "sensors.baro": ("rate_hz", "noise_pa", "offset_sigma_pa", "drift_pa_per_s"),
    "sensors.gps": ("rate_hz", "latency_s", "horizontal_sigma_m", "vertical_sigma_m", "position_correlation_time_s",
                    "velocity_sigma_mps", "satellites"),
    "sensors.mag": ("rate_hz", "declination_deg", "inclination_deg", "field_strength_gauss", "noise_gauss"),
    "sensors.airspeed": ("rate_hz", "noise_pa", "offset_pa"),
}
SURFACE_KEYS = ("max_deflection_deg", "rate_limit_dps", "time_constant_s")
# Keys a file may leave out (they came with issue 18's realistic actuators), with the defaults the Swift sections
# give them (ActuatorsSection.swift, PropulsionSection.swift); `prop_pitch_m` defaults to 0.65 × the diameter.
OPTIONAL_SURFACE_KEYS = {"frame_rate_hz": 50.0, "deadband_us": 2.0, "backlash_deg": 0.5}
OPTIONAL_PROPULSION_KEYS = {"thrust_line_offset_m": 0.0, "windmill_drag_coefficient": 0.1}
PITCH_OVER_DIAMETER = 0.65
PROP_ROTATIONS = {"cw": 1.0, "ccw": -1.0}  # sign of the propeller's rotation about body x, seen from behind


class AirframeError(Exception):
    """A bad or incomplete airframe file; the message names the file and the key."""


def load(path):
    """The airframe at `path` as nested dicts (sections as in the file) plus `surfaces` (list, channel order) and
    `mixer_channels` ({function: {min_us, trim_us, max_us, reversed}})."""
    path = pathlib.Path(path)
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise AirframeError(f"airframe file {path}: no such file") from None
    except tomllib.TOMLDecodeError as e:
        raise AirframeError(f"airframe file {path}: not valid TOML: {e}") from None
    except OSError as e:
        raise AirframeError(f"airframe file {path}: cannot read: {e.strerror}") from None
    where = f"airframe file {path}"
    out = {"name": _section(data, "airframe", where).get("name", path.stem), "path": str(path)}
    for dotted, keys in REQUIRED.items():
        section = _section(data, dotted, where)
        values = {key: _number(section, key, f"{where}: [{dotted}]") for key in keys}
        _store(out, dotted, values)
    _optional_propulsion(out["propulsion"], _section(data, "propulsion", where), f"{where}: [propulsion]")
    mag = _section(data, "sensors.mag", where)
    out["sensors"]["mag"]["hard_iron_frd_gauss"] = _vector3(mag.get("hard_iron_frd_gauss", [0, 0, 0]),
                                                            f"{where}: [sensors.mag] hard_iron_frd_gauss")
    out["surfaces"] = _surfaces(data, where)
    out["mixer_channels"] = _mixer_channels(data, where)
    _check_physics(out, where)
    return out


def _section(data, dotted, where):
    node = data
    for part in dotted.split("."):
        node = node.get(part) if isinstance(node, dict) else None
        if not isinstance(node, dict):
            raise AirframeError(f"{where}: missing section [{dotted}]")
    return node


def _number(section, key, where):
    if key not in section:
        raise AirframeError(f"{where}: missing key {key}")
    value = section[key]
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise AirframeError(f"{where}: {key} must be a finite number, got {value!r}")
    return float(value)


def _vector3(value, where):
    if not (isinstance(value, list) and len(value) == 3 and all(isinstance(v, (int, float)) for v in value)):
        raise AirframeError(f"{where}: must be a list of three numbers, got {value!r}")
    return [float(v) for v in value]


def _store(out, dotted, values):
    node = out
    parts = dotted.split(".")
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = values


def _surfaces(data, where):
    surfaces = data.get("actuators", {}).get("surfaces")
    if not isinstance(surfaces, list) or not 1 <= len(surfaces) <= 4:
        raise AirframeError(f"{where}: [[actuators.surfaces]] must list 1…4 surfaces")
    out = []
    for i, s in enumerate(surfaces):
        here = f"{where}: [[actuators.surfaces]] #{i}"
        function = s.get("function") if isinstance(s, dict) else None
        if function not in SURFACE_FUNCTIONS:
            raise AirframeError(f"{here}: function must be one of {', '.join(SURFACE_FUNCTIONS)}, got {function!r}")
        if any(o["function"] == function for o in out):
            raise AirframeError(f"{here}: function '{function}' appears twice")
        entry = {"function": function}
        entry.update({key: _number(s, key, here) for key in SURFACE_KEYS})
        entry.update({key: _number({key: default, **s}, key, here) for key, default in OPTIONAL_SURFACE_KEYS.items()})
        if not 20 <= entry["frame_rate_hz"] <= 560 or not 0 <= entry["deadband_us"] <= 25 \
                or not 0 <= entry["backlash_deg"] <= 5:
            raise AirframeError(f"{here}: frame_rate_hz must be 20…560 Hz, deadband_us 0…25 µs, backlash_deg 0…5°")
        if entry["max_deflection_deg"] <= 0:
            raise AirframeError(f"{here}: max_deflection_deg must be above 0")
        out.append(entry)
    functions = {s["function"] for s in out}
    elevons = {"elevon_left", "elevon_right"} <= functions
    if "elevator" not in functions and not elevons:
        raise AirframeError(f"{where}: [[actuators.surfaces]] has no pitch control (an elevator or both elevons)")
    if "aileron" not in functions and not elevons:
        raise AirframeError(f"{where}: [[actuators.surfaces]] has no roll control (ailerons or both elevons)")
    return out


def _optional_propulsion(p, section, where):
    """The propulsion keys a file may leave out, defaulted and checked as PropulsionSection.swift does."""
    p.update({key: _number({key: default, **section}, key, where) for key, default in OPTIONAL_PROPULSION_KEYS.items()})
    p["prop_pitch_m"] = _number({"prop_pitch_m": PITCH_OVER_DIAMETER * p["prop_diameter_m"], **section},
                                "prop_pitch_m", where)
    rotation = section.get("prop_rotation", "cw")
    if rotation not in PROP_ROTATIONS:
        raise AirframeError(f"{where}: prop_rotation must be one of {', '.join(PROP_ROTATIONS)}, got {rotation!r}")
    p["prop_rotation_sign"] = PROP_ROTATIONS[rotation]
    if not 0.01 <= p["prop_pitch_m"] <= 2 or not -0.5 <= p["thrust_line_offset_m"] <= 0.5 \
            or not 0 <= p["windmill_drag_coefficient"] <= 1.2:
        raise AirframeError(f"{where}: prop_pitch_m must be 0.01…2 m, thrust_line_offset_m −0.5…0.5 m, "
                            "windmill_drag_coefficient 0…1.2")


def _mixer_channels(data, where):
    """The pulse range of each mixer channel, defaults as Sources/Control/Outputs/OutputChannel.swift sets them."""
    channels = data.get("control", {}).get("mixer", {}).get("channels", [])
    out = {}
    for i, c in enumerate(channels if isinstance(channels, list) else []):
        here = f"{where}: [[control.mixer.channels]] #{i}"
        function = c.get("function") if isinstance(c, dict) else None
        if not isinstance(function, str):
            raise AirframeError(f"{here}: missing key function")
        min_us = _number({"min_us": 1000, **c}, "min_us", here)
        max_us = _number({"max_us": 2000, **c}, "max_us", here)
        trim_default = min_us if function == "throttle" else (min_us + max_us) / 2
        trim_us = _number({"trim_us": trim_default, **c}, "trim_us", here)
        if not min_us < max_us or not min_us <= trim_us <= max_us:
            raise AirframeError(f"{here}: needs min_us < max_us and trim_us within them")
        out[function] = {"min_us": min_us, "trim_us": trim_us, "max_us": max_us,
                         "reversed": bool(c.get("reversed", False))}
    return out


def _check_physics(a, where):
    m = a["mass"]
    if m["mass_kg"] <= 0 or min(m["ixx_kgm2"], m["iyy_kgm2"], m["izz_kgm2"]) <= 0:
        raise AirframeError(f"{where}: [mass] mass and moments of inertia must be above 0")
    if m["ixx_kgm2"] * m["izz_kgm2"] <= m["ixz_kgm2"] ** 2:
        raise AirframeError(f"{where}: [mass] ixz_kgm2: inertia tensor is not positive definite (Ixx·Izz ≤ Ixz²)")
    g = a["geometry"]
    if min(g.values()) <= 0:
        raise AirframeError(f"{where}: [geometry] wing_area_m2, span_m and chord_m must be above 0")
    p = a["propulsion"]
    if p["pitch_speed_mps"] <= 0 or p["prop_diameter_m"] <= 0 or p["prop_figure_of_merit"] <= 0 \
            or p["motor_efficiency"] <= 0:
        raise AirframeError(f"{where}: [propulsion] pitch_speed_mps, prop_diameter_m, prop_figure_of_merit and "
                            "motor_efficiency must be above 0")
    for name in ("imu", "baro", "gps", "mag", "airspeed"):
        if not 1 <= a["sensors"][name]["rate_hz"] <= 1000:
            raise AirframeError(f"{where}: [sensors.{name}] rate_hz must be 1…1000 Hz")
