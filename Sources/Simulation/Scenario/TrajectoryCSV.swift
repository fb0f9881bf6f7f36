import FlightMath
import Foundation

/// Trajectory rows for plotting and for the flight report, one per recorded instant.
public enum TrajectoryCSV {
    public static let header = "time_s,lat_deg,lon_deg,alt_m,north_m,east_m,down_m,vn_mps,ve_mps,vd_mps,"
        + "roll_deg,pitch_deg,yaw_deg,airspeed_mps,alpha_deg,beta_deg,throttle,battery_v"

    public static func row(_ t: VehicleTruth, position g: Geodetic) -> String {
        let p = t.body.positionNEDM, v = t.body.velocityNEDMps, e = t.euler
        let deg = Angle.degreesPerRadian
        return String(format: "%.4f,%.8f,%.8f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.4f,%.3f",
                      t.timeS, g.latitudeDeg, g.longitudeDeg, g.altitudeM, p.x, p.y, p.z, v.x, v.y, v.z,
                      e.rollRad * deg, e.pitchRad * deg, e.yawRad * deg, t.air.airspeedMps, t.air.alphaRad * deg,
                      t.air.betaRad * deg, t.throttle, t.batteryVoltageV)
    }
}
