import Foundation

/// RMS and largest absolute value of one compared quantity over a replay.
public struct ReplayStatistic: Sendable, Hashable {
    public var name: String
    public var unit: String
    public var rms: Double
    public var max: Double
    public var count: Int

    init(_ name: String, _ unit: String, _ values: [Double]) {
        self.name = name; self.unit = unit; count = values.count
        var sum = 0.0, largest = 0.0
        for v in values {
            sum += v * v
            largest = Swift.max(largest, abs(v))
        }
        rms = values.isEmpty ? 0 : (sum / Double(values.count)).squareRoot()
        max = largest
    }

    static func all(_ d: [ReplayDifference]) -> [ReplayStatistic] {
        [
            ReplayStatistic("roll", "deg", d.map(\.rollDeg)),
            ReplayStatistic("pitch", "deg", d.map(\.pitchDeg)),
            ReplayStatistic("yaw", "deg", d.map(\.yawDeg)),
            ReplayStatistic("horizontal position", "m", d.map(\.horizontalM)),
            ReplayStatistic("vertical position", "m", d.map(\.downM)),
            ReplayStatistic("velocity", "m/s", d.map(\.velocityNEDMps.norm)),
            ReplayStatistic("global horizontal", "m", d.compactMap(\.globalHorizontalM)),
            ReplayStatistic("global altitude", "m", d.compactMap(\.globalAltitudeM)),
        ]
    }
}

/// The text `kestrel log replay` prints and the per-sample CSV it writes.
public enum ReplayReport {
    public static func text(_ r: LogReplay.Result) -> String {
        let i = r.inputs
        var s = "replay of \(r.path)\n"
        s += "  samples: \(i.imuCount) IMU, \(i.baroCount) baro, \(i.airspeedCount) pitot, \(i.gpsCount) GPS, \(i.magCount) magnetometer\n"
        s += "  estimator: \(r.configuration.source)\n"
        let mismatches = r.differences.filter(\.sampleTimeMismatch).count
        s += "  compared \(r.differences.count) logged estimates over \(String(format: "%.1f", r.durationS)) s"
        s += " (replayed minus logged, at the log's precision)\n"
        if !i.startsWithFilter { s += "  warning: the log starts after the filter did; expect a start-up transient\n" }
        if i.imuGaps > 0 { s += "  warning: \(i.imuGaps) gaps in sensor_combined (samples missing from the log)\n" }
        if mismatches > 0 { s += "  warning: \(mismatches) estimates at a different sample time than logged\n" }
        s += "\n" + pad("quantity", 26) + lpad("RMS", 12) + lpad("max", 12) + "\n"
        for st in r.statistics where st.count > 0 {
            s += pad("\(st.name) (\(st.unit))", 26) + lpad(number(st.rms), 12) + lpad(number(st.max), 12) + "\n"
        }
        return s
    }

    public static let csvHeader = "timestamp_us,roll_deg,pitch_deg,yaw_deg,north_m,east_m,down_m,horizontal_m,"
        + "vn_mps,ve_mps,vd_mps,velocity_mps,global_horizontal_m,global_altitude_m"

    /// One row per compared estimate; differences are replayed minus logged. Empty global columns where
    /// `vehicle_global_position` was not logged at that time.
    public static func csv(_ r: LogReplay.Result) -> String {
        var s = csvHeader + "\n"
        s.reserveCapacity(r.differences.count * 160)
        for d in r.differences {
            let cols: [String] = [
                "\(d.timestampUs)", g(d.rollDeg), g(d.pitchDeg), g(d.yawDeg), g(d.northM), g(d.eastM), g(d.downM),
                g(d.horizontalM), g(d.velocityNEDMps.x), g(d.velocityNEDMps.y), g(d.velocityNEDMps.z),
                g(d.velocityNEDMps.norm), d.globalHorizontalM.map(g) ?? "", d.globalAltitudeM.map(g) ?? "",
            ]
            s += cols.joined(separator: ",") + "\n"
        }
        return s
    }

    private static func g(_ v: Double) -> String { v == 0 ? "0" : String(format: "%.6g", v) }
    private static func number(_ v: Double) -> String { v == 0 ? "0" : String(format: "%.3g", v) }
    private static func pad(_ t: String, _ n: Int) -> String { t + String(repeating: " ", count: max(0, n - t.count)) }
    private static func lpad(_ t: String, _ n: Int) -> String { String(repeating: " ", count: max(0, n - t.count)) + t }
}
