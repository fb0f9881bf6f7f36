import FlightMath
import Guidance
import MAVLink
import Mission
import FlightRuntime

/// The MAVLink view of a running SITL flight: a `VehicleLinkModel` over the `SITLRun`'s flight stack, so a ground
/// station talks to the simulated vehicle exactly as to a real one. Polled by the run at each mission tick
/// (10 Hz simulated) in lockstep; link times are the run's simulated clock, approval times the gate's.
///
/// Parameters: the failsafe policy's values (read-only, from the scenario) and every airframe tunable, settable on
/// the ground and saved to the scenario's parameter file (`kestrel sim --params`).
///
/// Missions: download is the plan in use; an upload replaces it and a clear removes it while disarmed; set-current
/// moves the plan to an item. REPOSITION orbits the target (inside the geofence) at its relative height.
public final class SITLVehicleLink: VehicleLinkModel {
    private unowned let run: SITLRun
    private var statusTexts: [LinkStatusText] = []
    private var parameters: [LinkParameter] = []

    public init(run: SITLRun) {
        self.run = run
        parameters = GroundParameters.failsafe(run.stack.missionSetup.policy)
    }

    /// Attaches a ground link: polled at every mission tick; a ground-station heartbeat heard within the last
    /// second counts as ground contact for the link-loss failsafe.
    public static func attach(_ link: GroundLink, to run: SITLRun) {
        attach(link, to: run, unixTimeUs: { 0 })
    }

    /// As `attach(_:to:)`, with a UTC clock (µs since 1970) that dates outgoing MAVLink signatures and judges
    /// incoming ones; needed once the link has a signing key (peers refuse signatures dated 2015). Read on the
    /// run's thread at each mission tick.
    public static func attach(_ link: GroundLink, to run: SITLRun, unixTimeUs: @escaping () -> UInt64) {
        run.onMissionTick = { run, nowUs in
            link.poll(nowUs: nowUs, unixTimeUs: unixTimeUs())
            if let age = link.timeSinceAnyGCSHeartbeatUs(nowUs: nowUs), age <= 1_000_000 {
                run.noteGroundContact(atUs: nowUs - age)
            }
        }
    }

    // MARK: Snapshot

    public func snapshot(nowUs: UInt64) -> VehicleSnapshot { VehicleSnapshot(stack: run.stack, nowUs: nowUs) }

    // MARK: Mission

    /// An accepted upload, shown until the mode machine is rebuilt around it (at the next mission tick once
    /// navigation has its origin), so a ground station reads back what it sent at once.
    private var acceptedUpload: [LinkMissionItem]?

    private var linkMission: [LinkMissionItem] {
        guard let plan = run.stack.machine?.plan else { return acceptedUpload ?? [] }
        return LinkMissionConversion.linkItems(plan.items, designation: plan.designation?.position)
    }

    public var missionItemCount: Int { linkMission.count }

    public func missionItem(at index: Int) -> LinkMissionItem? {
        let items = linkMission
        return index >= 0 && index < items.count ? items[index] : nil
    }

    /// Uploads replace the plan while the vehicle is disarmed (`kestrel sim --arm-from-link` keeps it so).
    public func replaceMission(with items: [LinkMissionItem]) -> MissionRefusal? {
        do {
            let file = try LinkMissionConversion.missionFile(items, guidance: run.stack.settings.guidance)
            guard let refusal = run.replaceMission(file) else {
                acceptedUpload = items
                return nil
            }
            return MissionRefusal(result: .mavMissionDenied, reason: refusal)
        } catch {
            return error
        }
    }

    public func clearMission() -> MissionRefusal? {
        guard let refusal = run.clearMission() else {
            acceptedUpload = []
            return nil
        }
        return MissionRefusal(result: .mavMissionDenied, reason: refusal)
    }

    public func setCurrentMissionItem(_ index: Int) -> Bool { run.setCurrentMissionItem(index) }

    // MARK: Parameters

    /// The failsafe policy's values (read-only: they come from the scenario) and then every airframe tunable.
    public var parameterCount: Int { parameters.count + run.parameters.parameters.count }

    public func parameter(at index: Int) -> LinkParameter? {
        if index >= 0 && index < parameters.count { return parameters[index] }
        let airframe = run.parameters.parameters
        let i = index - parameters.count
        guard i >= 0, i < airframe.count else { return nil }
        return GroundParameters.airframe(airframe[i])
    }

    public func parameterIndex(of id: ParameterID) -> Int? {
        if let i = parameters.firstIndex(where: { $0.id == id }) { return i }
        return run.parameters.index(of: id.description).map { $0 + parameters.count }
    }

    public func setParameter(at index: Int, to value: Double) -> ParameterSetOutcome {
        guard index >= parameters.count, let p = parameter(at: index) else {
            return .refused(reason: "read-only in SITL (from the scenario)")
        }
        do {
            let (stored, note) = try run.setParameter(p.id.description, to: value)
            if let note { statusTexts.append(LinkStatusText(severity: .notice, text: note)) }
            return .accepted(value: stored)
        } catch {
            return .refused(reason: error.description)
        }
    }

    // MARK: Commands and approvals

    public func perform(_ command: VehicleCommand, nowUs: UInt64) -> MAVResult {
        var heightNote = false
        switch LinkCommandMapping.operatorCommand(command, stack: run.stack, heightNote: &heightNote) {
        case .refused(let result, let reason):
            statusTexts.append(LinkStatusText(severity: .warning, text: "\(reason)"))
            return result
        case .command(let operatorCommand):
            if heightNote {
                statusTexts.append(LinkStatusText(severity: .notice, text: "reposition: keeping the current height"))
            }
            guard let refusal = run.handle(operatorCommand, nowUs: nowUs) else { return .accepted }
            statusTexts.append(LinkStatusText(severity: .warning, text: refusal.description))
            return .denied
        }
    }

    public func receive(_ approval: LinkApproval, nowUs: UInt64) {
        let mapped: Approval
        do { mapped = try Approval(link: approval) } catch {
            statusTexts.append(LinkStatusText(severity: .warning, text: "approval: \(error)"))
            return
        }
        if let refusal = run.handle(.approval(mapped), nowUs: nowUs) {
            statusTexts.append(LinkStatusText(severity: .warning, text: "approval: \(refusal)"))
        }
    }

    public func nextStatusText() -> LinkStatusText? {
        statusTexts.isEmpty ? nil : statusTexts.removeFirst()
    }
}
