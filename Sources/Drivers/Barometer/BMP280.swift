import DeviceIO
import FlightMath

/// Bosch BMP280 register addresses (datasheet section 4.2).
enum BMP280Register {
    static let calibration: UInt8 = 0x88  // 24 bytes, dig_T1 ... dig_P9
    static let chipID: UInt8 = 0xD0
    static let reset: UInt8 = 0xE0
    static let status: UInt8 = 0xF3  // measuring bit 3, im_update bit 0
    static let controlMeasurement: UInt8 = 0xF4  // osrs_t 7:5, osrs_p 4:2, mode 1:0
    static let config: UInt8 = 0xF5  // t_sb 7:5, filter 4:2
    static let pressureMSB: UInt8 = 0xF7  // 6 bytes: press msb/lsb/xlsb, temp msb/lsb/xlsb

    static let expectedChipID: UInt8 = 0x58
    static let resetCommand: UInt8 = 0xB6
    /// ADC value the chip reports for a measurement that was skipped (oversampling 0).
    static let skippedADC: Int32 = 0x80000
}

public struct BMP280Config: Hashable, Sendable {
    /// Oversampling setting codes 1...5 = ×1, ×2, ×4, ×8, ×16.
    public var pressureOversampling: UInt8
    public var temperatureOversampling: UInt8
    /// IIR filter code 0...4 = off, 2, 4, 8, 16.
    public var iirFilter: UInt8
    /// Standby code 0...7 between normal-mode conversions (0 = 0.5 ms).
    public var standby: UInt8
    /// Use the datasheet's 64-bit integer compensation instead of the double-precision one.
    public var integerCompensation: Bool

    /// The datasheet's "indoor navigation" profile: ×16 pressure, ×2 temperature, filter 16, 26.3 Hz ODR.
    public init(pressureOversampling: UInt8 = 5, temperatureOversampling: UInt8 = 2, iirFilter: UInt8 = 4,
                standby: UInt8 = 0, integerCompensation: Bool = false)
    {
        self.pressureOversampling = pressureOversampling
        self.temperatureOversampling = temperatureOversampling
        self.iirFilter = iirFilter
        self.standby = standby
        self.integerCompensation = integerCompensation
    }
}

/// Driver for the Bosch BMP280 barometer over I2C in normal (free-running) mode.
///
/// Register check: after a dip in its supply the chip sleeps with its oversampling and filter settings gone and
/// its result registers at the "skipped" code, so every read would fail for the rest of the flight. After a failed
/// read, or `repeatsBeforeCheck` repeated conversions in a row (a sleeping chip converts nothing new), the next read
/// first reads CTRL_MEAS and, if it is not what start-up wrote, writes CONFIG and CTRL_MEAS again (CONFIG is
/// written reliably only in sleep mode, which a reset chip is in).
public final class BMP280<Bus: I2CBus> {
    public static var defaultAddress: UInt8 { 0x76 }

    public let device: I2CDevice<Bus>
    public let config: BMP280Config
    public let calibration: BMP280Calibration
    public private(set) var health = SensorHealth()
    /// Reads by `readNew` that found the conversion already returned (the chip had not finished another).
    public private(set) var repeatedReads: UInt64 = 0
    /// The raw codes `readNew` last returned: the chip has no data-ready flag, so a new conversion shows as new
    /// codes. 40 bits of pressure and temperature, 20 of them noise-level pressure bits with the IIR filter on:
    /// two real conversions agreeing in all of them is rare, and then one sample is skipped, never one fused twice.
    private var lastRaw: (pressure: UInt32, temperature: UInt32)?
    /// CONFIG and CTRL_MEAS as start-up wrote them.
    let configValue: UInt8
    let controlValue: UInt8
    public static var repeatsBeforeCheck: Int { 5 }
    private var repeatsInARow = 0
    private var checkDue = false
    /// Times the chip was found reset (a power loss) and configured again.
    public private(set) var reconfigurations: UInt64 = 0

