import FlightMath

/// Detects a catapult or hand launch: forward specific force above a threshold, held for a minimum time (a knock
/// on the launcher is too short to count).
public struct LaunchDetector: Sendable {
    public let thresholdMps2: Double
    public let holdUs: UInt64
    private var aboveSinceUs: UInt64?
    public private(set) var launchedAtUs: UInt64?

    public init(thresholdMps2: Double, holdS: Double) {
        self.thresholdMps2 = thresholdMps2
        holdUs = UInt64(max(holdS, 0) * 1e6)
    }

    public var hasLaunched: Bool { launchedAtUs != nil }

    public mutating func reset() {
        aboveSinceUs = nil
        launchedAtUs = nil
    }

    public mutating func update(_ imu: IMUSample) {
        guard launchedAtUs == nil else { return }
        guard imu.accelFRDMps2.x.isFinite, imu.accelFRDMps2.x >= thresholdMps2 else {
            aboveSinceUs = nil
            return
        }
        let since = aboveSinceUs ?? imu.timestampUs
        aboveSinceUs = since
        if imu.timestampUs &- since >= holdUs { launchedAtUs = imu.timestampUs }
    }
}
