import DeviceIO
import Drivers
import FlightMath
import Board

/// Polls every sensor of a board on a 1 kHz timeline for the check: the IMU on its data-ready bit, barometer
/// and airspeed at 100 Hz, the GPS port every tick. The timeline is the board's clock: CLOCK_MONOTONIC on
/// hardware, simulated time on an emulated board (whose `willReadSensors` feeds its emulators a vehicle at rest).
struct Sampler {
    let devices: BoardDevices
    var accumulators: [BoardDeviceRole: Accumulator] = [:]
    var gpsParser: GPSStreamParser
    var gpsBuffer = [UInt8](repeating: 0, count: 256)
    var gpsFrame: LocalFrame?
    var lastBaro: BaroSample?
    var gate = ArmingSafetyGate()
    /// The supervisor's safe-output path as the daemon would open it: its opening errors, and whether the OE line
    /// opened.
    var safePathErrors: [BoardDeviceError] = []
    var outputEnableOpened = false

    struct Accumulator {
        var samples = 0
        var readErrors = 0
        var lastError: String?
        var channels: [BoardCheckReport.Channel]

        init(_ names: [(String, String)]) {
            channels = names.map { .init(name: $0.0, unit: $0.1, statistics: RunningStatistics()) }
        }

        mutating func add(_ values: Double...) {
            samples += 1
            for (i, v) in values.enumerated() where i < channels.count { channels[i].statistics.add(v) }
        }

        mutating func fail(_ error: any Error) {
            readErrors += 1
            lastError = "\(error)"
        }
    }

    init(devices: BoardDevices) {
        self.devices = devices
        gpsParser = GPSStreamParser(protocol: devices.board.gps.protocolKind)
        accumulators[.imu] = Accumulator([
            ("accel x", "m/s²"), ("accel y", "m/s²"), ("accel z", "m/s²"),
            ("gyro x", "rad/s"), ("gyro y", "rad/s"), ("gyro z", "rad/s"), ("temperature", "°C"),
        ])
        accumulators[.barometer] = Accumulator([("pressure", "Pa"), ("temperature", "°C")])
        accumulators[.airspeed] = Accumulator([("differential", "Pa"), ("temperature", "°C")])
        accumulators[.batteryMonitor] = Accumulator([("voltage", "V"), ("current", "A")])
        accumulators[.gps] = Accumulator([("north", "m"), ("east", "m"), ("down", "m"), ("satellites", "")])
    }

    mutating func run(seconds: Double) {
        let clock = devices.clock
        let tickUs: UInt64 = 1_000
        let start = clock.nowUs()
        let ticks = UInt64((seconds * 1e6 / Double(tickUs)).rounded())
        for k in 0..<ticks {
            let deadline = start + k * tickUs
            let now = clock.nowUs()
            // A manual (simulated) clock moves by sleeping, so one timeline serves both kinds of board.
            if deadline > now { clock.sleep(durationUs: deadline - now) }
            let readUs = clock.nowUs()
            devices.hardware.willReadSensors(atUs: readUs)
            tick(index: k, nowUs: readUs)
        }
        let end = start + ticks * tickUs
        let now = clock.nowUs()
        if end > now { clock.sleep(durationUs: end - now) }
    }

    private mutating func tick(index: UInt64, nowUs: UInt64) {
        if let imu = devices.imu {
            do {
                if try imu.dataReady() {
                    let s = try imu.read(timestampUs: nowUs)
                    accumulators[.imu]?.add(s.accelFRDMps2.x, s.accelFRDMps2.y, s.accelFRDMps2.z, s.gyroFRDRadps.x,
                                            s.gyroFRDRadps.y, s.gyroFRDRadps.z, s.temperatureC)
                }
            } catch {
                accumulators[.imu]?.fail(error)
            }
        }
        if index % 10 == 0, let baro = devices.barometer {
            do {
                let s = try baro.read(timestampUs: nowUs)
                // The BMP280 has no data-ready flag: a new conversion shows as a changed reading.
                if s.pressurePa != lastBaro?.pressurePa || s.temperatureC != lastBaro?.temperatureC {
                    accumulators[.barometer]?.add(s.pressurePa, s.temperatureC)
                }
                lastBaro = s
            } catch {
                accumulators[.barometer]?.fail(error)
            }
        }
        if index % 10 == 5, let airspeed = devices.airspeed {
            do {
                if case .fresh(let s) = try airspeed.read(timestampUs: nowUs) {
                    accumulators[.airspeed]?.add(s.differentialPressurePa, s.temperatureC)
                }
            } catch {
                accumulators[.airspeed]?.fail(error)
            }
        }
        if index % 10 == 7, let monitor = devices.batteryMonitor {
            do {
                let s = try monitor.read(timestampUs: nowUs)
                accumulators[.batteryMonitor]?.add(s.voltageV, s.currentA)
            } catch {
                accumulators[.batteryMonitor]?.fail(error)
            }
        }
        if let port = devices.gpsPort {
            do {
                let fix = try gpsBuffer.withUnsafeMutableBytes { (buffer) throws(DeviceError) -> GPSFix? in
                    try gpsParser.poll(port, buffer: buffer, nowUs: nowUs)
                }
                if let fix, fix.fixType != .none {
                    let frame = gpsFrame ?? LocalFrame(origin: fix.position)
                    gpsFrame = frame
                    let ned = frame.ned(of: fix.position)
                    accumulators[.gps]?.add(ned.x, ned.y, ned.z, Double(fix.satellitesUsed))
                } else if fix != nil {
                    accumulators[.gps]?.samples += 1  // a fix message without a solution still shows the link works
                }
            } catch {
                accumulators[.gps]?.fail(error)
            }
        }
        if let safety = devices.safetySwitch {
            try? safety.apply(to: &gate)
        }
    }

    func deviceReports(durationS: Double) -> [BoardCheckReport.Device] {
        var roles: [BoardDeviceRole] = [.imu, .barometer]
        if devices.board.airspeed != nil { roles.append(.airspeed) }
        if devices.board.batteryMonitor != nil { roles.append(.batteryMonitor) }
        roles += [.gps, .safetySwitch, .pwm]
        if devices.board.pwm.outputEnable != nil { roles.append(.outputEnable) }
        return roles.map { role in
            let error = devices.errors.first { $0.role == role } ?? safePathErrors.first { $0.role == role }
            let present: Bool
            switch role {
            case .imu: present = devices.imu != nil
            case .barometer: present = devices.barometer != nil
            case .airspeed: present = devices.airspeed != nil
            case .batteryMonitor: present = devices.batteryMonitor != nil
            case .gps: present = devices.gpsPort != nil
            case .safetySwitch: present = devices.safetySwitch != nil
            case .pwm: present = devices.outputs != nil && !safePathErrors.contains { $0.role == .pwm }
            case .outputEnable: present = outputEnableOpened
            }
            let acc = accumulators[role]
            return BoardCheckReport.Device(
                role: role, device: devices.deviceName(role), present: present, openError: error,
                samples: acc?.samples ?? 0, rateHz: Double(acc?.samples ?? 0) / durationS, readErrors: acc?.readErrors ?? 0,
                lastReadError: acc?.lastError, channels: acc?.channels ?? [])
        }
    }
}
