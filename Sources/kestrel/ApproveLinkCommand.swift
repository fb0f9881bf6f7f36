import ArgumentParser
import Foundation
import MAVLink
import Mission

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Why `kestrel approve link` stopped without the outcome the operator asked for.
enum ApproveLinkError: Error, CustomStringConvertible {
    case noRequest(endpoint: String, seconds: Double, heardVehicle: Bool)
    case otherVehicle(requested: UInt64, expected: UInt64)
    /// The gate's own clock (TERMINAL_STATUS/REQUEST gate_time_us) has passed the request's expiry.
    case requestExpired(expiresUs: UInt64, gateTimeUs: UInt64)
    case declined
    case noAnswerOnInput
    case noOutcome(seconds: Double, gate: String)
    case rejected(reason: String, code: UInt8)
    case cannotSend(String)
    /// `--request`: the vehicle answered MAV_CMD_KESTREL_REQUEST_TERMINAL with something other than ACCEPTED.
    case requestRefused(result: MAVResult, reason: String?)
    case noCommandAck(seconds: Double)

    var description: String {
        switch self {
        case let .noRequest(endpoint, seconds, heard):
            "no TERMINAL_APPROVAL_REQUEST on \(endpoint) within \(String(format: "%.0f", seconds)) s"
                + (heard ? " (the vehicle is heard: is a request pending?)" : " (no vehicle heard: check --connect"
                    + " and, on a signed link, --mavlink-key)")
        case let .otherVehicle(requested, expected): "request is from vehicle \(requested), expected vehicle \(expected)"
        case let .requestExpired(expires, gate):
            "request expired \(String(format: "%.1f", (Double(gate) - Double(expires)) / 1e6)) s ago by the vehicle's "
                + "gate clock (expiry_us \(expires), gate time \(gate)); ask the vehicle for a new one"
        case .declined: "not confirmed: nothing sent"
        case .noAnswerOnInput: "no confirmation on standard input (closed): nothing sent; use --yes to skip the question"
        case let .noOutcome(seconds, gate):
            "no TERMINAL_STATUS outcome within \(String(format: "%.0f", seconds)) s after sending (gate \(gate))"
        case let .rejected(reason, code): "the vehicle's gate rejected it: \(reason) (last_rejection \(code))"
        case let .cannotSend(why): "cannot send TERMINAL_APPROVAL: \(why)"
        case let .requestRefused(result, reason):
            "the vehicle did not issue a request (MAV_RESULT \(result.rawValue))"
                + (reason.map { ": \($0)" } ?? "")
        case let .noCommandAck(seconds):
            "no COMMAND_ACK to MAV_CMD_KESTREL_REQUEST_TERMINAL within \(String(format: "%.0f", seconds)) s"
        }
    }
}

