import FlightMath
import RealModule

/// A touchdown: the first contact with the ground after having been airborne.
public struct TouchdownEvent: Hashable, Sendable {
    public var timeS: Double
    /// Speed over ground and vertical (down-positive) speed at the moment of contact.
    public var impactSpeedMps: Double
    public var verticalSpeedMps: Double
    public var isCrash: Bool
}

/// Ground contact parameters, from the airframe file's `[ground_contact]` section.
public struct GroundContactParameters: Hashable, Sendable {
    /// Height of the centre of gravity above the ground when the airframe rests on it (belly or gear).
    public var restingHeightM: Double
    public var frictionCoefficient: Double
    public var crashVerticalSpeedMps: Double
    public var crashSpeedMps: Double
}

/// A flat, rigid ground at the origin's altitude. The airframe cannot go below it: on contact it loses its downward
/// speed, settles wings level with its heading kept, and slides with Coulomb friction until it stops. Belly-landers
/// and skids behave like this; a wheeled undercarriage would need its own model.
public struct GroundContact: Sendable {
    public let parameters: GroundContactParameters
    public private(set) var isOnGround = false
    /// Height above the resting height reached since the last contact; a new touchdown needs a real hop.
    private var heightSinceContactM = 0.0
    private static let hopToCountM = 0.1

    public init(parameters: GroundContactParameters, startsOnGround: Bool) {
        self.parameters = parameters
        isOnGround = startsOnGround
        heightSinceContactM = startsOnGround ? 0 : Double.infinity
    }

    /// Applies the constraint after an integration step. `normalSpecificForceMps2` is how hard the airframe is
    /// pressed onto the ground (gravity minus lift, per unit mass, ≥ 0). Returns a touchdown event when one happened.
    public mutating func constrain(_ s: inout RigidBodyState, normalSpecificForceMps2: Double, dtS: Double,
                                   timeS: Double) -> TouchdownEvent? {
        let floorDownM = -parameters.restingHeightM
        guard s.positionNEDM.z >= floorDownM else {
            heightSinceContactM = max(heightSinceContactM, floorDownM - s.positionNEDM.z)
            isOnGround = false
            return nil
        }
        var event: TouchdownEvent?
        if !isOnGround && heightSinceContactM > Self.hopToCountM {
            let v = s.velocityNEDMps
            let vertical = max(0, v.z)
            event = TouchdownEvent(
                timeS: timeS, impactSpeedMps: v.norm, verticalSpeedMps: vertical,
                isCrash: vertical > parameters.crashVerticalSpeedMps || v.norm > parameters.crashSpeedMps)
        }
        isOnGround = true
        heightSinceContactM = 0
        s.positionNEDM.z = floorDownM
        if s.velocityNEDMps.z > 0 { s.velocityNEDMps.z = 0 }
        // Coulomb friction opposing the horizontal velocity, never reversing it.
        let horizontal = Vector3(s.velocityNEDMps.x, s.velocityNEDMps.y, 0)
        let speed = horizontal.norm
        if speed > 0 {
            let dv = parameters.frictionCoefficient * max(0, normalSpecificForceMps2) * dtS
            let scale = max(0, speed - dv) / speed
            s.velocityNEDMps.x *= scale
            s.velocityNEDMps.y *= scale
        }
        let yaw = s.attitude.euler.yawRad
        s.attitude = Quaternion(euler: EulerAngles(rollRad: 0, pitchRad: 0, yawRad: yaw))
        s.bodyRateFRDRadps = .zero
        return event
    }
}
