import DeviceIO
import FlightMath

/// How the flight path reads the MPU-6000 family: through its 1024-byte FIFO, so that every sample the chip
/// makes between two ticks reaches the filter (averaged), none is read twice, and none is lost without a count.
///
/// Each FIFO sample is the 14 bytes of the burst registers (accelerometer, temperature, gyro; FIFO_EN = 0xF8).
/// A read takes FIFO_COUNT (one 2-byte transfer) and then at most `maxSamplesPerRead` whole samples in SMBus
/// block reads of `samplesPerBlock` samples (28 bytes, under SMBus's 32): bounded bus time per tick.
public enum MPU6000FIFO {
    public static let bytesPerSample = 14
    public static let capacityBytes = 1024
    /// Whole samples per SMBus block read (28 of at most 32 bytes).
    public static let samplesPerBlock = 2
    /// The most samples one read takes: at 1 kHz into a 400 Hz tick that is a late tick's worth. More waiting
    /// means the tick was very late: the surplus is dropped (FIFO reset) and counted.
    public static let maxSamplesPerRead = 4

    /// The rate the chip makes for a requested rate: the internal rate over (1 + rounded divider).
    public static func outputRateHz(requestedHz: Double, lowPass: MPU6000LowPass) -> Double {
        let internalHz = lowPass.internalRateHz
        guard requestedHz.isFinite, requestedHz > 0 else { return internalHz }
        let divider = min(max((internalHz / requestedHz).rounded() - 1, 0), 255)
        return internalHz / (1 + divider)
    }

    /// The most samples that arrive between two ticks on time: ceil(output rate / tick rate), at least 1.
    public static func samplesPerTick(outputRateHz: Double, tickRateHz: Double) -> Int {
        guard outputRateHz.isFinite, tickRateHz.isFinite, tickRateHz > 0 else { return 1 }
        return min(max(Int((outputRateHz / tickRateHz - 1e-9).rounded(.up)), 1), maxSamplesPerRead)
    }

    /// The byte counts of the block reads one FIFO read of `samples` samples makes: FIFO_COUNT, then the data.
    public static func transfers(samples: Int) -> [Int] {
        var reads = [2]
        var left = min(max(samples, 0), maxSamplesPerRead)
        while left > 0 {
            let n = min(left, samplesPerBlock)
            reads.append(n * bytesPerSample)
            left -= n
        }
        return reads
    }
}

/// What the FIFO reads did since start-up: the health and log figures that show no sample went missing unseen.
public struct MPU6000FIFOCounters: Sendable, Equatable {
    /// Samples taken out of the FIFO and averaged into a returned sample.
    public var samplesRead: UInt64 = 0
    /// Reads that found no whole sample (nothing new: nothing fused).
    public var emptyReads: UInt64 = 0
    /// FIFO overflows (it was full: samples were overwritten); each resets the FIFO.
    public var overflows: UInt64 = 0
    /// Samples thrown away by a reset (overflow, or more waiting than one read takes).
    public var samplesDropped: UInt64 = 0

    public init() {}
}