extension ApproveCommand {
    struct OverLink: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "link",
            abstract: "Answer the vehicle's terminal approval request over MAVLink: receive, confirm, sign, send.",
            discussion: """
                Listens for TERMINAL_APPROVAL_REQUEST (sending GCS heartbeats so a vehicle on udpin learns this \
                address), prints it, asks for confirmation unless --yes, signs the approval or wave-off with the \
                operator key and sends TERMINAL_APPROVAL (MAVLink-signed too with --mavlink-key), then waits for \
                TERMINAL_STATUS and prints the outcome. With --request it first asks the vehicle for the terminal \
                phase (MAV_CMD_KESTREL_REQUEST_TERMINAL) and answers the request that issues. Expiry is judged by \
                the vehicle's own gate clock as the vehicle reports it (gate_time_us), never by this computer's \
                clock. The tool listens to one vehicle only: --target-system, else the first vehicle heard; and it \
                signs only for that vehicle's id (--vehicle, else the uid of its AUTOPILOT_VERSION). Exit status 0 \
                only when the gate accepted the decision.
                """)

        @Option(help: ArgumentHelp(
            "Where the vehicle is: udpin:HOST:PORT (listen) or udpout:HOST:PORT (send to it).", valueName: "endpoint"))
        var connect: String

        @Option(help: "Operator private key file (mode 0600), from `kestrel approve keygen`.")
        var key: String

        @Option(help: "approve or wave-off.")
        var decision: DecisionArgument = .approve

        @Option(help: "Seconds to wait for the request, and again for the outcome after sending.")
        var timeoutS: Double = 60

        @Flag(help: "Do not ask for confirmation.")
        var yes = false

        @Option(help: ArgumentHelp(
            "MAVLink 2 signing key of the link (32 raw bytes or 64 hex digits, mode 0600).", valueName: "file"))
        var mavlinkKey: String?

        @Option(help: ArgumentHelp("Refuse unless the request comes from this vehicle id (default: the uid the "
                                   + "vehicle's AUTOPILOT_VERSION reports)."))
        var vehicle: UInt64?

        @Option(help: "Listen only to this MAVLink system id (default: the first vehicle heard).")
        var targetSystem: UInt8?

        @Flag(help: ArgumentHelp("Ask the vehicle for the terminal phase first (it must be loitering over its "
                                 + "designation), then answer the request it issues."))
        var request = false

        @Option(help: "This ground station's MAVLink system id.")
        var systemID: UInt8 = 255

        func validate() throws {
            guard timeoutS.isFinite, timeoutS > 0, timeoutS <= 3600 else {
                throw ValidationError("--timeout-s must be between 0 and 3600, got \(timeoutS)")
            }
            guard systemID != 0 else { throw ValidationError("--system-id must be 1...255") }
            if targetSystem == 0 { throw ValidationError("--target-system must be 1...255") }
            if request, decision == .waveOff {
                throw ValidationError("--request asks for a terminal phase to approve; a wave-off answers one already "
                                      + "pending or in progress")
            }
        }

        func run() throws {
            // Files first: a wrong key file is reported before anything touches the network.
            let operatorKey: OperatorSigningKey
            do { operatorKey = try OperatorPrivateKeyFile.load(path: key) } catch { throw UserFacingError(error) }
            var configuration = OperatorLinkSession.Configuration()
            configuration.identity = LinkIdentity(systemID: systemID, componentID: 190)
            if let mavlinkKey {
                do { configuration.signingKey = try SigningKeyFile.load(path: mavlinkKey) } catch {
                    throw UserFacingError("--mavlink-key: \(error)")
                }
            }
            let transport: UDPTransport
            do {
                let endpoint = try LinkEndpoint(parsing: connect)
                if case .serial = endpoint { throw UserFacingError("--connect \(connect): only udpin/udpout here") }
                transport = try UDPTransport(endpoint: endpoint)
            } catch let error as UserFacingError { throw error } catch { throw UserFacingError("--connect: \(error)") }
            let session = OperatorLinkSession(configuration: configuration, transport: transport)
            var watch = GateWatch(session: session, pinnedSystem: targetSystem)
            do {
                try runSession(&watch, operatorKey: operatorKey)
            } catch { throw UserFacingError(error) }
        }

        private func runSession(_ watch: inout GateWatch, operatorKey: OperatorSigningKey) throws(ApproveLinkError) {
            // 1. The request (asked for first with --request).
            let timeoutUs = UInt64(timeoutS * 1e6)
            if request { try askForTerminal(&watch, timeoutUs: timeoutUs) }
            let waitStart = MonotonicClock.nowUs()
            var found: GateWatch.Request?
            while found == nil {
                watch.poll()
                // Sign only for the vehicle this tool listens to: its id from --vehicle, else its AUTOPILOT_VERSION.
                if let r = watch.request, let expected = vehicle ?? watch.vehicleUID(nowUs: MonotonicClock.nowUs()) {
                    guard r.message.vehicleId == expected else {
                        throw .otherVehicle(requested: r.message.vehicleId, expected: expected)
                    }
                    found = r
                }
                if found == nil, decision == .waveOff { found = watch.terminalInProgress(nowUs: MonotonicClock.nowUs()) }
                if found == nil {
                    guard MonotonicClock.nowUs() - waitStart < timeoutUs else {
                        throw .noRequest(endpoint: connect, seconds: timeoutS, heardVehicle: watch.vehicleHeard)
                    }
                    MonotonicClock.sleep(us: 20_000)
                }
            }
            guard let request = found else { return }
            // The gate's status before we answer is the baseline an outcome is judged against (1 Hz stream).
            let statusWait = MonotonicClock.nowUs()
            while watch.status == nil, MonotonicClock.nowUs() - statusWait < 3_000_000 {
                watch.poll()
                MonotonicClock.sleep(us: 20_000)
            }
            print(describe(request, gateTimeUs: watch.gateTimeUs))
            try checkExpiry(request.message, watch: watch)

            // 2. Confirmation (the link keeps being served while the operator decides).
            if !yes {
                print("\(decision == .approve ? "Approve the terminal approach" : "Wave off") for vehicle "
                      + "\(request.message.vehicleId)? Type 'yes' to send: ", terminator: "")
                fflush(nil)
                let input = StandardInput()
                var line: String?
                while line == nil {
                    watch.poll()
                    try checkExpiry(request.message, watch: watch)
                    switch input.readLine(waitingUs: 50_000) {
                    case .line(let text): line = text
                    case .closed: throw .noAnswerOnInput
                    case .nothingYet: continue
                    }
                }
                guard line?.trimmingCharacters(in: .whitespaces).lowercased() == "yes" else { throw .declined }
            }
            try checkExpiry(request.message, watch: watch)

            // 3. Sign and send; resend while the gate shows no outcome (UDP may lose it).
            let approval = try sign(request.message, with: operatorKey)
            let wire = TerminalApproval(
                targetSystem: request.systemID, targetComponent: request.componentID,
                nonce: request.message.nonce, vehicleId: approval.vehicleID.rawValue, lat: approval.point.latitudeE7,
                lon: approval.point.longitudeE7, alt: approval.point.altitudeMm, expiryUs: approval.expiresUs,
                decision: decision == .approve ? .approve : .waveOff,
                operatorKeyId: MAVArray(approval.keyID.bytes), signature: MAVArray(approval.signature.bytes))
            let baseline = watch.status
            _ = watch.takeStatuses()
            let sendStart = MonotonicClock.nowUs()
            var lastSentUs: UInt64 = 0
            var sends = 0
            print("sending \(decision.rawValue) signed by '\(operatorKey.name)' (key \(operatorKey.keyID)), "
                  + "nonce \(approval.nonce)")
            while true {
                let now = MonotonicClock.nowUs()
                if sends == 0 || (sends < 3 && now - lastSentUs >= 2_000_000) {
                    guard watch.session.send(wire, nowUs: now, unixTimeUs: UTCClock.nowUsOrZero()) else {
                        throw .cannotSend("encoding failed")
                    }
                    lastSentUs = now
                    sends += 1
                }
                watch.poll()
                // Every status since the last poll counts: a slow poll may hold "waving off" followed by "idle".
                let fresh = watch.takeStatuses()
                if let outcome = fresh.lazy.compactMap({
                    self.outcome(of: $0, baseline: baseline, nonce: request.message.nonce)
                }).first {
                    switch outcome {
                    case .accepted(let text):
                        print("outcome: \(text)")
                        // Show the mode change if it is already reported.
                        let modeWait = MonotonicClock.nowUs()
                        while MonotonicClock.nowUs() - modeWait < 2_000_000 {
                            watch.poll()
                            if let mode = watch.flightMode, (mode == .terminal) == (decision == .approve) { break }
                            MonotonicClock.sleep(us: 20_000)
                        }
                        if let mode = watch.flightMode { print("flight mode: \(mode)") }
                        return
                    case .rejected(let code):
                        let reason = GateRejection(rawValue: code)?.description ?? "reason \(code)"
                        throw .rejected(reason: reason, code: code)
                    }
                }
                guard now - sendStart < timeoutUs else {
                    throw .noOutcome(seconds: timeoutS, gate: watch.status.map(Self.describe) ?? "never reported")
                }
                MonotonicClock.sleep(us: 20_000)
            }
        }

        enum Outcome { case accepted(String), rejected(UInt8) }

        /// Sends MAV_CMD_KESTREL_REQUEST_TERMINAL to the vehicle (again each second, up to three times, until it
        /// answers) and returns once it has accepted; from then on only a request newer than any seen before counts.
        private func askForTerminal(_ watch: inout GateWatch, timeoutUs: UInt64) throws(ApproveLinkError) {
            let start = MonotonicClock.nowUs()
            while watch.pinnedSystem == nil || !watch.vehicleHeard {
                watch.poll()
                guard MonotonicClock.nowUs() - start < timeoutUs else {
                    throw .noRequest(endpoint: connect, seconds: timeoutS, heardVehicle: false)
                }
                MonotonicClock.sleep(us: 20_000)
            }
            guard let target = watch.pinnedSystem else { return }
            watch.ignoreRequests(upToSequence: max(watch.status?.sequence ?? 0, watch.request?.message.sequence ?? 0))
            _ = watch.takeAcks()
            watch.lastStatusText = nil
            var sends: UInt8 = 0
            var lastSentUs: UInt64 = 0
            print("asking vehicle (MAVLink system \(target)) for the terminal phase")
            while true {
                let now = MonotonicClock.nowUs()
                if sends == 0 || (sends < 3 && now - lastSentUs >= 1_000_000) {
                    watch.session.requestTerminal(targetSystem: target, targetComponent: watch.vehicleComponent,
                                                  confirmation: sends, nowUs: now, unixTimeUs: UTCClock.nowUsOrZero())
                    lastSentUs = now
                    sends += 1
                }
                watch.poll()
                if let ack = watch.takeAcks().last(where: { $0.command == .kestrelRequestTerminal }) {
                    guard ack.result == .accepted else {
                        // The vehicle says why in a STATUSTEXT, which may come just after the ACK.
                        let waitStart = MonotonicClock.nowUs()
                        while watch.lastStatusText == nil, MonotonicClock.nowUs() - waitStart < 500_000 {
                            MonotonicClock.sleep(us: 20_000)
                            watch.poll()
                        }
                        throw .requestRefused(result: ack.result, reason: watch.lastStatusText)
                    }
                    print("the vehicle issued a request")
                    return
                }
                if sends == 3, now - lastSentUs >= 2_000_000 { throw .noCommandAck(seconds: 4) }
                MonotonicClock.sleep(us: 20_000)
            }
        }

        /// What the gate did with our message, judged only from TERMINAL_STATUS: our nonce in the expected state, or
        /// a new refusal (rejection_count moved).
        private func outcome(of status: TerminalStatus?, baseline: TerminalStatus?, nonce: MAVArray<16, UInt8>)
            -> Outcome?
        {
            guard let status else { return nil }
            if status.nonce == nonce {
                if decision == .approve, status.gateState == .terminal {
                    return .accepted("approved: gate terminal, the vehicle flies the terminal approach")
                }
                // A wave-off leaves the terminal phase climbing back (waving off), or drops a pending request (idle).
                if decision == .waveOff,
                    status.gateState == .wavingOff || (status.gateState == .idle && baseline?.gateState == .pending)
                {
                    return .accepted("waved off: gate \(status.gateState)")
                }
            }
            if status.rejectionCount != (baseline?.rejectionCount ?? 0) {
                return .rejected(status.lastRejection.rawValue)
            }
            return nil
        }

        private func sign(_ m: TerminalApprovalRequest, with key: OperatorSigningKey) throws(ApproveLinkError)
            -> Approval
        {
            let point: DesignatedPoint
            do { point = try DesignatedPoint(latitudeE7: m.lat, longitudeE7: m.lon, altitudeMm: m.alt) } catch {
                throw .cannotSend("request's designated point: \(error)")
            }
            let request = ApprovalRequest(
                nonce: approvalNonce(m.nonce), vehicleID: VehicleID(m.vehicleId), point: point,
                issuedUs: m.issuedUs, expiresUs: m.expiryUs, sequence: m.sequence)
            do { return try key.sign(request, decision: decision.decision) } catch {
                throw .cannotSend("\(error)")
            }
        }

        /// An approval is pointless once the gate's clock passed the expiry; a wave-off is always sent.
        private func checkExpiry(_ m: TerminalApprovalRequest, watch: GateWatch) throws(ApproveLinkError) {
            guard decision == .approve, let gateTimeUs = watch.gateTimeUs, gateTimeUs >= m.expiryUs else { return }
            throw .requestExpired(expiresUs: m.expiryUs, gateTimeUs: gateTimeUs)
        }

        private func describe(_ r: GateWatch.Request, gateTimeUs: UInt64?) -> String {
            let m = r.message
            if r.inProgress {
                return """
                    terminal approach in progress on MAVLink system \(r.systemID) (no request pending)
                      vehicle:    \(m.vehicleId) (AUTOPILOT_VERSION.uid)
                      sequence:   \(m.sequence)
                      nonce:      \(approvalNonce(m.nonce)) (TERMINAL_STATUS)
                    A wave-off names the approved request by its nonce; its point and expiry are signed as zero.
                    """
            }
            let left: String
            if let gateTimeUs {
                left = gateTimeUs < m.expiryUs
                    ? "expires in \(ApproveCommand.Show.seconds(m.expiryUs - gateTimeUs)) s of gate time"
                    : "expired \(ApproveCommand.Show.seconds(gateTimeUs - m.expiryUs)) s ago (gate time)"
            } else {
                left = "time left unknown (the vehicle does not report its gate clock)"
            }
            let lat = Double(m.lat) * 1e-7, lon = Double(m.lon) * 1e-7
            return """
                terminal approval request from MAVLink system \(r.systemID)
                  vehicle:    \(m.vehicleId)
                  sequence:   \(m.sequence)
                  nonce:      \(approvalNonce(m.nonce))
                  designated: \(String(format: "%.7f, %.7f", lat, lon)) (deg), \
                \(String(format: "%.3f", Double(m.alt) * 1e-3)) m above the WGS-84 ellipsoid
                  issued_us:  \(m.issuedUs)
                  expiry_us:  \(m.expiryUs), \(left)
                """
        }

        static func describe(_ s: TerminalStatus) -> String {
            var text = s.gateState.description
            if s.lastRejection != .none {
                text += ", last rejection: "
                    + (GateRejection(rawValue: s.lastRejection.rawValue)?.description ?? "\(s.lastRejection.rawValue)")
            }
            return text
        }
    }
}

