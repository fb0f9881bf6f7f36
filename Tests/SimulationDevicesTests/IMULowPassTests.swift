import DeviceIO
import Drivers
import FlightMath
import RealModule
import Testing
@testable import Simulation

/// The emulated MPU-6050's DLPF, as the real driver sets it through CONFIG: the delay it adds to the motion
/// and how much of the rotor's vibration it lets through.
@Suite struct IMULowPassTests {
    /// A chip set up by the real driver with `lowPass`, fed at 1 kHz.
    static func chip(_ lowPass: MPU6000LowPass) throws -> (MPU6050Emulator, ManualClock) {
        let clock = ManualClock()
        let bus = EmulatedI2CBus(busNumber: 1)
        let chip = MPU6050Emulator(clock: clock)
        bus.attach(chip, at: 0x68)
        _ = try MPU6000(bus: bus, config: MPU6000Config(accelRange: .g8, gyroRange: .dps2000,
                                                                 lowPass: lowPass, sampleRateHz: 1000), clock: clock)
        return (chip, clock)
    }

    /// Feeds a slow gyro sine (2 Hz, 1 rad/s) and measures the delay of the chip's output by the phase of the
    /// fundamental; registers are read straight from the emulator at each feed.
    static func delayMs(_ lowPass: MPU6000LowPass) throws -> Double {
        let (chip, _) = try chip(lowPass)
        let f = 2.0, dt = 0.001
        var sumSin = 0.0, sumCos = 0.0
        for k in 0..<4000 {
            let t = Double(k) * dt
            chip.feed(IMUSample(timestampUs: UInt64(k) * 1000, accelFRDMps2: Vector3(0, 0, -9.8),
                                gyroFRDRadps: Vector3(Double.sin(2 * Double.pi * f * t), 0, 0), temperatureC: 30))
            guard k >= 2000 else { continue }  // settled
            let high = UInt16(chip.register(0x43)), low = UInt16(chip.register(0x44))
            let raw = Double(Int16(bitPattern: high << 8 | low))
            let y: Double = raw / chip.gyroCountsPerDps * Double.pi / 180
            sumSin += y * Double.sin(2 * Double.pi * f * t)
            sumCos += y * Double.cos(2 * Double.pi * f * t)
        }
        let phase = Double.atan2(y: sumCos, x: sumSin)  // output ∝ sin(ωt + phase)
        return -phase / (2 * Double.pi * f) * 1000
    }

    /// The register map's delays for the gyro (98 Hz: 2.8 ms, 42 Hz: 4.8 ms, 20 Hz: 8.3 ms) within 10 % (the
    /// filter is sampled at 1 kHz here), 10 Hz within 25 % (its damping limit makes it 19 % long at DC; 22 % at the 2 Hz measured here); a wider filter delays less.
    @Test func delayFollowsTheConfiguredBandwidth() throws {
        let d98 = try Self.delayMs(.hz98), d42 = try Self.delayMs(.hz42), d20 = try Self.delayMs(.hz20)
        let d10 = try Self.delayMs(.hz10)
        #expect(abs(d98 - 2.8) / 2.8 < 0.1, "98 Hz: \(d98) ms")
        #expect(abs(d42 - 4.8) / 4.8 < 0.1, "42 Hz: \(d42) ms")
        #expect(abs(d20 - 8.3) / 8.3 < 0.1, "20 Hz: \(d20) ms")
        #expect(abs(d10 - 13.4) / 13.4 < 0.25, "10 Hz: \(d10) ms")
        #expect(d98 < d42 && d42 < d20)
    }

    /// A 150 Hz rotor tone of 2 m/s² comes through the 42 Hz filter at about a tenth of its amplitude and through
    /// the 188 Hz filter at more than half: the amplitude fitted to the chip's output is the filter's gain at 150 Hz.
    @Test func vibrationToneIsAttenuatedByTheFilter() throws {
        func amplitude(_ lowPass: MPU6000LowPass) throws -> Double {
            let (chip, _) = try Self.chip(lowPass)
            var sumSin = 0.0, sumCos = 0.0
            for k in 0..<3000 {
                let phase = (2 * Double.pi * 150 * Double(k) * 0.001 + 0.3).truncatingRemainder(dividingBy: 2 * Double.pi)
                let tone = VibrationTone(frequencyHz: 150, phaseRad: phase, accelAmplitudeFRDMps2: Vector3(0, 0, 2),
                                         gyroAmplitudeFRDRadps: .zero)
                chip.feed(IMUSample(timestampUs: UInt64(k) * 1000, accelFRDMps2: Vector3(0, 0, -9.80665),
                                    gyroFRDRadps: .zero, temperatureC: 30),
                          vibration: IMUVibration(oncePerRev: tone, bladePass: .silent))
                let high = UInt16(chip.register(0x3F)), low = UInt16(chip.register(0x40))
                let raw = Double(Int16(bitPattern: high << 8 | low))
                let accelZ: Double = raw / chip.accelCountsPerG * 9.80665 + 9.80665
                sumSin += accelZ * Double.sin(phase)
                sumCos += accelZ * Double.cos(phase)
            }
            return 2 / 3000 * (sumSin * sumSin + sumCos * sumCos).squareRoot()
        }
        let narrow = try amplitude(.hz42), wide = try amplitude(.hz188)
        let expectedNarrow = 2 * MPU6050LowPassFilter.shapes(setting: 3).accel.response(atHz: 150).gain
        let expectedWide = 2 * MPU6050LowPassFilter.shapes(setting: 1).accel.response(atHz: 150).gain
        #expect(expectedNarrow > 0.1 && expectedNarrow < 0.25 && expectedWide > 1.0)
        #expect(abs(narrow - expectedNarrow) < 0.01, "42 Hz: \(narrow) m/s², expected \(expectedNarrow)")
        #expect(abs(wide - expectedWide) < 0.01, "188 Hz: \(wide) m/s², expected \(expectedWide)")
    }

    /// A constant input passes unchanged from the first sample (the filter starts settled), so a chip at rest
    /// reads its input at once whatever the filter.
    @Test func constantInputPassesFromTheFirstSample() throws {
        let (chip, _) = try Self.chip(.hz5)
        chip.feed(IMUSample(timestampUs: 0, accelFRDMps2: Vector3(0, 0, -9.80665), gyroFRDRadps: Vector3(0.5, 0, 0),
                            temperatureC: 30))
        let high = UInt16(chip.register(0x43)), low = UInt16(chip.register(0x44))
        let rate: Double = Double(Int16(bitPattern: high << 8 | low)) / chip.gyroCountsPerDps * Double.pi / 180
        #expect(abs(rate - 0.5) < 0.001)
    }
}
