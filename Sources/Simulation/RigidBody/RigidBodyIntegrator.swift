import FlightMath

/// Newton–Euler equations of a rigid body and their classical fourth-order Runge–Kutta integration.
public enum RigidBodyIntegrator {
    /// Gravity in NED (flat earth, standard gravity).
    public static let gravityNEDMps2 = Vector3(0, 0, WGS84.standardGravityMps2)

    public static func derivative(of s: RigidBodyState, wrench: Wrench,
                                             mass: MassProperties) -> RigidBodyDerivative {
        let w = s.bodyRateFRDRadps
        // Euler's equation with the full tensor: J·ω̇ = M − ω × (J·ω).
        let angularAcceleration = mass.inverseInertia * (wrench.momentFRDNm - w.cross(mass.inertiaKgm2 * w))
        return RigidBodyDerivative(
            velocityNEDMps: s.velocityNEDMps,
            accelerationNEDMps2: s.attitude.rotate(wrench.forceFRDN) / mass.massKg + gravityNEDMps2,
            attitudeRate: s.attitude.derivative(bodyRateRadps: w),
            angularAccelerationFRDRadps2: angularAcceleration)
    }

    /// One RK4 step of `dtS`. `wrench` is evaluated at each of the four stages (the aerodynamic forces depend on the
    /// state); inputs that are held over the step (wind, surfaces, throttle) are captured by the caller.
    /// The closure is non-escaping, so no context is allocated.
    public static func step(_ s: RigidBodyState, dtS: Double, mass: MassProperties,
                                       wrench: (RigidBodyState) -> Wrench) -> RigidBodyState {
        step(s, dtS: dtS, mass: mass, firstWrench: wrench(s), wrench: wrench)
    }

    /// The same, with the wrench at `s` already known (the caller needed it anyway).
    public static func step(_ s: RigidBodyState, dtS: Double, mass: MassProperties, firstWrench: Wrench,
                                       wrench: (RigidBodyState) -> Wrench) -> RigidBodyState {
        let k1 = derivative(of: s, wrench: firstWrench, mass: mass)
        let s2 = s.advanced(by: k1, dtS: dtS / 2)
        let k2 = derivative(of: s2, wrench: wrench(s2), mass: mass)
        let s3 = s.advanced(by: k2, dtS: dtS / 2)
        let k3 = derivative(of: s3, wrench: wrench(s3), mass: mass)
        let s4 = s.advanced(by: k3, dtS: dtS)
        let k4 = derivative(of: s4, wrench: wrench(s4), mass: mass)
        let sixth = dtS / 6
        var out = s
        out.positionNEDM += (k1.velocityNEDMps + (k2.velocityNEDMps + k3.velocityNEDMps) * 2 + k4.velocityNEDMps) * sixth
        out.velocityNEDMps += (k1.accelerationNEDMps2 + (k2.accelerationNEDMps2 + k3.accelerationNEDMps2) * 2
                               + k4.accelerationNEDMps2) * sixth
        out.attitude = (s.attitude + (k1.attitudeRate + (k2.attitudeRate + k3.attitudeRate) * 2 + k4.attitudeRate)
                        * sixth).normalized
        out.bodyRateFRDRadps += (k1.angularAccelerationFRDRadps2
                                 + (k2.angularAccelerationFRDRadps2 + k3.angularAccelerationFRDRadps2) * 2
                                 + k4.angularAccelerationFRDRadps2) * sixth
        return out
    }

    /// Kinetic (translational + rotational) plus potential energy, J; the reference height is the origin.
    public static func totalEnergyJ(of s: RigidBodyState, mass: MassProperties) -> Double {
        let w = s.bodyRateFRDRadps
        let kinetic = 0.5 * mass.massKg * s.velocityNEDMps.squaredNorm + 0.5 * w.dot(mass.inertiaKgm2 * w)
        return kinetic - mass.massKg * WGS84.standardGravityMps2 * s.positionNEDM.z
    }
}
