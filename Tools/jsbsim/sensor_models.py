"""The airframe's [sensors.*] error models, as Kestrel's simulator applies them (Sources/Simulation/Sensors): the same
error budget and sample clocks, with Python's own seeded random streams (so not Kestrel's numbers, but its
statistics)."""
import math
import random
from collections import deque

from geodesy import LocalFrame

# Independent streams per sensor, as SensorStreamLabel keeps them.
LABELS = {"accel": 0x0101, "gyro": 0x0102, "baro": 0x0201, "gps": 0x0301, "mag": 0x0401, "airspeed": 0x0501}


def stream(seed, name):
    return random.Random((seed << 16) ^ LABELS[name])


class SampleClock:
    """Due once per period on the microsecond time base, the first sample at time zero (SampleClock.swift)."""

    def __init__(self, rate_hz):
        self.period_us = max(1, round(1e6 / rate_hz))
        self.next_us = 0

    def due(self, t_us):
        if t_us < self.next_us:
            return False
        self.next_us += self.period_us
        if self.next_us <= t_us:
            self.next_us = t_us + self.period_us
        return True


class InertialTriad:
    """Turn-on bias, scale factor and temperature coefficient drawn once; Gauss–Markov bias instability, random walk
    and white noise per sample (InertialAxisErrors.swift)."""

    def __init__(self, rng, rate_hz, noise_density, bias_instability, correlation_time_s, random_walk,
                 turn_on_bias, scale_factor, bias_per_degc):
        self.rng = rng
        dt = 1 / rate_hz
        self.turn_on = self._vector(turn_on_bias)
        self.scale = self._vector(scale_factor)
        self.per_degc = self._vector(bias_per_degc)
        self.noise_sigma = noise_density * math.sqrt(rate_hz)
        self.decay = math.exp(-dt / correlation_time_s)
        self.drive = bias_instability * math.sqrt(1 - self.decay ** 2)
        self.walk_step = random_walk * math.sqrt(dt)
        self.instability = self._vector(bias_instability)
        self.walk = [0.0, 0.0, 0.0]

    def _vector(self, sigma):
        return [self.rng.gauss(0.0, 1.0) * sigma for _ in range(3)]

    def measure(self, truth, temperature_c):
        g = self.rng.gauss
        out = []
        for i in range(3):
            self.instability[i] = self.instability[i] * self.decay + g(0.0, 1.0) * self.drive
            self.walk[i] += g(0.0, 1.0) * self.walk_step
            bias = self.turn_on[i] + self.instability[i] + self.walk[i] + self.per_degc[i] * (temperature_c - 25)
            out.append(truth[i] * (1 + self.scale[i]) + bias + g(0.0, 1.0) * self.noise_sigma)
        return out


class IMU:
    def __init__(self, s, seed):
        self.clock = SampleClock(s["rate_hz"])
        self.temperature_offset_c = s["temperature_offset_c"]
        self.accel = InertialTriad(stream(seed, "accel"), s["rate_hz"], s["accel_noise_density_mps2_per_rthz"],
                                   s["accel_bias_instability_mps2"], s["accel_bias_correlation_time_s"],
                                   s["accel_random_walk_mps3_per_rthz"], s["accel_turn_on_bias_mps2"],
                                   s["accel_scale_factor_error"], s["accel_bias_per_degc_mps2"])
        self.gyro = InertialTriad(stream(seed, "gyro"), s["rate_hz"], s["gyro_noise_density_radps_per_rthz"],
                                  s["gyro_bias_instability_radps"], s["gyro_bias_correlation_time_s"],
                                  s["gyro_random_walk_radps2_per_rthz"], s["gyro_turn_on_bias_radps"],
                                  s["gyro_scale_factor_error"], s["gyro_bias_per_degc_radps"])

    def sample(self, t_us, truth):
        """(accel FRD m/s², gyro FRD rad/s, die temperature °C) when due, else None."""
        if not self.clock.due(t_us):
            return None
        die_c = truth.temperature_k - 273.15 + self.temperature_offset_c
        return (self.accel.measure(truth.specific_force_frd_mps2, die_c),
                self.gyro.measure(truth.inertial_rate_frd_radps, die_c), die_c)


