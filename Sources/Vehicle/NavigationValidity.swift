/// Whether the mode machine may trust the navigation solution: the filter's own verdict, and an IMU that is still
/// delivering. The filter re-judges its health only when an IMU sample arrives, so when the IMU stops (a dead chip,
/// a loose bus, a HIL simulator that went quiet) its last verdict would stand forever and the vehicle would fly on
/// frozen attitude and position without a failsafe. An IMU silent for longer than `SensorSuite.imuTimeoutUs` makes
/// attitude and position invalid, which is an estimator failure to the mode machine (its configured failsafe).
public struct NavigationValidity: Sendable, Equatable {
    public var attitudeValid: Bool
    public var positionValid: Bool

    public init(filterAttitudeValid: Bool, filterPositionValid: Bool, lastIMUSampleUs: UInt64?, nowUs: UInt64) {
        let imuDelivering = lastIMUSampleUs.map { nowUs <= $0 &+ SensorSuite.imuTimeoutUs } ?? false
        attitudeValid = filterAttitudeValid && imuDelivering
        positionValid = filterPositionValid && imuDelivering
    }
}
