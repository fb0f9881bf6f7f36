/// The barometer's offset — its pressure altitude minus the height above the origin — as a slowly varying state,
/// learnt from GPS height.
///
/// The barometer gives height changes precisely but not height: its pressure altitude is off by the weather and
/// the part's own offset, and the origin's altitude comes from a single GPS fix, itself metres off. Taking the
/// offset once, when the height is (re)initialised, freezes that fix's error into every height the vehicle flies.
/// Here each good fix measures the offset once more (baro altitude minus GPS height), and a scalar Kalman filter
/// averages those measurements, so the height converges to the GPS's long-term mean while its short-term
/// smoothness stays the barometer's.
///
/// GPS height errors are not white: they wander with a correlation time of about a minute. Fixes 0.2 s apart are
/// nearly the same error, so each one is weighted as 1/(2·τ/Δt) of an independent measurement (the variance of
/// the mean of a first-order Gauss–Markov process over a window T ≫ τ is σ²·2τ/T). The estimate therefore tightens
/// only as fast as the GPS error decorrelates — honestly, not as fast as fixes arrive.
struct BaroOffsetEstimator: Sendable, Equatable {
    private(set) var offsetM: Double
    private(set) var varianceM2: Double
    private var lastUpdateUs: UInt64?

    init(offsetM: Double, varianceM2: Double) {
        self.offsetM = offsetM
        self.varianceM2 = varianceM2
    }

    /// Lets the offset drift (thermal drift of the part, weather) between measurements.
    mutating func predict(dtS: Double, driftMPerRtS: Double) {
        guard dtS > 0, dtS.isFinite else { return }
        varianceM2 += driftMPerRtS * driftMPerRtS * dtS
    }

    /// One GPS measurement of the offset (baro altitude minus GPS height at the fix's time) with the receiver's
    /// vertical standard deviation. Returns false, changing nothing, when the measurement fails the gate (a
    /// single-epoch test: measurement against estimate, with the full vertical error of one fix).
    @discardableResult
    mutating func update(measuredOffsetM z: Double, gpsVerticalSigmaM sigma: Double, correlationTimeS tau: Double,
                         atUs t: UInt64, gateSigma: Double) -> Bool {
        guard z.isFinite, sigma.isFinite, sigma > 0 else { return false }
        let innovation = z - offsetM
        let singleEpochVariance = varianceM2 + sigma * sigma
        guard innovation * innovation <= gateSigma * gateSigma * singleEpochVariance else { return false }
        let intervalS = lastUpdateUs.map { t > $0 ? Double(t - $0) * 1e-6 : 0 } ?? 0
        lastUpdateUs = t
        // Weight of this fix as a fraction of an independent measurement: its interval over the 2τ the error
        // needs to decorrelate (at most one; none for the first fix after a (re)start, whose error is already in
        // the initial offset).
        let weight = tau > 0 ? Swift.min(intervalS / (2 * tau), 1) : 1
        guard weight > 0 else { return true }
        let noiseVariance = sigma * sigma / weight
        let gain = varianceM2 / (varianceM2 + noiseVariance)
        offsetM += gain * innovation
        varianceM2 *= 1 - gain
        return true
    }
}