class Barometer:
    """Static pressure at the true altitude, a power-on offset, a linear drift and white noise."""

    def __init__(self, s, seed):
        self.clock = SampleClock(s["rate_hz"])
        self.rng = stream(seed, "baro")
        self.offset_pa = self.rng.gauss(0.0, 1.0) * s["offset_sigma_pa"]
        self.s = s

    def sample(self, t_us, truth):
        """(pressure Pa, temperature °C) when due."""
        if not self.clock.due(t_us):
            return None
        drift = self.s["drift_pa_per_s"] * t_us * 1e-6
        return (truth.pressure_pa + self.offset_pa + drift + self.rng.gauss(0.0, 1.0) * self.s["noise_pa"],
                truth.temperature_k - 273.15)


class Airspeed:
    """Pitot differential pressure of the flow along body x; flow from behind reads the offset."""

    def __init__(self, s, seed):
        self.clock = SampleClock(s["rate_hz"])
        self.rng = stream(seed, "airspeed")
        self.s = s

    def sample(self, t_us, truth):
        if not self.clock.due(t_us):
            return None
        u = max(0.0, truth.air_velocity_frd_mps[0])
        return 0.5 * truth.density_kgpm3 * u * u + self.s["offset_pa"] + self.rng.gauss(0.0, 1.0) * self.s["noise_pa"]


class Magnetometer:
    """A fixed Earth field by declination, inclination and strength, seen in body axes, plus hard iron and noise."""

    def __init__(self, s, seed):
        self.clock = SampleClock(s["rate_hz"])
        self.rng = stream(seed, "mag")
        d, i = math.radians(s["declination_deg"]), math.radians(s["inclination_deg"])
        b = s["field_strength_gauss"]
        self.earth_ned_gauss = (math.cos(i) * math.cos(d) * b, math.cos(i) * math.sin(d) * b, math.sin(i) * b)
        self.hard_iron_frd_gauss = s["hard_iron_frd_gauss"]
        self.noise_gauss = s["noise_gauss"]

    def sample(self, t_us, truth):
        if not self.clock.due(t_us):
            return None
        r, e = truth.body_from_ned, self.earth_ned_gauss
        return [sum(r[k][j] * e[j] for j in range(3)) + self.hard_iron_frd_gauss[k]
                + self.rng.gauss(0.0, 1.0) * self.noise_gauss for k in range(3)]


class GPSFix:
    __slots__ = ("lat_deg", "lon_deg", "alt_m", "velocity_ned_mps", "horizontal_accuracy_m", "vertical_accuracy_m",
                 "satellites")


class GPS:
    """Solutions at the receiver's rate, valid at their epoch and delivered `latency_s` later; a first-order
    Gauss–Markov position error per axis (started in its steady state) and white velocity noise."""

    def __init__(self, s, frame: LocalFrame, seed):
        self.clock = SampleClock(s["rate_hz"])
        self.rng = stream(seed, "gps")
        self.s, self.frame = s, frame
        self.latency_us = round(s["latency_s"] * 1e6)
        self.decay = math.exp(-1 / (s["rate_hz"] * s["position_correlation_time_s"]))
        g = self.rng.gauss
        h, v = s["horizontal_sigma_m"], s["vertical_sigma_m"]
        self.error_ned_m = [g(0.0, 1.0) * h, g(0.0, 1.0) * h, g(0.0, 1.0) * v]
        self.pending = deque()

    def sample(self, t_us, truth):
        """The solution whose latency has elapsed at `t_us`, if any."""
        if self.clock.due(t_us):
            self.pending.append((t_us, self._measure(truth)))
        if self.pending and t_us >= self.pending[0][0] + self.latency_us:
            return self.pending.popleft()[1]
        return None

    def _measure(self, truth):
        s, g = self.s, self.rng.gauss
        drive = math.sqrt(1 - self.decay ** 2)
        sigmas = (s["horizontal_sigma_m"], s["horizontal_sigma_m"], s["vertical_sigma_m"])
        for i in range(3):
            self.error_ned_m[i] = self.error_ned_m[i] * self.decay + g(0.0, 1.0) * sigmas[i] * drive
        fix = GPSFix()
        ned = [p + e for p, e in zip(truth.position_ned_m, self.error_ned_m)]
        fix.lat_deg, fix.lon_deg, fix.alt_m = self.frame.geodetic_of_ned(ned)
        fix.velocity_ned_mps = [v + g(0.0, 1.0) * s["velocity_sigma_mps"] for v in truth.velocity_ned_mps]
        fix.horizontal_accuracy_m, fix.vertical_accuracy_m = s["horizontal_sigma_m"], s["vertical_sigma_m"]
        fix.satellites = int(s["satellites"])
        return fix