    public init(bus: Bus, address: UInt8 = 0x76, config: BMP280Config = BMP280Config(), clock: MonotonicClock)
        throws(DriverError)
    {
        let device = I2CDevice(bus: bus, address: address)
        self.device = device
        self.config = config
        guard (1...5).contains(config.pressureOversampling), (1...5).contains(config.temperatureOversampling),
              config.iirFilter <= 4, config.standby <= 7
        else {
            throw .invalidConfiguration(chip: "BMP280", detail: "oversampling must be 1...5, filter 0...4, standby 0...7")
        }
        let id = try onBus { () throws(DeviceError) in try device.readByte(BMP280Register.chipID) }
        guard id == BMP280Register.expectedChipID else {
            throw .unexpectedChipID(chip: "BMP280", bus: bus.busNumber, address: address, found: id)
        }
        try onBus { () throws(DeviceError) in try device.writeByte(BMP280Register.reset, BMP280Register.resetCommand) }
        clock.sleep(durationUs: 2_000)  // start-up time after reset
        // im_update is set while the trimming parameters are copied from NVM.
        for _ in 0..<10 {
            let status = try onBus { () throws(DeviceError) in try device.readByte(BMP280Register.status) }
            if status & 0x01 == 0 { break }
            clock.sleep(durationUs: 1_000)
        }
        var bytes = (UInt64(0), UInt64(0), UInt64(0))
        let decoded: BMP280Calibration? = try onBus { () throws(DeviceError) in
            try withUnsafeMutableBytes(of: &bytes) { buffer throws(DeviceError) in
                let calibrationBytes = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<24])
                try device.readBlock(BMP280Register.calibration, into: calibrationBytes)
                return BMP280Calibration(registers: UnsafeRawBufferPointer(calibrationBytes))
            }
        }
        guard let calibration = decoded, calibration.isPlausible else {
            throw .invalidCalibration(chip: "BMP280", detail: "dig_T1 or dig_P1 reads as 0x0000/0xFFFF")
        }
        self.calibration = calibration
        // config is only reliably written in sleep mode, which the chip is in after reset.
        let configValue = config.standby << 5 | config.iirFilter << 2
        let control = config.temperatureOversampling << 5 | config.pressureOversampling << 2 | 0x03
        self.configValue = configValue
        controlValue = control
        try onBus { () throws(DeviceError) in
            try device.writeByte(BMP280Register.config, configValue)
            try device.writeByte(BMP280Register.controlMeasurement, control)
        }
        for (register, value) in [(BMP280Register.config, configValue), (BMP280Register.controlMeasurement, control)] {
            let readBack = try onBus { () throws(DeviceError) in try device.readByte(register) }
            if readBack != value {
                throw .configurationNotApplied(chip: "BMP280", bus: bus.busNumber, address: address, register: register)
            }
        }
    }

    /// The chip's normal-mode output rate for `config` (datasheet 3.8.1 typical measurement time plus t_sb):
    /// 26.3 Hz for the default ×16/×2 profile. Polling faster catches every conversion; `readNew` skips repeats.
    public static func outputRateHz(config: BMP280Config) -> Double {
        func times(_ code: UInt8) -> Double { Double(1 << Int(min(max(code, 1), 5) - 1)) }
        let measureMs = 1.0 + 2.0 * times(config.temperatureOversampling) + 2.0 * times(config.pressureOversampling) + 0.5
        let standbyMs: [Double] = [0.5, 62.5, 125, 250, 500, 1000, 2000, 4000]
        return 1000 / (measureMs + standbyMs[Int(min(config.standby, 7))])
    }

    /// The latest conversion if it is a new one, nil when it is the one the last call returned (counted in
    /// `repeatedReads`). What the flight path fuses: a repeat would be the same measurement weighted twice.
    public func readNew(timestampUs: UInt64) throws(DriverError) -> BaroSample? {
        if try restoreConfigurationIfNeeded() { return nil }
        let (sample, raw) = try readRaw(timestampUs: timestampUs)
        if let last = lastRaw, last == raw {
            repeatedReads &+= 1
            repeatsInARow += 1
            if repeatsInARow >= Self.repeatsBeforeCheck { checkDue = true }
            return nil
        }
        repeatsInARow = 0
        lastRaw = raw
        return sample
    }

    /// The register check of the type's note; true when it wrote the configuration (nothing new to read yet).
    private func restoreConfigurationIfNeeded() throws(DriverError) -> Bool {
        guard checkDue else { return false }
        do {
            repeatsInARow = 0
            let control = try device.readByte(BMP280Register.controlMeasurement)
            checkDue = false
            guard control != controlValue else { return false }
            try device.writeByte(BMP280Register.config, configValue)
            try device.writeByte(BMP280Register.controlMeasurement, controlValue)
            reconfigurations &+= 1
            return true
        } catch {
            health.recordFailure()
            checkDue = true
            throw .bus(error)
        }
    }

    /// Reads the latest conversion (one 6-byte burst) and compensates it. Allocation free.
    public func read(timestampUs: UInt64) throws(DriverError) -> BaroSample {
        try readRaw(timestampUs: timestampUs).sample
    }

    private func readRaw(timestampUs: UInt64) throws(DriverError)
        -> (sample: BaroSample, raw: (pressure: UInt32, temperature: UInt32))
    {
        var raw = (UInt32(0), UInt32(0))
        do {
            try withDeviceScratchBytes(byteCount: 6, alignment: 1) { buffer throws(DeviceError) in
                try device.readBlock(BMP280Register.pressureMSB, into: buffer)
                raw.0 = UInt32(buffer[0]) << 12 | UInt32(buffer[1]) << 4 | UInt32(buffer[2]) >> 4
                raw.1 = UInt32(buffer[3]) << 12 | UInt32(buffer[4]) << 4 | UInt32(buffer[5]) >> 4
            }
        } catch {
            health.recordFailure()
            checkDue = true  // a chip that stopped answering may come back reset
            throw .bus(error)
        }
        let adcP = Int32(raw.0), adcT = Int32(raw.1)
        guard adcP != BMP280Register.skippedADC, adcT != BMP280Register.skippedADC,
              let sample = compensate(adcT: adcT, adcP: adcP, timestampUs: timestampUs)
        else {
            health.recordFailure()
            checkDue = true
            throw .sensorFault(chip: "BMP280", bus: device.bus.busNumber, address: device.address,
                               detail: "reading outside the sensor's range (-40...85 °C, 300...1100 hPa)")
        }
        health.recordSuccess()
        return (sample, (raw.0, raw.1))
    }

    /// Compensated sample, or nil when the result lies outside what the sensor can measure.
    public func compensate(adcT: Int32, adcP: Int32, timestampUs: UInt64) -> BaroSample? {
        let temperatureC: Double
        let pressurePa: Double
        if config.integerCompensation {
            let t = calibration.temperatureCentiC(adcT: adcT)
            guard let p = calibration.pressureQ24_8(adcP: adcP, tFine: t.tFine) else { return nil }
            temperatureC = Double(t.centiC) / 100
            pressurePa = Double(p) / 256
        } else {
            let t = calibration.temperatureC(adcT: adcT)
            guard let p = calibration.pressurePa(adcP: adcP, tFine: t.tFine) else { return nil }
            temperatureC = t.celsius
            pressurePa = p
        }
        // Datasheet operating range with margin; outside it the reading is corrupt, not weather.
        guard temperatureC >= -45, temperatureC <= 90, pressurePa >= 25_000, pressurePa <= 115_000 else { return nil }
        return BaroSample(timestampUs: timestampUs, pressurePa: pressurePa, temperatureC: temperatureC)
    }
}
