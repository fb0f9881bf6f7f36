import FlightMath

/// Flies a waypoint list as straight legs between NED points: the first leg starts where the vehicle is when
/// following (re)starts, each later one at the previous waypoint. A leg ends when the vehicle comes within the
/// acceptance radius of its waypoint, passes abeam of it, or — with turn anticipation — reaches the point where a
/// turn at the roll limit joins the next leg. After the last waypoint the vehicle orbits it.
public struct WaypointFollower: Sendable {
    public var config: GuidanceConfig
    /// Index of the waypoint being flown to.
    public private(set) var targetIndex = 0
    public private(set) var missionComplete = false
    private var legStart: NE?

    public init(config: GuidanceConfig) { self.config = config }

    /// Start (again) with the leg to waypoint `index`. The leg begins at `legStartNEDM` when given (for example
    /// the previous waypoint, to rejoin the planned line), otherwise at the vehicle's position on the next step.
    public mutating func restart(atWaypoint index: Int = 0, legStartNEDM: Vector3? = nil) {
        targetIndex = max(index, 0)
        missionComplete = false
        legStart = legStartNEDM.map { NE($0) }
    }

    public mutating func step(state: GuidanceState, waypoints: WaypointList) -> GuidanceSetpoint {
        let position = NE(state.positionNEDM)
        guard var target = waypoints[safe: targetIndex] else {
            // Nothing (left) to fly: orbit the last waypoint, or the current position if there is none.
            missionComplete = true
            let last = waypoints[safe: waypoints.count - 1]
            let center = last?.positionNEDM ?? state.positionNEDM
            return orbitSetpoint(state: state, center: center, airspeedMps: last?.airspeedMps,
                                 legIndex: max(waypoints.count - 1, 0))
        }
        if legStart == nil { legStart = position }
        var start = legStart ?? position

        if shouldSwitch(from: start, to: target, next: waypoints[safe: targetIndex + 1], state: state) {
            if let next = waypoints[safe: targetIndex + 1] {
                targetIndex += 1
                start = NE(target.positionNEDM)
                legStart = start
                target = next
            } else {
                missionComplete = true
                targetIndex = waypoints.count
                return orbitSetpoint(state: state, center: target.positionNEDM, airspeedMps: target.airspeedMps,
                                     legIndex: waypoints.count - 1)
            }
        }

        let end = NE(target.positionNEDM)
        let path = PathSample.line(from: start, to: end, position: position)
        let lateral = NPFG(config: config).guide(state: state, path: path)
        return GuidanceSetpoint(
            rollSetpointRad: lateral.rollSetpointRad, heightSetpointM: -target.positionNEDM.z,
            airspeedSetpointMps: target.airspeedMps ?? config.cruiseAirspeedMps,
            courseSetpointRad: lateral.courseSetpointRad, crossTrackErrorM: lateral.trackErrorM,
            lateralAccelerationMps2: lateral.lateralAccelerationMps2, bearingFeasibility: lateral.bearingFeasibility,
            mode: .waypoints, distanceToGoM: (end - position).norm, legIndex: targetIndex)
    }

    private func shouldSwitch(from start: NE, to target: Waypoint, next: Waypoint?, state: GuidanceState) -> Bool {
        let position = NE(state.positionNEDM)
        let end = NE(target.positionNEDM)
        if (end - position).norm <= (target.acceptanceRadiusM ?? config.acceptanceRadiusM) { return true }
        let direction = (end - start).normalized
        guard direction != .zero else { return false }
        let remainingAlongTrackM = (end - position).dot(direction)
        if remainingAlongTrackM <= 0 { return true }
        guard config.turnAnticipation, let next else { return false }
        let speed = max(NE(state.velocityNEDMps).norm, state.airspeedMps.isFinite ? state.airspeedMps : 0)
        let lead = TurnAnticipation.switchDistanceM(incoming: end - start, outgoing: NE(next.positionNEDM) - end,
                                                    turnRadiusM: config.turnRadiusM(speedMps: speed))
        return remainingAlongTrackM <= min(lead, (end - start).norm)
    }

    private func orbitSetpoint(state: GuidanceState, center: Vector3, airspeedMps: Double?,
                               legIndex: Int) -> GuidanceSetpoint {
        let path = PathSample.circle(center: NE(center), radiusM: config.loiterRadiusM, direction: .clockwise,
                                     position: NE(state.positionNEDM))
        let lateral = NPFG(config: config).guide(state: state, path: path)
        return GuidanceSetpoint(
            rollSetpointRad: lateral.rollSetpointRad, heightSetpointM: -center.z,
            airspeedSetpointMps: airspeedMps ?? config.cruiseAirspeedMps, courseSetpointRad: lateral.courseSetpointRad,
            crossTrackErrorM: lateral.trackErrorM, lateralAccelerationMps2: lateral.lateralAccelerationMps2,
            bearingFeasibility: lateral.bearingFeasibility, mode: .waypoints, distanceToGoM: 0, legIndex: legIndex)
    }
}
