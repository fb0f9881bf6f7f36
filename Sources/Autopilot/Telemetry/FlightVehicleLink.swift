import FlightMath
import Guidance
import MAVLink
import Mission

/// The ground link's model of the flying vehicle, on the telemetry thread. It never touches the flight stack:
/// state comes from the latest snapshot the real-time thread published, commands and approvals go to it as
/// `OperatorRequest`s and their answers come back as `OperatorReply`s, all through `RuntimeChannels`.
///
/// A command's COMMAND_ACK carries the flight stack's own verdict: `perform` waits (on this thread, sleeping
/// 1 ms at a time, at most `replyTimeoutUs`) for the reply; the real-time thread answers within a tick or two.
/// Missions: download is the plan the daemon flies (the mission file's, or the last accepted upload); an upload or a
/// clear is converted and validated here, handed to the real-time thread by reference (`MissionHandoff`) and
/// answered with the flight stack's own verdict (refused while armed); set-current goes as a request. Parameters are
/// a read-only
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
    private var mission: [LinkMissionItem]
    private let guidance: GuidanceConfig
    /// Timing samples received, and every how many one goes out as STATUSTEXT.
    private var timingSamples: UInt64 = 0
    private let timingTextEvery: UInt64
    public private(set) var lastTiming: RuntimeTimingSample?
    public private(set) var repliesTimedOut = 0

    public init(channels: RuntimeChannels, policy: FailsafePolicy, baseRateHz: Int, airframe: AirframeParameters? = nil,
                missionFile: MissionFile? = nil, timingTextEvery: UInt64 = 5,
                replyTimeoutUs: UInt64 = 250_000, sleepUs: @escaping (UInt64) -> Void) {
        self.channels = channels
        self.sleepUs = sleepUs
        mission = missionFile.map(LinkMissionConversion.linkItems) ?? []
        guidance = airframe?.settings.guidance ?? .defaults
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

    public var missionItemCount: Int { mission.count }
    public func missionItem(at index: Int) -> LinkMissionItem? {
        index >= 0 && index < mission.count ? mission[index] : nil
    }

    public func replaceMission(with items: [LinkMissionItem]) -> MissionRefusal? {
        do {
            let file = try LinkMissionConversion.missionFile(items, guidance: guidance)
            if let refusal = handOff(file) { return refusal }
            mission = items
            return nil
        } catch {
            return error
        }
    }

    public func clearMission() -> MissionRefusal? {
        if let refusal = handOff(nil) { return refusal }
        mission = []
        return nil
    }

    public func setCurrentMissionItem(_ index: Int) -> Bool {
        guard let sequence = send(.setCurrentMissionItem(index)) else { return false }
        return awaitReply(sequence) == .accepted
    }

    /// Sends a mission change to the real-time thread and waits for its verdict.
    private func handOff(_ file: MissionFile?) -> MissionRefusal? {
        releaseReturnedMissions()
        let sequence = nextSequence
        nextSequence &+= 1
        let box = Unmanaged.passRetained(MissionHandoff(sequence: sequence, file: file))
        guard channels.missions.push(box) else {
            box.release()
            return MissionRefusal(result: .mavMissionDenied, reason: "busy with the last mission change, try again")
        }
        let result = awaitReply(sequence)
        releaseReturnedMissions()
        switch result {
        case .accepted: return nil
        case .temporarilyRejected:
            return MissionRefusal(result: .mavMissionOperationCancelled, reason: "no answer from the flight loop")
        default: return MissionRefusal(result: .mavMissionDenied, reason: lastRefusalText ?? "refused")
        }
    }

    private func releaseReturnedMissions() {
        while let box = channels.returnedMissions.pop() { box.release() }
    }

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
        return awaitReply(sequence)
    }

    /// The refusal text of the last reply that had one (for MISSION_ACK reasons).
    private var lastRefusalText: String?

    /// Waits (sleeping 1 ms at a time, at most `replyTimeoutUs`) for the real-time thread's reply to `sequence`.
    private func awaitReply(_ sequence: UInt32) -> MAVResult {
        var waitedUs: UInt64 = 0
        while waitedUs < replyTimeoutUs {
            while let reply = channels.replies.pop() {
                noteRefusal(reply)
                if reply.sequence == sequence {
                    lastRefusalText = reply.hasRefusal ? reply.refusal.text : nil
                    return reply.result
                }
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
