import FlightMath
import MAVLink

/// A protocol-only vehicle: it stores missions and parameters, obeys commands by changing its reported mode and
/// arming state, and keeps a pretend approval gate, so ground-station tools can exercise the link. It does not fly.
final class InMemoryVehicle: VehicleLinkModel {
    var mission: [LinkMissionItem] = []
    var currentItem = 0
    var parameters: [LinkParameter] = []
    var mode = KestrelFlightMode.preflight
    var armed = false
    var gate = LinkGateStatus()
    var pendingRequest: LinkApprovalRequest?
    var statusTexts: [LinkStatusText] = []
    var commandsPerformed: [VehicleCommand] = []
    var approvalsReceived: [LinkApproval] = []
    let home = Geodetic(latitudeDeg: 47.397742, longitudeDeg: 8.545594, altitudeM: 488 + 47.5)

    init() {
        func param(_ name: String, _ value: Double, _ type: MAVParamType) -> LinkParameter? {
            ParameterID(name).map { LinkParameter(id: $0, value: value, type: type) }
        }
        parameters = [
            param("FW_AIRSPD_TRIM", 16, .real32), param("FW_AIRSPD_MIN", 11, .real32),
            param("FW_AIRSPD_MAX", 25, .real32), param("LOITER_RAD_M", 80, .real32),
            param("RTL_ALT_M", 120, .real32), param("LINK_LOSS_S", 10, .int32),
            param("GATE_EXPIRY_S", 30, .int32), param("TERM_FLOOR_M", 35, .real32),
        ].compactMap { $0 }
    }

    func snapshot(nowUs: UInt64) -> VehicleSnapshot {
        var s = VehicleSnapshot()
        s.flightMode = mode
        s.armed = armed
        s.systemState = armed ? .active : .standby
        s.landedState = .onGround
        s.positionFrame = LocalFrame(origin: home)  // at home: NED (0, 0, 0)
        s.geoidHeightM = 47.5
        s.home = home
        s.gpsFixType = GPSFixType(rawValue: 3)
        s.gpsPosition = home
        s.gpsSatellitesUsed = 12
        s.gpsHorizontalAccuracyM = 1.2
        s.gpsVerticalAccuracyM = 2.0
        s.batteryVoltageV = 12.4
        s.batteryCurrentA = 0.8
        s.batteryRemainingFraction = 0.9
        s.currentMissionItem = currentItem
        s.missionState = mission.isEmpty ? .noMission : .notStarted
        s.gate = gate
        s.pendingApprovalRequest = pendingRequest
        s.gateClockUs = nowUs
        return s
    }

    var missionItemCount: Int { mission.count }

    func missionItem(at index: Int) -> LinkMissionItem? {
        index >= 0 && index < mission.count ? mission[index] : nil
    }

    func replaceMission(with items: [LinkMissionItem]) -> MissionRefusal? {
        if items.filter({ $0.kind == .designation }).count > 1 {
            return MissionRefusal(result: .mavMissionInvalid, reason: "more than one designation")
        }
        mission = items
        currentItem = 0
        statusTexts.append(LinkStatusText(severity: .info, text: "mission of \(items.count) items stored"))
        return nil
    }

    func clearMission() -> MissionRefusal? {
        mission = []
        currentItem = 0
        return nil
    }

    func setCurrentMissionItem(_ index: Int) -> Bool {
        guard index >= 0, index < mission.count else { return false }
        currentItem = index
        return true
    }

    var parameterCount: Int { parameters.count }

    func parameter(at index: Int) -> LinkParameter? {
        index >= 0 && index < parameters.count ? parameters[index] : nil
    }

    func parameterIndex(of id: ParameterID) -> Int? { parameters.firstIndex { $0.id == id } }

    func setParameter(at index: Int, to value: Double) -> ParameterSetOutcome {
        guard index >= 0, index < parameters.count else { return .refused(reason: "no such parameter") }
        guard value >= 0 else { return .refused(reason: "must not be negative") }
        parameters[index].value = value
        return .accepted(value: value)
    }

    func perform(_ command: VehicleCommand, nowUs: UInt64) -> MAVResult {
        commandsPerformed.append(command)
        switch command {
        case .arm: armed = true
        case .disarm: armed = false
        case let .setMode(newMode): mode = newMode
        case .returnToLaunch: mode = .returnToLaunch
        case .reposition: mode = .loiter
        case .requestTerminal:
            // The pretend gate issues a request only while loitering, as the real one needs a loiter.
            guard mode == .loiter, pendingRequest == nil else { return .denied }
            openApprovalRequest(nowUs: nowUs, lifetimeUs: 60_000_000)
        }
        return .accepted
    }

    /// The pretend gate: an answer to the pending request that quotes its nonce moves the gate; anything else is
    /// rejected with the reason the real gate would give first. (No Ed25519 here: the real gate is the mission
    /// layer's.)
    func receive(_ approval: LinkApproval, nowUs: UInt64) {
        approvalsReceived.append(approval)
        guard let request = pendingRequest else {
            gate.lastRejection = .notPending
            gate.rejectionCount &+= 1
            return
        }
        guard approval.nonce == request.nonce else {
            gate.lastRejection = .otherNonce
            gate.rejectionCount &+= 1
            return
        }
        guard approval.latitudeE7 == request.latitudeE7, approval.longitudeE7 == request.longitudeE7,
            approval.altitudeMm == request.altitudeMm
        else {
            gate.lastRejection = .otherDesignation
            gate.rejectionCount &+= 1
            return
        }
        pendingRequest = nil
        if approval.decision == .approve {
            gate.state = .terminal
            mode = .terminal
        } else {
            gate.state = .idle
            mode = .loiter
        }
    }

    func nextStatusText() -> LinkStatusText? {
        statusTexts.isEmpty ? nil : statusTexts.removeFirst()
    }

    /// Opens a pending request over the home position, expiring `lifetimeUs` after `nowUs`.
    func openApprovalRequest(nowUs: UInt64, lifetimeUs: UInt64) {
        let request = LinkApprovalRequest(
            nonce: LinkNonce(low: 0x0123_4567_89AB_CDEF, high: 0xFEDC_BA98_7654_3210), vehicleID: 4242,
            latitudeE7: 473_977_420, longitudeE7: 85_455_940, altitudeMm: 535_500, issuedUs: nowUs,
            expiresUs: nowUs + lifetimeUs, sequence: 1)
        pendingRequest = request
        gate.state = .pending
        gate.sequence = request.sequence
        gate.nonce = request.nonce
    }
}
