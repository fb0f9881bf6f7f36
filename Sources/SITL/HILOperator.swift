import MAVLink
import Mission

/// The scenario's operator script (`[operator]`) on a HIL rig (`kestrel sim SCENARIO --hil-serve … --operator-link`):
/// the simulator is also the ground station, on the board's own ground link, and does what the script says as a
/// person at QGroundControl would: it arms the board (retrying each second until its heartbeat says armed), asks for
/// the terminal phase, answers the gate's TERMINAL_APPROVAL_REQUEST with Ed25519 approvals signed by the script's
/// test keys (and misbehaves where the script says so), waves off, holds, returns to launch, and goes silent in the
/// script's link-loss windows. The board decides everything: its gate checks every approval as in flight, and it
/// authorises these keys only because they are in its operators file (`Scenarios/hil/test-operators.pub`), which a
/// vehicle that really flies refuses.
///
/// The script's times are plant time; `below_height_m` is judged on the plant's truth (the person sees the vehicle).
/// Not for the flight path: it allocates when reporting.
public final class HILOperator {
    public struct Counters: Equatable, Sendable {
        public var armRequests = 0
        public var terminalRequests = 0
        public var approvalsSent = 0
        public var modeCommands = 0
        public var requestsSeen = 0
    }

    public private(set) var counters = Counters()
    /// The vehicle's flight modes as its heartbeats reported them, in order (no repeats).
    public private(set) var modesSeen: [KestrelFlightMode] = []
    /// The gate's states as TERMINAL_STATUS reported them, in order (no repeats).
    public private(set) var gateStatesSeen: [KestrelTerminalGateState] = []

    private var script: ScriptedOperator
    private let session: OperatorLinkSession
    public let armAtUs: UInt64?
    private var vehicle: (systemID: UInt8, componentID: UInt8)?
    private var armed = false
    private var armedOnce = false
    private var nextArmUs: UInt64 = 0
    private var latestRequest: ApprovalRequest?
    private var lastRejectionCount: UInt32 = 0
    private var nextPollUs: UInt64 = 0
    static let pollPeriodUs: UInt64 = 20_000
    static let armRetryUs: UInt64 = 1_000_000

    /// `armAtUs`: plant time from which to arm the board; nil: someone else arms it.
    public init(script: ScriptedOperator, session: OperatorLinkSession, armAtUs: UInt64?) {
        self.script = script
        self.session = session
        self.armAtUs = armAtUs
    }

    /// What the operator did and saw, for the end of the run.
    public var summary: String {
        let c = counters
        return "operator: \(c.armRequests) arm request(s), \(c.terminalRequests) terminal request(s), "
            + "\(c.approvalsSent) signed approval(s) or wave-off(s) sent, \(c.modeCommands) hold/return command(s); "
            + "\(c.requestsSeen) approval request(s) seen\n"
            + "operator: vehicle modes "
            + (modesSeen.isEmpty ? "none heard" : modesSeen.map { "\($0)" }.joined(separator: " → ")) + "\n"
            + "operator: gate "
            + (gateStatesSeen.isEmpty ? "none heard" : gateStatesSeen.map { "\($0)" }.joined(separator: " → "))
    }

    /// Reads the link and acts, at most every 20 ms of plant time. `wallUs` paces heartbeats; `unixTimeUs` dates
    /// signatures; `say` gets a line for everything the operator sees or does.
    public func poll(plantUs: UInt64, heightM: Double, wallUs: UInt64, unixTimeUs: UInt64, say: (String) -> Void) {
        guard plantUs >= nextPollUs else { return }
        nextPollUs = plantUs &+ Self.pollPeriodUs
        // In a link-loss window the ground station is silent and hears nothing (the frames wait in the socket).
        guard script.linkUp(nowUs: plantUs) else { return }
        let t = "operator: t \(HILServe.f1(Double(plantUs) * 1e-6)) s:"
        session.poll(nowUs: wallUs, unixTimeUs: unixTimeUs) { event in handle(event, prefix: t, say: say) }
        guard let vehicle else { return }

        if let armAtUs, !armedOnce, plantUs >= armAtUs, plantUs >= nextArmUs {
            nextArmUs = plantUs &+ Self.armRetryUs
            counters.armRequests += 1
            session.arm(targetSystem: vehicle.systemID, targetComponent: vehicle.componentID, nowUs: wallUs,
                        unixTimeUs: unixTimeUs)
            if counters.armRequests == 1 { say("\(t) arm (retried each second until the board reports armed)") }
        }
        let mode = modesSeen.last.map(Self.scriptMode) ?? .disarmed
        for command in script.poll(nowUs: plantUs, mode: mode, heightM: heightM, pendingRequest: latestRequest) {
            send(command, to: vehicle, prefix: t, wallUs: wallUs, unixTimeUs: unixTimeUs, say: say)
        }
    }

