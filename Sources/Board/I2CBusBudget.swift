import Drivers

/// The I2C bus time a board's task table needs per tick, computed from the board file and the bus speeds, and
/// whether it fits: the tick period on the real-time thread (which waits for every transfer, on whichever bus),
/// and each task's time budget.
///
/// The transfers are the ones the drivers make on the flight path: the IMU's FIFO count and FIFO data
/// (`MPU6000.readFIFO`), the barometer's 6-byte burst, the pitot's 4-byte packet, and one auto-increment block
/// write of the PCA9685's LED registers per tick (`PCA9685.commit`). See `I2CTransfer` for the bit counts.
public struct I2CBusBudget: Sendable, CustomStringConvertible {
    /// A task of the table and the devices it reads or writes.
    public struct Task: Sendable {
        public var name: String
        public var budgetUs: Double
        public var roles: [BoardDeviceRole]

        public init(name: String, budgetUs: Double, roles: [BoardDeviceRole]) {
            self.name = name; self.budgetUs = budgetUs; self.roles = roles
        }
    }

    /// One device's traffic.
    public struct DeviceLoad: Sendable {
        public var role: BoardDeviceRole
        public var chip: String
        public var bus: Int
        public var address: UInt8
        /// The transfers of one run (one tick's read or write).
        public var transfers: [I2CTransfer]
        /// Runs per second; a run happens in at most one per tick.
        public var runsPerSecond: Double
        /// What the run holds, for the report ("2 FIFO samples of the 500 Hz IMU").
        public var detail: String
        /// Bus time of one run, µs.
        public var runUs: Double
    }

    public struct BusLoad: Sendable {
        public var bus: Int
        public var clock: I2CBusClock
        public var devices: [DeviceLoad]
        /// Every device of the bus in the same tick, µs.
        public var worstTickUs: Double { devices.reduce(0) { $0 + $1.runUs } }
    }

    public struct TaskLoad: Sendable {
        public var task: Task
        /// The task's devices, all in one run, µs.
        public var busUs: Double
    }

    public enum Problem: Sendable, Equatable {
        case tickOverPeriod(busUs: Double, periodUs: Double)
        case taskOverBudget(task: String, busUs: Double, budgetUs: Double)
    }

    public let baseRateHz: Double
    public let periodUs: Double
    public let buses: [BusLoad]
    public let tasks: [TaskLoad]

    /// - Parameters:
    ///   - clock: each bus's SCL frequency and where it came from.
    ///   - tasks: the task table's tasks with their devices (`FlightStack.busTasks`).
    ///   - baroRateHz: how often the sensor task reads the barometer.
    public init(board: BoardConfig, clock: (Int) -> I2CBusClock, tasks: [Task], baroRateHz: Double) {
        let baseRateHz = board.realtime.baseRateHz
        self.baseRateHz = baseRateHz
        periodUs = 1e6 / baseRateHz
        var loads: [DeviceLoad] = []
        func add(_ role: BoardDeviceRole, _ chip: String, _ bus: Int, _ address: UInt8, _ transfers: [I2CTransfer],
                 runsPerSecond: Double, _ detail: String)
        {
            let runUs = transfers.reduce(0) { $0 + $1.durationUs(clockHz: clock(bus).hz) }
            loads.append(DeviceLoad(role: role, chip: chip, bus: bus, address: address, transfers: transfers,
                                    runsPerSecond: min(runsPerSecond, baseRateHz), detail: detail, runUs: runUs))
        }
        let imu = board.imu
        let imuRateHz = MPU6000FIFO.outputRateHz(requestedHz: imu.sampleRateHz, lowPass: imu.lowPass)
        let samples = MPU6000FIFO.samplesPerTick(outputRateHz: imuRateHz, tickRateHz: baseRateHz)
        add(.imu, "MPU-" + imu.chip.dropFirst(3), imu.i2cBus, imu.address,
            MPU6000FIFO.transfers(samples: samples).map { .readBlock(bytes: $0) }, runsPerSecond: baseRateHz,
            "FIFO count + \(samples) sample(s) of \(MPU6000FIFO.bytesPerSample) B (\(Self.format(imuRateHz)) Hz chip)")
        add(.barometer, "BMP280", board.barometer.i2cBus, board.barometer.address, [.readBlock(bytes: 6)],
            runsPerSecond: baroRateHz, "6 B burst")
        if let a = board.airspeed {
            add(.airspeed, "MS4525DO", a.i2cBus, a.address, [.read(bytes: 4)], runsPerSecond: baseRateHz, "4 B packet")
        }
        if let m = board.batteryMonitor {
            add(.batteryMonitor, "INA226", m.i2cBus, m.address, [.readBlock(bytes: 2), .readBlock(bytes: 2)],
                runsPerSecond: m.rateHz, "shunt (or configuration check) + bus voltage, 2 B each")
        }
        if case .pca9685(let bus, let address, _) = board.pwm.driver {
            let channels = board.pwm.channels.map(\.channel)
            let first = channels.min() ?? 0, last = channels.max() ?? 0
            let writes = PCA9685<AnyI2CBus>.blockWrites(firstChannel: first, lastChannel: last)
            add(.pwm, "PCA9685", bus, address, writes.map { .writeBlock(bytes: $0) }, runsPerSecond: baseRateHz,
                "LED\(first)…LED\(last) in \(writes.count) auto-increment write(s)")
            add(.pwm, "PCA9685", bus, address, [.readBlock(bytes: 1)],
                runsPerSecond: PCA9685<AnyI2CBus>.registerCheckRateHz, "MODE1 check (a reset chip is configured again)")
        }
        var byBus: [Int: [DeviceLoad]] = [:]
        for load in loads { byBus[load.bus, default: []].append(load) }
        self.buses = byBus.keys.sorted().map { BusLoad(bus: $0, clock: clock($0), devices: byBus[$0] ?? []) }
        self.tasks = tasks.map { task in
            TaskLoad(task: task, busUs: loads.filter { task.roles.contains($0.role) }.reduce(0) { $0 + $1.runUs })
        }
    }

