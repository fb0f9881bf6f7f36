import FlightMath
import Guidance
import MAVLink
import Mission
import Vehicle

/// The ground link's model of the flying vehicle, on the telemetry thread. It never touches the flight stack:
/// state comes from the latest snapshot the real-time thread published, commands and approvals go to it as
/// `OperatorRequest`s and their answers come back as `OperatorReply`s, all through `RuntimeChannels`.
///
/// A command's COMMAND_ACK carries the flight stack's own verdict: `perform` waits (on this thread, sleeping
/// 1 ms at a time, at most `replyTimeoutUs`) for the reply; the real-time thread answers within a tick or two.
/// Missions: download is the plan the daemon flies: the mission file's (encoded from its items), or the last accepted
/// upload, item by item as the ground station sent it (`LinkMissionItem.uploaded`). Every mission
/// is built here, off the real-time thread (`PreparedMission`): the flown one as soon as a snapshot shows the
/// navigation origin, an upload at once when the origin is known (so a plan that does not fit home is refused with
/// its reason). It goes to the real-time thread by reference (`MissionHandoff`), which only installs it and answers
/// with the flight stack's own verdict (refused while armed); set-current goes as a request. Parameters are the
/// failsafe policy (read-only: from the mission or scenario file), the loop rate and every airframe tunable as the
/// vehicle started with them (airframe file plus `--params`). In `kestrel fly` they are read-only (changed in the
/// parameter file, they take effect at the next start); `kestrel sim` sets `parameterSaver`, and then an airframe
/// tunable can be set on the ground while disarmed: checked here, handed to the stack (`SettingsHandoff`), saved.
public final class FlightVehicleLink: VehicleLinkModel {
    private let channels: RuntimeChannels
    /// How a wait for a reply passes time: a sleep on the wall clock in flight; in lockstep SITL, simulated steps.
    public var sleepUs: (UInt64) -> Void
    private let replyTimeoutUs: UInt64
    private var latest = VehicleSnapshot()
    /// The link sequence number of each flown plan item (`LinkMissionConversion.flownItemSequence`).
    private var flownSequence: [Int] = []
    private var nextSequence: UInt32 = 1
    private var statusTexts: [LinkStatusText] = []
    private var parameters: [LinkParameter]
    /// The airframe's tunables as set so far, and where the first of them sits in `parameters`.
    public private(set) var airframe: AirframeParameters?
    private let airframeIndexBase: Int
    /// Saves the tunables after a set from the ground (returns why it could not); nil: parameters are read-only.
    public var parameterSaver: ((AirframeParameters) -> String?)?
    private var mission: [LinkMissionItem]
    private let guidance: GuidanceConfig
    private let missionSetup: MissionSetup?
    /// The mission the vehicle has (the file's, or the last accepted upload) and whether it still has to be built
    /// for the navigation origin and handed over.
    private var missionFile: MissionFile?
    private var missionSource: String
    private var missionNeedsBuild: Bool
    /// Checks approvals before they reach the real-time thread (see `ApprovalScreen`).
    private(set) var approvalScreen: ApprovalScreen
    private var lastScreenTextUs: UInt64?
    /// Missions built here, for the report.
    public private(set) var missionsBuilt = 0
    /// Timing samples received, and every how many one goes out as STATUSTEXT.
    private var timingSamples: UInt64 = 0
    private let timingTextEvery: UInt64
    public private(set) var lastTiming: RuntimeTimingSample?
    public private(set) var repliesTimedOut = 0
    /// Whether timing samples also go out as debug STATUSTEXT (only where a ground link takes them; without one
    /// the lockstep SITL would make a string it never sends).
    public var emitsTimingText = true

    /// - Parameter missionSetup: what a mission is built with (nil: missions are not built here, as when the
    ///   flight stack prepares them itself).
    public init(channels: RuntimeChannels, policy: FailsafePolicy, baseRateHz: Int, airframe: AirframeParameters? = nil,
                missionFile: MissionFile? = nil, missionSource: String = "", missionSetup: MissionSetup? = nil,
                timingTextEvery: UInt64 = 5, replyTimeoutUs: UInt64 = 250_000, sleepUs: @escaping (UInt64) -> Void) {
        self.channels = channels
        self.missionFile = missionFile
        self.missionSource = missionSource
        self.missionSetup = missionSetup
        approvalScreen = ApprovalScreen(operators: missionSetup?.operators)
        missionNeedsBuild = missionFile != nil && missionSetup != nil
        self.sleepUs = sleepUs
        mission = missionFile.map(LinkMissionConversion.linkItems) ?? []
        flownSequence = LinkMissionConversion.flownItemSequence(mission)
        guidance = airframe?.settings.guidance ?? .defaults
        self.replyTimeoutUs = replyTimeoutUs
        self.timingTextEvery = max(1, timingTextEvery)
        self.airframe = airframe
        let fixed = GroundParameters.failsafe(policy)
            + [GroundParameters.real("LOOP_RATE_HZ", Double(baseRateHz))].compactMap { $0 }
        airframeIndexBase = fixed.count
        parameters = fixed + (airframe?.parameters ?? []).compactMap(GroundParameters.airframe)
    }