    private func handle(_ event: OperatorLinkSession.Event, prefix t: String, say: (String) -> Void) {
        switch event {
        case .heartbeat(let hb, let systemID, let componentID):
            if vehicle == nil {
                vehicle = (systemID, componentID)
                say("\(t) hearing the vehicle (system \(systemID), component \(componentID))")
            }
            guard vehicle?.systemID == systemID else { return }
            let nowArmed = hb.baseMode.contains(.safetyArmed)
            if nowArmed != armed { say("\(t) vehicle \(nowArmed ? "armed" : "disarmed")") }
            armed = nowArmed
            armedOnce = armedOnce || nowArmed
            let mode = KestrelFlightMode(rawValue: hb.customMode)
            if modesSeen.last != mode {
                say("\(t) vehicle mode \(modesSeen.last.map { "\($0)" } ?? "-") → \(mode)")
                modesSeen.append(mode)
            }
        case .request(let m, let systemID, _):
            guard systemID == vehicle?.systemID else { return }
            guard let point = try? DesignatedPoint(latitudeE7: m.lat, longitudeE7: m.lon, altitudeMm: m.alt) else {
                say("\(t) a request with an impossible designated point: ignored")
                return
            }
            let nonce = LinkNonce(m.nonce)
            let request = ApprovalRequest(
                nonce: ApprovalNonce(low: nonce.low, high: nonce.high), vehicleID: VehicleID(m.vehicleId),
                point: point, issuedUs: m.issuedUs, expiresUs: m.expiryUs, sequence: m.sequence)
            if request != latestRequest {
                counters.requestsSeen += 1
                say("\(t) approval request #\(m.sequence) for the point \(Self.degrees(point.latitudeE7))°, "
                    + "\(Self.degrees(point.longitudeE7))°, expires in "
                    + "\(HILServe.f1(Double(m.expiryUs &- m.gateTimeUs) * 1e-6)) s")
            }
            latestRequest = request
        case .status(let s, let systemID, _):
            guard systemID == vehicle?.systemID else { return }
            if s.rejectionCount != lastRejectionCount {
                lastRejectionCount = s.rejectionCount
                say("\(t) gate refused: "
                    + (GateRejection(rawValue: s.lastRejection.rawValue).map { "\($0)" } ?? "\(s.lastRejection.rawValue)"))
            }
            guard gateStatesSeen.last != s.gateState else { return }
            say("\(t) gate \(gateStatesSeen.last.map { "\($0)" } ?? "-") → \(s.gateState)")
            gateStatesSeen.append(s.gateState)
        case .commandAck(let ack, _):
            guard ack.result != .accepted, ack.result != .inProgress else { return }
            say("\(t) \(Self.commandName(ack.command)) refused (MAV_RESULT \(ack.result.rawValue))")
        case .statusText(let text, let severity, let systemID):
            // Notices and worse (refusals, warnings); the 1 Hz timing lines are info.
            guard systemID == vehicle?.systemID, severity.rawValue <= MAVSeverity.notice.rawValue else { return }
            say("\(t) vehicle says: \(text)")
        case .autopilotVersion:
            break
        }
    }

    private func send(_ command: OperatorCommand, to v: (systemID: UInt8, componentID: UInt8), prefix t: String,
                      wallUs: UInt64, unixTimeUs: UInt64, say: (String) -> Void) {
        switch command {
        case .requestTerminal:
            counters.terminalRequests += 1
            session.requestTerminal(targetSystem: v.systemID, targetComponent: v.componentID, confirmation: 0,
                                    nowUs: wallUs, unixTimeUs: unixTimeUs)
            say("\(t) request the terminal phase")
        case .holdHere:
            counters.modeCommands += 1
            session.setMode(.loiter, targetSystem: v.systemID, targetComponent: v.componentID, nowUs: wallUs,
                            unixTimeUs: unixTimeUs)
            say("\(t) hold here (loiter)")
        case .returnToLaunch:
            counters.modeCommands += 1
            session.returnToLaunch(targetSystem: v.systemID, targetComponent: v.componentID, nowUs: wallUs,
                                   unixTimeUs: unixTimeUs)
            say("\(t) return to launch")
        case .approval(let a):
            let nonce = LinkNonce(low: a.nonce.low, high: a.nonce.high)
            let wire = TerminalApproval(
                targetSystem: v.systemID, targetComponent: v.componentID, nonce: nonce.mavArray,
                vehicleId: a.vehicleID.rawValue, lat: a.point.latitudeE7, lon: a.point.longitudeE7,
                alt: a.point.altitudeMm, expiryUs: a.expiresUs, decision: a.decision == .approve ? .approve : .waveOff,
                operatorKeyId: MAVArray(a.keyID.bytes), signature: MAVArray(a.signature.bytes))
            if session.send(wire, nowUs: wallUs, unixTimeUs: unixTimeUs) { counters.approvalsSent += 1 }
            say("\(t) send a signed \(a.decision) by key \(a.keyID)")
        case .arm, .disarm, .startMission, .holdAt:
            break  // a script has no such actions
        }
    }

    /// Degrees × 10⁷ as decimal degrees, exactly (no floating point).
    static func degrees(_ e7: Int32) -> String {
        let magnitude = abs(Int(e7))
        let fraction = String(magnitude % 10_000_000)
        return (e7 < 0 ? "-" : "") + "\(magnitude / 10_000_000)."
            + String(repeating: "0", count: 7 - fraction.count) + fraction
    }

    static func commandName(_ c: MAVCmd) -> String {
        switch c {
        case .componentArmDisarm: "arm"
        case .doSetMode: "hold (set mode)"
        case .navReturnToLaunch: "return to launch"
        case .kestrelRequestTerminal: "request terminal"
        default: "command \(c.rawValue)"
        }
    }

    /// The script's view of the mode: only the terminal phase matters to it (`below_height_m`).
    static func scriptMode(_ mode: KestrelFlightMode) -> FlightMode {
        switch mode {
        case .terminal: .terminal
        case .waveOff: .waveOff
        case .loiter: .loiter
        case .mission: .mission
        case .returnToLaunch: .returnToLaunch
        case .launch: .launch
        default: .standby
        }
    }
}
