"""Closed-loop flight-quality figures of one HIL flight, from the board's flight log and the simulator's truth: the
one function (`flight_figures`) that Tools/hil-compare applies to the flight on Kestrel's plant and to the flight on
JSBSim alike.

Inputs, both written by `kestrel fly --hil ... --log-dir DIR` whatever the simulator is:
- `hil-truth-*.csv`: every HIL_STATE_QUATERNION the simulator sent (10 Hz), stamped on the board's monotonic clock
  (`board_time_us`): position, NED velocity and true airspeed. This is the simulator's truth, not the estimate;
- `kestrel_*.ulg`: on the same clock, the vehicle's mode (`vehicle_status.nav_state`: FlightMode raw values, 2
  launch, 3 mission), its navigation command (`position_setpoint_triplet`: a leg's start and end, a loiter's centre
  and radius), its height and airspeed setpoints (`tecs_status.altitude_sp` = navigation origin + height setpoint,
  `true_airspeed_sp`) and its navigation origin (`vehicle_local_position.ref_lat/ref_lon/ref_alt`).

The segments are those of the Swift SITL figures (Sources/SITL/FlightMetrics.swift), applied to each truth sample
with the newest logged command at or before it:
- everything from `SETTLE_S` (10 s) after the launch mode starts; positions in the navigation origin's local frame
  (so, as in SITL, the estimator's error counts as tracking error);
- cross-track: while the command is a waypoint leg (previous and current setpoints valid, position type) in mission
  mode, signed distance from the line start→end, counted only beyond `LEG_SETTLE_M` (150 m) along the leg from its
  start, so the turn onto the leg is not counted;
- loiter radius error: while the command is a loiter, distance from its centre minus its radius, once the orbit is
  captured. SITL uses the guidance's own flag (|radius error| ≤ max(10 m, 0.1 R) on the vehicle's estimate); the log
  does not hold it, so here it is the same test on the truth, from the first sample that passes it under this loiter
  command (it differs from the flag by the estimate's position error, ~2 m, at the moment of capture only);
- altitude and airspeed: in mission mode from `SETTLE_S` after the mission starts, truth altitude minus the height
  setpoint (the mission item's height as the guidance commands it) and truth airspeed minus the airspeed setpoint.
Where it differs from SITL otherwise: the samples are the truth frames (10 Hz, as received, so a frame delayed on the
board's link thread is paired with a command up to a few ms newer) rather than every plant tick, and the local frame
is a flat-earth tangent at the origin (under 1 cm off the ellipsoidal frame over these 1 km routes).
"""
import csv
import glob
import math
import os

LEG_SETTLE_M = 150.0  # FlightMetrics.legSettleM
SETTLE_S = 10.0  # FlightMetrics.settleS
LOITER_CAPTURE_M, LOITER_CAPTURE_FRACTION = 10.0, 0.1  # GuidanceConfig.loiterCaptureM, LoiterController
MODE_LAUNCH, MODE_MISSION = 2, 3  # FlightMode raw values, logged as vehicle_status.nav_state
SETPOINT_POSITION, SETPOINT_LOITER = 0, 2  # position_setpoint_triplet types (PX4 SETPOINT_TYPE_*)
WGS84_A, WGS84_E2 = 6378137.0, 6.69437999014e-3


class FlightDataError(Exception):
    """A log directory without what the figures need (named in the message)."""


class Statistic:
    def __init__(self):
        self.values = []

    def add(self, x):
        if math.isfinite(x):
            self.values.append(x)

    @property
    def count(self):
        return len(self.values)

    @property
    def rms(self):
        return math.sqrt(sum(x * x for x in self.values) / len(self.values)) if self.values else math.nan

    @property
    def max_abs(self):
        return max((abs(x) for x in self.values), default=math.nan)


class LocalFrame:
    """Flat-earth NED tangent frame at an origin (WGS-84 radii of curvature there)."""

    def __init__(self, lat_deg, lon_deg):
        self.lat0, self.lon0 = lat_deg, lon_deg
        s = math.sin(math.radians(lat_deg))
        w = math.sqrt(1 - WGS84_E2 * s * s)
        self.m_per_rad_north = WGS84_A * (1 - WGS84_E2) / w ** 3
        self.m_per_rad_east = WGS84_A / w * math.cos(math.radians(lat_deg))

    def ne(self, lat_deg, lon_deg):
        return (math.radians(lat_deg - self.lat0) * self.m_per_rad_north,
                math.radians(lon_deg - self.lon0) * self.m_per_rad_east)


