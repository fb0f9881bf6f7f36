import FlightLog

/// Why a log cannot be replayed; one line naming the file and what is wrong.
public enum LogReplayError: Error, CustomStringConvertible, Equatable, Sendable {
    case cannotRead(path: String, reason: String)
    case notULog(path: String, reason: String)
    case truncated(path: String, detail: String)
    case missingTopic(path: String, topic: String)
    case missingField(path: String, topic: String, field: String)
    case noEstimatorConfiguration(path: String)
    case unknownParameter(name: String)
    case invalidParameter(name: String, value: String, reason: String)
    case noEstimate(path: String)

    public var description: String {
        switch self {
        case .cannotRead(let path, let reason): "\(path): cannot read: \(reason)"
        case .notULog(let path, let reason): "\(path): not a readable ULog: \(reason)"
        case .truncated(let path, let detail):
            "\(path): log is cut short (\(detail)); replay needs a complete log"
        case .missingTopic(let path, let topic):
            "\(path): no \(topic) samples: the log was not written with the estimator's sensor samples"
        case .missingField(let path, let topic, let field): "\(path): topic \(topic) has no field \(field)"
        case .noEstimatorConfiguration(let path):
            "\(path): no EKF_* estimator parameters in the log; give the configuration with --airframe FILE"
        case .unknownParameter(let name): "unknown estimator parameter \(name) (the names are EKF_*, as the ground link lists them)"
        case .invalidParameter(let name, let value, let reason): "parameter \(name) = \(value): \(reason)"
        case .noEstimate(let path):
            "\(path): no vehicle_attitude / vehicle_local_position samples to compare the replay with"
        }
    }
}
