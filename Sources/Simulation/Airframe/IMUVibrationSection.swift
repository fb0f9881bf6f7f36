import ConfigFiles
import FlightMath

/// `[sensors.imu.vibration]`: what the propeller shakes into the IMU. A rotor's vibration is tonal: once per
/// revolution (imbalance) and at the blade-passing frequency, with amplitudes that grow with the square of the
/// rotor speed; the rest is broadband. Amplitudes are at full rotor speed, body FRD, as a log of a running motor
/// on the bench shows them before the chip's low-pass filter (the emulated chip's DLPF then acts on them as
/// the real one does).
public struct IMUVibrationSection: Codable, Hashable, Sendable, ValidatedConfig {
    /// Rotor speed at full throttle and full battery (the plant's speed fraction 1).
    public var rotorRPMAtFull: Double
    public var blades: Int
    /// Peak amplitude per axis of the once-per-revolution tone.
    public var accelOncePerRevMps2: [Double]
    /// Peak amplitude per axis of the blade-passing tone.
    public var accelBladePassMps2: [Double]
    public var gyroOncePerRevRadps: [Double]
    public var gyroBladePassRadps: [Double]
    /// 1σ per sample of the broadband part at full speed.
    public var accelBroadbandMps2: Double

    enum CodingKeys: String, CodingKey {
        case rotorRPMAtFull = "rotor_rpm_at_full", blades
        case accelOncePerRevMps2 = "accel_once_per_rev_mps2", accelBladePassMps2 = "accel_blade_pass_mps2"
        case gyroOncePerRevRadps = "gyro_once_per_rev_radps", gyroBladePassRadps = "gyro_blade_pass_radps"
        case accelBroadbandMps2 = "accel_broadband_mps2"
    }

    public func validate() throws(ConfigValueError) {
        try Self.require(rotorRPMAtFull, in: 100...60_000, "rotor_rpm_at_full", unit: "rpm")
        guard (1...8).contains(blades) else {
            throw ConfigValueError(keyPath: "blades", reason: "\(blades) is outside the accepted range 1…8")
        }
        try Self.requireTriad(accelOncePerRevMps2, "accel_once_per_rev_mps2", max: 100, unit: "m/s²")
        try Self.requireTriad(accelBladePassMps2, "accel_blade_pass_mps2", max: 100, unit: "m/s²")
        try Self.requireTriad(gyroOncePerRevRadps, "gyro_once_per_rev_radps", max: 5, unit: "rad/s")
        try Self.requireTriad(gyroBladePassRadps, "gyro_blade_pass_radps", max: 5, unit: "rad/s")
        try Self.require(accelBroadbandMps2, in: 0...50, "accel_broadband_mps2", unit: "m/s²")
    }

    static func requireTriad(_ v: [Double], _ key: String, max: Double, unit: String) throws(ConfigValueError) {
        guard v.count == 3 else {
            throw ConfigValueError(keyPath: key, reason: "needs 3 values (forward, right, down), found \(v.count)")
        }
        for (i, x) in v.enumerated() { try Self.require(x, in: 0...max, "\(key)[\(i)]", unit: unit) }
    }
}

extension Array where Element == Double {
    /// A validated three-value key as a vector.
    var triad: Vector3 { count == 3 ? Vector3(self[0], self[1], self[2]) : .zero }
}
