/// The ground-station end of the approval dialect, for operator tools (`kestrel approve link`): announces itself
/// with GCS heartbeats, hands the tool what vehicles send about the gate, and sends TERMINAL_APPROVALs.
///
/// It judges nothing about approvals; it only moves messages. With a signing key it signs what it sends and takes
/// only frames whose signature verifies, so a spoofed request or status never reaches the operator. Not for the
/// flight path (it allocates when reporting).
public final class OperatorLinkSession {
    public struct Configuration: Sendable {
        /// 255 and MAV_COMP_ID_MISSIONPLANNER (190), as ground stations usually are.
        public var identity = LinkIdentity(systemID: 255, componentID: 190)
        public var signingKey: SigningKey?
        public var signingLinkID: UInt8 = 1
        public var heartbeatIntervalUs: UInt64 = 1_000_000
        public init() {}
    }

    /// Something a vehicle sent that the operator cares about. `systemID`/`componentID` are the sender's.
    public enum Event: Sendable {
        case heartbeat(Heartbeat, systemID: UInt8, componentID: UInt8)
        case request(TerminalApprovalRequest, systemID: UInt8, componentID: UInt8)
        case status(TerminalStatus, systemID: UInt8, componentID: UInt8)
        case statusText(String, severity: MAVSeverity, systemID: UInt8)
        /// AUTOPILOT_VERSION: its `uid` is the vehicle id approvals are bound to.
        case autopilotVersion(AutopilotVersion, systemID: UInt8)
        /// COMMAND_ACK addressed to this station (or broadcast).
        case commandAck(CommandAck, systemID: UInt8)
    }

    public struct Counters: Equatable, Sendable {
        public var framesReceived: UInt64 = 0
        /// Frames dropped because a signing key is set and they were not validly signed.
        public var unverifiedDropped: UInt64 = 0
        public var approvalsSent: UInt64 = 0
        public init() {}
    }

    public let configuration: Configuration
    public let transport: any LinkTransport
    public private(set) var counters = Counters()
    /// Signed frames whose signature fails are dropped by the parser and counted here.
    public var parserCounters: ParserCounters { parser.counters }
    private let parser: FrameParser
    private var encoder: FrameEncoder
    private let frameBuffer: UnsafeMutableRawBufferPointer
    private let receiveBuffer: UnsafeMutableRawBufferPointer
    private var lastHeartbeatUs: UInt64?

