import Foundation
import Mission
import SITL
import Testing

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

private final class LowestHeight: @unchecked Sendable { var heightM = Double.infinity }

/// Chips that stop answering in flight (`[[device_faults]]`, NACK at the emulated bus, met by the real drivers).
@Suite struct DeviceFaultTests {
    /// Flies `scenario` with `seed` for 200 s; the summary and the lowest true height from 150 s on (the fault's
    /// start; the legs are at 100 m).
    static func fly(_ scenario: ClosedLoopScenario, seed: UInt64) throws -> (ClosedLoopSummary, lowestM: Double) {
        let lowest = LowestHeight()
        let s = try ClosedLoopRun.run(scenario, seed: seed, durationS: 200, prepare: { run in
            run.afterStep = { r in
                if r.timeS >= 150 { lowest.heightM = min(lowest.heightM, -r.vehicle.state.positionNEDM.z) }
            }
        })
        return (s, lowest.heightM)
    }

    /// A 3 s IMU dropout in the first leg, over seeds: before the attitude loops stopped on a silent IMU, the failsafe
    /// orbit's roll loop, held on the frozen attitude, rolled the vehicle past 120° and crashed it 6 s after the IMU
    /// came back. Now the vehicle glides with neutral surfaces, fails safe, recovers, and keeps its height.
    @Test(arguments: [1, 2, 3, 4, 20261121] as [UInt64])
    func imuDropoutGlidesAndRecovers(seed: UInt64) throws {
        let scenario = try ClosedLoopScenario.load(scenarioPath: "\(root)/Scenarios/faults/imu-dropout.toml")
        let (s, lowestM) = try Self.fly(scenario, seed: seed)
        #expect(s.crash == nil, "seed \(seed): \(s.report)")
        let failsafe = try #require(s.transitions.first { $0.to == .failsafe }, "seed \(seed): no failsafe")
        let failsafeS = Double(failsafe.timeUs) * 1e-6
        #expect(failsafeS >= 150.4 && failsafeS <= 151, "seed \(seed): failsafe at \(failsafeS) s")
        let recovered = try #require(s.transitions.first { $0.from == .failsafe }, "seed \(seed): never recovered")
        let recoveredS = Double(recovered.timeUs) * 1e-6
        #expect(recoveredS >= 153 && recoveredS <= 154, "seed \(seed): recovered at \(recoveredS) s")
        #expect(s.finalMode == .loiter, "seed \(seed): \(s.finalMode)")
        // The glide and the recovery cost a few metres.
        #expect(lowestM > 85, "seed \(seed): down to \(lowestM) m")
    }

    /// The IMU's output sticks for 3 s in the first leg (`effect = "stuck"`): the chip answers and converts, every
    /// sample the same. Before the driver refused a frozen output the estimator integrated the frozen rates and the
    /// vehicle hit the ground 11 s later (seed 20261121: at 210.8 s, 34 m/s, with the stuck window at 200 s). Now the
    /// 100th identical sample (0.2 s) makes the IMU silent to the flight path, which glides, fails safe and
    /// recovers as for a dropout.
    @Test(arguments: [1, 2, 3, 4, 20261121] as [UInt64])
    func stuckIMUIsRefusedAndTheVehicleRecovers(seed: UInt64) throws {
        let scenario = try ClosedLoopScenario.load(scenarioPath: "\(root)/Scenarios/faults/imu-stuck.toml")
        let (s, lowestM) = try Self.fly(scenario, seed: seed)
        #expect(s.crash == nil, "seed \(seed): \(s.report)")
        let failsafe = try #require(s.transitions.first { $0.to == .failsafe }, "seed \(seed): no failsafe")
        let failsafeS = Double(failsafe.timeUs) * 1e-6
        // 0.2 s to see it stuck, then the estimator's 0.5 s.
        #expect(failsafeS >= 150.6 && failsafeS <= 151.2, "seed \(seed): failsafe at \(failsafeS) s")
        let recovered = try #require(s.transitions.first { $0.from == .failsafe }, "seed \(seed): never recovered")
        #expect(Double(recovered.timeUs) * 1e-6 <= 155, "seed \(seed): recovered at \(recovered.timeUs) µs")
        #expect(s.finalMode == .loiter, "seed \(seed): \(s.finalMode)")
        #expect(s.sensors.imuFailures > 0, "seed \(seed): \(s.sensors)")
        #expect(lowestM > 85, "seed \(seed): down to \(lowestM) m")
    }

    /// The servo board's supply dips for 0.5 s in the first leg, over seeds: the PCA9685 comes back in its power-on
    /// state (asleep, outputs off, auto-increment off) while acknowledging every write. Before the driver checked
    /// MODE1, no pulse reached a servo or the ESC again, nothing reported it, and the vehicle glided into the ground
    /// 46 s later. Now the chip is configured again within a tenth of a second and the vehicle keeps its height.
    @Test(arguments: [1, 2, 3, 4, 20261121] as [UInt64])
    func servoBoardPowerLossIsConfiguredAgain(seed: UInt64) throws {
        let scenario = try ClosedLoopScenario.load(scenarioPath: "\(root)/Scenarios/faults/servo-power-loss.toml")
        let (s, lowestM) = try Self.fly(scenario, seed: seed)
        #expect(s.crash == nil, "seed \(seed): \(s.report)")
        #expect(s.outputs.reconfigurations == 1, "seed \(seed): \(s.outputs)")
        #expect(s.outputs.writeFailures > 0, "seed \(seed): \(s.outputs)")
        #expect(s.finalMode == .mission, "seed \(seed): \(s.finalMode)")
        #expect(lowestM > 92, "seed \(seed): down to \(lowestM) m")
    }

