"""A HIL simulator on JSBSim that a `kestrel fly --hil` board flies against exactly as it flies against
`kestrel sim SCENARIO --hil-serve` (Sources/SITL/HILServe.swift), from the board's point of view:

- the airframe's JSBSim model (generated from its TOML) steps at the IMU rate, paced to the wall clock; a process
  that falls more than 40 steps behind skips plant time rather than burst stale frames;
- every IMU sample goes out as HIL_SENSOR (time_usec = plant time, µs) carrying the barometer, pitot and magnetometer
  samples taken since the previous frame in its fields_updated bits; GPS solutions as HIL_GPS at the receiver's rate
  after its latency; the truth as HIL_STATE_QUATERNION at 10 Hz;
- the newest HIL_ACTUATOR_CONTROLS stands until a newer one arrives; its controls are the board file's PWM channels,
  turned into pulses and through the airframe's mixer ranges into the plant's commands; before the first, every
  channel holds its safe pulse;
- the airframe rests on the catapult rail until `launch_delay_s` after the controls first say armed, then the
  catapult accelerates it along the rail over the stroke and releases it;
- the steady wind is JSBSim's, the turbulence Kestrel's Dryden model (turbulence.py) fed to JSBSim as a gust.

Where the board can tell the difference: the sensor noise is drawn from other random streams (same error models and
statistics); the gyro includes the Earth's rotation (7e-5 rad/s, JSBSim's inertial rates); accelerometer and gyro
saturate at the IMU's full scale instead of reaching the board out of range after a crash; HIL_SENSOR carries the
pressure altitude and HIL_STATE_QUATERNION its acceleration fields, which kestrel sim leaves at zero (the board reads
neither). On the rail JSBSim's airframe is held by a stiff spring-damper (within 0.2 mm), and the sensors see the
rail's own motion, as they see Kestrel's kinematic rail.
"""
import math
import time

import battery as battery_model
import sensor_models
from airframe_toml import load as load_airframe
from hil_link import HILLink
from jsbsim_plant import STANDARD_GRAVITY_MPS2, JSBSimPlant, rotate, rotate_transposed
from launcher_rail import NEVER_US, LauncherRail
from servo_linkage import ServoLinkage, load_board_channels
from turbulence import DrydenTurbulence

TRUTH_RATE_HZ = 10.0
MAX_CATCH_UP_STEPS = 40
MAV_MODE_FLAG_SAFETY_ARMED = 128
# HIL_SENSOR fields_updated bits (MAVLink HIL_SENSOR_UPDATED_FLAGS).
ACCEL_GYRO_BITS, MAG_BITS = 0x3F, 0x1C0
ABS_PRESSURE_BIT, DIFF_PRESSURE_BIT, PRESSURE_ALT_BIT, TEMPERATURE_BIT = 0x200, 0x400, 0x800, 0x1000
# The IMU's full scale (MPU-6000/6050 class at its widest ranges): a crash's contact spike saturates, as on the chip,
# rather than reach the board as a value no chip reports.
ACCEL_FULL_SCALE_MPS2, GYRO_FULL_SCALE_RADPS = 16 * 9.80665, math.radians(2000)
# ISA troposphere, for the pressure altitude (StandardAtmosphere.pressureAltitudeM).
SEA_LEVEL_PA, SEA_LEVEL_K, LAPSE_KPM = 101325.0, 288.15, 0.0065
PRESSURE_EXPONENT = 9.80665 / (287.05287 * LAPSE_KPM)


def pressure_altitude_m(pressure_pa):
    return SEA_LEVEL_K / LAPSE_KPM * (1 - (pressure_pa / SEA_LEVEL_PA) ** (1 / PRESSURE_EXPONENT))


def f1(x):
    return f"{x:.1f}"


class Counters:
    def __init__(self):
        self.steps = self.sensor_frames = self.gps_frames = self.truth_frames = self.controls_received = 0
        self.battery_frames = 0
        self.skipped_us = self.last_round_trip_us = self.max_round_trip_us = 0
        self.max_height_m = 0.0


