@testable import Board
import Foundation
import LinuxBoard
import Testing

/// Issue 14 item 7: the I2C bus time of a board's task table, with every figure worked out by hand in the comments
/// (a bit time is 2.5 µs at 400 kHz, 10 µs at 100 kHz; a byte with its ACK is 9 bit times; START, repeated START
/// and STOP one each).
@Suite struct I2CBusBudgetTests {
    /// The flight task table's budgets (FlightStack.taskTable) and the devices of each task.
    static let tasks = [
        I2CBusBudget.Task(name: "sensors+estimator", budgetUs: 1500,
                          roles: [.imu, .barometer, .airspeed, .batteryMonitor]),
        I2CBusBudget.Task(name: "attitude+outputs", budgetUs: 600, roles: [.pwm]),
        I2CBusBudget.Task(name: "guidance+tecs", budgetUs: 500, roles: []),
    ]

    static func budget(_ name: String, hz: Double, imuRateHz: Double? = nil) throws -> I2CBusBudget {
        var board = try BoardConfig.load(fromFile: boardPath(name))
        if let imuRateHz { board.imu.sampleRateHz = imuRateHz }
        let clock = hz == 100_000 ? I2CBusClock.assumed("test") : I2CBusClock(hz: hz, source: .emulated)
        return I2CBusBudget(board: board, clock: { _ in clock }, tasks: tasks, baroRateHz: 50)
    }

    @Test func transferBitCounts() {
        // Block read of n bytes: S, addr+W, reg, Sr, addr+R, n bytes, P = 3 + 9·(3 + n).
        #expect(I2CTransfer.readBlock(bytes: 2).bitTimes == 48)
        #expect(I2CTransfer.readBlock(bytes: 28).bitTimes == 282)
        #expect(I2CTransfer.readBlock(bytes: 6).bitTimes == 84)
        // Block write of n bytes: S, addr+W, reg, n bytes, P = 2 + 9·(2 + n).
        #expect(I2CTransfer.writeBlock(bytes: 16).bitTimes == 164)
        // Plain read: S, addr+R, n bytes, P = 2 + 9·(1 + n).
        #expect(I2CTransfer.read(bytes: 4).bitTimes == 47)
        // The figure: four 4-byte PCA9685 writes, 4 × 56 bits × 2.5 µs = 560 µs at 400 kHz.
        #expect(4 * I2CTransfer.writeBlock(bytes: 4).durationUs(clockHz: 400_000) == 560)
    }

    /// The SITL board adds an INA226 battery monitor at 10 Hz: two 2-byte register reads (a check read swaps the
    /// shunt read for the configuration), 3 + 9·5 = 48 bits = 120 µs each, in the sensor task.
    @Test func theBatteryMonitorFitsInTheSensorTask() throws {
        let b = try Self.budget("sitl", hz: 400_000)
        let bus = try #require(b.buses.first)
        let monitor = try #require(bus.devices.first { $0.role == .batteryMonitor })
        #expect(monitor.runUs == 240 && monitor.runsPerSecond == 10)
        #expect(b.worstTickUs == 1900)  // 1660 + 240
        #expect(b.tasks[0].busUs == 1392.5)  // 825 + 210 + 117.5 + 240, budget 1500
        #expect(b.fits)
    }

    @Test func theServoBoardFitsAt400kHz() throws {
        let b = try Self.budget("rpi4-pca9685", hz: 400_000)
        let bus = try #require(b.buses.first)
        #expect(b.buses.count == 1 && bus.bus == 1)
        func us(_ role: BoardDeviceRole) -> Double? { bus.devices.first { $0.role == role }?.runUs }
        // IMU at 500 Hz, tick 400 Hz: at most ceil(1.25) = 2 samples of 14 B. FIFO_COUNT 48 bits = 120 µs, data
        // 28 B in one block read 282 bits = 705 µs: 825 µs.
        #expect(us(.imu) == 825)
        #expect(us(.barometer) == 210)  // 84 bits
        #expect(us(.airspeed) == 117.5)  // 47 bits
        #expect(us(.pwm) == 410)  // LED0…LED3: one 16-byte write, 164 bits
        // The servo board's MODE1 check at 10 Hz: one 1-byte read, 39 bits.
        #expect(bus.devices.contains { $0.role == .pwm && $0.runUs == 97.5 && $0.runsPerSecond == 10 })
        // All in one tick: 825 + 210 + 117.5 + 410 + 97.5 = 1660 µs, 66.4 % of 2500 µs.
        #expect(b.worstTickUs == 1660)
        #expect(b.tasks[0].busUs == 1152.5)  // 825 + 210 + 117.5, budget 1500
        #expect(b.tasks[1].busUs == 507.5)  // 410 + 97.5, budget 600
        #expect(b.tasks[2].busUs == 0)
        #expect(b.fits)
        #expect(b.refusal == nil)
        #expect(b.description.contains("imu (MPU-6050 at 0x68): 825 µs every tick"))
        #expect(b.description.contains("all buses, worst tick: 1660 µs of the 2500 µs period (66.4 %)"))
    }

