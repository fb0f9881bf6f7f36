/// The topics Kestrel logs. Adding a topic = adding its type here; the formats and subscriptions follow.
public enum KestrelTopicCatalog {
    public static let all: [any ULogTopic.Type] = [
        SensorCombined.self, VehicleAttitude.self, VehicleLocalPosition.self, VehicleGlobalPosition.self,
        VehicleGPSPosition.self, VehicleAirData.self, DifferentialPressure.self, Airspeed.self, SensorMag.self, VehicleStatus.self, ActuatorOutputs.self,
        VehicleAttitudeSetpoint.self, TECSStatus.self, PositionSetpointTriplet.self, BatteryStatus.self,
        EstimatorInnovations.self, KestrelGateEvent.self, KestrelScheduler.self, KestrelSensorCounters.self,
    ]
}
