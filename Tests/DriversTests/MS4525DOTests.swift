import DeviceIO
import FlightMath
import Testing
@testable import Drivers

@Suite struct MS4525DOTests {
    static let paPerPsi = 6894.757293168361

    func makeSensor(_ config: MS4525DOConfig = MS4525DOConfig()) throws -> (FakeI2CBus, FakeRegisterChip, MS4525DO<FakeI2CBus>) {
        let bus = FakeI2CBus()
        let chip = FakeRegisterChip()
        bus.chips[0x28] = chip
        return (bus, chip, try MS4525DO(bus: bus, config: config))
    }

    /// Packs status, 14-bit bridge and 11-bit temperature counts into a Read_DF4 packet.
    func packet(status: UInt8, pressure: UInt16, temperature: UInt16) -> [UInt8] {
        [status << 6 | UInt8(pressure >> 8), UInt8(pressure & 0xFF), UInt8(temperature >> 3), UInt8(temperature & 7) << 5]
    }

    @Test func typeATransferFunction() throws {
        let (bus, chip, sensor) = try makeSensor()
        // 8192 counts is half a count above the 50 % zero point (8191.5): 2 psi / 13106.4 counts per half count.
        chip.rawReadBytes = packet(status: 0, pressure: 8192, temperature: 1024)
        guard case .fresh(let sample) = try sensor.read(timestampUs: 5) else {
            Issue.record("expected a fresh sample")
            return
        }
        #expect(bus.log == [.read(address: 0x28, count: 4)])
        #expect(abs(sample.differentialPressurePa - 0.5 * 2 / 13106.4 * Self.paPerPsi) < 1e-9)  // 0.526 Pa
        #expect(abs(sample.temperatureC - 50.0488) < 1e-4)  // 1024 · 200 / 2047 − 50
        // 10 % and 90 % of 16383 counts are −1 psi and +1 psi.
        #expect(abs(sensor.differentialPressurePa(counts: 1638) - (-1 - 0.3 * 2 / 13106.4) * Self.paPerPsi) < 1e-9)
        #expect(abs(sensor.differentialPressurePa(counts: 14745) - (1 + 0.3 * 2 / 13106.4) * Self.paPerPsi) < 1e-9)
    }

    @Test func typeBRangeAndPortSwap() throws {
        let (_, _, sensor) = try makeSensor(MS4525DOConfig(outputType: .typeB, rangePsi: 5, swapPorts: true))
        // Type B: 5 % ... 95 %. 819.15 counts = −5 psi, swapped = +5 psi.
        #expect(abs(sensor.differentialPressurePa(counts: 819) - 0.15 * 10 / (0.9 * 16383) * Self.paPerPsi
            - 5 * Self.paPerPsi) < 1e-6)
    }

    @Test func staleAndFaultStatus() throws {
        let (_, chip, sensor) = try makeSensor()
        chip.rawReadBytes = packet(status: 2, pressure: 8192, temperature: 1024)
        #expect(try sensor.read(timestampUs: 0) == .stale)
        #expect(sensor.staleReads == 1)
        #expect(!sensor.isHealthy(nowUs: 0))  // nothing fresh yet
        chip.rawReadBytes = packet(status: 0, pressure: 8192, temperature: 1024)
        _ = try sensor.read(timestampUs: 1_000)
        #expect(sensor.isHealthy(nowUs: 50_000))
        chip.rawReadBytes = packet(status: 2, pressure: 8192, temperature: 1024)
        _ = try sensor.read(timestampUs: 200_000)
        #expect(!sensor.isHealthy(nowUs: 200_000))  // only stale packets for > 100 ms

        chip.rawReadBytes = packet(status: 3, pressure: 8192, temperature: 1024)
        let fault = #expect(throws: DriverError.self) { _ = try sensor.read(timestampUs: 0) }
        #expect(fault?.description.contains("fault") == true)
        chip.rawReadBytes = [0xFF, 0xFF, 0xFF, 0xFF]
        #expect(throws: DriverError.self) { _ = try sensor.read(timestampUs: 0) }
        #expect(sensor.health.busErrors == 2)
    }

    @Test func absentSensorIsABusError() throws {
        let bus = FakeI2CBus(busNumber: 3)
        let sensor = try MS4525DO(bus: bus)
        #expect(throws: DriverError.bus(.noDeviceAtAddress(bus: 3, address: 0x28))) { _ = try sensor.read(timestampUs: 0) }
    }
}
