import DeviceIO
import Drivers
import FlightMath
import Testing
@testable import Simulation

/// A frozen MPU-6000 output met by the real driver: the chip answers and converts, the same values every time.
@Suite struct IMUStuckOutputTests {
    func make() throws -> (MPU6050Emulator, MPU6000<EmulatedI2CBus>) {
        let clock = ManualClock()
        let bus = EmulatedI2CBus(busNumber: 1)
        let chip = MPU6050Emulator(clock: clock)
        bus.attach(chip, at: 0x68)
        let imu = try MPU6000(bus: bus, config: MPU6000Config(sampleRateHz: 1000), clock: clock)
        return (chip, imu)
    }

    /// Feeds `count` samples at 1 kHz from `firstUs`, reading the FIFO after every second one as a 500 Hz tick
    /// would; returns how many reads threw and how many samples came back.
    static func fly(_ chip: MPU6050Emulator, _ imu: MPU6000<EmulatedI2CBus>, count: Int, firstUs: UInt64,
                    sample: (Int) -> IMUSample) -> (faults: Int, samples: Int) {
        var faults = 0, samples = 0
        for k in 0..<count {
            var s = sample(k)
            s.timestampUs = firstUs + UInt64(k) * 1000
            chip.feed(s)
            guard k % 2 == 1 else { continue }
            do {
                if try imu.readFIFO(timestampUs: s.timestampUs) != nil { samples += 1 }
            } catch {
                guard case .sensorFault(_, _, _, let detail) = error, detail.contains("stuck") else {
                    Issue.record("unexpected \(error)")
                    continue
                }
                faults += 1
            }
        }
        return (faults, samples)
    }

    static let frozen = IMUSample(timestampUs: 0, accelFRDMps2: Vector3(0.3, -0.2, -9.7),
                                  gyroFRDRadps: Vector3(0.01, 0.02, -0.03), temperatureC: 30)

    /// 99 identical samples are still delivered; from the 100th the read is refused with a typed fault naming the
    /// stuck output, and the first sample that moves again is delivered.
    @Test func theHundredthIdenticalSampleIsRefusedAndAMovingOneRecovers() throws {
        let (chip, imu) = try make()
        var random = RandomSource(seed: 3)
        // A working chip first: noise on every axis.
        let warm = Self.fly(chip, imu, count: 200, firstUs: 0) { _ in
            IMUSample(timestampUs: 0, accelFRDMps2: Vector3(0, 0, -9.8) + random.gaussianVector(standardDeviation: 0.04),
                      gyroFRDRadps: random.gaussianVector(standardDeviation: 0.002), temperatureC: 30)
        }
        #expect(warm.faults == 0 && warm.samples == 100)
        // Frozen: the DLPF settles on the frozen input within a few samples, then every count repeats.
        let stuck = Self.fly(chip, imu, count: 400, firstUs: 200_000) { _ in Self.frozen }
        #expect(stuck.faults > 140 && stuck.faults < 160, "refused reads \(stuck.faults)")
        #expect(stuck.samples == 200 - stuck.faults)
        #expect(imu.stuckReads == UInt64(stuck.faults))
        let moving = Self.fly(chip, imu, count: 20, firstUs: 600_000) { k in
            IMUSample(timestampUs: 0, accelFRDMps2: Vector3(0, 0, -9.8 + Double(k) * 0.05),
                      gyroFRDRadps: .zero, temperatureC: 30)
        }
        #expect(moving.faults == 0 && moving.samples == 10)
    }

    /// A working chip's noise never trips it: 60 s at 1 kHz of the bench's noise at rest, over seeds.
    @Test(arguments: [1, 2, 3] as [UInt64]) func noiseAtRestIsNeverStuck(seed: UInt64) throws {
        let (chip, imu) = try make()
        var random = RandomSource(seed: seed)
        let run = Self.fly(chip, imu, count: 60_000, firstUs: 0) { _ in
            IMUSample(timestampUs: 0, accelFRDMps2: Vector3(0, 0, -9.8) + random.gaussianVector(standardDeviation: 0.04),
                      gyroFRDRadps: random.gaussianVector(standardDeviation: 0.0012), temperatureC: 30)
        }
        #expect(run.faults == 0 && run.samples == 30_000)
    }
}
