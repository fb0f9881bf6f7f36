import FlightMath
import RealModule

/// `vehicle_air_data`: the barometer sample the estimator consumes (PX4 field names; `baro_temp_celcius` is
/// PX4's spelling). `baro_alt_meter` is the ISA pressure altitude, for plots; replay uses the pressure.
public struct VehicleAirData: ULogTopic, Hashable {
    public static let topicName = "vehicle_air_data"
    public var timestampUs: UInt64 = 0
    public var timestampSampleUs: UInt64 = 0
    public var baroDeviceId: UInt32 = 0
    public var baroAltitudeM: Float = 0
    public var baroTemperatureC: Float = 0
    public var baroPressurePa: Float = 0
    /// Air density from pressure and the sensor's temperature, kg/m³.
    public var densityKgpm3: Float = 0

    public init() {}

    public init(timestampUs: UInt64, baro: BaroSample) {
        self.timestampUs = timestampUs
        timestampSampleUs = baro.timestampUs
        baroPressurePa = Float(baro.pressurePa)
        baroTemperatureC = Float(baro.temperatureC)
        baroAltitudeM = Float(Self.pressureAltitudeM(pressurePa: baro.pressurePa))
        densityKgpm3 = Float(PitotStatic.densityKgpm3(pressurePa: baro.pressurePa, temperatureC: baro.temperatureC))
    }

    /// The sample as the estimator received it (to float32 precision).
    public var baroSample: BaroSample {
        BaroSample(timestampUs: timestampSampleUs, pressurePa: Double(baroPressurePa),
                   temperatureC: Double(baroTemperatureC))
    }

    /// ISA troposphere: h = T0/L · (1 − (p/p0)^(R·L/g)).
    static func pressureAltitudeM(pressurePa: Double) -> Double {
        guard pressurePa > 0, pressurePa.isFinite else { return 0 }
        return 288.15 / 0.0065 * (1 - Double.pow(pressurePa / 101_325, 0.190_263))
    }

    public func encodeFields<V: ULogFieldVisitor>(into v: inout V) {
        v.scalar("timestamp_sample", timestampSampleUs)
        v.scalar("baro_device_id", baroDeviceId)
        v.scalar("baro_alt_meter", baroAltitudeM)
        v.scalar("baro_temp_celcius", baroTemperatureC)
        v.scalar("baro_pressure_pa", baroPressurePa)
        v.scalar("rho", densityKgpm3)
    }
}