    public init(configuration: Configuration, transport: any LinkTransport) {
        self.configuration = configuration
        self.transport = transport
        parser = FrameParser(verifier: configuration.signingKey.map { SignatureVerifier(key: $0) })
        encoder = FrameEncoder(
            systemID: configuration.identity.systemID, componentID: configuration.identity.componentID,
            signing: configuration.signingKey.map { OutgoingSigning(key: $0, linkID: configuration.signingLinkID) })
        frameBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: FrameLayout.maxFrameLength, alignment: 8)
        receiveBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 8)
    }

    deinit {
        frameBuffer.deallocate()
        receiveBuffer.deallocate()
    }

    /// Sends a heartbeat when one is due, then reads everything waiting and reports it, in arrival order.
    /// `nowUs` is any monotonic clock; `unixTimeUs` dates and judges signatures.
    public func poll(nowUs: UInt64, unixTimeUs: UInt64, onEvent: (Event) -> Void) {
        if lastHeartbeatUs.map({ nowUs < $0 || nowUs - $0 >= configuration.heartbeatIntervalUs }) ?? true {
            lastHeartbeatUs = nowUs
            encodeAndSend(
                Heartbeat(type: .gcs, autopilot: .invalid, baseMode: [], customMode: 0, systemStatus: .active),
                nowUs: nowUs, unixTimeUs: unixTimeUs)
        }
        var reads = 0
        while reads < 64 {
            let count = transport.receive(into: receiveBuffer, nowUs: nowUs)
            guard count > 0 else { break }
            reads += 1
            var heldValidFrame = false
            parser.parse(UnsafeRawBufferPointer(rebasing: receiveBuffer[0..<count]), unixTimeUs: unixTimeUs) {
                frame in
                if configuration.signingKey == nil { heldValidFrame = true }
                else if case .verified = frame.authentication { heldValidFrame = true }
                handle(frame, onEvent: onEvent)
            }
            // A listening transport learns its peer only from a valid frame.
            transport.finishedDatagram(heldValidFrame: heldValidFrame, nowUs: nowUs)
        }
    }

    /// Sends one TERMINAL_APPROVAL (signed if a key is set). False when it could not be encoded.
    @discardableResult
    public func send(_ approval: TerminalApproval, nowUs: UInt64, unixTimeUs: UInt64) -> Bool {
        guard encodeAndSend(approval, nowUs: nowUs, unixTimeUs: unixTimeUs) else { return false }
        counters.approvalsSent += 1
        return true
    }

    /// Asks a vehicle for one message (MAV_CMD_REQUEST_MESSAGE), e.g. AUTOPILOT_VERSION for its vehicle id.
    public func requestMessage(
        _ messageID: UInt32, targetSystem: UInt8, targetComponent: UInt8, nowUs: UInt64, unixTimeUs: UInt64
    ) {
        encodeAndSend(
            CommandLong(
                targetSystem: targetSystem, targetComponent: targetComponent, command: .requestMessage,
                param1: Float(messageID)),
            nowUs: nowUs, unixTimeUs: unixTimeUs)
    }

    /// Asks a vehicle for the terminal phase (MAV_CMD_KESTREL_REQUEST_TERMINAL): its gate answers with a
    /// TERMINAL_APPROVAL_REQUEST, or the COMMAND_ACK says no. `confirmation` counts resends (COMMAND_LONG's field).
    public func requestTerminal(
        targetSystem: UInt8, targetComponent: UInt8, confirmation: UInt8, nowUs: UInt64, unixTimeUs: UInt64
    ) {
        encodeAndSend(
            CommandLong(
                targetSystem: targetSystem, targetComponent: targetComponent, command: .kestrelRequestTerminal,
                confirmation: confirmation),
            nowUs: nowUs, unixTimeUs: unixTimeUs)
    }

    /// Asks a vehicle to arm (MAV_CMD_COMPONENT_ARM_DISARM, param1 1, no force): its pre-arm checks still decide.
    public func arm(targetSystem: UInt8, targetComponent: UInt8, nowUs: UInt64, unixTimeUs: UInt64) {
        encodeAndSend(
            CommandLong(targetSystem: targetSystem, targetComponent: targetComponent, command: .componentArmDisarm,
                        param1: 1),
            nowUs: nowUs, unixTimeUs: unixTimeUs)
    }

    /// Asks a vehicle for one of its own modes (MAV_CMD_DO_SET_MODE with the custom-mode flag): loiter holds where it
    /// is. The vehicle refuses terminal and wave-off this way; those come only from its approval gate.
    public func setMode(_ mode: KestrelFlightMode, targetSystem: UInt8, targetComponent: UInt8, nowUs: UInt64,
                        unixTimeUs: UInt64) {
        encodeAndSend(
            CommandLong(targetSystem: targetSystem, targetComponent: targetComponent, command: .doSetMode,
                        param1: Float(MAVModeFlag.customModeEnabled.rawValue), param2: Float(mode.rawValue)),
            nowUs: nowUs, unixTimeUs: unixTimeUs)
    }

    /// Asks a vehicle to return to its launch point (MAV_CMD_NAV_RETURN_TO_LAUNCH).
    public func returnToLaunch(targetSystem: UInt8, targetComponent: UInt8, nowUs: UInt64, unixTimeUs: UInt64) {
        encodeAndSend(
            CommandLong(targetSystem: targetSystem, targetComponent: targetComponent, command: .navReturnToLaunch),
            nowUs: nowUs, unixTimeUs: unixTimeUs)
    }

    @discardableResult
    private func encodeAndSend(_ message: some MAVLinkMessage, nowUs: UInt64, unixTimeUs: UInt64) -> Bool {
        guard let length = try? encoder.encode(message, into: frameBuffer, unixTimeUs: unixTimeUs) else { return false }
        transport.send(frame: UnsafeRawBufferPointer(rebasing: frameBuffer[0..<length]), nowUs: nowUs)
        return true
    }

    private func handle(_ frame: ReceivedFrame, onEvent: (Event) -> Void) {
        counters.framesReceived += 1
        if configuration.signingKey != nil {
            guard case .verified = frame.authentication else {
                counters.unverifiedDropped += 1
                return
            }
        }
        guard frame.systemID != configuration.identity.systemID else { return }
        switch frame.messageID {
        case Heartbeat.messageID:
            guard let m = frame.decode(Heartbeat.self), m.type != .gcs else { return }
            onEvent(.heartbeat(m, systemID: frame.systemID, componentID: frame.componentID))
        case TerminalApprovalRequest.messageID:
            guard let m = frame.decode(TerminalApprovalRequest.self) else { return }
            onEvent(.request(m, systemID: frame.systemID, componentID: frame.componentID))
        case TerminalStatus.messageID:
            guard let m = frame.decode(TerminalStatus.self) else { return }
            onEvent(.status(m, systemID: frame.systemID, componentID: frame.componentID))
        case Statustext.messageID:
            guard let m = frame.decode(Statustext.self) else { return }
            onEvent(.statusText(m.text.text, severity: m.severity, systemID: frame.systemID))
        case AutopilotVersion.messageID:
            guard let m = frame.decode(AutopilotVersion.self) else { return }
            onEvent(.autopilotVersion(m, systemID: frame.systemID))
        case CommandAck.messageID:
            guard let m = frame.decode(CommandAck.self),
                m.targetSystem == 0 || m.targetSystem == configuration.identity.systemID
            else { return }
            onEvent(.commandAck(m, systemID: frame.systemID))
        default:
            break
        }
    }
}
