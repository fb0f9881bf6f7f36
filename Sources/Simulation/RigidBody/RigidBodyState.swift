import FlightMath

/// The kinematic state of the airframe over a flat, non-rotating earth tangent at the scenario origin.
/// Position and velocity of the centre of gravity in NED; attitude rotates body FRD → NED; body rates in FRD.
public struct RigidBodyState: Hashable, Sendable {
    public var positionNEDM: Vector3
    public var velocityNEDMps: Vector3
    public var attitude: Quaternion
    public var bodyRateFRDRadps: Vector3

    public init(positionNEDM: Vector3, velocityNEDMps: Vector3, attitude: Quaternion, bodyRateFRDRadps: Vector3) {
        self.positionNEDM = positionNEDM; self.velocityNEDMps = velocityNEDMps
        self.attitude = attitude; self.bodyRateFRDRadps = bodyRateFRDRadps
    }

    public var isFinite: Bool {
        positionNEDM.isFinite && velocityNEDMps.isFinite && attitude.isFinite && bodyRateFRDRadps.isFinite
    }

    /// `self + derivative·dt`, the step RK4 takes between its stages. The attitude is not renormalised here;
    /// the integrator does that once per full step.
    func advanced(by d: RigidBodyDerivative, dtS: Double) -> RigidBodyState {
        RigidBodyState(
            positionNEDM: positionNEDM + d.velocityNEDMps * dtS,
            velocityNEDMps: velocityNEDMps + d.accelerationNEDMps2 * dtS,
            attitude: attitude + d.attitudeRate * dtS,
            bodyRateFRDRadps: bodyRateFRDRadps + d.angularAccelerationFRDRadps2 * dtS)
    }
}

/// Time derivative of `RigidBodyState`.
public struct RigidBodyDerivative: Hashable, Sendable {
    public var velocityNEDMps: Vector3
    public var accelerationNEDMps2: Vector3
    public var attitudeRate: Quaternion
    public var angularAccelerationFRDRadps2: Vector3
}

/// Force and moment about the centre of gravity, body axes FRD.
public struct Wrench: Hashable, Sendable {
    public var forceFRDN: Vector3
    public var momentFRDNm: Vector3

    public init(forceFRDN: Vector3, momentFRDNm: Vector3) {
        self.forceFRDN = forceFRDN; self.momentFRDNm = momentFRDNm
    }

    public static let zero = Wrench(forceFRDN: .zero, momentFRDNm: .zero)

    public static func + (a: Wrench, b: Wrench) -> Wrench {
        Wrench(forceFRDN: a.forceFRDN + b.forceFRDN, momentFRDNm: a.momentFRDNm + b.momentFRDNm)
    }
}
