import FlightMath
import Guidance
import Mission

/// What the navigation executor asks of the control loops for one guidance step.
public struct NavigationSetpoint: Sendable, Equatable {
    public var rollSetpointRad: Double
    /// Up-positive height above home.
    public var heightSetpointM: Double
    public var airspeedSetpointMps: Double
    /// Set during the launch climb: pitch and throttle are held instead of coming from TECS.
    public var pitchOverrideRad: Double?
    public var throttleOverride: Double?
    /// No guidance (on the ground): control integrators stay frozen.
    public var active: Bool

    public static let idle = NavigationSetpoint(rollSetpointRad: 0, heightSetpointM: 0, airspeedSetpointMps: 0,
                                                pitchOverrideRad: nil, throttleOverride: nil, active: false)
}

/// Turns the mode machine's `NavigationCommand` into guidance calls and reports progress on it: straight legs with
/// the NPFG path follower, orbits with the loiter controller, return to launch, the terminal approach, the launch
/// climb (wings level at the launch pitch and throttle) and the failsafe constant-bank orbit. A new command
/// (compared by value) restarts the guidance object it uses. No allocation per step.
public struct NavigationExecutor: Sendable {
    public let config: GuidanceConfig
    public let flight: FlightSettings
    public private(set) var command = NavigationCommand.none
    public private(set) var progress = GuidanceProgress()
    /// The last guidance setpoint (for logs and figures).
    public private(set) var guidance: GuidanceSetpoint?
    private var follower: WaypointFollower
    private var leg = WaypointList()
    private var loiter: LoiterController
    private var rtl: ReturnToLaunch
    private var approach: ApproachGuidance?

    public init(config: GuidanceConfig, flight: FlightSettings) {
        self.config = config
        self.flight = flight
        follower = WaypointFollower(config: config)
        loiter = LoiterController(config: config, orbit: LoiterOrbit(centerNEDM: .zero, radiusM: config.loiterRadiusM))
        rtl = ReturnToLaunch(config: config, homeNEDM: .zero)
    }

    /// Flies `command` for one guidance step of `dtS` from the estimated `state`.
    public mutating func step(command newCommand: NavigationCommand, state: GuidanceState,
                              dtS: Double) -> NavigationSetpoint {
        if newCommand != command { begin(newCommand, state: state) }
        var p = GuidanceProgress(itemIndex: -1, positionNEDM: state.positionNEDM)
        let setpoint: NavigationSetpoint
        switch command {
        case .none:
            guidance = nil
            setpoint = .idle
        case .launch(_, let climbToHeightM):
            p.itemIndex = 0
            p.itemReached = state.heightM >= climbToHeightM - flight.launchClimbMarginM
            guidance = nil
            setpoint = NavigationSetpoint(rollSetpointRad: 0, heightSetpointM: climbToHeightM,
                                          airspeedSetpointMps: config.cruiseAirspeedMps,
                                          pitchOverrideRad: flight.launchPitchRad,
                                          throttleOverride: flight.launchThrottle, active: true)
        case .waypoint(let itemIndex, let from, let to, let acceptanceRadiusM, let next):
            let g = follower.step(state: state, waypoints: leg)
            p.itemIndex = itemIndex
            // The plan's still-air anticipation, widened for the wind the turn will fly in.
            let turn = next.map {
                TurnAnticipation.switchDistanceM(from: from, to: to, next: $0, state: state, config: config)
            } ?? 0
            p.itemReached = Self.legDone(from: from, to: to, acceptanceRadiusM: max(acceptanceRadiusM, turn),
                                         positionNEDM: state.positionNEDM) || follower.missionComplete
            p.crossTrackErrorM = g.crossTrackErrorM
            p.distanceToGoM = g.distanceToGoM
            guidance = g
            setpoint = Self.track(g)
        case .loiter(let itemIndex, _):
            let g = loiter.step(state: state, dtS: dtS)
            p.itemIndex = itemIndex
            p.loiterCaptured = loiter.status.captured
            p.loiterExitReached = loiter.status.exitReached
            p.itemReached = loiter.status.exitReached
            p.crossTrackErrorM = g.crossTrackErrorM
            guidance = g
            setpoint = Self.track(g)
        case .returnToLaunch:
            let g = rtl.step(state: state, dtS: dtS)
            p.loiterCaptured = rtl.loiterStatus.captured
            p.crossTrackErrorM = g.crossTrackErrorM
            p.distanceToGoM = g.distanceToGoM
            guidance = g
            setpoint = Self.track(g)
        case .terminalApproach:
            guard let approach else {
                guidance = nil
                setpoint = .idle
                break
            }
            let g = approach.step(state: state)
            p.crossTrackErrorM = g.crossTrackErrorM
            p.distanceToGoM = g.distanceToGoM
            guidance = g
            setpoint = Self.track(g)
        case .failsafeOrbit(let bankRad, let heightM):
            guidance = nil
            setpoint = NavigationSetpoint(rollSetpointRad: bankRad, heightSetpointM: heightM,
                                          airspeedSetpointMps: config.cruiseAirspeedMps, pitchOverrideRad: nil,
                                          throttleOverride: nil, active: true)
        }
        progress = p
        return setpoint
    }

    private mutating func begin(_ newCommand: NavigationCommand, state: GuidanceState) {
        command = newCommand
        switch newCommand {
        case .waypoint(_, let from, let to, let acceptanceRadiusM, _):
            leg.removeAll()
            // Cannot fail: one finite waypoint in an empty list; a non-finite one leaves the list empty and the
            // follower orbits where the vehicle is.
            try? leg.append(Waypoint(positionNEDM: to, acceptanceRadiusM: acceptanceRadiusM))
            follower.restart(atWaypoint: 0, legStartNEDM: from)
        case .loiter(_, let orbit):
            loiter.start(orbit)
        case .returnToLaunch(let home, let heightM):
            var c = config
            c.rtlAltitudeM = max(heightM + home.z, 1)
            rtl = ReturnToLaunch(config: c, homeNEDM: home)
        case .terminalApproach(let geometry):
            approach = ApproachGuidance(config: config, geometry: geometry)
        case .none, .launch, .failsafeOrbit:
            break
        }
    }

    private static func track(_ g: GuidanceSetpoint) -> NavigationSetpoint {
        NavigationSetpoint(rollSetpointRad: g.rollSetpointRad, heightSetpointM: g.heightSetpointM,
                           airspeedSetpointMps: g.airspeedSetpointMps, pitchOverrideRad: nil, throttleOverride: nil,
                           active: true)
    }

    /// A leg is done inside the acceptance radius of its end or once the vehicle has passed abeam of it.
    static func legDone(from: Vector3, to: Vector3, acceptanceRadiusM: Double, positionNEDM p: Vector3) -> Bool {
        let toN = to.x - p.x, toE = to.y - p.y
        if (toN * toN + toE * toE).squareRoot() <= acceptanceRadiusM { return true }
        let dN = to.x - from.x, dE = to.y - from.y
        let length = (dN * dN + dE * dE).squareRoot()
        guard length > 1e-6 else { return false }
        return (toN * dN + toE * dE) / length <= 0
    }
}
