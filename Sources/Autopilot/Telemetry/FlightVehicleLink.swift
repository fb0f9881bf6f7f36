import FlightMath
import MAVLink
import Mission

/// The ground link's model of the flying vehicle, on the telemetry thread. It never touches the flight stack:
/// state comes from the latest snapshot the real-time thread published, commands and approvals go to it as
/// `OperatorRequest`s and their answers come back as `OperatorReply`s, all through `RuntimeChannels`.
///
/// A command's COMMAND_ACK carries the flight stack's own verdict: `perform` waits (on this thread, sleeping
/// 1 ms at a time, at most `replyTimeoutUs`) for the reply; the real-time thread answers within a tick or two.
/// Mission transfers are refused (the plan comes from the mission file at start-up). Parameters are a read-only
/// view of the failsafe policy, the loop rate and every airframe tunable as the daemon started with them (airframe
/// file plus `--params`); they are changed in the parameter file (or on the bench with `kestrel sim --params`),
/// and take effect at the next start.
public final class FlightVehicleLink: VehicleLinkModel {
    private let channels: RuntimeChannels
    private let sleepUs: (UInt64) -> Void
    private let replyTimeoutUs: UInt64
    private var latest = VehicleSnapshot()
    private var nextSequence: UInt32 = 1
    private var statusTexts: [LinkStatusText] = []
    private let parameters: [LinkParameter]
    /// Timing samples received, and every how many one goes out as STATUSTEXT.
    private var timingSamples: UInt64 = 0
    private let timingTextEvery: UInt64
    public private(set) var lastTiming: RuntimeTimingSample?
    public private(set) var repliesTimedOut = 0

    public init(channels: RuntimeChannels, policy: FailsafePolicy, baseRateHz: Int, airframe: AirframeParameters? = nil,
                timingTextEvery: UInt64 = 5,
                replyTimeoutUs: UInt64 = 250_000, sleepUs: @escaping (UInt64) -> Void) {
        self.channels = channels
        self.sleepUs = sleepUs
        self.replyTimeoutUs = replyTimeoutUs
        self.timingTextEvery = max(1, timingTextEvery)
        func param(_ name: String, _ value: Double) -> LinkParameter? {
            ParameterID(name).map { LinkParameter(id: $0, value: value, type: .real32) }
        }
        parameters = [
            param("RTL_ALT_M", policy.rtlHeightM),
            param("LOITER_RAD_M", policy.holdRadiusM),
            param("LINK_LOSS_S", Double(policy.linkLossTimeoutUs) * 1e-6),
            param("LOW_BATT_V", policy.lowBatteryVoltageV),
            param("TERM_FPA_DEG", policy.approachFlightPathAngleRad * Angle.degreesPerRadian),
            param("TERM_FLOOR_M", policy.abortFloorAboveTargetM),
            param("LOOP_RATE_HZ", Double(baseRateHz)),
        ].compactMap { $0 } + (airframe?.parameters ?? []).compactMap { p in
            ParameterID(p.name).map { LinkParameter(id: $0, value: p.value, type: p.kind == .real ? .real32 : .int32) }
        }
    }

    /// Takes what the real-time thread published since the last call. Call before each `GroundLink.poll`.
    public func collect() {
        if let s = channels.snapshots.popLatest() { latest = s }
        while let t = channels.timing.pop() {
            lastTiming = t
            if timingSamples % timingTextEvery == 0 {
                statusTexts.append(LinkStatusText(severity: .debug, text: t.statusText))
            }
            timingSamples += 1
        }
        // Replies nobody waits for: approvals, and commands whose wait timed out.
        while let reply = channels.replies.pop() { noteRefusal(reply) }
    }

    private func noteRefusal(_ reply: OperatorReply) {
        guard reply.hasRefusal else { return }
        var text = LinkStatusText(severity: .warning, text: "")
        text.text = reply.refusal
        statusTexts.append(text)
    }

    private func send(_ kind: OperatorRequest.Kind) -> UInt32? {
        let sequence = nextSequence
        nextSequence &+= 1
        return channels.requests.push(OperatorRequest(sequence: sequence, kind: kind)) ? sequence : nil
    }

    // MARK: VehicleLinkModel

    public func snapshot(nowUs: UInt64) -> VehicleSnapshot { latest }

    public var missionItemCount: Int { 0 }
    public func missionItem(at index: Int) -> LinkMissionItem? { nil }
    public func replaceMission(with items: [LinkMissionItem]) -> MissionRefusal? {
        MissionRefusal(result: .mavMissionDenied, reason: "mission comes from the mission file; upload refused")
    }
    public func clearMission() -> MissionRefusal? {
        MissionRefusal(result: .mavMissionDenied, reason: "mission comes from the mission file; clear refused")
    }
    public func setCurrentMissionItem(_ index: Int) -> Bool { false }

    public var parameterCount: Int { parameters.count }
    public func parameter(at index: Int) -> LinkParameter? {
        index >= 0 && index < parameters.count ? parameters[index] : nil
    }
    public func parameterIndex(of id: ParameterID) -> Int? { parameters.firstIndex { $0.id == id } }
    public func setParameter(at index: Int, to value: Double) -> ParameterSetOutcome {
        .refused(reason: "read-only in flight: set it in the --params file")
    }

    public func perform(_ command: VehicleCommand, nowUs: UInt64) -> MAVResult {
        guard let sequence = send(.command(command)) else {
            statusTexts.append(LinkStatusText(severity: .warning, text: "command queue full, try again"))
            return .temporarilyRejected
        }
        var waitedUs: UInt64 = 0
        while waitedUs < replyTimeoutUs {
            while let reply = channels.replies.pop() {
                noteRefusal(reply)
                if reply.sequence == sequence { return reply.result }
            }
            sleepUs(1_000)
            waitedUs += 1_000
        }
        repliesTimedOut += 1
        statusTexts.append(LinkStatusText(severity: .warning, text: "command: no answer from the flight loop"))
        return .temporarilyRejected
    }

    public func receive(_ approval: LinkApproval, nowUs: UInt64) {
        if send(.approval(approval)) == nil {
            statusTexts.append(LinkStatusText(severity: .warning, text: "approval queue full, send again"))
        }
    }

    public func nextStatusText() -> LinkStatusText? {
        statusTexts.isEmpty ? nil : statusTexts.removeFirst()
    }
}
