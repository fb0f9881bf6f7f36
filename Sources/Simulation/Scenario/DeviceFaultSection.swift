import ConfigFiles

/// `[[device_faults]]`: a chip that stops answering on its I2C bus for a while, injected at the emulated bus, so the
/// real driver meets it as on a board (a loose connector, a brown-out, a chip holding SCL), or a sensor whose value
/// sticks while the chip answers normally (a frozen ADC, a blocked pitot or static port):
///
///     [[device_faults]]
///     device = "barometer"     # imu | barometer | airspeed | servo_board
///     effect = "nack"          # nack: the address is not acknowledged; timeout: the transfer times out;
///                              # power_loss: not acknowledged, then back in its power-on state (a brown-out)
///     start_s = 120.0
///     duration_s = 10.0
public struct DeviceFaultSection: Codable, Hashable, Sendable, ValidatedConfig {
    public enum Device: String, Codable, Hashable, Sendable, CaseIterable {
        case imu, barometer, airspeed
        case servoBoard = "servo_board"
    }

    public enum Effect: String, Codable, Hashable, Sendable, CaseIterable {
        case nack, timeout
        case powerLoss = "power_loss"
        case stuck
    }

    public var device: Device
    public var effect: Effect
    public var startS: Double
    public var durationS: Double

    enum CodingKeys: String, CodingKey {
        case device, effect, startS = "start_s", durationS = "duration_s"
    }

    public func validate() throws(ConfigValueError) {
        try Self.require(startS, in: 0...86_400, "start_s", unit: "s")
        try Self.require(durationS, in: 0.001...86_400, "duration_s", unit: "s")
        if effect == .stuck, device == .servoBoard {
            throw ConfigValueError(keyPath: "effect", reason: "\"stuck\" applies to a sensor (imu, barometer, "
                                   + "airspeed); a servo board that stops taking commands is \"nack\" or \"timeout\"")
        }
    }
}