/// What the operator tool knows about the vehicle's gate, from what the session reported.
struct GateWatch {
    struct Request {
        var message: TerminalApprovalRequest
        var systemID: UInt8
        var componentID: UInt8
        /// Built from TERMINAL_STATUS and AUTOPILOT_VERSION for a wave-off during the terminal phase, when the
        /// vehicle no longer sends the request: only vehicle id and nonce are real (the gate's wave-off checks
        /// only those and the signature).
        var inProgress = false
    }

    let session: OperatorLinkSession
    /// The one vehicle this tool listens to (`--target-system`, else the first vehicle whose heartbeat is heard);
    /// what other systems send is ignored, so a second vehicle or a spoofer on another id cannot feed it requests or
    /// outcomes.
    private(set) var pinnedSystem: UInt8?
    /// The pinned vehicle's component (from its heartbeat), for commands.
    private(set) var vehicleComponent: UInt8 = 1
    /// Messages from other systems that were ignored.
    private(set) var ignoredFromOtherSystems = 0
    /// The pending request (latest copy); nil until one arrives.
    var request: Request?
    /// Requests with a sequence up to this are old (`--request` waits for the one it asked for).
    private var oldRequestsUpTo: UInt32?
    /// The vehicle's latest STATUSTEXT.
    var lastStatusText: String?
    private var acks: [CommandAck] = []
    var status: TerminalStatus?
    /// The newest gate clock the vehicle reported (0 means the vehicle does not report it).
    var gateTimeUs: UInt64?
    var flightMode: KestrelFlightMode?
    var vehicleHeard = false
    private var statusLog: [TerminalStatus] = []
    var statusSender: (systemID: UInt8, componentID: UInt8)?
    var vehicleUIDs: [UInt8: UInt64] = [:]
    private var lastVersionRequestUs: UInt64?

