import Board

extension FlightStack {
    /// The I2C devices each task of `taskTable` reads or writes: the sensor task the IMU, barometer, pitot and battery
    /// monitor, the output task the PWM expander.
    public static func busTasks(_ table: TaskTable) -> [I2CBusBudget.Task] {
        table.tasks.enumerated().map { index, spec in
            let roles: [BoardDeviceRole]
            switch Task(rawValue: index) {
            case .sensors: roles = [.imu, .barometer, .airspeed, .batteryMonitor]
            case .control: roles = [.pwm]
            default: roles = []
            }
            return I2CBusBudget.Task(name: spec.name, budgetUs: Double(spec.budgetUs), roles: roles)
        }
    }

    /// The bus-time budget of `board`'s task table on `hardware`'s buses (speeds read from the system, or assumed
    /// and said so), with the barometer polled at `baroRateHz`.
    public static func busBudget(board: BoardConfig, hardware: any BoardHardware, baroRateHz: Double = 50)
        throws(TaskTableError) -> I2CBusBudget
    {
        let table = try taskTable(baseRateHz: Int(board.realtime.baseRateHz.rounded()))
        return I2CBusBudget(board: board, clock: { clock(bus: $0, board: board, hardware: hardware) },
                            tasks: busTasks(table), baroRateHz: baroRateHz)
    }

    /// The bus's clock as the system reports it; where it reports none, the board file's `[i2c] clock_hz` if given.
    static func clock(bus: Int, board: BoardConfig, hardware: any BoardHardware) -> I2CBusClock {
        let reported = hardware.i2cBusClock(bus)
        if case .assumed = reported.source, let hz = board.i2cClockHz { return I2CBusClock(hz: hz, source: .boardFile) }
        return reported
    }
}