    /// Takes what the real-time thread published since the last call. Call before each `GroundLink.poll`.
    public func collect() {
        if let s = channels.snapshots.popLatest() { adopt(s) }
        while let t = channels.timing.pop() {
            lastTiming = t
            if emitsTimingText, timingSamples % timingTextEvery == 0 {
                statusTexts.append(LinkStatusText(severity: .debug, text: t.statusText))
            }
            timingSamples += 1
        }
        // Replies nobody waits for: approvals, mission installs, and commands whose wait timed out.
        while let reply = channels.replies.pop() { noteRefusal(reply) }
        releaseReturnedMissions()
        installMissionIfDue()
    }

    /// Takes a snapshot unless the link already has a newer one (a reply's state can be older than the latest
    /// periodic snapshot, or newer).
    private func adopt(_ snapshot: VehicleSnapshot) {
        guard snapshot.vehicleTimeUs >= latest.vehicleTimeUs else { return }
        noteReconfigurations(from: latest, to: snapshot)
        latest = snapshot
    }

    /// A chip found reset and configured again is a power problem the operator must hear of (a brown-out on the
    /// sensor or servo supply tends to come back): one warning per time it happened.
    private func noteReconfigurations(from old: VehicleSnapshot, to new: VehicleSnapshot) {
        func note(_ name: String, _ before: UInt64, _ now: UInt64) {
            guard now > before else { return }
            // STATUSTEXT holds 50 characters.
            statusTexts.append(LinkStatusText(severity: .warning, text: "\(name) reset, configured again: check power"))
        }
        note("IMU", old.imuReconfigurations, new.imuReconfigurations)
        note("barometer", old.baroReconfigurations, new.baroReconfigurations)
        note("servo board", old.outputReconfigurations, new.outputReconfigurations)
    }

    private func noteRefusal(_ reply: OperatorReply) {
        if let after = reply.after { adopt(after) }
        guard let text = reply.text else { return }
        statusTexts.append(LinkStatusText(severity: .warning, text: text))
    }

    /// Builds the mission for the navigation origin once a snapshot shows one, and hands it over (no wait: the
    /// reply is noted like any other).
    private func installMissionIfDue() {
        guard missionNeedsBuild, let file = missionFile, let origin = latest.navigationOrigin,
              let prepared = build(file, source: missionSource, home: origin) else { return }
        if let error = prepared.error {
            statusTexts.append(LinkStatusText(severity: .error, text: "mission: \(error.detail)"))
        }
        let sequence = nextSequence
        nextSequence &+= 1
        let box = Unmanaged.passRetained(MissionHandoff(sequence: sequence, mission: prepared))
        if channels.missions.push(box) { missionNeedsBuild = false } else { box.release() }
    }

    private func build(_ file: MissionFile, source: String, home: Geodetic) -> PreparedMission? {
        guard let setup = missionSetup else { return nil }
        missionsBuilt += 1
        // The launch heading is taken again when the real-time thread installs it.
        return PreparedMission.prepare(file: file, source: source, home: home, guidance: guidance, setup: setup,
                                       launchHeadingRad: latest.attitude.yawRad)
    }

    private func send(_ kind: OperatorRequest.Kind) -> UInt32? {
        let sequence = nextSequence
        nextSequence &+= 1
        let request = OperatorRequest(sequence: sequence, kind: kind)
        if case .approval(let approval) = kind, approval.decision == .waveOff {
            return channels.waveOffs.push(request) ? sequence : nil
        }
        return channels.requests.push(request) ? sequence : nil
    }

    // MARK: VehicleLinkModel

    /// The latest state, with mission items numbered as the ground station numbers them (`flownItemSequence`).
    public func snapshot(nowUs: UInt64) -> VehicleSnapshot {
        var s = latest
        s.currentMissionItem = linkSequence(ofPlanItem: s.currentMissionItem)
        s.lastReachedMissionItem = s.lastReachedMissionItem.map(linkSequence(ofPlanItem:))
        return s
    }

    /// The sequence number of plan item `index` in the mission as the ground station has it.
    private func linkSequence(ofPlanItem index: Int) -> Int {
        index >= 0 && index < flownSequence.count ? flownSequence[index] : index
    }

