import FlightMath

/// Lateral and vertical setpoints along an `ApproachGeometry`: the path follower on the start → target line and the
/// profile's height. Whether the approach may be flown at all is decided elsewhere (the approval gate).
public struct ApproachGuidance: Sendable {
    public var config: GuidanceConfig
    public let geometry: ApproachGeometry

    public init(config: GuidanceConfig, geometry: ApproachGeometry) {
        self.config = config
        self.geometry = geometry
    }

    public func step(state: GuidanceState) -> GuidanceSetpoint {
        let position = NE(state.positionNEDM)
        let path = PathSample.line(from: NE(geometry.startNEDM), to: NE(geometry.targetNEDM), position: position)
        let lateral = NPFG(config: config).guide(state: state, path: path)
        return GuidanceSetpoint(
            rollSetpointRad: lateral.rollSetpointRad,
            heightSetpointM: geometry.heightSetpointM(positionNEDM: state.positionNEDM),
            airspeedSetpointMps: config.approachAirspeedMps, courseSetpointRad: lateral.courseSetpointRad,
            crossTrackErrorM: lateral.trackErrorM, lateralAccelerationMps2: lateral.lateralAccelerationMps2,
            bearingFeasibility: lateral.bearingFeasibility, mode: .approach,
            distanceToGoM: geometry.distanceToTargetM(positionNEDM: state.positionNEDM), legIndex: 0)
    }
}