class HILSimulator:
    def __init__(self, airframe_path, board_path, endpoint, launch_delay_s, catapult_stroke_s, origin,
                 wind_ned_mps=(0.0, 0.0, 0.0), turbulence="none", seed=4020):
        self.airframe = load_airframe(airframe_path)
        board_name, channels = load_board_channels(board_path)
        self.linkage = ServoLinkage(self.airframe, board_name, channels)
        self.rail = LauncherRail(self.airframe["launch"], catapult_stroke_s)
        s = self.airframe["sensors"]
        self.step_us = round(1e6 / s["imu"]["rate_hz"])
        self.dt_s = self.step_us * 1e-6
        self.launch_delay_us = round(launch_delay_s * 1e6)
        self.link = HILLink(endpoint)
        self.plant = JSBSimPlant(self.airframe, origin, dt_s=self.dt_s)
        self.plant.start_on_rail(self.rail)
        self.plant.set_wind(*wind_ned_mps)
        self.turbulence = DrydenTurbulence(turbulence, seed)
        self.imu = sensor_models.IMU(s["imu"], seed)
        self.baro = sensor_models.Barometer(s["baro"], seed)
        self.mag = sensor_models.Magnetometer(s["mag"], seed)
        self.airspeed = sensor_models.Airspeed(s["airspeed"], seed)
        self.gps = sensor_models.GPS(s["gps"], self.plant.frame, seed)
        self.battery = battery_model.Battery(self.airframe["battery"])
        self.pulses_us = list(self.linkage.safe_pulses_us)
        self.counters = Counters()
        self.t_us = 0
        self.fired_us = NEVER_US
        self.launched_at_us = None
        self.armed = False
        self.origin_wall_us = 0
        self.next_truth_us = 0
        self.truth = self.plant.truth()
        self.readings = {}
        self.pending = set()
        self.touchdown = None
        self._airborne = False

    def close(self):
        self.link.close()
        self.plant.close()

    # Pacing (HILServe.run).
    def run(self, duration_s, should_stop=lambda: False, status=print, status_every_s=5.0, clock_us=None):
        clock_us = clock_us or (lambda: time.monotonic_ns() // 1000)
        duration_us = round(duration_s * 1e6)
        status_every_us = round(status_every_s * 1e6)
        next_status_us = status_every_us
        self.origin_wall_us = clock_us()
        while self.t_us < duration_us and not should_stop():
            now = clock_us()
            self.receive(now)
            steps = 0
            while self.origin_wall_us + self.t_us + self.step_us <= now:
                if steps >= MAX_CATCH_UP_STEPS:
                    behind = (now - self.origin_wall_us - self.t_us) // self.step_us * self.step_us
                    self.origin_wall_us += behind
                    self.counters.skipped_us += behind
                    break
                self.step()
                steps += 1
            if self.t_us >= next_status_us:
                next_status_us += status_every_us
                status(self.status_line)
            wake = self.origin_wall_us + self.t_us + self.step_us
            after = clock_us()
            if wake > after:
                time.sleep(min(wake - after, 100_000) * 1e-6)

    def receive(self, now_us):
        for m in self.link.receive():
            self.apply(m, now_us)

    def apply(self, m, now_us):
        c = self.counters
        c.controls_received += 1
        self.pulses_us = self.linkage.pulses_of(m.controls)
        if m.time_usec <= self.t_us and now_us >= self.origin_wall_us + m.time_usec:
            c.last_round_trip_us = now_us - (self.origin_wall_us + m.time_usec)
            c.max_round_trip_us = max(c.max_round_trip_us, c.last_round_trip_us)
        now_armed = bool(m.mode & MAV_MODE_FLAG_SAFETY_ARMED)
        if now_armed != self.armed and self.launched_at_us is None:
            # The launch crew fires a fixed time after the arm; a disarm before the shot stands them down.
            self.fired_us = self.t_us + self.launch_delay_us if now_armed else NEVER_US
        self.armed = now_armed

    # One plant step and its frames (HILServe.step).
    def step(self):
        surfaces, throttle = self.linkage.plant_commands(self.pulses_us)
        self.plant.set_controls(surfaces, throttle, self.battery.voltage_ratio)
        # Kestrel's wind update: from the state the step starts in, body-aligned turbulence turned into NED.
        t = self.truth
        uvw = self.turbulence.step(self.dt_s, t.airspeed_mps, max(0.0, self.height_m))
        self.plant.set_gust(rotate_transposed(t.body_from_ned, uvw))
        end_us = self.t_us + self.step_us
        held = self.rail.holds(end_us, self.fired_us)
        if held:
            position, velocity, _ = self.rail.state(self.t_us, self.fired_us)
            _, _, acceleration = self.rail.state(end_us, self.fired_us)
            self.plant.hold(self.truth, position, velocity, acceleration, self.rail.attitude_euler_rad)
        else:
            self.plant.release()
        self.plant.step()
        self.t_us = end_us
        t = self.truth = self.plant.truth()
        if held:
            # The rail is rigid: on it the accelerometer reads the rail's acceleration less gravity (as Kestrel's held
            # plant has it), not the step-late balance of the hold's feed-forward against a gusting aerodynamic force.
            specific_ned = (acceleration[0], acceleration[1], acceleration[2] - STANDARD_GRAVITY_MPS2)
            t.specific_force_frd_mps2 = rotate(t.body_from_ned, specific_ned)
        self.battery.draw(battery_model.electrical_power_w(self.airframe["propulsion"], t.thrust_n,
                                                           t.air_velocity_frd_mps[0], t.density_kgpm3), self.dt_s)
        c = self.counters
        c.steps += 1
        if self.launched_at_us is None and self.fired_us != NEVER_US and self.t_us >= self.fired_us:
            self.launched_at_us = self.fired_us
        c.max_height_m = max(c.max_height_m, self.height_m)
        self._watch_touchdown(t)
        self._sample_and_send(t)

    @property
    def height_m(self):
        return -self.truth.position_ned_m[2]

    def _watch_touchdown(self, t):
        """The first touchdown after the launch, judged by the airframe's crash limits (as Kestrel's plant)."""
        if self.touchdown is not None or self.launched_at_us is None:
            return
        if not t.on_ground:
            self._airborne = self._airborne or self.height_m > self.airframe["ground_contact"]["resting_height_m"] + 1
            return
        if self._airborne:
            v = t.velocity_ned_mps
            speed, down = math.sqrt(sum(x * x for x in v)), max(0.0, v[2])
            g = self.airframe["ground_contact"]
            self.touchdown = (self.t_us * 1e-6, speed, down,
                              down > g["crash_vertical_speed_mps"] or speed > g["crash_speed_mps"])

    def _sample_and_send(self, t):
        now = self.t_us
        for name, sensor in (("baro", self.baro), ("mag", self.mag), ("airspeed", self.airspeed)):
            sample = sensor.sample(now, t)
            if sample is not None:
                self.readings[name] = sample
                self.pending.add(name)
        imu = self.imu.sample(now, t)
        if imu is not None:
            self._send_sensor(imu)
            self.pending.clear()
        fix = self.gps.sample(now, t)
        if fix is not None:
            self._send_gps(fix)
        if now >= self.next_truth_us:
            self.next_truth_us = now + round(1e6 / TRUTH_RATE_HZ)
            self._send_truth(t)
            self._send_battery()

    def _send_sensor(self, imu):
        accel, gyro, die_c = imu
        accel = [min(max(a, -ACCEL_FULL_SCALE_MPS2), ACCEL_FULL_SCALE_MPS2) for a in accel]
        gyro = [min(max(w, -GYRO_FULL_SCALE_RADPS), GYRO_FULL_SCALE_RADPS) for w in gyro]
        fields = dict(time_usec=self.t_us, xacc=accel[0], yacc=accel[1], zacc=accel[2], xgyro=gyro[0],
                      ygyro=gyro[1], zgyro=gyro[2], xmag=0.0, ymag=0.0, zmag=0.0, abs_pressure=0.0,
                      diff_pressure=0.0, pressure_alt=0.0, temperature=die_c)
        flags = ACCEL_GYRO_BITS | TEMPERATURE_BIT
        if "baro" in self.pending:
            pressure_pa, air_c = self.readings["baro"]
            # Like kestrel sim: a frame with a barometer sample carries the barometer's temperature.
            fields.update(abs_pressure=pressure_pa / 100, temperature=air_c,
                          pressure_alt=pressure_altitude_m(pressure_pa))
            flags |= ABS_PRESSURE_BIT | PRESSURE_ALT_BIT
        if "airspeed" in self.pending:
            fields["diff_pressure"] = self.readings["airspeed"] / 100
            flags |= DIFF_PRESSURE_BIT
        if "mag" in self.pending:
            fields.update(xmag=self.readings["mag"][0], ymag=self.readings["mag"][1], zmag=self.readings["mag"][2])
            flags |= MAG_BITS
        self.link.send(self.link.hil_sensor(fields_updated=flags, **fields))
        self.counters.sensor_frames += 1

    def _send_gps(self, fix):
        v = fix.velocity_ned_mps
        course_deg = math.degrees(math.atan2(v[1], v[0])) % 360

        def cm(m):
            return int(round(min(max(m * 100, 0), 65534)))

        def cms(x):
            return int(round(min(max(x * 100, -32767), 32767)))
        self.link.send(self.link.hil_gps(
            time_usec=self.t_us, fix_type=3, lat=round(fix.lat_deg * 1e7), lon=round(fix.lon_deg * 1e7),
            alt=round(fix.alt_m * 1000), eph=cm(fix.horizontal_accuracy_m), epv=cm(fix.vertical_accuracy_m),
            vel=cm(math.hypot(v[0], v[1])), vn=cms(v[0]), ve=cms(v[1]), vd=cms(v[2]),
            cog=min(int(round(course_deg * 100)), 35999), satellites_visible=min(fix.satellites, 255)))
        self.counters.gps_frames += 1

    def _send_battery(self):
        """The pack for the board's battery monitor (its INA226 reads 0 V without it, and the board refuses to arm), as
        kestrel sim --hil-serve sends it: the pack voltage in the first cell slot, the current in cA."""
        b = self.battery
        voltages = [65535] * 10
        voltages[0] = int(round(min(max(b.voltage_v * 1000, 0), 65534)))
        self.link.send(self.link.battery_status(
            id=0, battery_function=1, type=1, temperature=32767, voltages=voltages,
            current_battery=int(round(min(max(b.current_a * 100, -32767), 32767))), current_consumed=-1,
            energy_consumed=-1, battery_remaining=int(round(min(max(b.state_of_charge * 100, 0), 100)))))
        self.counters.battery_frames += 1

    def _send_truth(self, t):
        def cms(x):
            return int(round(min(max(x * 100, -32767), 32767)))

        def milli_g(a):
            return int(round(min(max(a / 9.80665 * 1000, -32767), 32767)))
        speed_cms = int(round(min(max(t.airspeed_mps * 100, 0), 65534)))
        # The acceleration fields as MAVLink defines them (mG, body), from the truth's specific force.
        f = t.specific_force_frd_mps2
        self.link.send(self.link.hil_state_quaternion(
            time_usec=self.t_us, attitude_quaternion=list(t.quaternion), rollspeed=t.body_rate_frd_radps[0],
            pitchspeed=t.body_rate_frd_radps[1], yawspeed=t.body_rate_frd_radps[2],
            lat=round(t.lat_deg * 1e7), lon=round(t.lon_deg * 1e7), alt=round(t.alt_m * 1000),
            vx=cms(t.velocity_ned_mps[0]), vy=cms(t.velocity_ned_mps[1]), vz=cms(t.velocity_ned_mps[2]),
            ind_airspeed=speed_cms, true_airspeed=speed_cms, xacc=milli_g(f[0]), yacc=milli_g(f[1]),
            zacc=milli_g(f[2])))
        self.counters.truth_frames += 1

    @property
    def status_line(self):
        c = self.counters
        where = f"launched at {f1(self.launched_at_us * 1e-6)} s" if self.launched_at_us is not None \
            else "on the catapult"
        return (f"jsbsim-hil: t {f1(self.t_us * 1e-6)} s, height {f1(self.height_m)} m, airspeed "
                f"{f1(self.truth.airspeed_mps)} m/s, {'armed' if self.armed else 'disarmed'}, {where}, "
                f"{c.controls_received} HIL_ACTUATOR_CONTROLS received, round trip "
                f"{f1(c.last_round_trip_us / 1000)} ms")

    @property
    def summary(self):
        c = self.counters
        text = (self.status_line + "\n"
                + f"jsbsim-hil: {c.steps} plant steps, sent {c.sensor_frames} HIL_SENSOR, {c.gps_frames} HIL_GPS, "
                f"{c.truth_frames} HIL_STATE_QUATERNION, {c.battery_frames} BATTERY_STATUS; max height {f1(c.max_height_m)} m; round trip max "
                f"{f1(c.max_round_trip_us / 1000)} ms; plant time skipped {c.skipped_us // 1000} ms; "
                f"link {self.link.name}: {self.link.send_errors} frames not sent, {self.link.bad_datagrams} bad "
                "datagrams\n"
                + f"jsbsim-hil: battery {self.battery.voltage_v:.2f} V, "
                f"{100 * self.battery.state_of_charge:.0f} % charge\n")
        if self.touchdown is not None:
            at_s, speed, down, crash = self.touchdown
            text += (f"jsbsim-hil: touchdown at {f1(at_s)} s, {f1(speed)} m/s over the ground, {f1(down)} m/s down"
                     f"{' (a crash by the airframe limits)' if crash else ''}\n")
        return text
