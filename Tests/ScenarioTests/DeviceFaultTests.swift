import Foundation
import Mission
import SITL
import Testing

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

private final class LowestHeight: @unchecked Sendable { var heightM = Double.infinity }

/// Chips that stop answering in flight (`[[device_faults]]`, NACK at the emulated bus, met by the real drivers).
@Suite struct DeviceFaultTests {
    /// A 3 s IMU dropout in the first leg, over seeds: before the attitude loops stopped on a silent IMU, the failsafe
    /// orbit's roll loop, held on the frozen attitude, rolled the vehicle past 120° and crashed it 6 s after the IMU
    /// came back. Now the vehicle glides with neutral surfaces, fails safe, recovers, and keeps its height.
    @Test(arguments: [1, 2, 3, 4, 20261121] as [UInt64])
    func imuDropoutGlidesAndRecovers(seed: UInt64) throws {
        let scenario = try ClosedLoopScenario.load(scenarioPath: "\(root)/Scenarios/faults/imu-dropout.toml")
        // The lowest true height from the dropout on (the legs are at 100 m).
        let lowest = LowestHeight()
        let s = try ClosedLoopRun.run(scenario, seed: seed, durationS: 200, prepare: { run in
            run.afterStep = { r in
                if r.timeS >= 150 { lowest.heightM = min(lowest.heightM, -r.vehicle.state.positionNEDM.z) }
            }
        })
        #expect(s.crash == nil, "seed \(seed): \(s.report)")
        let failsafe = try #require(s.transitions.first { $0.to == .failsafe }, "seed \(seed): no failsafe")
        let failsafeS = Double(failsafe.timeUs) * 1e-6
        #expect(failsafeS >= 150.4 && failsafeS <= 151, "seed \(seed): failsafe at \(failsafeS) s")
        let recovered = try #require(s.transitions.first { $0.from == .failsafe }, "seed \(seed): never recovered")
        let recoveredS = Double(recovered.timeUs) * 1e-6
        #expect(recoveredS >= 153 && recoveredS <= 154, "seed \(seed): recovered at \(recoveredS) s")
        #expect(s.finalMode == .loiter, "seed \(seed): \(s.finalMode)")
        // The glide and the recovery cost a few metres.
        #expect(lowest.heightM > 85, "seed \(seed): down to \(lowest.heightM) m")
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
}
