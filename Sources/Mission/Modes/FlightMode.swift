import FlightMath

/// The vehicle's flight modes. The raw value is what MAVLink's HEARTBEAT custom_mode and the log's
/// vehicle_status.nav_state carry for Kestrel.
public enum FlightMode: UInt8, Sendable, CaseIterable, CustomStringConvertible, FixedTextWritable {
    case disarmed = 0
    /// Armed on the launcher, waiting for the launch to be detected.
    case standby = 1
    /// Catapult or hand launch: wings level on the launch heading, climbing to the launch height.
    case launch = 2
    /// Flying the plan's items.
    case mission = 3
    /// Holding an orbit (after a wave-off, a hold command, or a failsafe that chose loiter).
    case loiter = 4
    /// Loitering over the designation with an approval request out.
    case approvalPending = 5
    /// Approved: flying the terminal approach to the designated point.
    case terminal = 6
    /// Left the terminal phase: climbing back to the loiter.
    case waveOff = 7
    case returnToLaunch = 8
    /// No usable position: a constant-bank orbit on attitude and baro height until navigation recovers.
    case failsafe = 9

    public var description: String { logName.description }

    /// The name logs and refusals print.
    public var logName: StaticString {
        switch self {
        case .disarmed: "disarmed"
        case .standby: "standby"
        case .launch: "launch"
        case .mission: "mission"
        case .loiter: "loiter"
        case .approvalPending: "approval-pending"
        case .terminal: "terminal"
        case .waveOff: "wave-off"
        case .returnToLaunch: "rtl"
        case .failsafe: "failsafe"
        }
    }

    public func write(to text: inout FixedText) { text.append(logName) }
}