    public var missionItemCount: Int { mission.count }
    public func missionItem(at index: Int) -> LinkMissionItem? {
        index >= 0 && index < mission.count ? mission[index] : nil
    }

    public func replaceMission(with items: [LinkMissionItem]) -> MissionRefusal? {
        let file: MissionFile
        do { file = try LinkMissionConversion.missionFile(items, guidance: guidance) } catch { return error }
        let source = "uploaded mission"
        var next = PreparedMission(file: file, source: source)
        if let origin = latest.navigationOrigin, let built = build(file, source: source, home: origin) {
            if let error = built.error { return MissionRefusal(result: .mavMissionDenied, reason: error.detail) }
            next = built
        }
        let ready = next.isReady
        if let refusal = handOff(next) { return refusal }
        mission = items
        flownSequence = LinkMissionConversion.flownItemSequence(items)
        missionFile = file
        missionSource = source
        missionNeedsBuild = !ready && missionSetup != nil
        return nil
    }

    public func clearMission() -> MissionRefusal? {
        if let refusal = handOff(.none) { return refusal }
        mission = []
        flownSequence = []
        missionFile = nil
        missionNeedsBuild = false
        return nil
    }

    /// `sequence` numbers the mission as the ground station has it; an item that is not flown (the designation, a
    /// terminal request) cannot be made current.
    public func setCurrentMissionItem(_ sequence: Int) -> Bool {
        guard let planIndex = flownSequence.firstIndex(of: sequence) else { return false }
        guard let sequence = send(.setCurrentMissionItem(planIndex)) else { return false }
        return awaitReply(sequence) == .accepted
    }

    /// Sends a mission change to the real-time thread and waits for its verdict.
    private func handOff(_ mission: PreparedMission) -> MissionRefusal? {
        releaseReturnedMissions()
        let sequence = nextSequence
        nextSequence &+= 1
        let box = Unmanaged.passRetained(MissionHandoff(sequence: sequence, mission: mission))
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
        guard let save = parameterSaver else {
            return .refused(reason: "read-only in flight: set it in the --params file")
        }
        let i = index - airframeIndexBase
        guard var candidate = airframe, i >= 0, i < candidate.parameters.count, index < parameters.count else {
            return .refused(reason: "read-only (from the mission or scenario file)")
        }
        let name = candidate.parameters[i].name
        let stored: Double
        do { stored = try candidate.set(name, to: value) } catch { return .refused(reason: error.reason) }
        releaseReturnedSettings()
        let sequence = nextSequence
        nextSequence &+= 1
        let box = SettingsHandoff(sequence: sequence, settings: candidate.settings)
        let boxed = Unmanaged.passRetained(box)
        guard channels.settingsChanges.push(boxed) else {
            boxed.release()
            return .refused(reason: "busy with the last parameter change, try again")
        }
        let result = awaitReply(sequence)
        releaseReturnedSettings()
        guard result == .accepted else { return .refused(reason: lastRefusalText ?? "no answer from the flight loop") }
        airframe = candidate
        parameters[index].value = stored
        if let failure = save(candidate) { return .refused(reason: "\(name) set, but \(failure)") }
        if box.restartNeeded {
            statusTexts.append(LinkStatusText(severity: .notice, text: "\(name) takes effect at the next start"))
        }
        return .accepted(value: stored)
    }

    private func releaseReturnedSettings() {
        while let box = channels.returnedSettings.pop() { box.release() }
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
                    lastRefusalText = reply.text
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

    /// Hands the approval (or wave-off) over and waits for the gate's verdict, like a command: the ground link then
    /// reports TERMINAL_STATUS from the state right after it (`OperatorReply.after`).
    ///
    /// First the `ApprovalScreen`: signatures are checked here, off the real-time thread and within a budget, and
    /// only approvals that verify go on (the gate checks them again and decides). What it drops is reported as a
    /// STATUSTEXT at most once a second.
    public func receive(_ approval: LinkApproval, nowUs: UInt64) {
        if case .drop(let reason) = approvalScreen.judge(approval, nowUs: nowUs) {
            if lastScreenTextUs.map({ nowUs < $0 || nowUs - $0 >= 1_000_000 }) ?? true {
                lastScreenTextUs = nowUs
                statusTexts.append(LinkStatusText(
                    severity: .warning,
                    text: "\(approval.decision == .waveOff ? "wave-off" : "approval") dropped: \(reason.text)"))
            }
            return
        }
        guard let sequence = send(.approval(approval)) else {
            statusTexts.append(LinkStatusText(severity: .warning, text: "approval queue full, send again"))
            return
        }
        _ = awaitReply(sequence)
    }

    public func nextStatusText() -> LinkStatusText? {
        statusTexts.isEmpty ? nil : statusTexts.removeFirst()
    }
}
