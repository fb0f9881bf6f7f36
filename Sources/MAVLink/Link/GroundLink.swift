/// The MAVLink ground link of the vehicle: transports, one parser per transport, one encoder, the microservices
/// and the model they serve. Runs on the telemetry thread: call `poll(nowUs:unixTimeUs:)` often (≥ 50 Hz); it reads
/// every transport without blocking, answers what arrived and sends what is due.
///
/// Steady state allocates nothing: buffers are allocated in `init`, services keep fixed tables, the model is
/// called through its protocol. (Signing and verifying hash through swift-crypto; mission uploads and error texts
/// allocate, which is outside the steady state.)
public final class GroundLink {
    public struct Counters: Equatable, Sendable {
        public var framesReceived: UInt64 = 0
        /// Frames refused by the signing policy (state-changing and not validly signed while a key is set).
        public var unsignedRejected: UInt64 = 0
        /// Frames carrying this vehicle's own system id (an echo or a misconfigured peer); ignored.
        public var ownSystemIDFrames: UInt64 = 0
        public var commandsAccepted: UInt64 = 0
        public var commandsRefused: UInt64 = 0
        public var encodeFailures: UInt64 = 0
        public init() {}
    }

    struct Link {
        let transport: any LinkTransport
        let parser: FrameParser
        var lastGCSHeartbeatUs: UInt64?
    }

    public let configuration: GroundLinkConfiguration
    public let model: any VehicleLinkModel
    public private(set) var counters = Counters()
    public private(set) var mission: MissionService
    public private(set) var parameters: ParameterService
    public private(set) var approvals: ApprovalService
    public private(set) var streams: StreamScheduler

    private var links: [Link]
    /// The signature checks and replay state all transports share (nil when unsigned).
    private let verification: SharedSignatureVerifier?
    private var sender: LinkSender
    private let receiveBuffer: UnsafeMutableRawBufferPointer
    private var snapshot = VehicleSnapshot()
    private var nowUs: UInt64 = 0
    private var lastSentCurrentItem: Int?
    private var lastSentMode: KestrelFlightMode?
    private var lastSentArmed: Bool?
    private var lastSentReachedItem: Int?

