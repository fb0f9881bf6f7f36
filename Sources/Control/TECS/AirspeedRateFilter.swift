import FlightMath

/// The airspeed's rate of change for TECS from two sensors that fail in opposite bands: the pitot's airspeed,
/// right on average but differentiated it is its noise and every gust's buffet, and the accelerometer's forward
/// acceleration, which sees the airframe's energy change and not the gusts but drifts with its bias and the angle of
/// attack. A second-order complementary filter (crossover ω, critically damped) takes the rate from the acceleration
/// above ω and from the pitot below it, and its integral state absorbs a constant acceleration offset. PX4's TECS
/// made the same blend with its speed complementary filter (crossover 2 rad/s).
///
/// Along the body x axis the inertial acceleration is the airspeed's rate in a steady wind: the wind adds a constant
/// to the velocity, and turning the velocity adds no component along itself.
struct AirspeedRateFilter: Sendable, Equatable {
    private var airspeedEstimateMps: Double?
    private var offsetMps2 = 0.0
    static let maximumOffsetMps2 = 3.0

    mutating func reset() {
        airspeedEstimateMps = nil
        offsetMps2 = 0
    }

    /// Advances by `dtS` and returns the airspeed rate, m/s²: the forward acceleration plus the offset state. The
    /// pitot reaches the rate only through that state's integral, so its noise rolls off above ω (gain ω²/s) while
    /// a slow change it sees and the accelerometer does not (a shear, the angle of attack) still comes through.
    mutating func update(airspeedMps: Double, forwardAccelerationMps2: Double, dtS: Double,
                         omegaRadps: Double) -> Double {
        guard let estimate = airspeedEstimateMps else {
            airspeedEstimateMps = airspeedMps
            return forwardAccelerationMps2
        }
        let error = airspeedMps - estimate
        // An offset beyond a few m/s² is no accelerometer bias but a failed sensor: do not wind up on it.
        offsetMps2 = (offsetMps2 + omegaRadps * omegaRadps * error * dtS)
            .clamped(to: -Self.maximumOffsetMps2...Self.maximumOffsetMps2)
        let rate = forwardAccelerationMps2 + offsetMps2
        airspeedEstimateMps = estimate + (rate + 2 * omegaRadps * error) * dtS
        return rate
    }
}
