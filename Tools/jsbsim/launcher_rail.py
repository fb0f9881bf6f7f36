"""The catapult rail, as Kestrel's SITL has it (Sources/SITL/Catapult.swift): the airframe rests on the rail at the
airframe's [launch] height, pitched up by the climb angle on the launch heading, until the catapult fires; then it
accelerates at a constant rate along the rail to the launch speed over the stroke, and flies free after it."""
import math

NEVER_US = 2 ** 63


class LauncherRail:
    def __init__(self, launch, stroke_s):
        gamma, psi = math.radians(launch["climb_angle_deg"]), math.radians(launch["heading_deg"])
        self.attitude_euler_rad = (0.0, gamma, psi)
        self.direction_ned = (math.cos(gamma) * math.cos(psi), math.cos(gamma) * math.sin(psi), -math.sin(gamma))
        self.start_ned_m = (0.0, 0.0, -launch["height_m"])
        self.launch_speed_mps = launch["speed_mps"]
        self.stroke_us = int(round(max(stroke_s, 0.0) * 1e6))

    def holds(self, t_us, fired_us):
        """Whether the rail still holds the airframe at `t_us` (not fired, or within the stroke)."""
        return fired_us >= NEVER_US or t_us <= fired_us + self.stroke_us

    def acceleration_mps2(self):
        return self.launch_speed_mps / (self.stroke_us * 1e-6) if self.stroke_us > 0 else 0.0

    def state(self, t_us, fired_us):
        """(position NED m, velocity NED m/s, acceleration NED m/s²) on the rail at `t_us`."""
        d = self.direction_ned
        if fired_us >= NEVER_US or t_us <= fired_us or self.stroke_us == 0:
            return self.start_ned_m, (0.0, 0.0, 0.0), (0.0, 0.0, 0.0)
        tau_s = min(t_us - fired_us, self.stroke_us) * 1e-6
        a = self.acceleration_mps2()
        accel = tuple(a * c for c in d) if t_us - fired_us <= self.stroke_us else (0.0, 0.0, 0.0)
        return (tuple(s + 0.5 * a * tau_s * tau_s * c for s, c in zip(self.start_ned_m, d)),
                tuple(a * tau_s * c for c in d), accel)
