import FlightMath

/// One IMU interval as the filter integrates it: the sample at its end and the interval length.
struct InertialStep: Sendable {
    var timestampUs: UInt64
    var dtS: Double
    var gyroFRDRadps: Vector3
    var accelFRDMps2: Vector3
    /// The part of the interval before this sample that an IMU gap left unpropagated (the interval beyond
    /// `NavigationFilterConfig.imuMaxGapS`): the vehicle moved on meanwhile, by an unknown rotation.
    var unpropagatedS = 0.0

    static let zero = InertialStep(timestampUs: 0, dtS: 0, gyroFRDRadps: .zero, accelFRDMps2: .zero)
}

/// The full (nominal) navigation state the error state is defined around.
struct NominalState: Sendable {
    /// Body (FRD) → NED.
    var attitude = Quaternion.identity
    var velocityNEDMps = Vector3.zero
    var positionNEDM = Vector3.zero
    var gyroBiasFRDRadps = Vector3.zero
    var accelBiasFRDMps2 = Vector3.zero
    var windNorthMps = 0.0
    var windEastMps = 0.0

    static let gravityNEDMps2 = Vector3(0, 0, WGS84.standardGravityMps2)

    var isFinite: Bool {
        attitude.isFinite && velocityNEDMps.isFinite && positionNEDM.isFinite && gyroBiasFRDRadps.isFinite
            && accelBiasFRDMps2.isFinite && windNorthMps.isFinite && windEastMps.isFinite
    }

    /// Strapdown integration over one IMU interval; returns the NED specific force the covariance prediction needs.
    /// The specific force is rotated with the mean of the start and end attitudes, which removes most of the
    /// first-order error a turning vehicle would otherwise see at 400 Hz.
    @discardableResult mutating func propagate(_ step: InertialStep) -> Vector3 {
        let dt = step.dtS
        let rate = step.gyroFRDRadps - gyroBiasFRDRadps
        let specificForce = step.accelFRDMps2 - accelBiasFRDMps2
        let start = attitude
        let increment = SmallRotation.quaternion(rotationVector: rate * dt)
        attitude = SmallRotation.normalized(SmallRotation.product(start, increment))
        let forceNED = (SmallRotation.rotate(specificForce, by: start) + SmallRotation.rotate(specificForce, by: attitude))
            * 0.5
        let acceleration = forceNED + Self.gravityNEDMps2
        let v0 = velocityNEDMps
        velocityNEDMps = v0 + acceleration * dt
        positionNEDM += (v0 + velocityNEDMps) * (0.5 * dt)
        // Across an IMU gap the vehicle kept flying: dead reckoning on the last velocity is the best guess of where.
        if step.unpropagatedS > 0 { positionNEDM += velocityNEDMps * step.unpropagatedS }
        return forceNED
    }

    /// Folds an error-state correction into the nominal state (attitude error applied on the NED side).
    mutating func apply(_ dx: ErrorVector) {
        let dTheta = dx.vector(at: ErrorState.attitude)
        let correction = SmallRotation.quaternion(rotationVector: dTheta)
        attitude = SmallRotation.normalized(SmallRotation.product(correction, attitude))
        velocityNEDMps += dx.vector(at: ErrorState.velocity)
        positionNEDM += dx.vector(at: ErrorState.position)
        gyroBiasFRDRadps += dx.vector(at: ErrorState.gyroBias)
        accelBiasFRDMps2 += dx.vector(at: ErrorState.accelBias)
        windNorthMps += dx[ErrorState.wind]
        windEastMps += dx[ErrorState.wind + 1]
    }
}
