import ConfigFiles

/// `[sensors]`: error models of the simulated sensors. All random parts are 1σ values; the draws come from the
/// scenario's seed, so a run is reproducible.
public struct SensorsSection: Codable, Hashable, Sendable, ValidatedConfig {
    public var imu: IMUSensorSection
    public var baro: BaroSensorSection
    public var gps: GPSSensorSection
    public var mag: MagSensorSection
    public var airspeed: AirspeedSensorSection

    public func validate() throws(ConfigValueError) {}
}

func requireRate(_ hz: Double, _ key: String) throws(ConfigValueError) {
    guard hz.isFinite, hz >= 1, hz <= 1000 else {
        throw ConfigValueError(keyPath: key, reason: "\(hz) Hz is outside the accepted range 1…1000 Hz")
    }
}