    init(session: OperatorLinkSession, pinnedSystem: UInt8? = nil) {
        self.session = session
        self.pinnedSystem = pinnedSystem
    }

    mutating func poll() {
        var events: [OperatorLinkSession.Event] = []
        session.poll(nowUs: MonotonicClock.nowUs(), unixTimeUs: UTCClock.nowUsOrZero()) { events.append($0) }
        for event in events {
            let sender: UInt8
            switch event {
            case let .heartbeat(_, systemID, _), let .request(_, systemID, _), let .status(_, systemID, _),
                let .statusText(_, _, systemID), let .autopilotVersion(_, systemID), let .commandAck(_, systemID):
                sender = systemID
            }
            if pinnedSystem == nil, case let .heartbeat(_, systemID, componentID) = event {
                pinnedSystem = systemID
                vehicleComponent = componentID
            }
            guard sender == pinnedSystem else {
                ignoredFromOtherSystems += 1
                continue
            }
            switch event {
            case let .heartbeat(h, _, componentID):
                vehicleHeard = true
                vehicleComponent = componentID
                flightMode = KestrelFlightMode(rawValue: h.customMode)
            case let .request(m, systemID, componentID):
                vehicleHeard = true
                if let old = oldRequestsUpTo, m.sequence <= old { break }
                // Keep the first request seen until the vehicle issues another (new nonce).
                if request?.message.nonce != m.nonce {
                    request = Request(message: m, systemID: systemID, componentID: componentID)
                }
                noteGateTime(m.gateTimeUs)
            case let .status(s, systemID, componentID):
                vehicleHeard = true
                status = s
                statusLog.append(s)
                statusSender = (systemID, componentID)
                noteGateTime(s.gateTimeUs)
            case let .statusText(text, _, _):
                lastStatusText = text
                FileHandle.standardError.write(Data("vehicle: \(text)\n".utf8))
            case let .autopilotVersion(v, systemID):
                vehicleUIDs[systemID] = v.uid
            case let .commandAck(ack, _):
                acks.append(ack)
            }
        }
    }

