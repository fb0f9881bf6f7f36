import DeviceIO
import FlightMath

/// Driver for the MPU-6000/6050/6500/9250 family over I2C: identity check, reset, configuration and 14-byte
/// burst reads scaled to SI in the body FRD frame.
///
/// Register check: a dip in the chip's supply leaves it asleep with its configuration and FIFO off, acknowledging
/// every read with an empty FIFO, so the IMU would stay silent for the rest of the flight. After
/// `emptyReadsBeforeCheck` empty FIFO reads in a row (50 ms at 400 Hz, the IMU timeout; a chip at 20 Hz or more
/// fills one of them), or at the first read after a failed one, `readFIFO` reads PWR_MGMT_1, FIFO_EN and USER_CTRL;
/// a chip found changed is configured again a few registers per read, so that no tick carries it all
/// (`restoreConfigurationIfNeeded`).
public final class MPU6000<Bus: I2CBus> {
    public static var defaultAddress: UInt8 { 0x68 }

    public let device: I2CDevice<Bus>
    public let variant: MPU6000Variant
    public let config: MPU6000Config
    /// The data rate the chip actually runs at after rounding the divider.
    public let outputRateHz: Double
    public internal(set) var health = SensorHealth()
    /// What `readFIFO` took, found empty, and dropped (overflows, late ticks).
    public internal(set) var fifoCounters = MPU6000FIFOCounters()

    let accelMps2PerCount: Double
    let gyroRadpsPerCount: Double
    /// The configuration writes of start-up after the wake, in order: the recovery replays them.
    let configurationWrites: [(register: UInt8, value: UInt8)]
    /// Empty FIFO reads in a row that make the next read check the chip's registers first.
    public static var emptyReadsBeforeCheck: Int { 20 }
    var emptyReadsInARow = 0
    var checkDue = false
    /// Where a reconfiguration is: nil when none is under way.
    var reconfigurationStep: Int?
    var wokeAtUs: UInt64 = 0
    /// Gyro start-up from sleep (datasheet: 30 ms typical).
    public static var gyroStartUpUs: UInt64 { 30_000 }
    /// Times the chip was found asleep or unconfigured (a power loss) and configured again.
    public internal(set) var reconfigurations: UInt64 = 0
    /// Consecutive samples whose six motion outputs were identical to the one before. A working MEMS chip's noise
    /// (about 16 counts on each accelerometer axis at ±8 g) never repeats all six for long; a frozen one repeats
    /// forever while answering normally, and nothing else gives it away (`config.stuckAfterIdenticalSamples`).
    var identicalSamplesInARow = 0
    var lastMotionCounts: (Int32, Int32, Int32, Int32, Int32, Int32) = (0, 0, 0, 0, 0, 0)
    /// Reads refused because the output was stuck.
    public internal(set) var stuckReads: UInt64 = 0

