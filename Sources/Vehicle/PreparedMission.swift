import FlightMath
import Guidance
import Mission

/// A mission as the flight stack flies it: the plan checked against home, the flight-mode machine with its gate and
/// fence, and the plan sequencer. Building one allocates (arrays, logs), so in `kestrel fly` it is built on the
/// telemetry thread and the real-time thread only installs it (`FlightStack.installMission`); `kestrel sim` builds
/// it in line when navigation gets its origin. Either way through `prepare`, the one place a mission is built.
public struct PreparedMission {
    /// The mission as loaded; nil: no mission.
    public var file: MissionFile?
    public var source: String
    /// Nil until built against home (or when building failed, see `error`).
    public var machine: FlightModeMachine<VehicleNonceSource>?
    public var sequencer: PlanSequencer?
    /// Why the mission could not be built (plan, fence or gate configuration).
    public var error: MissionPreparationError?

    /// No mission at all.
    public static var none: PreparedMission { PreparedMission(file: nil, source: "") }

    /// A mission loaded but not built yet: navigation has no origin.
    public init(file: MissionFile?, source: String) {
        self.file = file
        self.source = source
    }

    /// Builds `file` against `home`. A failure is kept in `error` (the stack then refuses to arm), so the result
    /// can always be installed.
    public static func prepare(file: MissionFile, source: String, home: Geodetic, guidance: GuidanceConfig,
                               setup: MissionSetup, launchHeadingRad: Double) -> PreparedMission {
        var prepared = PreparedMission(file: file, source: source)
        do {
            let plan = try file.plan(home: home, exclusion: setup.policy.terminalExclusion, source: source)
            prepared.sequencer = PlanSequencer(plan: plan, settings: PlanSequencer.Settings(
                rtlHeightM: guidance.rtlAltitudeM, holdRadiusM: guidance.loiterRadiusM,
                turnRadiusM: guidance.turnRadiusM(speedMps: guidance.cruiseAirspeedMps)))
            var policy = setup.policy
            policy.rtlHeightM = guidance.rtlAltitudeM
            policy.holdRadiusM = max(policy.holdRadiusM, guidance.loiterRadiusM)
            let gate = TerminalGate(
                configuration: try policy.gateConfiguration(vehicleID: setup.vehicleID,
                                                            requestLifetimeUs: setup.requestLifetimeUs),
                operators: setup.operators, entropy: setup.nonceSource)
            let fence = try setup.fence.map { f in
                try Geofence(polygonDeg: f.polygonDeg.map { ($0.latitude, $0.longitude) }, floorM: f.floorM,
                             ceilingM: f.ceilingM, frame: LocalFrame(origin: home))
            }
            prepared.machine = FlightModeMachine(plan: plan, geofence: fence, policy: policy, gate: gate,
                                                 launchHeadingRad: launchHeadingRad)
        } catch let error as MissionFileError {
            prepared.sequencer = nil
            prepared.error = MissionPreparationError(description: "\(error)", detail: error.error.description)
        } catch {
            prepared.sequencer = nil
            prepared.error = MissionPreparationError(description: "\(source): \(error)", detail: "\(error)")
        }
        return prepared
    }

    /// Built and ready to fly.
    public var isReady: Bool { machine != nil }
}

/// Why a mission could not be built against home.
public struct MissionPreparationError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The whole message, naming the mission's source.
    public let description: String
    /// The message without the source (an upload's refusal names no file).
    public let detail: String
}
