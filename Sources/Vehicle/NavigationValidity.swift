/// Whether the mode machine may trust the navigation solution: the filter's own verdict, and an IMU that is still
/// delivering. The filter re-judges its health only when an IMU sample arrives, so when the IMU stops (a dead chip,
/// a loose bus, a HIL simulator that went quiet) its last verdict would stand forever and the vehicle would fly on
/// frozen attitude and position without a failsafe. An IMU silent for longer than `imuLostTimeoutUs` makes attitude
/// and position invalid, which is an estimator failure to the mode machine (its configured failsafe).
///
/// The limit is longer than the health report's `SensorSuite.imuTimeoutUs` (50 ms, SYS_STATUS): a single late
/// read on a loaded machine (a 52 ms HIL gap was seen over loopback on a busy 2-core host) must not throw the
/// vehicle out of its mission, while half a second without inertial data is a lost IMU by any measure.
public struct NavigationValidity: Sendable, Equatable {
    public static let imuLostTimeoutUs: UInt64 = 500_000

    public var attitudeValid: Bool
    public var positionValid: Bool

    public init(filterAttitudeValid: Bool, filterPositionValid: Bool, lastIMUSampleUs: UInt64?, nowUs: UInt64) {
        let imuDelivering = lastIMUSampleUs.map { nowUs <= $0 &+ Self.imuLostTimeoutUs } ?? false
        attitudeValid = filterAttitudeValid && imuDelivering
        positionValid = filterPositionValid && imuDelivering
    }
}
