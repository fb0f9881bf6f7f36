"""HIL_ACTUATOR_CONTROLS → the plant's normalised surface commands and throttle, as kestrel sim --hil-serve maps them
(Sources/HILBoard/HILActuatorScaling.swift, Sources/SITL/ServoLinkage.swift): controls[i] is the board file's PWM
channel i, a fixed scaling turns it back into the pulse the board wrote (surfaces 1500 ± 500 µs, throttle
1000…2000 µs), and the airframe's mixer channel for that function turns the pulse into a deflection. Signs change
convention on the way: the mixer's positive deflections are aileron roll-right, elevator nose-up, rudder nose-right,
elevons trailing-edge-up; the plant's are δa roll-right, δe trailing-edge-down, δr nose-left, elevons
trailing-edge-down."""
import math
import pathlib
import tomllib

MAX_CHANNELS = 16
PLANT_SIGN = {"aileron": 1.0, "elevator": -1.0, "rudder": -1.0, "elevon_left": -1.0, "elevon_right": -1.0}


class BoardError(Exception):
    """A bad board file or one that does not wire the airframe's surfaces; the message says which."""


def load_board_channels(path):
    """[(function, safe_us)] of the board file's [[pwm.channels]], in order."""
    path = pathlib.Path(path)
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise BoardError(f"board file {path}: no such file") from None
    except (tomllib.TOMLDecodeError, OSError) as e:
        raise BoardError(f"board file {path}: {e}") from None
    channels = data.get("pwm", {}).get("channels")
    if not isinstance(channels, list) or not channels:
        raise BoardError(f"board file {path}: no [[pwm.channels]]")
    out = []
    for i, c in enumerate(channels[:MAX_CHANNELS]):
        function = c.get("function") if isinstance(c, dict) else None
        if not isinstance(function, str):
            raise BoardError(f"board file {path}: [[pwm.channels]] #{i}: missing key function")
        safe_us = c.get("safe_us", 1000 if function == "throttle" else 1500)
        if isinstance(safe_us, bool) or not isinstance(safe_us, (int, float)):
            raise BoardError(f"board file {path}: [[pwm.channels]] #{i}: safe_us must be a number")
        out.append((function, float(safe_us)))
    return data.get("name", path.stem), out


def pulse_us(control, function):
    """HILActuatorScaling.pulseUs: the pulse a control value stands for; non-finite is neutral, motor off."""
    if not math.isfinite(control):
        return 1000.0 if function == "throttle" else 1500.0
    if function == "throttle":
        return 1000.0 + 1000.0 * min(max(control, 0.0), 1.0)
    return 1500.0 + 500.0 * min(max(control, -1.0), 1.0)


def deflection(pulse, c):
    """Normalised −1…1 deflection of a mixer channel at `pulse` µs (the inverse of the mixer); no pulse: neutral."""
    if not (pulse > 0 and math.isfinite(pulse)):
        return 0.0
    if pulse >= c["trim_us"]:
        v = (pulse - c["trim_us"]) / (c["max_us"] - c["trim_us"]) if c["max_us"] > c["trim_us"] else 0.0
    else:
        v = (pulse - c["trim_us"]) / (c["trim_us"] - c["min_us"]) if c["trim_us"] > c["min_us"] else 0.0
    v = min(max(v, -1.0), 1.0)
    return -v if c["reversed"] else v


class ServoLinkage:
    def __init__(self, airframe, board_name, board_channels):
        functions = [f for f, _ in board_channels]
        self.functions = functions

        def link(function):
            mixer = airframe["mixer_channels"].get(function)
            if mixer is None:
                raise BoardError(f"airframe '{airframe['name']}' has a {function} but no [[control.mixer.channels]] "
                                 "entry drives it")
            if function not in functions:
                raise BoardError(f"board '{board_name}' has no output wired to {function}")
            return functions.index(function), mixer

        self.surfaces = [(*link(s["function"]), PLANT_SIGN[s["function"]]) for s in airframe["surfaces"]]
        self.throttle = link("throttle")
        self.safe_pulses_us = [safe for _, safe in board_channels]

    def pulses_of(self, controls):
        """The pulse on each board channel that a HIL_ACTUATOR_CONTROLS' controls stand for."""
        return [pulse_us(controls[i], f) for i, f in enumerate(self.functions)]

    def plant_commands(self, pulses):
        """(surface commands in the airframe's channel order, throttle 0…1) for the board's pulses."""
        surfaces = [sign * deflection(pulses[bank], mixer) for bank, mixer, sign in self.surfaces]
        bank, c = self.throttle
        p = pulses[bank]
        throttle = 0.0 if not p >= c["min_us"] else min((p - c["min_us"]) / (c["max_us"] - c["min_us"]), 1.0)
        return surfaces, throttle
