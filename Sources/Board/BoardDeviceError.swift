import DeviceIO
import Drivers

/// The devices a board file names, as the operator knows them.
public enum BoardDeviceRole: String, Sendable, Hashable, CaseIterable {
    case imu, barometer, airspeed, batteryMonitor = "battery monitor", gps = "GPS", safetySwitch = "safety switch"
    case pwm = "PWM outputs"
    case outputEnable = "PWM OE line"
}

/// A device of the board that could not be opened or brought up: which one, where, and the underlying error,
/// whose text carries the fix (enable the interface, check the address jumper, add the user to a group …).
public struct BoardDeviceError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Cause: Equatable, Sendable {
        case device(DeviceError)
        case driver(DriverError)
        /// The GPS receiver's start-up configuration failed (no answer, refused setting, no output afterwards).
        case gpsSetup(GPSSetupError)
        /// Not a failure of the device: something the check refused to do (a sweep with the switch in SAFE).
        case refused(String)
    }

    public let role: BoardDeviceRole
    /// "MPU-6050 at 0x68 on I2C bus 1", "/dev/ttyAMA0 at 115200 baud" …
    public let device: String
    public let cause: Cause

    public init(role: BoardDeviceRole, device: String, cause: Cause) {
        self.role = role
        self.device = device
        self.cause = cause
    }

    public var description: String {
        let detail: String
        switch cause {
        case .device(let e): detail = e.description
        case .driver(let e): detail = e.description
        case .gpsSetup(let e): detail = e.description
        case .refused(let reason): detail = reason
        }
        return "\(role.rawValue) (\(device)): \(detail)"
    }
}
