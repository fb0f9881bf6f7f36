import ConfigFiles

/// A flight board as described by `Hardware/boards/<name>.toml`: which buses, addresses, GPIO lines and PWM
/// channels the devices sit on, what each output drives and its safe pulse, how the IMU is mounted, and the
/// real-time settings of the flight loop. Data, never code: the same binary flies every board.
///
/// Loading is strict (`ConfigFile.load`): an unknown key, a missing one or a value out of range is a
/// `ConfigFileError` naming the file and the key.
public struct BoardConfig: Decodable, Sendable, Equatable, ValidatedConfig {
    public var name: String
    public var description: String
    /// True for the SITL board: every device is a register-level emulator, nothing touches hardware.
    public var emulated: Bool
    public var realtime: RealtimeSettings
    public var imu: IMUSettings
    public var barometer: BarometerSettings
    /// Optional: a board without a pitot flies on synthetic airspeed.
    public var airspeed: AirspeedSettings?
    /// Optional: without one the board knows no battery voltage (the low-battery failsafe cannot act).
    public var batteryMonitor: BatteryMonitorSettings?
    public var gps: GPSSettings
    public var safetySwitch: SafetySwitchSettings
    public var pwm: PWMSettings
    /// Optional `[mavlink]`: the ground link `kestrel fly` serves when no `--mavlink` is given.
    public var mavlink: BoardMAVLinkSettings?
    /// Optional `[i2c] clock_hz`: the buses' SCL clock where the system does not say (an adapter without a
    /// device-tree `clock-frequency`: a USB bridge, the kernel's i2c-stub). The device tree's value wins.
    public var i2cClockHz: Double?

    enum CodingKeys: String, CodingKey {
        case name, description, emulated, realtime, imu, barometer, airspeed, gps, batteryMonitor = "battery_monitor"
        case safetySwitch = "safety_switch", pwm, mavlink, i2c
    }

    enum I2CKeys: String, CodingKey { case clockHz = "clock_hz" }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        description = try c.decodeIfPresent(String.self, forKey: .description) ?? ""
        emulated = try c.decodeIfPresent(Bool.self, forKey: .emulated) ?? false
        realtime = try c.decode(RealtimeSettings.self, forKey: .realtime)
        imu = try c.decode(IMUSettings.self, forKey: .imu)
        barometer = try c.decode(BarometerSettings.self, forKey: .barometer)
        airspeed = try c.decodeIfPresent(AirspeedSettings.self, forKey: .airspeed)
        batteryMonitor = try c.decodeIfPresent(BatteryMonitorSettings.self, forKey: .batteryMonitor)
        gps = try c.decode(GPSSettings.self, forKey: .gps)
        safetySwitch = try c.decode(SafetySwitchSettings.self, forKey: .safetySwitch)
        if c.contains(.i2c) {
            let i2c = try c.nestedContainer(keyedBy: I2CKeys.self, forKey: .i2c)
            i2cClockHz = Double(try i2c.integer(.clockHz, in: 10_000...3_400_000, unit: "Hz"))
        }
        pwm = try c.decode(PWMSettings.self, forKey: .pwm)
        mavlink = try c.decodeIfPresent(BoardMAVLinkSettings.self, forKey: .mavlink)
    }

    /// Loads and checks a board file.
    public static func load(fromFile path: String) throws(ConfigFileError) -> BoardConfig {
        try ConfigFile.load(BoardConfig.self, fromFile: path)
    }

    /// Every chip on an I2C bus, with the key path of its address, in file order.
    public var i2cDevices: [(role: String, bus: Int, address: UInt8, keyPath: String)] {
        var devices: [(String, Int, UInt8, String)] = [
            ("imu", imu.i2cBus, imu.address, "imu.address"),
            ("barometer", barometer.i2cBus, barometer.address, "barometer.address"),
        ]
        if let airspeed { devices.append(("airspeed", airspeed.i2cBus, airspeed.address, "airspeed.address")) }
        if let m = batteryMonitor {
            devices.append(("battery monitor", m.i2cBus, m.address, "battery_monitor.address"))
        }
        if case .pca9685(let bus, let address, _) = pwm.driver { devices.append(("pwm", bus, address, "pwm.address")) }
        return devices
    }

    /// Checks that span sections: two chips on one bus cannot share an address.
    public func validate() throws(ConfigValueError) {
        var seen: [String: String] = [:]
        for device in i2cDevices {
            let key = "\(device.bus):\(device.address)"
            if let other = seen[key] {
                throw ConfigValueError(
                    keyPath: device.keyPath,
                    reason: "address \(hexAddress(device.address)) on I2C bus \(device.bus) is already used by "
                        + "\(other); two chips cannot share an address (change the address jumper)")
            }
            seen[key] = device.role
        }
    }
}

/// `[realtime]`: how the flight loop asks the kernel for real time (see RealtimeSetup).
public struct RealtimeSettings: Decodable, Sendable, Equatable, ValidatedConfig {
    /// Rate of the scheduler's base tick (sensors and inner loops).
    public var baseRateHz: Double
    /// SCHED_FIFO priority 1…99; absent = default scheduler (SITL, bench).
    public var fifoPriority: Int?
    /// CPU to pin the real-time thread to; absent = no pinning.
    public var cpu: Int?
    public var lockMemory: Bool

    enum CodingKeys: String, CodingKey {
        case baseRateHz = "base_rate_hz", fifoPriority = "fifo_priority", cpu, lockMemory = "lock_memory"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        baseRateHz = try c.decode(Double.self, forKey: .baseRateHz)
        fifoPriority = try c.decodeIfPresent(Int.self, forKey: .fifoPriority)
        cpu = try c.decodeIfPresent(Int.self, forKey: .cpu)
        lockMemory = try c.decodeIfPresent(Bool.self, forKey: .lockMemory) ?? false
    }

    public func validate() throws(ConfigValueError) {
        try Self.require(baseRateHz, in: 50...2000, "base_rate_hz", unit: "Hz")
        if let fifoPriority, !(1...99).contains(fifoPriority) {
            throw ConfigValueError(keyPath: "fifo_priority", reason: "\(fifoPriority) is outside SCHED_FIFO's 1…99")
        }
        if let cpu, !(0...255).contains(cpu) {
            throw ConfigValueError(keyPath: "cpu", reason: "\(cpu) is not a CPU index (0…255; see nproc)")
        }
    }
}

func hexAddress(_ value: UInt8) -> String {
    let digits = String(value, radix: 16, uppercase: true)
    return value < 0x10 ? "0x0" + digits : "0x" + digits
}

