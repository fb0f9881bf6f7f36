import FlightMath

/// The plant's true state after a step, for logs, tests and the scenario summary.
public struct VehicleTruth: Sendable {
    public var timeS: Double
    public var body: RigidBodyState
    public var air: AirData
    public var windNEDMps: Vector3
    public var specificForceFRDMps2: Vector3
    public var thrustN: Double
    public var throttle: Double
    public var surfaces: SurfaceDeflections
    public var batteryVoltageV: Double
    public var batteryCurrentA: Double
    public var batteryStateOfCharge: Double
    public var isOnGround: Bool

    public var euler: EulerAngles { body.attitude.euler }
    /// Height above the origin (the ground), m.
    public var heightM: Double { -body.positionNEDM.z }
}