    /// The real-time thread waits for every transfer in turn, whichever bus it is on: a tick in which every
    /// device runs needs the sum of them all.
    public var worstTickUs: Double { buses.reduce(0) { $0 + $1.worstTickUs } }

    public var problems: [Problem] {
        var found: [Problem] = []
        if worstTickUs > periodUs { found.append(.tickOverPeriod(busUs: worstTickUs, periodUs: periodUs)) }
        for t in tasks where t.busUs > t.task.budgetUs {
            found.append(.taskOverBudget(task: t.task.name, busUs: t.busUs, budgetUs: t.task.budgetUs))
        }
        return found
    }

    public var fits: Bool { problems.isEmpty }

    /// The bus-time table, per device, per bus and per task, with the refusal and its fix when it does not fit.
    public var description: String {
        var lines = ["I2C bus time per tick (base rate \(Self.format(baseRateHz)) Hz, period \(Self.format(periodUs)) µs):"]
        for bus in buses {
            lines.append("  bus \(bus.bus) at \(bus.clock.description):")
            for d in bus.devices {
                let rate = d.runsPerSecond >= baseRateHz ? "every tick" : "at \(Self.format(d.runsPerSecond)) Hz"
                lines.append("    \(d.role.rawValue) (\(d.chip) at \(hexAddress(d.address))): \(Self.format(d.runUs)) µs "
                             + "\(rate), \(d.detail), \(d.transfers.count) transfer(s)")
            }
            lines.append("    bus \(bus.bus) worst tick: \(Self.format(bus.worstTickUs)) µs "
                         + "(\(Self.format(100 * bus.worstTickUs / periodUs)) % of the period)")
        }
        lines.append("  all buses, worst tick: \(Self.format(worstTickUs)) µs of the \(Self.format(periodUs)) µs period "
                     + "(\(Self.format(100 * worstTickUs / periodUs)) %)")
        for t in tasks where !t.task.roles.isEmpty {
            lines.append("  task \(t.task.name): \(Self.format(t.busUs)) µs of bus time, budget "
                         + "\(Self.format(t.task.budgetUs)) µs")
        }
        lines.append(refusal ?? "  fits: every task's bus time is within its budget and a tick's within the period")
        return lines.joined(separator: "\n")
    }

    /// Why the table does not fit, with the numbers and the fix; nil when it fits.
    public var refusal: String? {
        let found = problems
        guard !found.isEmpty else { return nil }
        var reasons: [String] = []
        for p in found {
            switch p {
            case .tickOverPeriod(let busUs, let periodUs):
                reasons.append("a tick needs \(Self.format(busUs)) µs of I2C transfers, more than its "
                               + "\(Self.format(periodUs)) µs period")
            case .taskOverBudget(let task, let busUs, let budgetUs):
                reasons.append("task \(task) needs \(Self.format(busUs)) µs of I2C transfers, more than its "
                               + "\(Self.format(budgetUs)) µs budget")
            }
        }
        var fixes: [String] = []
        let slow = buses.filter { $0.clock.hz < 400_000 }
        if !slow.isEmpty {
            let names = slow.map { "bus \($0.bus) from \(Self.format($0.clock.hz / 1000)) kHz" }
                .joined(separator: ", ")
            fixes.append("raise \(names) to 400 kHz with dtparam=i2c_arm_baudrate=400000 in /boot/firmware/config.txt "
                         + "and reboot")
        }
        fixes.append("lower imu.sample_rate_hz or realtime.base_rate_hz in the board file")
        return "refused: the I2C bus-time budget does not fit: " + reasons.joined(separator: "; ") + ". Fix: "
            + fixes.joined(separator: ", or ") + "."
    }

    public static func format(_ value: Double) -> String {
        let tenths = (value * 10).rounded() / 10
        return tenths == tenths.rounded() ? String(Int(tenths)) : String(tenths)
    }
}