    @Test func theDefault100kHzIsRefusedWithTheNumbersAndTheFix() throws {
        let b = try Self.budget("rpi4-pca9685", hz: 100_000)
        // Four times the 400 kHz figures: 6640 µs a tick against 2500; sensors 4610 against 1500; outputs 2030.
        #expect(b.worstTickUs == 6640)
        #expect(b.problems == [
            .tickOverPeriod(busUs: 6640, periodUs: 2500),
            .taskOverBudget(task: "sensors+estimator", busUs: 4610, budgetUs: 1500),
            .taskOverBudget(task: "attitude+outputs", busUs: 2030, budgetUs: 600),
        ])
        let refusal = try #require(b.refusal)
        #expect(refusal.contains("a tick needs 6640 µs of I2C transfers, more than its 2500 µs period"))
        #expect(refusal.contains("raise bus 1 from 100 kHz to 400 kHz with dtparam=i2c_arm_baudrate=400000"))
    }

    @Test func aOneKilohertzIMUDoesNotFitTheSensorBudget() throws {
        // 1 kHz: ceil(2.5) = 3 samples = 42 B, read as 28 + 14: 48 + 282 + 156 bits = 486 bits = 1215 µs;
        // with the barometer, the pitot and the battery monitor (240 µs) 1782.5 µs > 1500.
        let b = try Self.budget("sitl", hz: 400_000, imuRateHz: 1000)
        #expect(b.buses[0].devices[0].transfers == [.readBlock(bytes: 2), .readBlock(bytes: 28), .readBlock(bytes: 14)])
        #expect(b.problems == [.taskOverBudget(task: "sensors+estimator", busUs: 1782.5, budgetUs: 1500)])
        #expect(b.refusal?.contains("lower imu.sample_rate_hz or realtime.base_rate_hz") == true)
    }

    @Test func everyShippedBoardFitsAt400kHz() throws {
        for name in ["rpi4-pca9685", "rpi-sysfs-pwm", "sitl", "sitl-wing"] {
            let b = try Self.budget(name, hz: 400_000)
            #expect(b.fits, "\(name): \(b.description)")
        }
        // No PCA9685 and no pitot on the SoC-PWM board: IMU 825 + barometer 210 µs.
        #expect(try Self.budget("rpi-sysfs-pwm", hz: 400_000).worstTickUs == 1035)
    }

    @Test func busSpeedFromTheDeviceTree() throws {
        // 400 000 = 0x00061A80, big-endian.
        #expect(I2CBusClock.parseDeviceTreeHz([0x00, 0x06, 0x1A, 0x80]) == 400_000)
        #expect(I2CBusClock.parseDeviceTreeHz([0x00, 0x06, 0x1A]) == nil)
        #expect(I2CBusClock.parseDeviceTreeHz([0, 0, 0, 0]) == nil)
        let root = "/tmp/kestrel-sysfs-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let node = root + "/class/i2c-adapter/i2c-1/of_node"
        try FileManager.default.createDirectory(atPath: node, withIntermediateDirectories: true)
        try Data([0x00, 0x06, 0x1A, 0x80]).write(to: URL(fileURLWithPath: node + "/clock-frequency"))
        let clock = I2CBusClockReader.clock(bus: 1, sysfsRoot: root)
        #expect(clock.hz == 400_000)
        #expect(clock.source == .system(path: node + "/clock-frequency"))
        // No property: the controller's 100 kHz default, said to be assumed.
        let missing = I2CBusClockReader.clock(bus: 3, sysfsRoot: root)
        #expect(missing.hz == 100_000)
        #expect(missing.description.hasPrefix("100 kHz (assumed: no clock-frequency for i2c-3"))
    }
}