    /// From now on, requests up to this sequence are ignored, and the one held is dropped.
    mutating func ignoreRequests(upToSequence sequence: UInt32) {
        oldRequestsUpTo = sequence
        request = nil
    }

    /// The COMMAND_ACKs received since the last call, oldest first.
    mutating func takeAcks() -> [CommandAck] {
        defer { acks.removeAll() }
        return acks
    }

    /// The pinned vehicle's id (AUTOPILOT_VERSION.uid), asked for once a second until it arrives.
    mutating func vehicleUID(nowUs: UInt64) -> UInt64? {
        guard let system = pinnedSystem else { return nil }
        if let uid = vehicleUIDs[system] { return uid }
        if lastVersionRequestUs.map({ nowUs - $0 >= 1_000_000 }) ?? true {
            lastVersionRequestUs = nowUs
            session.requestMessage(AutopilotVersion.messageID, targetSystem: system, targetComponent: vehicleComponent,
                                   nowUs: nowUs, unixTimeUs: UTCClock.nowUsOrZero())
        }
        return nil
    }

    /// The approved request of a vehicle in the terminal phase, for a wave-off: nonce and sequence from
    /// TERMINAL_STATUS, vehicle id from AUTOPILOT_VERSION (asked for once a second until it arrives).
    mutating func terminalInProgress(nowUs: UInt64) -> Request? {
        guard let status, status.gateState == .terminal, status.nonce != MAVArray(repeating: 0),
            let sender = statusSender, let uid = vehicleUID(nowUs: nowUs)
        else { return nil }
        let message = TerminalApprovalRequest(
            nonce: status.nonce, vehicleId: uid, lat: 0, lon: 0, alt: 0, issuedUs: 0, expiryUs: 0,
            sequence: status.sequence, gateTimeUs: status.gateTimeUs)
        return Request(message: message, systemID: sender.systemID, componentID: sender.componentID, inProgress: true)
    }

