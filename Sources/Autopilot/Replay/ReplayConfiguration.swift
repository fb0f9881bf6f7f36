import Estimation
import FlightLog

/// The estimator configuration a replay runs with, and where it came from.
public struct ReplayConfiguration: Sendable {
    public var config: NavigationFilterConfig
    /// One line for the report, e.g. "54 KEKF_* parameters from the log; override KEKF_GPS_P_NOISE=2".
    public var source: String

    /// - Parameters:
    ///   - base: a configuration to start from instead of the log's parameters (`--airframe`).
    ///   - overrides: `KEKF_*` values applied last (`--param NAME=VALUE`).
    public init(log: ULogParsedFile, path: String, base: NavigationFilterConfig? = nil,
                overrides: [(name: String, value: Double)] = []) throws(LogReplayError) {
        var parts: [String] = []
        if let base {
            config = base
            parts.append("airframe file")
        } else {
            config = NavigationFilterConfig()
            var exact: [String: Double] = [:]
            if case .string(let text)? = log.infoValue(EstimatorParameters.infoKey) {
                for line in text.split(separator: "\n") {
                    let kv = line.split(separator: "=", maxSplits: 1)
                    if kv.count == 2, let v = Double(String(kv[1])) { exact[String(kv[0])] = v }
                }
            }
            var found = 0
            for p in log.initialParameters {
                guard EstimatorParameters.entry(named: p.key) != nil, case .scalar(let s) = p.value else { continue }
                let logged = s.doubleValue
                // The exact value, unless the float parameter was edited away from it.
                var v = logged
                if let x = exact[p.key], case .float(let f) = s, Float(x) == f { v = x }
                if case .int = s, let x = exact[p.key], x == logged { v = x }
                _ = EstimatorParameters.set(p.key, v, on: &config)
                found += 1
            }
            guard found > 0 else { throw .noEstimatorConfiguration(path: path) }
            parts.append("\(found) KEKF_* parameters from the log")
        }
        for o in overrides {
            guard EstimatorParameters.entry(named: o.name) != nil else { throw .unknownParameter(name: o.name) }
            guard EstimatorParameters.set(o.name, o.value, on: &config) else {
                throw .invalidParameter(name: o.name, value: "\(o.value)", reason: "not a finite number")
            }
            parts.append("override \(o.name)=\(o.value)")
        }
        source = parts.joined(separator: "; ")
    }

    /// Parses `NAME=VALUE` (the `--param` syntax).
    public static func parseOverride(_ text: String) throws(LogReplayError) -> (name: String, value: Double) {
        let kv = text.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces }
        guard kv.count == 2, !kv[0].isEmpty else {
            throw .invalidParameter(name: text, value: "", reason: "expected NAME=VALUE, e.g. KEKF_GPS_P_NOISE=1.5")
        }
        guard EstimatorParameters.entry(named: kv[0]) != nil else { throw .unknownParameter(name: kv[0]) }
        guard let v = Double(kv[1]), v.isFinite else {
            throw .invalidParameter(name: kv[0], value: kv[1], reason: "not a finite number")
        }
        return (kv[0], v)
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
