import Estimation
import FlightLog

/// The navigation solution as PX4's log topics (`vehicle_attitude`, `vehicle_local_position`,
/// `vehicle_global_position`): what the flight log records each tick and what log replay writes its own solution
/// as before comparing, so the two are rounded the same way.
public enum NavigationTopics {
    /// `vehicle_attitude` of a navigation solution (also what replay compares against).
    public static func attitude(_ n: NavigationState, nowUs: UInt64) -> VehicleAttitude {
        VehicleAttitude(timestampUs: nowUs, timestampSampleUs: n.timestampUs, attitude: n.attitude)
    }

    public static func localPosition(_ n: NavigationState, nowUs: UInt64) -> VehicleLocalPosition {
        let navigating = n.phase == .navigating
        var lp = VehicleLocalPosition()
        lp.timestampUs = nowUs
        lp.timestampSampleUs = n.timestampUs
        (lp.xyValid, lp.zValid, lp.vxyValid, lp.vzValid) = (navigating, navigating, navigating, navigating)
        lp.positionNEDM = SIMD3(Float(n.positionNEDM.x), Float(n.positionNEDM.y), Float(-n.heightAboveOriginM))
        lp.velocityNEDMps = SIMD3(Float(n.velocityNEDMps.x), Float(n.velocityNEDMps.y), Float(n.velocityNEDMps.z))
        lp.headingRad = Float(n.euler.yawRad)
        if let origin = n.origin {
            (lp.xyGlobal, lp.zGlobal) = (true, true)
            lp.refLatitudeDeg = origin.latitudeDeg
            lp.refLongitudeDeg = origin.longitudeDeg
            lp.refAltitudeM = Float(origin.altitudeM)
        }
        let v = n.variances
        lp.ephM = Float((max(v.positionNEDM2.x, 0) + max(v.positionNEDM2.y, 0)).squareRoot())
        lp.epvM = Float(max(v.positionNEDM2.z, 0).squareRoot())
        lp.evhMps = Float((max(v.velocityNEDMps2.x, 0) + max(v.velocityNEDMps2.y, 0)).squareRoot())
        lp.evvMps = Float(max(v.velocityNEDMps2.z, 0).squareRoot())
        return lp
    }

    public static func globalPosition(_ n: NavigationState, nowUs: UInt64) -> VehicleGlobalPosition? {
        guard let position = n.geodetic else { return nil }
        let v = n.variances
        // Kestrel keeps heights on the ellipsoid; with no geoid model aboard, AMSL is logged equal to it.
        return VehicleGlobalPosition(
            timestampUs: nowUs, timestampSampleUs: n.timestampUs, position: position, geoidHeightM: 0,
            ephM: Float((max(v.positionNEDM2.x, 0) + max(v.positionNEDM2.y, 0)).squareRoot()),
            epvM: Float(max(v.positionNEDM2.z, 0).squareRoot()))
    }
}
