import Estimation
import FlightLog
import Vehicle

/// The estimator configuration a replay runs with, and where it came from.
///
/// A log carries every airframe tunable as a parameter under the names the ground link uses (`EKF_*` for the
/// estimator). Replay sets the logged `EKF_*` values over the filter's defaults through `AirframeParameters`, so
/// they are validated exactly as an airframe file or a ground station's PARAM_SET would be.
public struct ReplayConfiguration: Sendable {
    public var config: NavigationFilterConfig
    /// One line for the report, e.g. "56 estimator parameters from the log; override EKF_GPS_P_N_MIN=2".
    public var source: String

    /// - Parameters:
    ///   - base: the airframe to start from instead of the log's parameters (`--airframe`).
    ///   - overrides: `EKF_*` values applied last (`--param NAME=VALUE`).
    public init(log: ULogParsedFile, path: String, base: AirframeParameters? = nil,
                overrides: [(name: String, value: Double)] = []) throws(LogReplayError) {
        var parts: [String] = []
        var parameters: AirframeParameters
        if let base {
            parameters = base
            parts.append("airframe file")
        } else {
            do {
                parameters = try AirframeParameters(airframeText: "[estimation]\n", source: "the filter's defaults")
            } catch {
                throw .invalidParameter(name: "defaults", value: "", reason: "\(error)")
            }
            var exact: [String: Double] = [:]
            if case .string(let text)? = log.infoValue(AirframeParameters.exactValuesInfoKey) {
                for line in text.split(separator: "\n") {
                    let kv = line.split(separator: "=", maxSplits: 1)
                    if kv.count == 2, let v = Double(String(kv[1])) { exact[String(kv[0])] = v }
                }
            }
            var found = 0
            for p in log.initialParameters {
                guard let i = parameters.index(of: p.key), parameters.parameters[i].path.first == "estimation",
                      case .scalar(let s) = p.value else { continue }
                let logged = s.doubleValue
                // The exact value, unless the float parameter was edited away from it.
                var v = logged
                if let x = exact[p.key], case .float(let f) = s, Float(x) == f { v = x }
                do { try parameters.set(p.key, to: v) } catch {
                    throw .invalidParameter(name: p.key, value: "\(v)", reason: "logged value refused: \(error.reason)")
                }
                found += 1
            }
            guard found > 0 else { throw .noEstimatorConfiguration(path: path) }
            parts.append("\(found) estimator parameters from the log")
        }
        for o in overrides {
            guard let i = parameters.index(of: o.name), parameters.parameters[i].path.first == "estimation" else {
                throw .unknownParameter(name: o.name)
            }
            do { try parameters.set(o.name, to: o.value) } catch {
                throw .invalidParameter(name: o.name, value: "\(o.value)", reason: error.reason)
            }
            parts.append("override \(o.name)=\(o.value)")
        }
        config = parameters.settings.estimation
        source = parts.joined(separator: "; ")
    }

    /// Parses `NAME=VALUE` (the `--param` syntax); the name is checked when the replay is configured.
    public static func parseOverride(_ text: String) throws(LogReplayError) -> (name: String, value: Double) {
        let kv = text.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces }
        guard kv.count == 2, !kv[0].isEmpty else {
            throw .invalidParameter(name: text, value: "", reason: "expected NAME=VALUE, e.g. EKF_GPS_P_N_MIN=1.5")
        }
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
