import Board
/// Mean and standard deviation by Welford's update (numerically stable, no sample storage).
public struct RunningStatistics: Sendable, Equatable {
    public private(set) var count = 0
    public private(set) var mean = 0.0
    private var m2 = 0.0

    public init() {}

    public mutating func add(_ x: Double) {
        guard x.isFinite else { return }
        count += 1
        let delta = x - mean
        mean += delta / Double(count)
        m2 += delta * (x - mean)
    }

    /// Sample standard deviation (0 with fewer than two samples).
    public var standardDeviation: Double { count > 1 ? (m2 / Double(count - 1)).squareRoot() : 0 }
}

/// What `kestrel check-board` found; `description` is the text shown to the operator.
public struct BoardCheckReport: CustomStringConvertible, Sendable {
    public struct Channel: Sendable, Equatable {
        public var name: String
        public var unit: String
        public var statistics: RunningStatistics
    }

    public struct Device: Sendable {
        public var role: BoardDeviceRole
        public var device: String
        /// Opened and brought up (identity, reset, configuration read back).
        public var present: Bool
        /// Why it is not present, naming the device and the fix.
        public var openError: BoardDeviceError?
        /// New samples during the run (IMU data-ready, fresh airspeed packets, changed barometer conversions,
        /// decoded GPS fixes) and their rate.
        public var samples: Int
        public var rateHz: Double
        public var readErrors: Int
        public var lastReadError: String?
        public var channels: [Channel]
    }

    public enum SwitchState: Sendable, Equatable {
        case safe, arm
        case unavailable(String)
    }

    public struct SweepStep: Sendable, Equatable {
        public var bankIndex: Int
        public var hardwareChannel: Int
        public var function: String
        public var commandedUs: UInt16
        /// What the emulated servo saw (emulated boards only).
        public var observedUs: Double?
    }

    public enum Sweep: Sendable, Equatable {
        case notRequested
        case refused(String)
        case done(steps: [SweepStep], skipped: [String])
        case aborted(String, steps: [SweepStep])
    }

    public var board: String
    public var emulated: Bool
    public var durationS: Double
    public var devices: [Device]
    public var switchState: SwitchState
    public var sweep: Sweep
    /// The GPS receiver set-up's findings (`gpsReceiverLine`), shown under the GPS line.
    public var gpsReceiver: String? = nil
    /// The libgpiod loaded at run time (real boards only): "libgpiod 2.2.1 (v2 API, libgpiod.so.3)".
    public var gpioLibrary: String? = nil

    public func device(_ role: BoardDeviceRole) -> Device? { devices.first { $0.role == role } }

    /// True when every device the board names came up and delivered samples.
    public var allDevicesWorking: Bool {
        devices.allSatisfy { $0.present && (!$0.role.isSampled || $0.samples > 0) }
    }

    private func stepLines(_ steps: [SweepStep]) -> [String] {
        steps.map { s in
            var line = "      \(s.function) (channel \(s.hardwareChannel)): \(s.commandedUs) µs"
            if let o = s.observedUs { line += ", servo sees \(format(o, 1)) µs" }
            return line
        }
    }

    public var description: String {
        var lines = ["board \(board)\(emulated ? " (emulated)" : ""): \(format(durationS, 1)) s of samples"]
        for d in devices {
            let name = d.role.rawValue.padding(15)
            guard d.present else {
                lines.append("  \(name) MISSING  \(d.openError?.description ?? d.device)")
                continue
            }
            switch d.role.isSampled {
            case false:
                lines.append("  \(name) ok       \(d.device)")
            case true:
                var line = "  \(name) \(d.samples > 0 ? "ok      " : "NO DATA ") \(d.device): "
                    + "\(format(d.rateHz, 1)) Hz, \(d.readErrors) read errors"
                if let e = d.lastReadError { line += " (last: \(e))" }
                lines.append(line)
                if d.role == .gps, let receiver = gpsReceiver { lines.append("      " + receiver) }
                for c in d.channels where c.statistics.count > 0 {
                    lines.append("      \(c.name.padding(14)) mean \(format(c.statistics.mean, 4).padding(11, left: true)) "
                                 + "σ \(format(c.statistics.standardDeviation, 4).padding(9, left: true)) \(c.unit)")
                }
            }
        }
        switch switchState {
        case .safe: lines.append("  safety switch position: SAFE")
        case .arm: lines.append("  safety switch position: ARM")
        case .unavailable(let why): lines.append("  safety switch position: unknown (\(why))")
        }
        if let gpioLibrary { lines.append("  GPIO library: \(gpioLibrary)") }
        switch sweep {
        case .notRequested:
            lines.append("  servo sweep: not requested (--sweep, with the switch in ARM)")
        case .refused(let why):
            lines.append("  servo sweep: REFUSED: \(why)")
        case .done(let steps, let skipped):
            lines.append("  servo sweep: done")
            lines += stepLines(steps)
            if !skipped.isEmpty {
                lines.append("      not moved: \(skipped.joined(separator: ", ")) (throttle is never swept)")
            }
        case .aborted(let why, let steps):
            lines.append("  servo sweep: ABORTED: \(why)")
            lines += stepLines(steps)
        }
        return lines.joined(separator: "\n")
    }
}

/// Fixed-point text without Foundation.
func format(_ value: Double, _ decimals: Int) -> String {
    guard value.isFinite else { return "\(value)" }
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    guard scaled < 1e15 else { return "\(value)" }
    let whole = Int(scaled / scale)
    let fraction = Int(scaled - Double(whole) * scale)
    var text = (value < 0 && scaled > 0 ? "-" : "") + String(whole)
    if decimals > 0 {
        let digits = String(fraction)
        text += "." + String(repeating: "0", count: max(0, decimals - digits.count)) + digits
    }
    return text
}

extension String {
    func padding(_ width: Int, left: Bool = false) -> String {
        let pad = String(repeating: " ", count: max(0, width - count))
        return left ? pad + self : self + pad
    }
}

extension BoardDeviceRole {
    /// Sensors the check reads on a timeline; the others (outputs, switch, OE line) are checked by opening them.
    var isSampled: Bool {
        switch self {
        case .imu, .barometer, .airspeed, .batteryMonitor, .gps: return true
        case .safetySwitch, .pwm, .outputEnable: return false
        }
    }
}