    public init(configuration: GroundLinkConfiguration, transports: [any LinkTransport], model: any VehicleLinkModel) {
        self.configuration = configuration
        self.model = model
        let identity = configuration.identity
        mission = MissionService(identity: identity, configuration: configuration.mission)
        parameters = ParameterService(identity: identity, valuesPerSecond: configuration.parameterValuesPerSecond)
        approvals = ApprovalService(identity: identity, resendIntervalUs: configuration.approvalResendIntervalUs)
        streams = StreamScheduler(streams: configuration.streams)
        // One replay state for every transport: a frame recorded on one link is a replay on all of them.
        let floor = configuration.signingTimestampFloor
        verification = configuration.signingKey.map {
            SharedSignatureVerifier(SignatureVerifier(key: $0, localTimestampFloor: floor))
        }
        links = transports.map { [verification] transport in
            Link(transport: transport, parser: FrameParser(shared: verification), lastGCSHeartbeatUs: nil)
        }
        var encoder = FrameEncoder(systemID: identity.systemID, componentID: identity.componentID)
        if let key = configuration.signingKey {
            encoder.signing = OutgoingSigning(key: key, linkID: configuration.signingLinkID, lastTimestamp: floor)
        }
        sender = LinkSender(transports: transports, encoder: encoder)
        receiveBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 8)
    }

    deinit {
        receiveBuffer.deallocate()
        sender.deallocate()
    }

    public var linkCount: Int { links.count }

    public func transport(_ link: Int) -> (any LinkTransport)? {
        link >= 0 && link < links.count ? links[link].transport : nil
    }

    public func parserCounters(_ link: Int) -> ParserCounters? {
        link >= 0 && link < links.count ? links[link].parser.counters : nil
    }

    /// The last signing timestamp sent (nil when unsigned): persist it now and then and give it back as
    /// `GroundLinkConfiguration.signingTimestampFloor` at the next start, so a board without a real-time clock
    /// never signs with a timestamp older than one it already used.
    public var signingTimestamp: UInt64? { sender.encoder.signing?.lastTimestamp }

    /// The shared replay state (tests, status).
    public var signatureVerifier: SignatureVerifier? { verification?.verifier }

    // MARK: Link loss

    /// Time since the last valid ground-station HEARTBEAT on `link` (MAV_TYPE_GCS; signed and verified when a key
    /// is set), or nil if none was ever heard there.
    public func timeSinceGCSHeartbeatUs(link: Int, nowUs: UInt64) -> UInt64? {
        guard link >= 0, link < links.count, let last = links[link].lastGCSHeartbeatUs else { return nil }
        return nowUs >= last ? nowUs - last : 0
    }

    /// The freshest of all links: what the mission's link-loss failsafe compares with its timeout. Nil before the
    /// first ground-station heartbeat.
    public func timeSinceAnyGCSHeartbeatUs(nowUs: UInt64) -> UInt64? {
        var best: UInt64?
        for link in 0..<links.count {
            if let age = timeSinceGCSHeartbeatUs(link: link, nowUs: nowUs) { best = min(best ?? age, age) }
        }
        return best
    }

    // MARK: Poll

    /// One round of the link. `nowUs` is the vehicle's monotonic clock (time_boot); `unixTimeUs` dates outgoing
    /// signatures and judges incoming ones (0 if the vehicle has no real-time clock: signing then relies on the
    /// timestamps it has seen, see `SignatureVerifier`).
    public func poll(nowUs: UInt64, unixTimeUs: UInt64 = 0) {
        self.nowUs = nowUs
        sender.nowUs = nowUs
        sender.unixTimeUs = unixTimeUs
        snapshot = model.snapshot(nowUs: nowUs)
        let framesBefore = counters.framesReceived
        for index in 0..<links.count {
            let transport = links[index].transport
            let parser = links[index].parser
            var reads = 0
            while reads < configuration.maxReadsPerPoll {
                let count = transport.receive(into: receiveBuffer, nowUs: nowUs)
                guard count > 0 else { break }
                reads += 1
                var heldValidFrame = false
                parser.parse(UnsafeRawBufferPointer(rebasing: receiveBuffer[0..<count]), unixTimeUs: unixTimeUs) {
                    frame in
                    if identifiesPeer(frame) { heldValidFrame = true }
                    handle(frame, link: index)
                }
                // Only a sender of a valid frame becomes a peer: junk never evicts the operator (udpin).
                transport.finishedDatagram(heldValidFrame: heldValidFrame, nowUs: nowUs)
            }
        }
        // What arrived may have changed the vehicle (a command, an approval): report from its state after that, so
        // a state that lasts only until the next vehicle tick (e.g. the gate briefly waving off) is still sent.
        if counters.framesReceived != framesBefore { snapshot = model.snapshot(nowUs: nowUs) }
        mission.tick(nowUs: nowUs, outbox: &sender)
        parameters.tick(nowUs: nowUs, model: model, outbox: &sender)
        approvals.tick(snapshot: snapshot, nowUs: nowUs, outbox: &sender)
        sendModeChange()
        sendMissionProgress()
        var texts = 0
        while texts < configuration.maxStatusTextsPerPoll, let text = model.nextStatusText() {
            sender.send(Statustext(severity: text.severity, text: text.text), route: .all)
            texts += 1
        }
        while let messageID = streams.nextDue(nowUs: nowUs) {
            _ = emit(messageID, route: .all)
        }
        counters.encodeFailures = sender.encodeFailures
    }

    /// A HEARTBEAT as soon as the flight mode or the armed state changes, besides the 1 Hz stream: a ground station
    /// sees every mode the vehicle passes through, even one shorter than a second (approval pending, say).
    private func sendModeChange() {
        guard snapshot.flightMode != lastSentMode || snapshot.armed != lastSentArmed else { return }
        lastSentMode = snapshot.flightMode
        lastSentArmed = snapshot.armed
        _ = emit(Heartbeat.messageID, route: .all)
    }

    private func sendMissionProgress() {
        if snapshot.currentMissionItem != lastSentCurrentItem {
            lastSentCurrentItem = snapshot.currentMissionItem
            _ = emit(MissionCurrent.messageID, route: .all)
        }
        if let reached = snapshot.lastReachedMissionItem, reached != lastSentReachedItem {
            lastSentReachedItem = reached
            sender.send(MissionItemReached(seq: UInt16(clamping: max(reached, 0))), route: .all)
        } else if snapshot.lastReachedMissionItem == nil {
            // The vehicle forgot it (a new plan, or set-current): reaching the same item again is news.
            lastSentReachedItem = nil
        }
    }

    /// Sends one message built from the snapshot; false when the message is unknown or has no data yet.
    @discardableResult
    private func emit(_ messageID: UInt32, route: LinkRoute) -> Bool {
        switch messageID {
        case Heartbeat.messageID: sender.send(TelemetryMessages.heartbeat(snapshot), route: route)
        case SysStatus.messageID: sender.send(TelemetryMessages.sysStatus(snapshot), route: route)
        case GPSRawInt.messageID: sender.send(TelemetryMessages.gpsRaw(snapshot, nowUs: nowUs), route: route)
        case Attitude.messageID: sender.send(TelemetryMessages.attitude(snapshot, nowUs: nowUs), route: route)
        case GlobalPositionInt.messageID:
            guard let message = TelemetryMessages.globalPosition(snapshot, nowUs: nowUs) else { return false }
            sender.send(message, route: route)
        case MissionCurrent.messageID:
            sender.send(TelemetryMessages.missionCurrent(snapshot, total: model.missionItemCount), route: route)
        case VFRHUD.messageID: sender.send(TelemetryMessages.vfrHud(snapshot), route: route)
        case BatteryStatus.messageID: sender.send(TelemetryMessages.batteryStatus(snapshot), route: route)
        case HomePosition.messageID:
            guard let message = TelemetryMessages.homePosition(snapshot, nowUs: nowUs) else { return false }
            sender.send(message, route: route)
        case ExtendedSysState.messageID: sender.send(TelemetryMessages.extendedSysState(snapshot), route: route)
        case TerminalStatus.messageID: sender.send(snapshot.gate.message(gateTimeUs: snapshot.gateClockUs), route: route)
        case AutopilotVersion.messageID: sender.send(autopilotVersion, route: route)
        case SystemTime.messageID: sender.send(TelemetryMessages.systemTime(snapshot, nowUs: nowUs), route: route)
        case TerminalApprovalRequest.messageID:
            guard let request = snapshot.pendingApprovalRequest else { return false }
            sender.send(request.message(gateTimeUs: snapshot.gateClockUs), route: route)
        default: return false
        }
        return true
    }

    /// Whether `emit` would send something now.
    private func canEmit(_ messageID: UInt32) -> Bool {
        switch messageID {
        case GlobalPositionInt.messageID: snapshot.hasPosition
        case HomePosition.messageID: snapshot.home != nil
        case TerminalApprovalRequest.messageID: snapshot.pendingApprovalRequest != nil
        case AutopilotVersion.messageID: true
        default: streams.isKnown(messageID)
        }
    }

    private var autopilotVersion: AutopilotVersion {
        AutopilotVersion(
            capabilities: GroundLinkConfiguration.capabilities, flightSwVersion: configuration.flightSoftwareVersion,
            uid: configuration.vehicleUID)
    }

    /// Whether `frame` (CRC-checked by the parser) proves its sender is a ground station to serve: on a signed
    /// link only an authenticated frame does; an echo of our own system id never does.
    private func identifiesPeer(_ frame: ReceivedFrame) -> Bool {
        guard frame.systemID != configuration.identity.systemID else { return false }
        guard configuration.signingKey != nil else { return true }
        if case .verified = frame.authentication { return true }
        return false
    }

    // MARK: Dispatch

    private func handle(_ frame: ReceivedFrame, link: Int) {
        counters.framesReceived &+= 1
        // Sign no older than the newest valid timestamp heard (a board without a real-time clock learns the time
        // from its ground stations, which reject frames more than a minute behind theirs), replies included.
        if let verification { sender.encoder.signing?.raiseFloor(to: verification.verifier.localTimestamp) }
        let identity = configuration.identity
        guard frame.systemID != identity.systemID else {
            counters.ownSystemIDFrames &+= 1
            return
        }
        let peer = GCSPeer(systemID: frame.systemID, componentID: frame.componentID, link: link)
        guard SignedCommandPolicy.admits(frame, signingKeyConfigured: configuration.signingKey != nil) else {
            counters.unsignedRejected &+= 1
            // Commands get a DENIED ack so the operator sees why; other messages are dropped silently.
            if let command = frame.decode(CommandLong.self),
                identity.accepts(targetSystem: command.targetSystem, targetComponent: command.targetComponent)
            {
                acknowledge(command.command, .denied, to: peer)
            } else if let command = frame.decode(CommandInt.self),
                identity.accepts(targetSystem: command.targetSystem, targetComponent: command.targetComponent)
            {
                acknowledge(command.command, .denied, to: peer)
            }
            return
        }
        switch frame.messageID {
        case Heartbeat.messageID:
            guard let heartbeat = frame.decode(Heartbeat.self), heartbeat.type == .gcs else { return }
            if configuration.signingKey != nil, case .verified = frame.authentication {
                links[link].lastGCSHeartbeatUs = nowUs
            } else if configuration.signingKey == nil {
                links[link].lastGCSHeartbeatUs = nowUs
            }
        case CommandLong.messageID:
            guard let command = frame.decode(CommandLong.self),
                identity.accepts(targetSystem: command.targetSystem, targetComponent: command.targetComponent)
            else { return }
            execute(CommandArguments(command), from: peer)
        case CommandInt.messageID:
            guard let command = frame.decode(CommandInt.self),
                identity.accepts(targetSystem: command.targetSystem, targetComponent: command.targetComponent)
            else { return }
            execute(CommandArguments(command), from: peer)
        case MissionCount.messageID:
            guard let message = frame.decode(MissionCount.self) else { return }
            mission.handle(message, from: peer, nowUs: nowUs, model: model, outbox: &sender)
        case MissionItemInt.messageID:
            guard let message = frame.decode(MissionItemInt.self) else { return }
            mission.handle(message, from: peer, nowUs: nowUs, model: model, outbox: &sender)
        case MissionAck.messageID:
            guard let message = frame.decode(MissionAck.self),
                identity.accepts(targetSystem: message.targetSystem, targetComponent: message.targetComponent)
            else { return }
            mission.handle(message, from: peer)
        case MissionRequestList.messageID:
            guard let message = frame.decode(MissionRequestList.self) else { return }
            mission.handle(message, from: peer, model: model, outbox: &sender)
        case MissionRequestInt.messageID:
            guard let m = frame.decode(MissionRequestInt.self) else { return }
            mission.handleRequest(
                seq: m.seq, missionType: m.missionType, targetSystem: m.targetSystem, targetComponent: m.targetComponent,
                from: peer, model: model, currentItem: snapshot.currentMissionItem, outbox: &sender)
        case MissionRequest.messageID:
            guard let m = frame.decode(MissionRequest.self) else { return }
            mission.handleRequest(
                seq: m.seq, missionType: m.missionType, targetSystem: m.targetSystem, targetComponent: m.targetComponent,
                from: peer, model: model, currentItem: snapshot.currentMissionItem, outbox: &sender)
        case MissionClearAll.messageID:
            guard let message = frame.decode(MissionClearAll.self) else { return }
            mission.handle(message, from: peer, model: model, outbox: &sender)
        case MissionSetCurrent.messageID:
            guard let message = frame.decode(MissionSetCurrent.self) else { return }
            if mission.handle(message, from: peer, model: model, outbox: &sender) {
                snapshot.currentMissionItem = Int(message.seq)
            }
            _ = emit(MissionCurrent.messageID, route: .link(link))
        case ParamRequestList.messageID:
            guard let message = frame.decode(ParamRequestList.self) else { return }
            parameters.handle(message, from: peer, nowUs: nowUs)
        case ParamRequestRead.messageID:
            guard let message = frame.decode(ParamRequestRead.self) else { return }
            parameters.handle(message, from: peer, model: model, outbox: &sender)
        case ParamSet.messageID:
            guard let message = frame.decode(ParamSet.self) else { return }
            parameters.handle(message, from: peer, model: model, outbox: &sender)
        case TerminalApproval.messageID:
            guard let message = frame.decode(TerminalApproval.self),
                let approval = approvals.approval(from: message, senderSystemID: frame.systemID)
            else { return }
            model.receive(approval, nowUs: nowUs)
        case Timesync.messageID:
            // Answer a ground station's time-sync request (tc1 == 0) with our clock in ns.
            guard let message = frame.decode(Timesync.self), message.tc1 == 0 else { return }
            sender.send(
                Timesync(tc1: Int64(truncatingIfNeeded: nowUs &* 1000), ts1: message.ts1), route: .link(link))
        default:
            break
        }
    }

    private func execute(_ arguments: CommandArguments, from peer: GCSPeer) {
        let result: MAVResult
        switch CommandDecoding.decode(arguments) {
        case let .vehicle(command):
            result = model.perform(command, nowUs: nowUs)
        case let .requestMessage(messageID):
            result = canEmit(messageID) ? .accepted : (streams.isKnown(messageID) ? .failed : .unsupported)
            acknowledge(arguments.command, result, to: peer)
            if result == .accepted { emit(messageID, route: .link(peer.link)) }
            count(result)
            return
        case let .setMessageInterval(messageID, intervalUs):
            result = streams.setInterval(messageID: messageID, intervalUs: intervalUs, nowUs: nowUs)
        case .requestAutopilotCapabilities:
            acknowledge(arguments.command, .accepted, to: peer)
            emit(AutopilotVersion.messageID, route: .link(peer.link))
            count(.accepted)
            return
        case let .refuse(refusal):
            result = refusal
        }
        acknowledge(arguments.command, result, to: peer)
        count(result)
    }

    private func count(_ result: MAVResult) {
        if result == .accepted { counters.commandsAccepted &+= 1 } else { counters.commandsRefused &+= 1 }
    }

    private func acknowledge(_ command: MAVCmd, _ result: MAVResult, to peer: GCSPeer) {
        sender.send(
            CommandAck(
                command: command, result: result, targetSystem: peer.systemID, targetComponent: peer.componentID),
            route: .link(peer.link))
    }
}

/// Encodes messages into one reusable frame buffer and hands the frames to the transports.
struct LinkSender: MessageOutbox {
    let transports: [any LinkTransport]
    var encoder: FrameEncoder
    let buffer: UnsafeMutableRawBufferPointer
    var nowUs: UInt64 = 0
    var unixTimeUs: UInt64 = 0
    var encodeFailures: UInt64 = 0

    init(transports: [any LinkTransport], encoder: FrameEncoder) {
        self.transports = transports
        self.encoder = encoder
        buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: FrameLayout.maxFrameLength, alignment: 8)
    }

    func deallocate() { buffer.deallocate() }

    mutating func send<M: MAVLinkMessage>(_ message: M, route: LinkRoute) {
        let length: Int
        do {
            length = try encoder.encode(message, into: buffer, unixTimeUs: unixTimeUs)
        } catch {
            encodeFailures &+= 1
            return
        }
        let frame = UnsafeRawBufferPointer(rebasing: buffer[0..<length])
        switch route {
        case .all:
            for transport in transports { transport.send(frame: frame, nowUs: nowUs) }
        case let .link(index):
            guard index >= 0, index < transports.count else { return }
            transports[index].send(frame: frame, nowUs: nowUs)
        }
    }
}