    /// Checks WHO_AM_I, resets the chip and applies `config`. Blocks ~110 ms on `clock` (reset settling).
    public init(bus: Bus, address: UInt8 = 0x68, config: MPU6000Config = MPU6000Config(), clock: MonotonicClock)
        throws(DriverError)
    {
        let device = I2CDevice(bus: bus, address: address)
        self.device = device
        self.config = config
        guard let divider = config.sampleRateDivider() else {
            throw .invalidConfiguration(
                chip: "MPU-6000", detail: "sample rate \(config.sampleRateHz) Hz is outside "
                    + "\(config.lowPass.internalRateHz / 256)...\(config.lowPass.internalRateHz) Hz")
        }
        outputRateHz = config.lowPass.internalRateHz / (1 + Double(divider))
        accelMps2PerCount = WGS84.standardGravityMps2 / config.accelRange.countsPerG
        gyroRadpsPerCount = (Double.pi / 180) / config.gyroRange.countsPerDps

        let id = try onBus { () throws(DeviceError) in try device.readByte(MPU6000Register.whoAmI) }
        guard let variant = MPU6000Variant(whoAmI: id) else {
            throw .unexpectedChipID(chip: "MPU-6000 family", bus: bus.busNumber, address: address, found: id)
        }
        self.variant = variant
        try onBus { () throws(DeviceError) in
            try device.writeByte(MPU6000Register.powerManagement1, MPU6000Register.deviceReset)
        }
        clock.sleep(durationUs: 100_000)
        // DEVICE_RESET clears itself when the reset is done.
        var resetDone = false
        for _ in 0..<10 {
            let power = try onBus { () throws(DeviceError) in try device.readByte(MPU6000Register.powerManagement1) }
            if power & MPU6000Register.deviceReset == 0 {
                resetDone = true
                break
            }
            clock.sleep(durationUs: 10_000)
        }
        guard resetDone else {
            throw .sensorFault(chip: "MPU-6000", bus: bus.busNumber, address: address,
                               detail: "DEVICE_RESET did not complete")
        }
        // Wake up on the X-gyro PLL: more stable than the internal 8 MHz oscillator.
        try onBus { () throws(DeviceError) in
            try device.writeByte(MPU6000Register.powerManagement1, MPU6000Register.clockPLLGyroX)
        }
        clock.sleep(durationUs: 10_000)
        var writes: [(register: UInt8, value: UInt8)] = [
            (MPU6000Register.powerManagement2, 0x00),
            (MPU6000Register.config, config.lowPass.rawValue),
            (MPU6000Register.sampleRateDivider, divider),
            (MPU6000Register.gyroConfig, config.gyroRange.rawValue << 3),
            (MPU6000Register.accelConfig, config.accelRange.rawValue << 3),
        ]
        if variant.is6500Generation { writes.append((MPU6000Register.accelConfig2, config.lowPass.rawValue)) }
        writes.append((MPU6000Register.interruptEnable,
                       MPU6000Register.dataReadyEnable | MPU6000Register.fifoOverflowEnable))
        // Every sample goes into the FIFO, in burst-register order (`readFIFO`).
        writes.append((MPU6000Register.fifoEnable, MPU6000Register.fifoAllSensors))
        configurationWrites = writes
        for write in writes {
            try onBus { () throws(DeviceError) in try device.writeByte(write.register, write.value) }
        }
        // Read everything back: a corrupted set-up write would silently change the scale factors.
        for write in writes {
            let value = try onBus { () throws(DeviceError) in try device.readByte(write.register) }
            if value != write.value {
                throw .configurationNotApplied(chip: "MPU-6000", bus: bus.busNumber, address: address,
                                               register: write.register)
            }
        }
        try onBus { () throws(DeviceError) in try resetFIFO() }
        let user = try onBus { () throws(DeviceError) in try device.readByte(MPU6000Register.userControl) }
        if user & MPU6000Register.userFIFOEnable == 0 {
            throw .configurationNotApplied(chip: "MPU-6000", bus: bus.busNumber, address: address,
                                           register: MPU6000Register.userControl)
        }
    }

    /// True when a new sample is waiting (DATA_RDY_INT; reading clears it).
    public func dataReady() throws(DriverError) -> Bool {
        do {
            let status = try device.readByte(MPU6000Register.interruptStatus)
            health.recordSuccess()
            return status & 0x01 != 0
        } catch {
            health.recordFailure()
            throw .bus(error)
        }
    }

    /// One burst read of accelerometer, temperature and gyro, scaled and rotated into the body frame.
    /// Allocation free; a bus failure is counted in `health` and returned, never fatal.
    public func read(timestampUs: UInt64) throws(DriverError) -> IMUSample {
        var raw = (Int16(0), Int16(0), Int16(0), Int16(0), Int16(0), Int16(0), Int16(0))
        do {
            try withDeviceScratchBytes(byteCount: MPU6000Register.burstLength, alignment: 2) {
                buffer throws(DeviceError) in
                try device.readBlock(MPU6000Register.accelXOutHigh, into: buffer)
                func be(_ i: Int) -> Int16 { Int16(bitPattern: UInt16(buffer[i]) << 8 | UInt16(buffer[i + 1])) }
                raw = (be(0), be(2), be(4), be(6), be(8), be(10), be(12))
            }
        } catch {
            health.recordFailure()
            throw .bus(error)
        }
        health.recordSuccess()
        let accelChip = Vector3(Double(raw.0), Double(raw.1), Double(raw.2)) * accelMps2PerCount
        let gyroChip = Vector3(Double(raw.4), Double(raw.5), Double(raw.6)) * gyroRadpsPerCount
        return IMUSample(
            timestampUs: timestampUs, accelFRDMps2: config.axisMapping.apply(accelChip),
            gyroFRDRadps: config.axisMapping.apply(gyroChip), temperatureC: variant.temperatureC(raw: raw.3))
    }
}
