import FlightMath

/// Return to launch: a straight leg from where RTL was engaged to home at the RTL height (home height plus
/// `GuidanceConfig.rtlAltitudeM`), then an unlimited orbit over home at that height.
public struct ReturnToLaunch: Sendable {
    public enum Phase: UInt8, Sendable {
        case returning = 0
        case loitering = 1
    }

    public var config: GuidanceConfig
    public let homeNEDM: Vector3
    public private(set) var phase = Phase.returning
    private var start: NE?
    private var loiter: LoiterController

    public init(config: GuidanceConfig, homeNEDM: Vector3, direction: OrbitDirection = .clockwise) {
        self.config = config
        self.homeNEDM = homeNEDM
        let orbitCenter = Vector3(homeNEDM.x, homeNEDM.y, homeNEDM.z - config.rtlAltitudeM)
        loiter = LoiterController(config: config, orbit: LoiterOrbit(centerNEDM: orbitCenter,
                                                                     radiusM: config.loiterRadiusM,
                                                                     direction: direction))
    }

    /// Height setpoint of the whole return, up-positive.
    public var rtlHeightM: Double { -homeNEDM.z + config.rtlAltitudeM }
    public var loiterStatus: LoiterStatus { loiter.status }

    public mutating func step(state: GuidanceState, dtS: Double) -> GuidanceSetpoint {
        let position = NE(state.positionNEDM)
        let home = NE(homeNEDM)
        if start == nil { start = position }
        if phase == .returning && (home - position).norm <= config.loiterRadiusM { phase = .loitering }
        if phase == .loitering {
            return loiter.step(state: state, dtS: dtS, mode: .returnToLaunch)
        }
        let path = PathSample.line(from: start ?? position, to: home, position: position)
        let lateral = NPFG(config: config).guide(state: state, path: path)
        return GuidanceSetpoint(
            rollSetpointRad: lateral.rollSetpointRad, heightSetpointM: rtlHeightM,
            airspeedSetpointMps: config.cruiseAirspeedMps, courseSetpointRad: lateral.courseSetpointRad,
            crossTrackErrorM: lateral.trackErrorM, lateralAccelerationMps2: lateral.lateralAccelerationMps2,
            bearingFeasibility: lateral.bearingFeasibility, mode: .returnToLaunch,
            distanceToGoM: (home - position).norm, legIndex: 0)
    }
}
