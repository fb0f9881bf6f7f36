import Estimation
import FlightLog
import FlightMath
import Foundation
import Vehicle

/// Replayed minus logged estimate at one logged estimate time. The replayed solution is first written exactly as
/// `FlightLogger` writes it (float32 quaternion, local position and velocity), so a replay of the same code on
/// the same samples shows 0, and every non-zero value is a real difference.
public struct ReplayDifference: Sendable, Hashable {
    public var timestampUs: UInt64
    public var rollDeg, pitchDeg, yawDeg: Double
    public var northM, eastM, downM: Double
    public var velocityNEDMps: Vector3
    /// From `vehicle_global_position` (10 Hz); nil at times it was not logged.
    public var globalHorizontalM: Double?
    public var globalAltitudeM: Double?
    /// The replayed solution's time differs from the logged `timestamp_sample`.
    public var sampleTimeMismatch: Bool

    public var horizontalM: Double { (northM * northM + eastM * eastM).squareRoot() }
}

/// Re-runs the navigation filter on a log's sensor samples and compares it with the logged estimate.
///
/// The samples come back in the order `FlightStack.runSensors` fed them (poll time, then IMU, baro, pitot, GPS);
/// at each logged estimate time the filter has consumed every sample up to that poll, as it had in flight. The
/// filter is pure Swift in doubles with no clocks or randomness, so two replays are bit-identical.
public enum LogReplay {
    public struct Result: Sendable {
        public var path: String
        public var configuration: ReplayConfiguration
        public var inputs: ReplayInputs
        public var differences: [ReplayDifference]
        public var finalState: NavigationState
        public var durationS: Double

        public var statistics: [ReplayStatistic] { ReplayStatistic.all(differences) }
    }

    /// Reads, checks and replays the log at `path`.
    public static func run(path: String, base: AirframeParameters? = nil,
                           overrides: [(name: String, value: Double)] = []) throws(LogReplayError) -> Result {
        let bytes: [UInt8]
        do { bytes = try readFlightLogFile(path: path) } catch {
            throw .cannotRead(path: path, reason: "\(error)")
        }
        let log: ULogParsedFile
        do { log = try ULogReader.parse(bytes, mode: .strict) } catch {
            throw .notULog(path: path, reason: "\(error)")
        }
        if let t = log.truncation { throw .truncated(path: path, detail: "\(t)") }
        return try run(log, path: path, base: base, overrides: overrides)
    }

    public static func run(_ log: ULogParsedFile, path: String, base: AirframeParameters? = nil,
                           overrides: [(name: String, value: Double)] = []) throws(LogReplayError) -> Result {
        let inputs = try ReplayInputs(log, path: path)
        let configuration = try ReplayConfiguration(log: log, path: path, base: base, overrides: overrides)
        guard let attitude = log.topic(VehicleAttitude.topicName), attitude.sampleCount > 0,
              let local = log.topic(VehicleLocalPosition.topicName), local.sampleCount > 0 else {
            throw .noEstimate(path: path)
        }
        let att = try Columns(attitude, path: path, ["timestamp_sample", "q[0]", "q[1]", "q[2]", "q[3]"])
        let pos = try Columns(local, path: path, ["x", "y", "z", "vx", "vy", "vz"])
        let global = try log.topic(VehicleGlobalPosition.topicName).map { t throws(LogReplayError) in
            try Columns(t, path: path, ["lat", "lon", "alt_ellipsoid"])
        }

        var filter = NavigationFilter(config: configuration.config)
        var next = 0
        var localIndex = 0, globalIndex = 0
        var out: [ReplayDifference] = []
        out.reserveCapacity(attitude.sampleCount)
        for i in 0..<attitude.sampleCount {
            let t = att.time(i)
            while next < inputs.samples.count, inputs.samples[next].pollUs <= t {
                switch inputs.samples[next].sample {
                case .imu(let s): filter.predict(imu: s)
                case .baro(let s): filter.fuse(baro: s)
                case .airspeed(let s): filter.fuse(airspeed: s)
                case .gps(let s): filter.fuse(gps: s)
                case .mag(let s): filter.fuse(mag: s)
                }
                next += 1
            }
            while localIndex < local.sampleCount, pos.time(localIndex) < t { localIndex += 1 }
            guard localIndex < local.sampleCount, pos.time(localIndex) == t else { continue }
            let n = filter.state
            let ra = NavigationTopics.attitude(n, nowUs: t).qBodyToNED
            let re = euler(Double(ra[0]), Double(ra[1]), Double(ra[2]), Double(ra[3]))
            let le = euler(att.get(i, 1), att.get(i, 2), att.get(i, 3), att.get(i, 4))
            let rl = NavigationTopics.localPosition(n, nowUs: t)
            let deg = Angle.degreesPerRadian
            var d = ReplayDifference(
                timestampUs: t,
                rollDeg: Angle.wrapPi(re.rollRad - le.rollRad) * deg,
                pitchDeg: Angle.wrapPi(re.pitchRad - le.pitchRad) * deg,
                yawDeg: Angle.wrapPi(re.yawRad - le.yawRad) * deg,
                northM: Double(rl.positionNEDM.x) - pos.get(localIndex, 0),
                eastM: Double(rl.positionNEDM.y) - pos.get(localIndex, 1),
                downM: Double(rl.positionNEDM.z) - pos.get(localIndex, 2),
                velocityNEDMps: Vector3(Double(rl.velocityNEDMps.x) - pos.get(localIndex, 3),
                                        Double(rl.velocityNEDMps.y) - pos.get(localIndex, 4),
                                        Double(rl.velocityNEDMps.z) - pos.get(localIndex, 5)),
                globalHorizontalM: nil, globalAltitudeM: nil,
                sampleTimeMismatch: n.timestampUs != att.unsigned(i, 0))
            if let g = global, let gt = log.topic(VehicleGlobalPosition.topicName) {
                while globalIndex < gt.sampleCount, g.time(globalIndex) < t { globalIndex += 1 }
                if globalIndex < gt.sampleCount, g.time(globalIndex) == t {
                    if let rg = NavigationTopics.globalPosition(n, nowUs: t) {
                        let latRad = Angle.radians(fromDegrees: g.get(globalIndex, 0))
                        let dNorth = Angle.radians(fromDegrees: rg.latitudeDeg - g.get(globalIndex, 0)) * WGS84.semiMajorAxisM
                        let dEast = Angle.radians(fromDegrees: rg.longitudeDeg - g.get(globalIndex, 1))
                            * WGS84.semiMajorAxisM * cos(latRad)
                        d.globalHorizontalM = (dNorth * dNorth + dEast * dEast).squareRoot()
                        d.globalAltitudeM = Double(rg.altitudeEllipsoidM) - g.get(globalIndex, 2)
                    } else {
                        // Logged a global position the replay does not have (yet): the largest possible miss.
                        d.globalHorizontalM = .infinity
                        d.globalAltitudeM = .infinity
                    }
                }
            }
            out.append(d)
        }
        guard !out.isEmpty else { throw .noEstimate(path: path) }
        let first = out.first?.timestampUs ?? 0, last = out.last?.timestampUs ?? 0
        return Result(path: path, configuration: configuration, inputs: inputs, differences: out,
                      finalState: filter.state, durationS: Double(last - first) * 1e-6)
    }

    private static func euler(_ w: Double, _ x: Double, _ y: Double, _ z: Double) -> EulerAngles {
        Quaternion(w: w, x: x, y: y, z: z).euler
    }
}
