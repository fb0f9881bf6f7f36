/// What the ground link needs from the vehicle. The autopilot implements it; the link calls it from the telemetry
/// thread inside `GroundLink.poll`, never from anywhere else, so an implementation that shares state with the
/// flight thread does so through its own lock-free queues/snapshots.
///
/// The link does the protocol (sequencing, retries, acks, signing policy); the model owns every decision about the
/// vehicle: it validates uploaded missions, range-checks parameters, accepts or refuses commands and hands
/// approvals to the terminal gate.
public protocol VehicleLinkModel: AnyObject {
    /// The vehicle's current state, read once per poll for heartbeats and telemetry streams.
    func snapshot(nowUs: UInt64) -> VehicleSnapshot

    // MARK: Mission storage

    /// Items of the stored mission (what a download returns).
    var missionItemCount: Int { get }
    /// Item `index` (0-based) of the stored mission, or nil outside `0..<missionItemCount`. Return an uploaded item
    /// as `replaceMission` received it (with its `uploaded` fields): a download then gives the ground station back
    /// exactly what it sent.
    func missionItem(at index: Int) -> LinkMissionItem?
    /// A complete uploaded mission. Return nil to accept it (it then replaces the stored one) or the reason it
    /// was refused (the stored mission is then unchanged).
    func replaceMission(with items: [LinkMissionItem]) -> MissionRefusal?
    /// MISSION_CLEAR_ALL. Nil when cleared.
    func clearMission() -> MissionRefusal?
    /// MISSION_SET_CURRENT: continue the mission at item `index`. False refuses it (e.g. out of range).
    func setCurrentMissionItem(_ index: Int) -> Bool

    // MARK: Parameters

    var parameterCount: Int { get }
    /// Parameter `index` in `0..<parameterCount` (a stable order for PARAM_REQUEST_LIST), or nil.
    func parameter(at index: Int) -> LinkParameter?
    /// Index of the parameter called `id`, or nil if there is none.
    func parameterIndex(of id: ParameterID) -> Int?
    /// PARAM_SET: store `value` (already converted from the float wire encoding to the parameter's type).
    func setParameter(at index: Int, to value: Double) -> ParameterSetOutcome

    // MARK: Commands and approvals

    /// A command from a ground station that passed the signing policy. The result goes into COMMAND_ACK.
    func perform(_ command: VehicleCommand, nowUs: UInt64) -> MAVResult
    /// A TERMINAL_APPROVAL that passed the signing policy and addressing checks. The model maps it to the
    /// mission layer's `Approval` and the terminal gate; the outcome shows in `VehicleSnapshot.gate`.
    func receive(_ approval: LinkApproval, nowUs: UInt64)
    /// Next status text to send (STATUSTEXT), or nil. Called until nil on every poll.
    func nextStatusText() -> LinkStatusText?
}

/// A STATUSTEXT line. Longer texts are cut to 50 bytes (no chunking: keep operator messages short).
public struct LinkStatusText: Equatable, Sendable {
    public var severity: MAVSeverity
    public var text: MAVArray<50, UInt8>

    public init(severity: MAVSeverity, text: String) {
        self.severity = severity
        self.text = MAVArray(text: text)
    }
}
