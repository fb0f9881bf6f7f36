import Estimation
import FlightMath
import Mission
import Simulation
import Vehicle

/// Root-mean-square, mean and maximum of an error signal.
public struct ErrorStatistic: Sendable, Equatable {
    public private(set) var count = 0
    public private(set) var sum = 0.0
    public private(set) var sumOfSquares = 0.0
    public private(set) var maxAbs = 0.0

    public init() {}

    public mutating func add(_ error: Double) {
        guard error.isFinite else { return }
        count += 1
        sum += error
        sumOfSquares += error * error
        maxAbs = max(maxAbs, abs(error))
    }

    /// NaN when nothing was recorded.
    public var mean: Double { count > 0 ? sum / Double(count) : .nan }

    /// Spread about the mean; NaN when nothing was recorded.
    public var standardDeviation: Double {
        guard count > 0 else { return .nan }
        let m = mean
        return max(0, sumOfSquares / Double(count) - m * m).squareRoot()
    }

    /// NaN when nothing was recorded.
    public var rms: Double { count > 0 ? (sumOfSquares / Double(count)).squareRoot() : .nan }
}

/// Closed-loop figures of one SITL flight, all against the plant's truth:
///
/// - tracking: cross-track error on straight legs (beyond `legSettleM` from the leg start, so the turn onto the
///   leg is not counted), orbit radius error once an orbit is captured, and altitude and airspeed error against
///   their setpoints in mission mode from `settleS` after the climb-out. Paths and heights are in the frame of
///   home as the vehicle knows it (the navigation origin), so estimator errors count as tracking errors;
/// - estimator: roll, pitch, heading, horizontal position and velocity errors from `estimatorSettleS` after the
///   launch. Without a magnetometer the heading is first set from the GPS course, which is off by the crab angle
///   in a crosswind, and only becomes observable in the first turns; the settling time leaves that out.
public struct FlightMetrics: Sendable {
    public var legSettleM = 150.0
    public var settleS = 10.0
    public var estimatorSettleS = 60.0
    public private(set) var crossTrackM = ErrorStatistic()
    public private(set) var loiterRadiusM = ErrorStatistic()
    public private(set) var altitudeM = ErrorStatistic()
    public private(set) var airspeedMps = ErrorStatistic()
    public private(set) var rollDeg = ErrorStatistic()
    public private(set) var pitchDeg = ErrorStatistic()
    public private(set) var headingDeg = ErrorStatistic()
    public private(set) var horizontalPositionM = ErrorStatistic()
    /// Estimated height above the origin minus the true one, in the navigation frame (what the height
    /// controller is blind to: it counts fully in `altitudeM`).
    public private(set) var heightM = ErrorStatistic()
    public private(set) var velocityMps = ErrorStatistic()
    /// Over the altitude and airspeed figures' window.
    public private(set) var effort = ControlEffort()
    public private(set) var launchTimeS: Double?
    public private(set) var missionStartS: Double?
    /// The navigation origin's altitude (the GPS's at its first good fix) minus the true altitude where the vehicle
    /// stood then: a constant offset inside `altitudeM`, which is against the origin as the vehicle knows it, and one
    /// no sensor on board can see (the barometer only measures height differences).
    public private(set) var originHeightErrorM: Double?
    public private(set) var minHeightM = Double.infinity
    public private(set) var maxHeightM = -Double.infinity
    private var navigationFrame: LocalFrame?

    public init() {}

    public mutating func record(vehicle: SimulatedVehicle, output: TickOutput) {
        let t = vehicle.timeS
        let truth = vehicle.state
        let heightM = -truth.positionNEDM.z
        if output.inFlight {
            minHeightM = min(minHeightM, heightM)
            maxHeightM = max(maxHeightM, heightM)
        }
        if originHeightErrorM == nil, let origin = output.navigation.origin {
            originHeightErrorM = origin.altitudeM - vehicle.geodeticPosition.altitudeM
        }
        if launchTimeS == nil, output.mode == .launch { launchTimeS = t }
        if missionStartS == nil, output.mode == .mission { missionStartS = t }
        guard let launch = launchTimeS, t >= launch + settleS, let origin = output.navigation.origin else { return }
        let frame = navigationFrame ?? LocalFrame(origin: origin)
        navigationFrame = frame
        let geodetic = vehicle.geodeticPosition
        let p = frame.ned(of: geodetic)
        let nav = output.navigation

        if t >= launch + estimatorSettleS { recordEstimator(nav, truth: truth, positionNEDM: p) }

        // Tracking.
        switch output.command {
        case .waypoint(_, let from, let to, _, _):
            let dN = to.x - from.x, dE = to.y - from.y
            let length = (dN * dN + dE * dE).squareRoot()
            if length > 1 {
                let uN = dN / length, uE = dE / length
                let rN = p.x - from.x, rE = p.y - from.y
                if rN * uN + rE * uE >= legSettleM { crossTrackM.add(uN * rE - uE * rN) }
            }
        case .loiter(_, let orbit):
            if output.progress.loiterCaptured {
                let rN = p.x - orbit.centerNEDM.x, rE = p.y - orbit.centerNEDM.y
                loiterRadiusM.add((rN * rN + rE * rE).squareRoot() - orbit.radiusM)
            }
        default:
            break
        }
        if output.mode == .mission, let start = missionStartS, t >= start + settleS {
            altitudeM.add(-p.z - output.setpoint.heightSetpointM)
            airspeedMps.add(vehicle.airspeedMps - output.setpoint.airspeedSetpointMps)
            effort.record(timeS: t, tecs: output.tecs, deflectionsRad: vehicle.actuators.deflectionsRad,
                          surfaceChannels: vehicle.airframe.actuators.surfaces.count)
        } else {
            effort.pause()
        }
    }

    private mutating func recordEstimator(_ nav: NavigationState, truth: RigidBodyState, positionNEDM p: Vector3) {
        let e = truth.attitude.euler
        let deg = Angle.degreesPerRadian
        rollDeg.add(Angle.wrapPi(nav.euler.rollRad - e.rollRad) * deg)
        pitchDeg.add(Angle.wrapPi(nav.euler.pitchRad - e.pitchRad) * deg)
        headingDeg.add(Angle.wrapPi(nav.euler.yawRad - e.yawRad) * deg)
        let dp = nav.positionNEDM - p
        horizontalPositionM.add((dp.x * dp.x + dp.y * dp.y).squareRoot())
        heightM.add(nav.heightAboveOriginM + p.z)
        velocityMps.add((nav.velocityNEDMps - truth.velocityNEDMps).norm)
    }
}
