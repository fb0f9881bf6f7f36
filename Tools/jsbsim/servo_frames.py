"""The part of Kestrel's servo model (Sources/Simulation/Aerodynamics/ActuatorModel.swift, ServoFrameSampler.swift)
that JSBSim's actuator component has no element for: each servo reads its command once per PWM frame and holds it
(sample-and-hold at the frame boundaries, with a per-channel phase), and its position loop does not move the horn
while the error is inside its dead band. The lag, rate limit and stops stay JSBSim's actuator; the linkage's play is
JSBSim's actuator hysteresis on a second component (airframe_xml.py). Commands are normalised (−1…1), as the plant's.
"""
import math

import airframe_xml as ax

# ActuatorModel.pulseUsPerUnitCommand: ±1 is ±500 µs of pulse.
PULSE_US_PER_UNIT_COMMAND = 500.0
# ServoFrameSampler: a boundary within a nanosecond counts as now.
BOUNDARY_TOLERANCE_S = 1e-9


class ServoFrames:
    def __init__(self, surfaces, phases=None):
        """`surfaces`: airframe_toml.load(...)["surfaces"]; `phases`: each servo's first frame boundary as a fraction
        0…1 of its frame (Kestrel draws them from the seed; the open-loop rigs put them at 0)."""
        phases = phases or [0.0] * len(surfaces)
        self.period_s = [1.0 / s["frame_rate_hz"] for s in surfaces]
        self.max_rad = [math.radians(s["max_deflection_deg"]) for s in surfaces]
        self.functions = [s["function"] for s in surfaces]
        self.deadband = [s["deadband_us"] / PULSE_US_PER_UNIT_COMMAND for s in surfaces]
        self.to_next_s = [min(max(p, 0.0), 1.0) * period for p, period in zip(phases, self.period_s)]
        self.held = [0.0] * len(surfaces)

    def reset(self, commands):
        """Holds `commands` at once (initial conditions, trim)."""
        self.held = [min(max(c, -1.0), 1.0) if math.isfinite(c) else 0.0 for c in commands]

    def targets(self, commands, horn, dt_s):
        """What each servo drives its horn towards over the next `dt_s`: the command held since the last frame
        boundary (read now if one falls at the start of the step), or the horn's own position (normalised) while
        the error is inside the dead band, so the lag does not move it."""
        out = []
        for i, command in enumerate(commands):
            if self.to_next_s[i] <= BOUNDARY_TOLERANCE_S:
                self.held[i] = min(max(command, -1.0), 1.0) if math.isfinite(command) else 0.0
                while self.to_next_s[i] <= BOUNDARY_TOLERANCE_S:
                    self.to_next_s[i] += self.period_s[i]
            self.to_next_s[i] -= dt_s
            out.append(horn[i] if abs(self.held[i] - horn[i]) <= self.deadband[i] else self.held[i])
        return out


def write_commands(fdm, servos, commands, dt_s):
    """Writes the surface commands for the next JSBSim step through `servos`. The JSBSim model adds its own pilot
    and trim inputs to each channel (airframe_xml._PILOT_INPUTS), so the frame hold and the dead band act on the
    channel's total, as on Kestrel's single command, and what is written is that total less the pilot's part."""
    totals, horns, pilot = [], [], []
    for i, command in enumerate(commands):
        # The pilot and trim inputs this channel sums (airframe_xml._flight_control), as they stand now.
        part = sum(sign * fdm[name] for axis, sign in ax._SURFACE_AXES[servos.functions[i]]
                   for name in ax._PILOT_INPUTS[axis])
        pilot.append(part)
        totals.append(command + part)
        horns.append(fdm[ax.SURFACE_HORN.format(i)] / servos.max_rad[i])
    for i, target in enumerate(servos.targets(totals, horns, dt_s)):
        fdm[ax.SURFACE_CMD.format(i)] = target - pilot[i]
