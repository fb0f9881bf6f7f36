import FlightMath
import MAVLink
import Mission

/// The ground link's view of the flight stack, taken on the real-time thread and handed to the telemetry thread
/// by value (`VehicleSnapshot` holds no references). Built the way `SITLVehicleLink` builds its snapshot, from
/// what the flight stack itself knows (no plant truth aboard a real vehicle).
enum FlightSnapshot {
    /// `loadFraction`: share of the tick period the last tick used.
    static func make(_ stack: FlightStack, nowUs: UInt64, loadFraction: Double) -> VehicleSnapshot {
        let n = stack.navigation
        var s = VehicleSnapshot()
        s.flightMode = SITLVehicleLink.linkMode(stack.mode)
        s.armed = stack.machine?.isArmed ?? false
        s.systemState = stack.inFlight ? .active : .standby
        s.landedState = stack.inFlight ? .inAir : .onGround
        s.attitude = n.euler
        s.bodyRatesFRDRadps = n.angularRateFRDRadps
        s.position = n.geodetic
        s.velocityNEDMps = n.velocityNEDMps
        s.airspeedMps = stack.airspeedMps
        s.throttleFraction = stack.throttleSetpoint
        // A receiver is always fitted: "no fix" until it has delivered one, then the filter's verdict on it.
        let gps = stack.filter.health.gps
        s.gpsFixType = stack.sensors.counters.gpsFixes == 0 ? .noFix : gps.condition == .failed ? .noFix : .type3dFix
        if stack.batteryVoltageV.isFinite { s.batteryVoltageV = stack.batteryVoltageV }
        s.loadFraction = min(max(loadFraction, 0), 1)
        s.home = stack.machine?.plan.home
        s.currentMissionItem = stack.sequencer?.currentIndex ?? 0
        s.lastReachedMissionItem = stack.lastReachedItem
        if let m = stack.machine {
            let gate = m.gate
            s.gate = LinkGateStatus(
                state: KestrelTerminalGateState(rawValue: gate.state.kind.rawValue), lastRejection: .none,
                activeFailures: KestrelTerminalFailure(rawValue: gate.activeFailures.bits),
                sequence: gate.lastRequest?.sequence ?? 0,
                nonce: gate.state.request.map { LinkNonce(low: $0.nonce.low, high: $0.nonce.high) } ?? .zero)
            s.pendingApprovalRequest = m.pendingRequest.map { r in
                LinkApprovalRequest(
                    nonce: LinkNonce(low: r.nonce.low, high: r.nonce.high), vehicleID: r.vehicleID.rawValue,
                    latitudeE7: r.point.latitudeE7, longitudeE7: r.point.longitudeE7, altitudeMm: r.point.altitudeMm,
                    issuedUs: r.issuedUs, expiresUs: r.expiresUs, sequence: r.sequence)
            }
        }
        s.gateClockUs = nowUs
        return s
    }
}

/// Operator requests as the flight stack takes them, on the real-time thread. The mapping is the one
/// `SITLVehicleLink` uses, so SITL and flight accept and refuse the same commands.
enum OperatorRequestHandling {
    /// Applies a mission change from the ground (see `MissionHandoff`).
    static func handle(_ change: MissionHandoff, stack: inout FlightStack) -> OperatorReply {
        let refusal = change.file.map { stack.replaceMission($0, source: "uploaded mission") } ?? stack.clearMission()
        return OperatorReply(sequence: change.sequence, result: refusal == nil ? .accepted : .denied, refusal: refusal)
    }

    static func handle(_ request: OperatorRequest, stack: inout FlightStack, nowUs: UInt64) -> OperatorReply {
        switch request.kind {
        case .command(let command):
            var heightNote = false
            switch LinkCommandMapping.operatorCommand(command, stack: stack, heightNote: &heightNote) {
            case .refused(let result, let reason):
                return OperatorReply(sequence: request.sequence, result: result, refusal: "\(reason)")
            case .command(let operatorCommand):
                guard let refusal = stack.handle(operatorCommand, nowUs: nowUs) else {
                    return OperatorReply(sequence: request.sequence, result: .accepted,
                                         refusal: heightNote ? "reposition: keeping the current height" : nil)
                }
                return OperatorReply(sequence: request.sequence, result: .denied, refusal: refusal)
            }
        case .setCurrentMissionItem(let index):
            return OperatorReply(sequence: request.sequence,
                                 result: stack.setCurrentMissionItem(index) ? .accepted : .denied)
        case .approval(let approval):
            guard let mapped = try? Approval(link: approval) else {
                return OperatorReply(sequence: request.sequence, result: .denied,
                                     refusal: "approval: designated point out of range")
            }
            guard let refusal = stack.handle(.approval(mapped), nowUs: nowUs) else {
                return OperatorReply(sequence: request.sequence, result: .accepted)
            }
            return OperatorReply(sequence: request.sequence, result: .denied, refusal: "approval: " + refusal)
        }
    }
}
