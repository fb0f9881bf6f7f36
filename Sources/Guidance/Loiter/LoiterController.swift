import FlightMath
import RealModule

/// Tracks an orbit with the path follower (the circle is the path, so the wind is flown out, not just the heading
/// held) and counts turns and time on it.
public struct LoiterController: Sendable {
    public var config: GuidanceConfig
    public private(set) var orbit: LoiterOrbit
    public private(set) var status = LoiterStatus()
    private var lastAngleRad: Double?
    private var accumulatedAngleRad = 0.0

    public init(config: GuidanceConfig, orbit: LoiterOrbit) {
        self.config = config
        self.orbit = orbit
    }

    /// A new orbit: counting starts again.
    public mutating func start(_ orbit: LoiterOrbit) {
        self.orbit = orbit
        status = LoiterStatus()
        lastAngleRad = nil
        accumulatedAngleRad = 0
    }

    public mutating func step(state: GuidanceState, dtS: Double, mode: GuidanceMode = .loiter) -> GuidanceSetpoint {
        let radius = orbit.radiusM.isFinite ? max(orbit.radiusM, 1) : config.loiterRadiusM
        let center = NE(orbit.centerNEDM)
        let position = NE(state.positionNEDM)
        let path = PathSample.circle(center: center, radiusM: radius, direction: orbit.direction, position: position)
        let lateral = NPFG(config: config).guide(state: state, path: path)

        let offset = position - center
        status.radiusErrorM = offset.norm - radius
        let captureDistance = max(config.loiterCaptureM, 0.1 * radius)
        if !status.captured && abs(status.radiusErrorM) <= captureDistance { status.captured = true }
        let angle = offset.bearingRad
        if status.captured {
            if let last = lastAngleRad {
                accumulatedAngleRad += Angle.wrapPi(angle - last) * orbit.direction.sign
            }
            lastAngleRad = angle
            if dtS > 0, dtS.isFinite { status.secondsOnOrbit += dtS }
            status.turnsCompleted = max(accumulatedAngleRad, 0) / (2 * Double.pi)
        }
        switch orbit.exit {
        case .unlimited: status.exitReached = false
        case .turns(let n): status.exitReached = status.captured && status.turnsCompleted >= n
        case .time(let seconds): status.exitReached = status.captured && status.secondsOnOrbit >= seconds
        }

        return GuidanceSetpoint(
            rollSetpointRad: lateral.rollSetpointRad, heightSetpointM: -orbit.centerNEDM.z,
            airspeedSetpointMps: orbit.airspeedMps ?? config.cruiseAirspeedMps,
            courseSetpointRad: lateral.courseSetpointRad, crossTrackErrorM: lateral.trackErrorM,
            lateralAccelerationMps2: lateral.lateralAccelerationMps2, bearingFeasibility: lateral.bearingFeasibility,
            mode: mode, distanceToGoM: 0, legIndex: 0)
    }
}
