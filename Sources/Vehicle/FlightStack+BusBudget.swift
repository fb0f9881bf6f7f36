import Board

extension FlightStack {
    /// The I2C devices each task of `taskTable` reads or writes: the sensor task the IMU, barometer and pitot, the
    /// output task the PWM expander.
    public static func busTasks(_ table: TaskTable) -> [I2CBusBudget.Task] {
        table.tasks.enumerated().map { index, spec in
            let roles: [BoardDeviceRole]
            switch Task(rawValue: index) {
            case .sensors: roles = [.imu, .barometer, .airspeed]
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
        return I2CBusBudget(board: board, clock: { hardware.i2cBusClock($0) }, tasks: busTasks(table),
                            baroRateHz: baroRateHz)
    }
}