def find_log_files(log_dir):
    """The flight's ULog (the largest: a disarm starts a new one) and its truth CSV in a `kestrel fly --log-dir`."""
    if not os.path.isdir(log_dir):
        raise FlightDataError(f"{log_dir}: not a directory")
    logs = sorted(glob.glob(os.path.join(log_dir, "kestrel_*.ulg")), key=os.path.getsize)
    truths = sorted(glob.glob(os.path.join(log_dir, "hil-truth-*.csv")), key=os.path.getsize)
    if not logs:
        raise FlightDataError(f"{log_dir}: no kestrel_*.ulg flight log")
    if not truths:
        raise FlightDataError(f"{log_dir}: no hil-truth-*.csv (the board writes it with --hil and --log-dir)")
    return logs[-1], truths[-1]


def read_truth(path):
    rows = []
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            try:
                rows.append((int(r["board_time_us"]), float(r["lat_deg"]), float(r["lon_deg"]), float(r["alt_m"]),
                             float(r["true_airspeed_mps"])))
            except (KeyError, TypeError, ValueError):
                raise FlightDataError(f"{path}: not a HIL truth CSV (row {len(rows) + 2})") from None
    if not rows:
        raise FlightDataError(f"{path}: no truth rows")
    return rows


class Series:
    """A logged topic as time-ordered samples; `at(t)` is the newest at or before t (None before the first)."""

    def __init__(self, data, fields):
        import bisect
        self._bisect = bisect.bisect_right
        self.t = [int(x) for x in data["timestamp"]]
        self.rows = list(zip(*(data[f] for f in fields))) if self.t else []
        self.fields = {f: i for i, f in enumerate(fields)}

    def at(self, t):
        i = self._bisect(self.t, t) - 1
        return self.rows[i] if i >= 0 else None

    def get(self, row, field):
        return row[self.fields[field]]


def read_log(path):
    from pyulog import ULog
    u = ULog(str(path), ["vehicle_status", "position_setpoint_triplet", "tecs_status", "vehicle_local_position",
                         "wind", "vehicle_global_position"])

    def topic(name, fields):
        try:
            return Series(u.get_dataset(name).data, fields)
        except (KeyError, IndexError, ValueError):
            raise FlightDataError(f"{path}: no {name} topic") from None
    status = topic("vehicle_status", ["nav_state"])
    triplet = topic("position_setpoint_triplet", [
        "previous_valid", "previous_type", "previous_lat", "previous_lon", "current_valid", "current_type",
        "current_lat", "current_lon", "current_loiter_radius"])
    tecs = topic("tecs_status", ["altitude_sp", "true_airspeed_sp", "true_airspeed_filtered"])
    estimate = topic("vehicle_global_position", ["lat", "lon", "alt"])
    local = topic("vehicle_local_position", ["ref_lat", "ref_lon", "ref_alt"])
    try:
        wind = topic("wind", ["windspeed_north", "windspeed_east"])
    except FlightDataError:
        wind = None
    return status, triplet, tecs, local, wind, estimate


