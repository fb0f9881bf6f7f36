/// The one protocol a board's GPS stream is parsed in.
///
/// A u-blox receiver can report the same epoch as UBX NAV-PVT and as NMEA GGA/RMC. Parsing both would hand the
/// estimator every epoch twice: the second copy agrees perfectly with the first, passes any innovation gate and
/// shrinks the position covariance as if it were an independent measurement. So a board names one protocol and
/// the other is ignored on the wire.
public enum GPSProtocol: String, Sendable, Equatable, Hashable, CaseIterable {
    /// u-blox binary NAV-PVT: position, velocity (with the vertical), accuracies and time in one checksummed frame.
    case ubx
    /// NMEA 0183 RMC/GGA/GSA/VTG: for receivers that speak nothing else (no vertical velocity).
    case nmea
}
