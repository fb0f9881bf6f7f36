import FlightMath
import MAVLink
import Mission
import Vehicle

extension VehicleSnapshot {
    /// What a ground link reports of the vehicle, from what the flight stack itself knows (no plant truth, as
    /// aboard a real vehicle): one builder for the SITL link and for `kestrel fly`'s real-time thread, where it runs
    /// at the snapshot rate. Holds no references, so it crosses threads by value; allocation-free.
    ///
    /// - Parameter loadFraction: share of the tick period the last tick used, when the caller measures it.
    package init(stack: FlightStack, nowUs: UInt64, loadFraction: Double = 0) {
        self.init()
        vehicleTimeUs = nowUs
        let n = stack.navigation
        flightMode = Self.linkMode(stack.mode)
        armed = stack.machine?.isArmed ?? false
        systemState = stack.inFlight ? .active : .standby
        landedState = stack.inFlight ? .inAir : .onGround
        attitude = n.euler
        bodyRatesFRDRadps = n.angularRateFRDRadps
        position = n.geodetic
        velocityNEDMps = n.velocityNEDMps
        airspeedMps = stack.airspeedMps
        throttleFraction = stack.throttleSetpoint
        // A receiver is fitted, so "no fix" rather than "no GPS" until it has delivered one.
        gpsFixType = .noFix
        if let fix = stack.lastGPSFix {
            gpsFixType = switch fix.fixType {
            case .none: .noFix
            case .fix2D: .type2dFix
            case .fix3D: .type3dFix
            }
            gpsPosition = fix.position
            gpsHorizontalAccuracyM = fix.horizontalAccuracyM
            gpsVerticalAccuracyM = fix.verticalAccuracyM
            let v = fix.velocityNEDMps
            gpsGroundSpeedMps = (v.x * v.x + v.y * v.y).squareRoot()
            gpsCourseRad = Double.atan2(y: v.y, x: v.x)
            gpsSatellitesUsed = fix.satellitesUsed
        }
        if stack.batteryVoltageV.isFinite { batteryVoltageV = stack.batteryVoltageV }
        self.loadFraction = min(max(loadFraction, 0), 1)
        home = stack.machine?.plan.home
        if n.phase == .navigating { navigationOrigin = n.origin }
        currentMissionItem = stack.sequencer?.currentIndex ?? 0
        lastReachedMissionItem = stack.lastReachedItem
        if let m = stack.machine {
            gate = LinkGateStatus(gate: m.gate)
            pendingApprovalRequest = m.pendingRequest.map(LinkApprovalRequest.init)
        }
        // The gate's own clock (UTC from GPS), so requests are judged and stamped in the base their expiry is in;
        // the GPS-disciplined clock until the gate has seen a time, 0 while the vehicle has no UTC at all.
        let gateNowUs = stack.machine?.gate.nowUs ?? 0
        gateClockUs = gateNowUs > 0 ? gateNowUs : stack.utcClock.utcUs(atVehicleUs: nowUs) ?? 0
    }

    /// The dialect's modes are coarser than the mode machine's: standby (armed on the launcher) reports preflight
    /// with the armed flag, approval-pending and the no-position failsafe orbit report loiter.
    static func linkMode(_ mode: FlightMode) -> KestrelFlightMode {
        switch mode {
        case .disarmed, .standby: .preflight
        case .launch: .launch
        case .mission: .mission
        case .loiter, .approvalPending, .failsafe: .loiter
        case .terminal: .terminal
        case .waveOff: .waveOff
        case .returnToLaunch: .returnToLaunch
        }
    }
}
