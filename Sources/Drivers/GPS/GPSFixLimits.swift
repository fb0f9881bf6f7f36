/// What a GPS receiver can report, and what the parsers therefore accept in a fix. A value outside is a corrupt or
/// hostile frame, not a measurement: the estimator must never see it.
public enum GPSFixLimits {
    /// Height above the ellipsoid: below the Dead Sea shore with margin, up to the highest a receiver reports
    /// (u-blox's limit is 80 km).
    public static let altitudeM: ClosedRange<Double> = -1000...100_000
    /// 2000 knots: well above any small airframe, below the receivers' own limits.
    public static let maximumSpeedKnots = 2000.0
    public static let maximumSpeedMps = maximumSpeedKnots * 1852.0 / 3600.0
    /// UBX carries the count in one byte; no receiver tracks more.
    public static let maximumSatellites = 255
}
