import Atomics
import LockFree
import MAVLink

/// Everything the real-time, telemetry and log threads exchange, all of it lock-free single-producer /
/// single-consumer rings of fixed-size values, plus one atomic. Built before any thread starts.
///
/// | ring | producer → consumer | carries |
/// |---|---|---|
/// | `snapshots` | real-time → telemetry | `VehicleSnapshot` at 50 Hz (32 slots: 0.64 s of telemetry stall) |
/// | `timing` | real-time → telemetry | `RuntimeTimingSample` once a second |
/// | `requests` | telemetry → real-time | `OperatorRequest` (commands, approvals) |
/// | `waveOffs` | telemetry → real-time | wave-offs only, taken before any other request: never queued behind them |
/// | `replies` | real-time → telemetry | `OperatorReply` per request |
/// | `freshLoggers` | log → real-time | the next flight log, opened on the log thread |
/// | `retiredLoggers` | real-time → log | a finished flight's log, to flush and close |
/// | `missions` | telemetry → real-time | an uploaded or cleared mission (`MissionHandoff`, by reference) |
/// | `returnedMissions` | real-time → telemetry | the handoff back, to be released off the real-time thread |
/// | `settingsChanges` | telemetry → real-time | airframe settings set from the ground (`SettingsHandoff`, SITL) |
/// | `returnedSettings` | real-time → telemetry | the handoff back, to be released there |
///
/// The log records themselves go through each `FlightLogger`'s own record ring (real-time → log).
public final class RuntimeChannels: @unchecked Sendable {
    public let snapshots: SPSCValueRing<VehicleSnapshot>
    public let timing: SPSCValueRing<RuntimeTimingSample>
    public let requests: SPSCValueRing<OperatorRequest>
    /// Wave-offs have their own ring, so no flood of other requests can fill it or delay them.
    public let waveOffs: SPSCValueRing<OperatorRequest>
    public let replies: SPSCValueRing<OperatorReply>
    public let freshLoggers: SPSCValueRing<Unmanaged<FlightLogger>>
    public let retiredLoggers: SPSCValueRing<Unmanaged<FlightLogger>>
    let missions: SPSCValueRing<Unmanaged<MissionHandoff>>
    let returnedMissions: SPSCValueRing<Unmanaged<MissionHandoff>>
    let settingsChanges: SPSCValueRing<Unmanaged<SettingsHandoff>>
    let returnedSettings: SPSCValueRing<Unmanaged<SettingsHandoff>>
    /// Monotonic µs of the last ground-station heartbeat the telemetry thread heard; 0 = none yet.
    public let lastGroundContactUs = ManagedAtomic<UInt64>(0)
    /// Log records the real-time thread lost because the current log's ring was full, summed over logs.
    public let logRecordsDropped = ManagedAtomic<UInt64>(0)

    public init() {
        do {
            snapshots = try SPSCValueRing(capacity: 32)
            timing = try SPSCValueRing(capacity: 8)
            requests = try SPSCValueRing(capacity: 16)
            waveOffs = try SPSCValueRing(capacity: 4)
            replies = try SPSCValueRing(capacity: 16)
            freshLoggers = try SPSCValueRing(capacity: 4)
            retiredLoggers = try SPSCValueRing(capacity: 4)
            missions = try SPSCValueRing(capacity: 2)
            returnedMissions = try SPSCValueRing(capacity: 4)
            settingsChanges = try SPSCValueRing(capacity: 2)
            returnedSettings = try SPSCValueRing(capacity: 4)
        } catch {
            // The capacities above are constants that satisfy the ring's rules.
            preconditionFailure("\(error)")
        }
    }

    /// The operator requests the real-time side takes this tick: at most two, bounding the tick's extra work; a
    /// waiting wave-off always comes first.
    func takeOperatorRequests() -> (OperatorRequest?, OperatorRequest?) {
        guard let first = waveOffs.pop() ?? requests.pop() else { return (nil, nil) }
        return (first, requests.pop())
    }

    /// The rings by name, for the exit report.
    public var overflowReport: [(name: String, pushed: UInt64, overflows: UInt64)] {
        [("snapshots rt->tm", snapshots.pushed, snapshots.overflows),
         ("timing rt->tm", timing.pushed, timing.overflows),
         ("requests tm->rt", requests.pushed, requests.overflows),
         ("wave-offs tm->rt", waveOffs.pushed, waveOffs.overflows),
         ("replies rt->tm", replies.pushed, replies.overflows),
         ("loggers log->rt", freshLoggers.pushed, freshLoggers.overflows),
         ("loggers rt->log", retiredLoggers.pushed, retiredLoggers.overflows),
         ("missions tm->rt", missions.pushed, missions.overflows),
         ("missions rt->tm", returnedMissions.pushed, returnedMissions.overflows),
         ("settings tm->rt", settingsChanges.pushed, settingsChanges.overflows),
         ("settings rt->tm", returnedSettings.pushed, returnedSettings.overflows)]
    }

    public var totalOverflows: UInt64 {
        snapshots.overflows &+ timing.overflows &+ requests.overflows &+ waveOffs.overflows &+ replies.overflows
            &+ freshLoggers.overflows &+ retiredLoggers.overflows &+ missions.overflows &+ returnedMissions.overflows
            &+ settingsChanges.overflows &+ returnedSettings.overflows
    }
}