def flight_figures(log_dir):
    """The figures of the flight in `log_dir` (a `kestrel fly --hil --log-dir`): a dict of
    cross_track_rms_m, loiter_radius_rms_m, altitude_rms_m, airspeed_rms_mps (NaN when a segment was never flown),
    their sample counts, the launch and mission-start times (s after the first truth frame), and the board's mean
    wind estimate in mission mode (north, east m/s: a check that both simulators blew the same way)."""
    log_path, truth_path = find_log_files(log_dir)
    truth = read_truth(truth_path)
    status, triplet, tecs, local, wind, estimate = read_log(log_path)
    launch_us = next((t for t, r in zip(status.t, status.rows) if r[0] == MODE_LAUNCH), None)
    mission_us = next((t for t, r in zip(status.t, status.rows) if r[0] == MODE_MISSION), None)
    if launch_us is None or mission_us is None:
        never = "launched" if launch_us is None else "entered its mission"
        raise FlightDataError(f"{log_path}: the vehicle never {never}")
    origin = next((r for r in local.rows if r[0] != 0 or r[1] != 0), None)
    if origin is None:
        raise FlightDataError(f"{log_path}: no navigation origin in vehicle_local_position")
    frame = LocalFrame(origin[0], origin[1])

    def figures(samples):
        cross, loiter, altitude, airspeed = Statistic(), Statistic(), Statistic(), Statistic()
        loiter_key, captured = None, False
        for t, lat, lon, alt, tas in samples:
            if t < launch_us + SETTLE_S * 1e6:
                continue
            mode, command, sp = status.at(t), triplet.at(t), tecs.at(t)
            if mode is None or command is None or sp is None:
                continue
            p = frame.ne(lat, lon)
            g = triplet.get
            leg = g(command, "previous_valid") and g(command, "current_valid") \
                and g(command, "previous_type") == SETPOINT_POSITION and g(command, "current_type") == SETPOINT_POSITION
            if mode[0] == MODE_MISSION and leg:
                a = frame.ne(g(command, "previous_lat"), g(command, "previous_lon"))
                b = frame.ne(g(command, "current_lat"), g(command, "current_lon"))
                dn, de = b[0] - a[0], b[1] - a[1]
                length = math.hypot(dn, de)
                if length > 1:
                    un, ue = dn / length, de / length
                    rn, re = p[0] - a[0], p[1] - a[1]
                    if rn * un + re * ue >= LEG_SETTLE_M:
                        cross.add(un * re - ue * rn)
            if g(command, "current_valid") and g(command, "current_type") == SETPOINT_LOITER:
                key = (g(command, "current_lat"), g(command, "current_lon"), g(command, "current_loiter_radius"))
                if key != loiter_key:
                    loiter_key, captured = key, False
                c = frame.ne(key[0], key[1])
                radius = max(float(key[2]), 1.0)
                error = math.hypot(p[0] - c[0], p[1] - c[1]) - radius
                captured = captured or abs(error) <= max(LOITER_CAPTURE_M, LOITER_CAPTURE_FRACTION * radius)
                if captured:
                    loiter.add(error)
            else:
                loiter_key, captured = None, False
            if mode[0] == MODE_MISSION and t >= mission_us + SETTLE_S * 1e6:
                altitude.add(alt - float(tecs.get(sp, "altitude_sp")))
                airspeed.add(tas - float(tecs.get(sp, "true_airspeed_sp")))
        return cross, loiter, altitude, airspeed

    # The same segments and setpoints against the board's own estimate (position, and the airspeed the TECS flies):
    # what the closed loop tracks; the truth figures add the navigation error (mostly the GPS's) to it.
    def estimated():
        for t, *_ in truth:
            e, sp = estimate.at(t), tecs.at(t)
            if e is not None and sp is not None:
                yield t, float(e[0]), float(e[1]), float(e[2]), float(tecs.get(sp, "true_airspeed_filtered"))

    cross, loiter, altitude, airspeed = figures(truth)
    tracking = figures(estimated())
    wind_ne = (math.nan, math.nan)
    if wind is not None:
        samples = [r for t, r in zip(wind.t, wind.rows)
                   if t >= mission_us + SETTLE_S * 1e6 and (s := status.at(t)) is not None and s[0] == MODE_MISSION]
        if samples:
            n = len(samples)
            wind_ne = (sum(float(r[0]) for r in samples) / n, sum(float(r[1]) for r in samples) / n)
    t0 = truth[0][0]
    return {
        "cross_track_rms_m": cross.rms, "cross_track_samples": cross.count, "cross_track_max_m": cross.max_abs,
        "loiter_radius_rms_m": loiter.rms, "loiter_radius_samples": loiter.count,
        "altitude_rms_m": altitude.rms, "altitude_samples": altitude.count,
        "airspeed_rms_mps": airspeed.rms, "airspeed_samples": airspeed.count,
        "launch_s": (launch_us - t0) * 1e-6, "mission_s": (mission_us - t0) * 1e-6,
        "truth_frames": len(truth), "wind_estimate_north_mps": wind_ne[0], "wind_estimate_east_mps": wind_ne[1],
        "log": log_path, "truth": truth_path,
        "tracking_cross_track_rms_m": tracking[0].rms, "tracking_loiter_radius_rms_m": tracking[1].rms,
        "tracking_altitude_rms_m": tracking[2].rms, "tracking_airspeed_rms_mps": tracking[3].rms,
    }
