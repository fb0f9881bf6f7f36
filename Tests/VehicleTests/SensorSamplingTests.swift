import Board
import ConfigFiles
import Control
import EmulatedBoard
import FlightMath
import Foundation
@testable import Simulation
import Testing
@testable import Vehicle

/// The repository's `Hardware/boards` folder, found from this file's path.
private let boardsFolder: String = {
    var parts = #filePath.split(separator: "/", omittingEmptySubsequences: false)
    parts.removeLast(3)  // Tests/VehicleTests/SensorSamplingTests.swift
    return parts.joined(separator: "/") + "/Hardware/boards"
}()

/// Issue 14 items 6 and 7 on the flight path: the sensor hub polled at the 400 Hz tick against the register-level
/// emulators, each fed at its chip's real output rate.
@Suite struct SensorSamplingTests {
    static func board(imuRateHz: Double = 1000) throws -> BoardConfig {
        var board = try BoardConfig.load(fromFile: boardsFolder + "/sitl.toml")
        board.imu.sampleRateHz = imuRateHz
        return board
    }

    static func imuSample(gyroXRadps: Double, atUs t: UInt64) -> IMUSample {
        IMUSample(timestampUs: t, accelFRDMps2: Vector3(0, 0, -WGS84.standardGravityMps2),
                  gyroFRDRadps: Vector3(gyroXRadps, 0, 0), temperatureC: 30)
    }

    /// Item 6: an MPU-6050 at 1 kHz read by a 400 Hz tick. Each poll must deliver the mean of every sample the
    /// chip made since the previous poll (2 or 3 of them), not the latest one with the others thrown away.
    @Test func everyIMUSampleBetweenTwoTicksReachesThePoll() throws {
        let board = try Self.board()
        let hardware = EmulatedHardware(board: board)
        let devices = BoardDevices(board: board, hardware: hardware)
        #expect(devices.errors.isEmpty)
        let hub = SensorHub(devices: devices, gpsLatencyS: 0.2, baroRateHz: 50)
        let clock = hardware.manualClock
        let t0 = (clock.nowUs() / 10_000 + 1) * 10_000
        var pending: [Double] = []
        var polls = 0, checked = 0
        var sampleIndex = 0
        // The chip's DLPF (the board's 98 Hz setting) shapes each conversion before the FIFO holds it: the same
        // filter, run on the same samples, says what each conversion holds.
        var lowPass = MPU6050LowPassFilter()
        // 500 µs steps: conversions every 1 000 µs, ticks every 2 500 µs; a conversion due at a tick comes first.
        for step in 1...800 {
            let t = t0 + UInt64(step) * 500
            clock.set(toUs: t)
            if t % 1000 == 0 {
                // A signal with a new value every sample: 0, 0.1, … 0.6 rad/s (well above the 1 mrad/s count).
                let value = 0.1 * Double(sampleIndex % 7)
                sampleIndex += 1
                let sample = Self.imuSample(gyroXRadps: value, atUs: t)
                hardware.imu.feed(sample)
                pending.append(lowPass.filter(accelFRDMps2: sample.accelFRDMps2, gyroFRDRadps: sample.gyroFRDRadps,
                                              vibration: .none, timestampUs: t,
                                              setting: hardware.imu.register(0x1A)).gyro.x)
            }
            if t % 2500 == 0 {
                let poll = hub.poll(nowUs: t)
                polls += 1
                guard !pending.isEmpty else { continue }
                let imu = try #require(poll.imu)
                let mean = pending.reduce(0, +) / Double(pending.count)
                // One count at ±2000 °/s is 1.06 mrad/s.
                #expect(abs(imu.gyroFRDRadps.x - mean) < 0.002, "poll \(polls): \(pending)")
                checked += 1
                pending.removeAll()
            }
        }
        #expect(checked >= 150)
    }