extension MPU6000 {
    /// Takes every whole sample waiting in the FIFO (up to `MPU6000FIFO.maxSamplesPerRead`) and returns their
    /// mean, scaled and rotated into the body frame; nil when no new sample has arrived since the last read.
    /// Throws `sensorFault` while the output is stuck (`config.stuckAfterIdenticalSamples` identical samples in a row).
    /// An overflow, or a backlog beyond one read, resets the FIFO and is counted (`fifoCounters`). Allocation free.
    public func readFIFO(timestampUs: UInt64) throws(DriverError) -> IMUSample? {
        do {
            if try restoreConfigurationIfNeeded(nowUs: timestampUs) { return nil }
        } catch {
            health.recordFailure()
            checkDue = true
            throw .bus(error)
        }
        let sampleBytes = MPU6000FIFO.bytesPerSample
        var sums = (Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0), Int32(0))
        var taken = 0
        do {
            let countBytes = try withDeviceScratchBytes(byteCount: 2, alignment: 2) {
                buffer throws(DeviceError) -> Int in
                try device.readBlock(MPU6000Register.fifoCountHigh, into: buffer)
                return Int(buffer[0]) << 8 | Int(buffer[1])
            }
            // Full to within less than one sample: the chip has been overwriting the oldest bytes, and the sample
            // boundaries are lost. Start again from an empty FIFO.
            if countBytes > MPU6000FIFO.capacityBytes - sampleBytes {
                try resetFIFO()
                fifoCounters.overflows &+= 1
                fifoCounters.samplesDropped &+= UInt64(countBytes / sampleBytes)
                health.recordSuccess()
                return nil
            }
            let available = countBytes / sampleBytes
            taken = min(available, MPU6000FIFO.maxSamplesPerRead)
            let blockBytes = MPU6000FIFO.samplesPerBlock * sampleBytes
            try withDeviceScratchBytes(byteCount: blockBytes, alignment: 2) { buffer throws(DeviceError) in
                var left = taken
                while left > 0 {
                    let n = min(left, MPU6000FIFO.samplesPerBlock)
                    let chunk = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<(n * sampleBytes)])
                    try device.readBlock(MPU6000Register.fifoReadWrite, into: chunk)
                    for s in 0..<n {
                        let o = s * sampleBytes
                        func be(_ i: Int) -> Int32 {
                            Int32(Int16(bitPattern: UInt16(chunk[o + i]) << 8 | UInt16(chunk[o + i + 1])))
                        }
                        let motion = (be(0), be(2), be(4), be(8), be(10), be(12))
                        if motion == lastMotionCounts {
                            identicalSamplesInARow += 1
                        } else {
                            identicalSamplesInARow = 0
                            lastMotionCounts = motion
                        }
                        sums.0 &+= motion.0; sums.1 &+= motion.1; sums.2 &+= motion.2; sums.3 &+= be(6)
                        sums.4 &+= motion.3; sums.5 &+= motion.4; sums.6 &+= motion.5
                    }
                    left -= n
                }
            }
            if available > taken {
                // A very late tick: what one read cannot take is dropped, counted, rather than read late.
                try resetFIFO()
                fifoCounters.samplesDropped &+= UInt64(available - taken)
            }
        } catch {
            health.recordFailure()
            checkDue = true  // a chip that stopped answering may come back reset
            throw .bus(error)
        }
        health.recordSuccess()
        guard taken > 0 else {
            fifoCounters.emptyReads &+= 1
            emptyReadsInARow += 1
            if emptyReadsInARow >= Self.emptyReadsBeforeCheck { checkDue = true }
            return nil
        }
        emptyReadsInARow = 0
        fifoCounters.samplesRead &+= UInt64(taken)
        if identicalSamplesInARow >= config.stuckAfterIdenticalSamples {
            // Answering, converting, and frozen: nothing it says can be flown on. The flight path treats the IMU as
            // silent (attitude loops off, estimator failsafe) until the values move again.
            stuckReads &+= 1
            throw .sensorFault(chip: "MPU-6000", bus: device.bus.busNumber, address: device.address,
                               detail: "output stuck (the same motion sample over and over)")
        }
        let n = Double(taken)
        let accelChip = Vector3(Double(sums.0), Double(sums.1), Double(sums.2)) * (accelMps2PerCount / n)
        let gyroChip = Vector3(Double(sums.4), Double(sums.5), Double(sums.6)) * (gyroRadpsPerCount / n)
        let temperatureCounts = Int16(clamping: Int((Double(sums.3) / n).rounded()))
        return IMUSample(
            timestampUs: timestampUs, accelFRDMps2: config.axisMapping.apply(accelChip),
            gyroFRDRadps: config.axisMapping.apply(gyroChip), temperatureC: variant.temperatureC(raw: temperatureCounts))
    }

    /// The register check and the reconfiguration of the type's note. Returns true while a reconfiguration is under
    /// way (this read only wrote registers). Steps, one per read: wake on the gyro PLL; the configuration writes
    /// three at a time; the FIFO reset once the gyro has had its start-up time since the wake, so that the first
    /// sample fused is a settled one. A failed transfer leaves the step to be tried again at the next read.
    func restoreConfigurationIfNeeded(nowUs: UInt64) throws(DeviceError) -> Bool {
        if let step = reconfigurationStep {
            let writes = configurationWrites
            let perRead = 3
            if step == 0 {
                try device.writeByte(MPU6000Register.powerManagement1, MPU6000Register.clockPLLGyroX)
                wokeAtUs = nowUs
            } else if (step - 1) * perRead < writes.count {
                for write in writes[((step - 1) * perRead)..<min(step * perRead, writes.count)] {
                    try device.writeByte(write.register, write.value)
                }
            } else {
                guard nowUs &- wokeAtUs >= Self.gyroStartUpUs else { return true }
                try resetFIFO()
                reconfigurationStep = nil
                emptyReadsInARow = 0
                return true
            }
            reconfigurationStep = step + 1
            return true
        }
        guard checkDue else { return false }
        checkDue = false
        emptyReadsInARow = 0
        let power = try device.readByte(MPU6000Register.powerManagement1)
        let fifo = try device.readByte(MPU6000Register.fifoEnable)
        let user = try device.readByte(MPU6000Register.userControl)
        guard power != MPU6000Register.clockPLLGyroX || fifo != MPU6000Register.fifoAllSensors
                || user & MPU6000Register.userFIFOEnable == 0 else { return false }
        reconfigurations &+= 1
        reconfigurationStep = 0
        return try restoreConfigurationIfNeeded(nowUs: nowUs)
    }

    /// Empties the FIFO and starts it again. FIFO_RESET works only while USER_CTRL.FIFO_EN is 0 (register map
    /// 4.29), so: stop, reset (the bit clears itself), start.
    func resetFIFO() throws(DeviceError) {
        try device.writeByte(MPU6000Register.userControl, 0)
        try device.writeByte(MPU6000Register.userControl, MPU6000Register.userFIFOReset)
        try device.writeByte(MPU6000Register.userControl, MPU6000Register.userFIFOEnable)
    }
}
