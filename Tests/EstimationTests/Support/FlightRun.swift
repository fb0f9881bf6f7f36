import Estimation
import FlightMath
import RealModule

/// Root-mean-square and maximum of a stream of errors.
struct ErrorStatistic {
    private(set) var sumSquares = 0.0
    private(set) var count = 0
    private(set) var maximum = 0.0

    mutating func add(_ e: Double) {
        sumSquares += e * e
        count += 1
        maximum = Swift.max(maximum, abs(e))
    }

    var rms: Double { count > 0 ? (sumSquares / Double(count)).squareRoot() : .nan }
}

/// Errors of the filter output against the truth, sampled at every IMU step inside the evaluation window.
struct FlightErrors {
    var rollDeg = ErrorStatistic()
    var pitchDeg = ErrorStatistic()
    var headingDeg = ErrorStatistic()
    var horizontalPositionM = ErrorStatistic()
    var heightM = ErrorStatistic()
    var velocityMps = ErrorStatistic()

    var summary: String {
        func f(_ x: Double) -> String {
            guard x.isFinite else { return "\(x)" }
            return String(Double(Int((x * 1000).rounded())) / 1000)
        }
        return "roll \(f(rollDeg.rms))° (max \(f(rollDeg.maximum))), pitch \(f(pitchDeg.rms))° "
            + "(max \(f(pitchDeg.maximum))), heading \(f(headingDeg.rms))° (max \(f(headingDeg.maximum))), "
            + "horizontal \(f(horizontalPositionM.rms)) m (max \(f(horizontalPositionM.maximum))), "
            + "height \(f(heightM.rms)) m, velocity \(f(velocityMps.rms)) m/s (max \(f(velocityMps.maximum)))"
    }
}

/// One closed simulation: truth → sensors → filter, with error statistics and a hook to look at each step.
struct FlightRun {
    var trajectory = TruthTrajectory.standard()
    var model = SensorErrorModel()
    var faults = SensorFaults()
    var config = NavigationFilterConfig()
    var seed: UInt64 = 1
    var durationS = 300.0
    /// Errors are accumulated from this time on (after alignment and the launch transient).
    var evaluateFromS = 60.0

    init() {
        config.magDeclinationRad = model.declinationRad
    }

    struct Step {
        var timeS: Double
        var truthPositionNEDM: Vector3
        var truthVelocityNEDMps: Vector3
        var truthEuler: EulerAngles
        var truthGyroBiasRadps: Vector3
        var truthAccelBiasMps2: Vector3
    }

    /// Runs the flight; `observe` sees every IMU step after the filter has taken it, and may feed the filter
    /// extra (bad) samples.
    func run(observe: (Step, inout NavigationFilter) -> Void = { _, _ in }) -> (FlightErrors, NavigationFilter) {
        var filter = NavigationFilter(config: config)
        var sensors = SensorSimulator(model: model, faults: faults, seed: seed)
        var walker = TruthWalker(trajectory)
        var errors = FlightErrors()
        let dt = 1 / model.imuRateHz
        let steps = Int(durationS * model.imuRateHz)
        for k in 1...steps {
            walker.advance(by: dt)
            let t = Double(k) * dt
            filter.predict(imu: sensors.imu(at: t, trajectory: trajectory))
            if let fix = sensors.gps(at: t, truthPositionNEDM: walker.positionNEDM, trajectory: trajectory) {
                filter.fuse(gps: fix)
            }
            if let b = sensors.baro(at: t, heightM: -walker.positionNEDM.z) { filter.fuse(baro: b) }
            if let m = sensors.mag(at: t, attitude: trajectory.attitude(t)) { filter.fuse(mag: m) }
            if let a = sensors.airspeed(at: t, trueAirspeedMps: trajectory.airspeedMps(t),
                                        heightM: -walker.positionNEDM.z) {
                filter.fuse(airspeed: a)
            }
            let step = Step(timeS: t, truthPositionNEDM: walker.positionNEDM,
                            truthVelocityNEDMps: trajectory.velocityNEDMps(t), truthEuler: trajectory.euler(t),
                            truthGyroBiasRadps: sensors.gyroBiasRadps, truthAccelBiasMps2: sensors.accelBiasMps2)
            observe(step, &filter)
            guard t >= evaluateFromS else { continue }
            let s = filter.state
            errors.rollDeg.add(Angle.degrees(fromRadians: Angle.wrapPi(s.euler.rollRad - step.truthEuler.rollRad)))
            errors.pitchDeg.add(Angle.degrees(fromRadians: s.euler.pitchRad - step.truthEuler.pitchRad))
            errors.headingDeg.add(Angle.degrees(fromRadians: Angle.wrapPi(s.euler.yawRad - step.truthEuler.yawRad)))
            // The filter's frame has its origin at the first fix, the truth's at the launcher: compare geodetic.
            let estimatedInTruthFrame = s.geodetic.map { sensors.frame.ned(of: $0) } ?? Vector3(.nan, .nan, .nan)
            let d = estimatedInTruthFrame - step.truthPositionNEDM
            errors.horizontalPositionM.add((d.x * d.x + d.y * d.y).squareRoot())
            errors.heightM.add(d.z)
            errors.velocityMps.add((s.velocityNEDMps - step.truthVelocityNEDMps).norm)
        }
        return (errors, filter)
    }
}