    /// The statuses received since the last call, oldest first.
    mutating func takeStatuses() -> [TerminalStatus] {
        defer { statusLog.removeAll() }
        return statusLog
    }

    private mutating func noteGateTime(_ t: UInt64) {
        guard t > 0 else { return }
        gateTimeUs = max(gateTimeUs ?? 0, t)
    }
}

func approvalNonce(_ bytes: MAVArray<16, UInt8>) -> ApprovalNonce {
    let n = LinkNonce(bytes)
    return ApprovalNonce(low: n.low, high: n.high)
}

enum MonotonicClock {
    static func nowUs() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(max(ts.tv_sec, 0)) * 1_000_000 + UInt64(max(ts.tv_nsec, 0) / 1000)
    }

    static func sleep(us: UInt64) {
        var ts = timespec(tv_sec: Int(us / 1_000_000), tv_nsec: Int(us % 1_000_000) * 1000)
        _ = nanosleep(&ts, nil)
    }
}

extension UTCClock {
    /// For MAVLink signature timestamps: 0 (which signing tolerates) rather than an error.
    static func nowUsOrZero() -> UInt64 { (try? nowUs()) ?? 0 }
}

/// Standard input read a line at a time without blocking the link.
final class StandardInput {
    enum Read { case line(String), closed, nothingYet }

    private var pending: [UInt8] = []

    func readLine(waitingUs: UInt64) -> Read {
        if let line = takeLine() { return .line(line) }
        var fds = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
        guard poll(&fds, 1, Int32(waitingUs / 1000)) > 0 else { return .nothingYet }
        var chunk = [UInt8](repeating: 0, count: 256)
        let got = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
        if got <= 0 {
            if !pending.isEmpty {
                let rest = String(decoding: pending, as: UTF8.self)
                pending = []
                return .line(rest)
            }
            return .closed
        }
        pending += chunk[0..<got]
        return takeLine().map { .line($0) } ?? .nothingYet
    }

    private func takeLine() -> String? {
        guard let newline = pending.firstIndex(of: 0x0A) else { return nil }
        let line = String(decoding: pending[..<newline], as: UTF8.self)
        pending.removeFirst(newline + 1)
        return line
    }
}
