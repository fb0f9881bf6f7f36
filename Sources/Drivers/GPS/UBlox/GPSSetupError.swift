import DeviceIO

/// Why the GPS receiver could not be set up at start, naming the port, the speeds and what was heard.
public enum GPSSetupError: Error, Equatable, Sendable, CustomStringConvertible {
    case port(DeviceError)
    /// No checksum-valid UBX frame or NMEA sentence at any speed tried.
    case noReceiver(port: String, baudRatesTried: [Int], heard: String)
    /// Something speaks NMEA at `baudRate` but does not answer a UBX-MON-VER poll: not a u-blox, or its UBX input is
    /// switched off.
    case notUBlox(port: String, baudRate: Int, heard: String)
    case unsupportedReceiver(port: String, version: String, reason: String)
    /// The receiver answered a configuration message with UBX-ACK-NAK.
    case refused(port: String, message: String, baudRate: Int)
    case noAcknowledgement(port: String, message: String, baudRate: Int, attempts: Int)
    /// Configured, but the navigation output did not arrive at the board's speed.
    case noNavigationOutput(port: String, baudRate: Int, expected: String, waitedMs: Int, heard: String)
    /// The whole set-up ran out of its time budget.
    case timedOut(port: String, step: String, budgetMs: Int)

    public var description: String {
        switch self {
        case .port(let e):
            return e.description
        case let .noReceiver(port, bauds, heard):
            return "no u-blox answered on \(port) at \(Self.list(bauds)) baud (\(heard)): check power, that the "
                + "receiver's TX goes to the board's RX and RX to TX, and that the serial console is off"
        case let .notUBlox(port, baud, heard):
            return "a receiver talks on \(port) at \(baud) baud (\(heard)) but does not answer UBX-MON-VER: not a "
                + "u-blox, or its UBX input is off; for a pre-configured or NMEA-only receiver set [gps] "
                + "configure = false (and protocol = \"nmea\" if it only speaks NMEA)"
        case let .unsupportedReceiver(port, version, reason):
            return "the receiver on \(port) (\(version)) cannot be used: \(reason)"
        case let .refused(port, message, baud):
            return "the receiver on \(port) at \(baud) baud refused \(message) (UBX-ACK-NAK): the setting is not "
                + "supported by this receiver or firmware"
        case let .noAcknowledgement(port, message, baud, attempts):
            return "the receiver on \(port) at \(baud) baud did not acknowledge \(message) after \(attempts) tries"
        case let .noNavigationOutput(port, baud, expected, waited, heard):
            return "after configuration no \(expected) arrived on \(port) at \(baud) baud within \(waited) ms "
                + "(\(heard)): the receiver did not take the new speed or output settings"
        case let .timedOut(port, step, budget):
            return "the GPS set-up on \(port) ran out of its \(budget) ms budget while \(step)"
        }
    }

    /// "9600, 38400 … 460800" style list of speeds.
    static func list(_ bauds: [Int]) -> String {
        bauds.map(String.init).joined(separator: ", ")
    }
}
