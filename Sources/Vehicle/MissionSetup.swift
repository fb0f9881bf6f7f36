import FlightMath
import Mission

/// What the mission layer needs besides the plan: failsafe policy, the approval gate's identity, keys and nonce
/// source, and the geofence. The fence polygon is kept in degrees until home is known.
public struct MissionSetup: Sendable {
    public struct Fence: Sendable, Equatable {
        public var polygonDeg: [LatLon]
        public var floorM: Double
        public var ceilingM: Double

        public struct LatLon: Sendable, Equatable {
            public var latitude: Double
            public var longitude: Double
            public init(latitude: Double, longitude: Double) { self.latitude = latitude; self.longitude = longitude }
        }

        public init(polygonDeg: [LatLon], floorM: Double, ceilingM: Double) {
            self.polygonDeg = polygonDeg; self.floorM = floorM; self.ceilingM = ceilingM
        }
    }

    public var policy: FailsafePolicy
    public var vehicleID: VehicleID
    public var operators: OperatorKeyRing
    public var nonceSource: VehicleNonceSource
    public var requestLifetimeUs: UInt64
    public var fence: Fence?

    public init(policy: FailsafePolicy, vehicleID: VehicleID, operators: OperatorKeyRing,
                nonceSource: VehicleNonceSource, requestLifetimeUs: UInt64 = 60_000_000, fence: Fence?) {
        self.policy = policy; self.vehicleID = vehicleID; self.operators = operators
        self.nonceSource = nonceSource; self.requestLifetimeUs = requestLifetimeUs; self.fence = fence
    }
}
