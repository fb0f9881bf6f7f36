@testable import Board
@testable import EmulatedBoard
@testable import BoardCheck
import DeviceIO
import Drivers
@testable import Simulation
import Testing

@Suite struct BoardCheckTests {
    func sitl() throws -> BoardConfig { try BoardConfig.load(fromFile: boardPath("sitl")) }

    @Test func sitlReportsEveryDeviceWithItsDatasheetRateAndNoise() throws {
        let board = try sitl()
        let hardware = EmulatedHardware(board: board, bench: StationaryTruth(seed: 7))
        let report = BoardCheck.run(board: board, hardware: hardware, options: .init(seconds: 4))
        #expect(report.emulated)
        #expect(report.allDevicesWorking)
        #expect(report.devices.map(\.role)
            == [.imu, .barometer, .airspeed, .batteryMonitor, .gps, .safetySwitch, .pwm, .outputEnable])
        let imu = try #require(report.device(.imu))
        // 500 Hz: DLPF 98 Hz gives a 1 kHz gyro rate and SMPLRT_DIV 1 (the rate the bus budget allows, see sitl.toml).
        #expect(abs(imu.rateHz - 500) < 5)
        // Level at rest: specific force −g on body z (through the board's +x/−y/−z mounting). The bench's white
        // noise (0.04 m/s², 0.0012 rad/s per conversion) comes out through the chip's DLPF (98 Hz setting: 94 Hz
        // accelerometer, 98 Hz gyroscope) at 500 Hz, which passes √(Σh²) of it; the gyro adds its quantisation
        // (1/16.4 °/s per count, σ = count/√12).
        func passed(_ shape: MPU6050LowPassFilter.Shape) -> Double {
            var filter = shape.sampled(rateHz: 500)
            let first = filter.apply(1)
            var sum = first * first
            for _ in 0..<2000 { let h = filter.apply(0); sum += h * h }
            return sum.squareRoot()
        }
        let shapes = MPU6050LowPassFilter.shapes(setting: 2)
        let accelSigma = 0.04 * passed(shapes.accel)
        let gyroSigma = ((0.0012 * passed(shapes.gyro)) * (0.0012 * passed(shapes.gyro))
                         + (Double.pi / 180 / 16.4) * (Double.pi / 180 / 16.4) / 12).squareRoot()
        #expect(accelSigma > 0.018 && accelSigma < 0.03, "the 98 Hz filter passes about half of 500 Hz white noise")
        #expect(abs(imu.channels[2].statistics.mean + 9.80665) < 0.01)
        #expect(abs(imu.channels[0].statistics.standardDeviation - accelSigma) < 0.004)
        #expect(abs(imu.channels[3].statistics.standardDeviation - gyroSigma) < 0.0002)
        // BMP280 ×16/×2, t_sb 0.5 ms: 38 ms per conversion = 26.3 Hz (datasheet table 14), sampled at 100 Hz.
        let baro = try #require(report.device(.barometer))
        #expect(baro.rateHz > 26.3 - 4 && baro.rateHz < 26.3 + 1.5)
        #expect(abs(baro.channels[0].statistics.mean - 95_460) < 1)
        // The bench's 1.3 Pa per conversion comes out through the IIR filter the driver set in the chip (×16:
        // σ/√31). The filter starts from the first conversion, whose own error decays as aⁿ (a = 1 − 1/c) and adds
        // σ²/((1 − a²)·N) to the variance of the N samples of 4 s. The filtered samples are strongly correlated
        // (~16-conversion memory), so their spread scatters widely about that: hence the wide margin. Filtered codes
        // can repeat from one conversion to the next; the driver skips a repeat as not new, so fewer count.
        let c = hardware.barometer.iirCoefficient
        #expect(c == 16)
        let a = 1 - 1 / Double(c), n = 4 * 26.3
        let baroSigma = (1.3 * 1.3 * (BMP280Emulator.iirNoiseFactor(coefficient: c) * BMP280Emulator.iirNoiseFactor(coefficient: c)
                                      + 1 / ((1 - a * a) * n))).squareRoot()
        #expect(abs(baro.channels[0].statistics.standardDeviation / baroSigma - 1) < 0.4)
        let airspeed = try #require(report.device(.airspeed))
        #expect(abs(airspeed.rateHz - 100) < 1)  // polled at 100 Hz, converting faster
        #expect(abs(airspeed.channels[0].statistics.standardDeviation - 1.0) < 0.5)  // 1.05 Pa counts
        let gps = try #require(report.device(.gps))
        #expect(abs(gps.rateHz - 5) < 0.5)
        #expect(gps.channels[0].statistics.standardDeviation > 0.1 && gps.channels[0].statistics.standardDeviation < 1)
        #expect(report.devices.allSatisfy { $0.readErrors == 0 })
        #expect(report.switchState == .safe)
        #expect(report.sweep == .notRequested)
        let text = report.description
        #expect(text.contains("imu"))
        #expect(text.contains("MPU-6050 at 0x68 on I2C bus 1 (emulated)"))
        #expect(text.contains("safety switch position: SAFE"))
        #expect(text.contains("PWM OE line     ok       gpiochip0 line 22 (emulated)"))
        // The bench's pack through the INA226's ADC steps: 16.6 V, 0.4 A.
        let battery = try #require(report.device(.batteryMonitor))
        #expect(abs(battery.channels[0].statistics.mean - 16.6) < 0.001)
        #expect(abs(battery.channels[1].statistics.mean - 0.4) < 0.003)
    }

    @Test func sweepIsRefusedWithTheSwitchInSafe() throws {
        let board = try sitl()
        let emulation = EmulatedHardware(board: board, switchArmed: false, bench: StationaryTruth(seed: 1))
        let devices = BoardDevices(board: board, hardware: emulation)
        let report = BoardCheck.run(devices: devices, options: .init(seconds: 0.5, sweep: true))
        guard case .refused(let why) = report.sweep else {
            Issue.record("expected the sweep to be refused, got \(report.sweep)")
            return
        }
        #expect(why.contains("ARM"))
        #expect(report.description.contains("REFUSED"))
        // Nothing moved: the servo board is still fully off on every channel.
        let pca = try #require(emulation.pca9685)
        for channel in 0..<16 { #expect(pca.pulseUs(channel: channel) == 0) }
    }

    @Test func sweepWithTheSwitchInArmMovesSurfacesButNeverTheThrottle() throws {
        let board = try sitl()
        let emulation = EmulatedHardware(board: board, switchArmed: true, bench: StationaryTruth(seed: 1))
        let devices = BoardDevices(board: board, hardware: emulation)
        let report = BoardCheck.run(devices: devices, options: .init(seconds: 0.5, sweep: true))
        guard case .done(let steps, let skipped) = report.sweep else {
            Issue.record("expected a sweep, got \(report.sweep)")
            return
        }
        #expect(Set(steps.map(\.hardwareChannel)) == [0, 1, 3])
        #expect(steps.map(\.commandedUs).prefix(3) == [1300, 1700, 1500])
        // At 50 Hz one PCA9685 count is 4.88 µs: the servo sees the command within half a count.
        for step in steps { #expect(abs((step.observedUs ?? 0) - Double(step.commandedUs)) <= 2.45) }
        #expect(skipped == ["throttle (channel 2)"])
        // Afterwards the pulses are stopped.
        let pca = try #require(emulation.pca9685)
        #expect(pca.pulseUs(channel: 0) == 0)
    }

    @Test func aSwitchFlickToSafeAbortsTheSweep() throws {
        let board = try sitl()
        let emulation = EmulatedHardware(board: board, switchArmed: true, bench: StationaryTruth(seed: 1))
        let devices = BoardDevices(board: board, hardware: emulation)
        // 0.5 s of sampling, then the sweep holding each step 0.5 s; the operator flips to SAFE 1.2 s into it.
        let start = emulation.manualClock.nowUs()
        emulation.safetySwitch.schedule(.init(atUs: start + 1_700_000, isActive: false))
        let report = BoardCheck.run(devices: devices, options: .init(seconds: 0.5, sweep: true))
        guard case .aborted(let why, let steps) = report.sweep else {
            Issue.record("expected the sweep to abort, got \(report.sweep)")
            return
        }
        #expect(why.contains("SAFE"))
        #expect(steps.count == 3)  // steps at 0, 0.5 and 1.0 s; the one due at 1.5 s saw SAFE
        #expect(emulation.pca9685?.pulseUs(channel: 0) == 0)
    }

    @Test func aMissingChipIsNamedWithItsFix() throws {
        let board = try sitl()
        let emulation = EmulatedHardware(board: board, bench: StationaryTruth(seed: 1))
        emulation.bus(1).detach(address: 0x76)
        emulation.bus(1).inject(I2CFault(address: 0x28, effect: .timeout))
        let devices = BoardDevices(board: board, hardware: emulation)
        let report = BoardCheck.run(devices: devices, options: .init(seconds: 0.5))
        #expect(!report.allDevicesWorking)
        let baro = try #require(report.device(.barometer))
        #expect(!baro.present)
        #expect(baro.openError?.cause == .driver(.bus(.noDeviceAtAddress(bus: 1, address: 0x76))))
        let text = report.description
        #expect(text.contains("barometer"))
        #expect(text.contains("BMP280 at 0x76 on I2C bus 1"))
        #expect(text.contains("i2cdetect -y 1"))
        #expect(report.device(.airspeed)?.openError?.cause == .driver(.bus(.timedOut(bus: 1, address: 0x28))))
        #expect(report.device(.imu)?.present == true)
    }

    @Test func readErrorsDuringTheRunAreCountedAndReported() throws {
        let board = try sitl()
        let emulation = EmulatedHardware(board: board, bench: StationaryTruth(seed: 1))
        let devices = BoardDevices(board: board, hardware: emulation)
        emulation.bus(1).inject(I2CFault(address: 0x68, effect: .nack, window: .init(first: 0, count: 30)))
        let report = BoardCheck.run(devices: devices, options: .init(seconds: 0.5))
        let imu = try #require(report.device(.imu))
        #expect(imu.readErrors == 10)  // 30 attempts = 10 transfers with 2 retries each
        #expect(imu.lastReadError?.contains("no device at address 0x68") == true)
        #expect(imu.rateHz > 450)  // and it recovered
    }
}
