import FlightMath

/// What a simulator knows the vehicle did (SITL's plant, a HIL simulator's HIL_STATE_QUATERNION): logged beside
/// the estimate as the PX4 `*_groundtruth` topics, never fed to the flight stack. It reaches the log thread on
/// `FlightLogWriter.truthSource`.
public struct TruthSample: Sendable, Equatable {
    /// On the log's clock: the board's monotonic clock at reception (HIL), the simulated time (SITL).
    public var timeUs: UInt64
    public var position: Geodetic
    /// Body FRD to NED.
    public var attitude: Quaternion
    public var bodyRateFRDRadps: Vector3

    public init(timeUs: UInt64, position: Geodetic, attitude: Quaternion, bodyRateFRDRadps: Vector3) {
        self.timeUs = timeUs
        self.position = position
        self.attitude = attitude
        self.bodyRateFRDRadps = bodyRateFRDRadps
    }
}