    /// Item 6: when the chip has made nothing new since the last tick, the poll fuses nothing (a register read
    /// would hand the filter the previous sample again).
    @Test func noIMUSampleIsDeliveredTwice() throws {
        let board = try Self.board()
        let hardware = EmulatedHardware(board: board)
        let devices = BoardDevices(board: board, hardware: hardware)
        let hub = SensorHub(devices: devices, gpsLatencyS: 0.2, baroRateHz: 50)
        let clock = hardware.manualClock
        let t0 = (clock.nowUs() / 10_000 + 1) * 10_000
        clock.set(toUs: t0)
        hardware.imu.feed(Self.imuSample(gyroXRadps: 0.3, atUs: t0))
        #expect(hub.poll(nowUs: t0).imu != nil)
        // The chip stops converting (stalled, asleep, unplugged data line): ten more ticks.
        var repeats = 0
        for k in 1...10 {
            let t = t0 + UInt64(k) * 2500
            clock.set(toUs: t)
            if hub.poll(nowUs: t).imu != nil { repeats += 1 }
        }
        #expect(repeats == 0)
    }

    /// Item 6: the BMP280 converts at 26.3 Hz (×16/×2, t_sb 0.5 ms: 38 ms per conversion) and is polled at 50 Hz:
    /// only new conversions are fused, each once.
    @Test func barometerRepeatsAreNotFused() throws {
        let board = try Self.board()
        let hardware = EmulatedHardware(board: board)
        let devices = BoardDevices(board: board, hardware: hardware)
        let hub = SensorHub(devices: devices, gpsLatencyS: 0.2, baroRateHz: 50)
        let clock = hardware.manualClock
        let t0 = (clock.nowUs() / 10_000 + 1) * 10_000
        var fused: [Double] = []
        var conversion = 0
        var nextConversionUs = t0
        for k in 0..<(2 * 400) {  // two seconds of 400 Hz ticks
            let t = t0 + UInt64(k) * 2500
            clock.set(toUs: t)
            if t >= nextConversionUs {
                hardware.barometer.feed(BaroSample(timestampUs: t, pressurePa: 95_000 + 10 * Double(conversion),
                                                   temperatureC: 20))
                conversion += 1
                nextConversionUs += hardware.barometer.normalModePeriodUs
            }
            if let baro = hub.poll(nowUs: t).baro { fused.append(baro.pressurePa) }
        }
        // 2 s at 26.3 Hz: 53 conversions (the chip's own rate), never 100 (the poll rate).
        #expect(abs(Double(fused.count) - 2 * 26.3) <= 2, "\(fused.count) fused")
        // Each conversion adds 10 Pa; through the chip's ×16 IIR filter the output steps by 10·(1 − (15/16)ⁿ) Pa
        // (0.6 Pa on the first): a repeat would not step at all.
        for i in 1..<fused.count { #expect(abs(fused[i] - fused[i - 1]) > 0.5, "sample \(i) repeats \(fused[i])") }
    }

    /// Item 7: a tick's outputs reach the PCA9685 in one auto-increment block write (LED0_ON_L…LED3_OFF_H, 16 bytes,
    /// 0.41 ms at 400 kHz), not one write per channel (4 × 0.14 ms).
    @Test func aTicksOutputsAreOneBlockWrite() throws {
        let board = try Self.board()
        let hardware = EmulatedHardware(board: board, switchArmed: true)
        let devices = BoardDevices(board: board, hardware: hardware)
        let stage = try OutputStage(mixer: .defaults, devices: devices)
        let clock = hardware.manualClock
        clock.advance(byUs: 10_000)
        stage.updateSwitch(nowUs: clock.nowUs(), inFlight: false)
        #expect(stage.arm())
        clock.advance(byUs: 2_500)
        let bus = hardware.bus(board.imu.i2cBus)
        let before = bus.attempts(address: 0x40)
        stage.write(ActuatorCommands(roll: 0.3, pitch: -0.2, yaw: 0.1, throttle: 0.6))
        #expect(bus.attempts(address: 0x40) - before == 1)
        #expect(stage.writeFailures == 0)
        let chip = try #require(hardware.pca9685)
        for channel in 0..<4 {
            let commanded = try #require(stage.lastPulses.pulseUs(channel: channel))
            // One 12-bit count at 50 Hz is 4.9 µs.
            #expect(abs(chip.pulseUs(channel: channel) - Double(commanded)) < 5, "channel \(channel)")
        }
    }
}