    /// The servo-power-loss scenario with the power loss moved to another chip, in a file of its own.
    static func powerLossScenario(device: String) throws -> String {
        let dir = NSTemporaryDirectory() + "kestrel-power-loss-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/\(device).toml"
        let text = try String(contentsOfFile: "\(root)/Scenarios/faults/servo-power-loss.toml", encoding: .utf8)
            .replacingOccurrences(of: "\"../../", with: "\"\(root)/")
            .replacingOccurrences(of: "\"../missions/", with: "\"\(root)/Scenarios/missions/")
            .replacingOccurrences(of: "device = \"servo_board\"", with: "device = \"\(device)\"")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// The IMU loses power for 0.5 s in the first leg: it comes back asleep, its FIFO off, and acknowledges every
    /// read with an empty FIFO. Before the driver checked its registers the IMU stayed silent for the rest of the
    /// flight and the vehicle, gliding on neutral surfaces, hit the ground 45 s later; now it is configured again
    /// (wake, configuration, FIFO after the gyro's start-up), the estimator failsafe that the 0.5 s of silence
    /// brought ends, and the vehicle loiters with its height.
    @Test(arguments: [1, 2, 20261121] as [UInt64])
    func imuPowerLossIsConfiguredAgain(seed: UInt64) throws {
        let scenario = try ClosedLoopScenario.load(scenarioPath: try Self.powerLossScenario(device: "imu"))
        let (s, lowestM) = try Self.fly(scenario, seed: seed)
        #expect(s.crash == nil, "seed \(seed): \(s.report)")
        #expect(s.sensors.imuReconfigurations == 1, "seed \(seed): \(s.sensors)")
        let recovered = try #require(s.transitions.first { $0.from == .failsafe }, "seed \(seed): never recovered")
        #expect(Double(recovered.timeUs) * 1e-6 < 152, "seed \(seed): recovered at \(recovered.timeUs) µs")
        #expect(s.finalMode == .loiter, "seed \(seed): \(s.finalMode)")
        #expect(lowestM > 90, "seed \(seed): down to \(lowestM) m")
    }

    /// The barometer loses power for 0.5 s: it comes back asleep with its result registers at the "skipped" code.
    /// Before the driver checked CTRL_MEAS every read failed from then on; now it is configured again at the first
    /// failed read and fused again.
    @Test(arguments: [1, 20261121] as [UInt64])
    func barometerPowerLossIsConfiguredAgain(seed: UInt64) throws {
        let scenario = try ClosedLoopScenario.load(scenarioPath: try Self.powerLossScenario(device: "barometer"))
        let s = try ClosedLoopRun.run(scenario, seed: seed, durationS: 200)
        #expect(s.crash == nil, "seed \(seed): \(s.report)")
        #expect(s.sensors.baroReconfigurations == 1, "seed \(seed): \(s.sensors)")
        // The 25 reads of the 0.5 s of silence (50 Hz) failed; at most two more (a conversion under way), none after.
        #expect(s.sensors.baroFailures <= 27, "seed \(seed): \(s.sensors)")
        #expect(s.finalMode == .mission, "seed \(seed): \(s.finalMode)")
    }

    @Test func aFaultOnAChipTheBoardDoesNotHaveIsAnError() throws {
        let dir = NSTemporaryDirectory() + "kestrel-device-faults-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/bad.toml"
        var text = try String(contentsOfFile: "\(root)/Scenarios/faults/imu-dropout.toml", encoding: .utf8)
        text = text.replacingOccurrences(of: "\"../../", with: "\"\(root)/").replacingOccurrences(
            of: "\"../missions/", with: "\"\(root)/Scenarios/missions/")
        try text.replacingOccurrences(of: "device = \"imu\"", with: "device = \"gyro\"")
            .write(toFile: path, atomically: true, encoding: .utf8)
        #expect {
            _ = try ClosedLoopRun.run(scenarioPath: path, durationS: 1)
        } throws: { "\($0)".contains("device_faults") && "\($0)".contains("gyro") }
    }

    /// A stuck servo board is not a sensor fault: refused with the effects that apply to it named.
    @Test func aStuckServoBoardIsRefusedNamingTheEffectsThatApply() throws {
        let dir = NSTemporaryDirectory() + "kestrel-device-faults-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/stuck-servo.toml"
        let text = try String(contentsOfFile: "\(root)/Scenarios/faults/imu-stuck.toml", encoding: .utf8)
            .replacingOccurrences(of: "\"../../", with: "\"\(root)/")
            .replacingOccurrences(of: "\"../missions/", with: "\"\(root)/Scenarios/missions/")
        try text.replacingOccurrences(of: "device = \"imu\"", with: "device = \"servo_board\"")
            .write(toFile: path, atomically: true, encoding: .utf8)
        #expect {
            _ = try ClosedLoopRun.run(scenarioPath: path, durationS: 1)
        } throws: { "\($0)".contains("device_faults[0].effect") && "\($0)".contains("\"nack\" or \"timeout\"") }
    }
}
