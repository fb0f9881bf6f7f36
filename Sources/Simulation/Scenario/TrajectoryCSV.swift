import FlightMath

/// Trajectory rows for plotting and for the flight report, one per recorded instant.
public enum TrajectoryCSV {
    public static let header = "time_s,lat_deg,lon_deg,alt_m,north_m,east_m,down_m,vn_mps,ve_mps,vd_mps,"
        + "roll_deg,pitch_deg,yaw_deg,airspeed_mps,alpha_deg,beta_deg,throttle,battery_v"

    public static func row(_ t: VehicleTruth, position g: Geodetic) -> String {
        let p = t.body.positionNEDM, v = t.body.velocityNEDMps, e = t.euler
        let deg = Angle.degreesPerRadian
        let fields = [
            fixed(t.timeS, 4), fixed(g.latitudeDeg, 8), fixed(g.longitudeDeg, 8), fixed(g.altitudeM, 3),
            fixed(p.x, 3), fixed(p.y, 3), fixed(p.z, 3), fixed(v.x, 3), fixed(v.y, 3), fixed(v.z, 3),
            fixed(e.rollRad * deg, 3), fixed(e.pitchRad * deg, 3), fixed(e.yawRad * deg, 3),
            fixed(t.air.airspeedMps, 3), fixed(t.air.alphaRad * deg, 3), fixed(t.air.betaRad * deg, 3),
            fixed(t.throttle, 4), fixed(t.batteryVoltageV, 3),
        ]
        return fields.joined(separator: ",")
    }

    /// `x` with exactly `decimals` digits after the point (like "%.*f", which is slow in Foundation on Linux).
    public static func fixed(_ x: Double, _ decimals: Int) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x > 0 ? "inf" : "-inf") }
        var scale: UInt64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (abs(x) * Double(scale)).rounded()
        // Beyond 2^63 the integer path would trap; such values never appear in a trajectory, print them plainly.
        guard scaled < 9.2e18 else { return "\(x)" }
        let n = UInt64(scaled)
        let whole = n / scale, fraction = n % scale
        var digits = String(fraction)
        if digits.count < decimals { digits = String(repeating: "0", count: decimals - digits.count) + digits }
        let sign = (x < 0 && n != 0) ? "-" : ""
        return decimals > 0 ? "\(sign)\(whole).\(digits)" : "\(sign)\(whole)"
    }
}
