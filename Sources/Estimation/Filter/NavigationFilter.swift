import FlightMath

/// Kestrel's navigation filter: an error-state extended Kalman filter with 17 error states (NED attitude error,
/// velocity, position, gyro bias, accelerometer bias, wind north/east) around a full nominal state.
///
/// Use:
/// - `predict(imu:)` with every IMU sample (400 Hz base rate), in time order;
/// - `fuse(gps:)`, `fuse(baro:)`, `fuse(mag:)`, `fuse(airspeed:)` whenever a sample arrives. They check the
///   sample and queue it; it is fused when the filter's fusion time reaches the sample's own timestamp;
/// - read `state` (the solution at the newest IMU time) and `health`.
///
/// Time alignment follows the "delayed horizon" scheme: the Kalman filter proper runs `fusion_horizon_s` behind
/// the newest IMU sample, so a GPS fix stamped 150 ms ago is fused against the state of 150 ms ago. The IMU
/// samples inside the horizon sit in a fixed ring; the output state is the filter state propagated through them,
/// re-propagated whenever a fusion corrects the filter state. Everything lives in fixed inline storage: no call
/// allocates, takes a lock or blocks.
///
/// The vehicle must be at rest while it aligns (`alignment_duration_s`); it then waits for a good GPS fix, which
/// becomes the origin of the local NED frame. Until then it holds position and velocity at zero, which is true on
/// the launcher and keeps the attitude and biases converging.
public struct NavigationFilter: Sendable {
    /// IMU samples the fusion horizon can hold (0.31 s at 400 Hz).
    public static let imuBufferCapacity = 128

    public let config: NavigationFilterConfig

    var phase = NavigationPhase.aligning
    var alignment = StaticAlignment()
    /// The filter state, at `fusionTimeUs`.
    var filterState = NominalState()
    /// The output state, at `newestImuUs`.
    var outputState = NominalState()
    var covariance = CovarianceMatrix()
    var fusionTimeUs: UInt64 = 0
    var newestImuUs: UInt64?
    var newestStep = InertialStep.zero
    var imuBuffer = FixedRing<128, InertialStep>(filler: .zero)
    var gpsQueue = FixedRing<8, GPSFix>(filler: NavigationFilter.emptyFix)
    var baroQueue = FixedRing<16, BaroSample>(filler: BaroSample(timestampUs: 0, pressurePa: 0, temperatureC: 0))
    var magQueue = FixedRing<16, MagSample>(filler: MagSample(timestampUs: 0, fieldFRDGauss: .zero))
    var airspeedQueue = FixedRing<16, AirspeedSample>(
        filler: AirspeedSample(timestampUs: 0, differentialPressurePa: 0, temperatureC: 0))

    var frame: LocalFrame?
    /// Pressure altitude minus height above origin: started whenever the vertical position is (re)initialised,
    /// then refined from GPS height.
    var baroOffset: BaroOffsetEstimator?
    /// The last fused barometer altitude and its time, to measure the baro offset at a GPS fix's time.
    var lastBaroAltitude: (altitudeM: Double, timestampUs: UInt64)?
    var lastPressurePa: Double?
    /// False when aligned without a magnetometer, until the GPS course sets the heading.
    var headingAligned = false
    var lastStationaryFusionUs: UInt64 = 0
    var lastSideslipFusionUs: UInt64 = 0
    /// Since when every airspeed sample has been refused; nil while they are fused.
    var airspeedRejectedSinceUs: UInt64?
    /// Measurement time of the last GPS fix that reached fusion (accepted or not).
    var previousGPSFusionUs: UInt64?

    var gpsMonitor = SensorMonitor()
    var baroMonitor = SensorMonitor()
    var magMonitor = SensorMonitor()
    var airspeedMonitor = SensorMonitor()
    var counters = NavigationHealth()

    public init(config: NavigationFilterConfig = NavigationFilterConfig()) {
        self.config = config
    }

    static let emptyFix = GPSFix(
        timestampUs: 0, fixType: .none, position: Geodetic(latitudeRad: 0, longitudeRad: 0, altitudeM: 0),
        velocityNEDMps: .zero, horizontalAccuracyM: 0, verticalAccuracyM: 0, speedAccuracyMps: 0, satellitesUsed: 0)

    // MARK: - Prediction

    /// Advances the filter with one IMU sample. Samples that are non-finite, implausibly large or not newer than
    /// the previous one are refused (counted in `health.imuRejectedCount`) and leave the state untouched.
    @discardableResult public mutating func predict(imu: IMUSample) -> MeasurementDisposition {
        guard imu.accelFRDMps2.isFinite, imu.gyroFRDRadps.isFinite,
              imu.accelFRDMps2.norm < Self.maxSpecificForceMps2, imu.gyroFRDRadps.norm < Self.maxRateRadps
        else {
            counters.imuRejectedCount &+= 1
            return .rejected(.invalidValue)
        }
        guard let previousUs = newestImuUs else {
            newestImuUs = imu.timestampUs
            return .accepted
        }
        guard imu.timestampUs > previousUs else {
            counters.imuRejectedCount &+= 1
            return .rejected(.timestampNotIncreasing)
        }
        var dt = Double(imu.timestampUs - previousUs) * 1e-6
        var unpropagated = 0.0
        if dt > config.imuMaxGapS {
            counters.imuGapCount &+= 1
            unpropagated = dt - config.imuMaxGapS
            dt = config.imuMaxGapS
        }
        newestImuUs = imu.timestampUs
        let step = InertialStep(timestampUs: imu.timestampUs, dtS: dt, gyroFRDRadps: imu.gyroFRDRadps,
                                accelFRDMps2: imu.accelFRDMps2, unpropagatedS: unpropagated)
        newestStep = step

        if phase == .aligning {
            alignment.add(accelFRDMps2: imu.accelFRDMps2, gyroFRDRadps: imu.gyroFRDRadps, dtS: dt,
                          maxGyroRadps: config.alignmentMaxGyroRadps,
                          maxAccelDeviationMps2: config.alignmentMaxAccelDeviationMps2)
            if alignment.durationS >= config.alignmentDurationS { finishAlignment(atUs: imu.timestampUs) }
            updateHealth()
            return .accepted
        }

        if imuBuffer.isFull, let oldest = imuBuffer.popOldest() {
            // Cannot happen with a horizon the buffer holds, but IMU faster than expected must not lose samples.
            _ = advanceFilter(with: oldest)
        }
        imuBuffer.push(step)
        outputState.propagate(step)

        let horizonUs = UInt64(config.fusionHorizonS * 1e6)
        var corrected = false
        while let oldest = imuBuffer.peekOldest(), oldest.timestampUs &+ horizonUs <= imu.timestampUs {
            _ = imuBuffer.popOldest()
            if advanceFilter(with: oldest) { corrected = true }
        }
        if corrected { repropagateOutput() }
        if !filterState.isFinite || !outputState.isFinite || !covariance.checkValid() { recoverFromNumericalFailure() }
        updateHealth()
        return .accepted
    }

    /// Propagates the filter state and covariance by one buffered step, then fuses every queued measurement taken
    /// by the new fusion time. Returns true when a fusion changed the filter state.
    mutating func advanceFilter(with step: InertialStep) -> Bool {
        let bodyToNED = filterState.attitude.dcm
        let forceNED = filterState.propagate(step)
        covariance.propagate(bodyToNED: bodyToNED, accelerationNEDMps2: forceNED, dtS: step.dtS)
        addProcessNoise(dtS: step.dtS)
        if step.unpropagatedS > 0 { widenAfterIMUGap(step.unpropagatedS) }
        limitVariances()
        fusionTimeUs = step.timestampUs
        return fuseQueuedMeasurements()
    }

    mutating func addProcessNoise(dtS dt: Double) {
        func sq(_ x: Double) -> Double { x * x }
        covariance.addDiagonal(base: ErrorState.attitude, count: 3, sq(config.gyroNoiseDensityRadpsPerRtHz) * dt)
        covariance.addDiagonal(base: ErrorState.velocity, count: 3, sq(config.accelNoiseDensityMps2PerRtHz) * dt)
        covariance.addDiagonal(base: ErrorState.gyroBias, count: 3, sq(config.gyroBiasWalkRadpsPerRtS) * dt)
        covariance.addDiagonal(base: ErrorState.accelBias, count: 3, sq(config.accelBiasWalkMps2PerRtS) * dt)
        covariance.addDiagonal(base: ErrorState.wind, count: 2, sq(config.windWalkMpsPerRtS) * dt)
        baroOffset?.predict(dtS: dt, driftMPerRtS: config.baroOffsetDriftMPerRtS)
    }

    /// After an IMU gap the state is stale by whatever the vehicle did meanwhile. The filter says so: attitude,
    /// velocity and position uncertainty grow by what the gap allows (`imuGap*Sigma*`), so the measurements that
    /// follow correct the state instead of being refused against a confident stale one. Without this, a 3 s IMU
    /// dropout in a glide left the pitch 25° off for ten seconds after the IMU came back.
    mutating func widenAfterIMUGap(_ gapS: Double) {
        func sq(_ x: Double) -> Double { x * x }
        covariance.addDiagonal(base: ErrorState.attitude, count: 3,
                               sq(min(config.imuGapRateSigmaRadps * gapS, config.imuGapMaxAttitudeSigmaRad)))
        covariance.addDiagonal(base: ErrorState.velocity, count: 3, sq(config.imuGapAccelSigmaMps2 * gapS))
        covariance.addDiagonal(base: ErrorState.position, count: 3, sq(0.5 * config.imuGapAccelSigmaMps2 * gapS * gapS))
    }

    mutating func limitVariances() {
        func sq(_ x: Double) -> Double { x * x }
        covariance.limitVariance(base: ErrorState.gyroBias, count: 3, maximum: sq(config.maxGyroBiasSigmaRadps))
        covariance.limitVariance(base: ErrorState.accelBias, count: 3, maximum: sq(config.maxAccelBiasSigmaMps2))
        covariance.limitVariance(base: ErrorState.wind, count: 2, maximum: sq(config.maxWindSigmaMps))
        covariance.limitVariance(base: ErrorState.attitude, count: 3, maximum: 1.0)
        covariance.limitVariance(base: ErrorState.velocity, count: 3, maximum: 1e4)
        covariance.limitVariance(base: ErrorState.position, count: 3, maximum: 1e8)
    }

    /// The output state is the filter state carried through the IMU samples still inside the horizon.
    mutating func repropagateOutput() {
        var output = filterState
        imuBuffer.forEachOldestFirst { output.propagate($0) }
        outputState = output
    }

    mutating func fuseQueuedMeasurements() -> Bool {
        var corrected = false
        while let m = gpsQueue.peekOldest(), m.timestampUs <= fusionTimeUs {
            _ = gpsQueue.popOldest()
            if fuseGPSNow(m) { corrected = true }
        }
        while let m = baroQueue.peekOldest(), m.timestampUs <= fusionTimeUs {
            _ = baroQueue.popOldest()
            if fuseBaroNow(m) { corrected = true }
        }
        while let m = magQueue.peekOldest(), m.timestampUs <= fusionTimeUs {
            _ = magQueue.popOldest()
            if fuseMagNow(m) { corrected = true }
        }
        while let m = airspeedQueue.peekOldest(), m.timestampUs <= fusionTimeUs {
            _ = airspeedQueue.popOldest()
            if fuseAirspeedNow(m) {
                corrected = true
                _ = fuseSideslipNow(atUs: m.timestampUs)
            }
        }
        if phase == .awaitingPosition, fusionTimeUs >= lastStationaryFusionUs &+ Self.stationaryFusionPeriodUs {
            lastStationaryFusionUs = fusionTimeUs
            if fuseStationary() { corrected = true }
        }
        return corrected
    }

    // MARK: - Measurement intake

    /// Checks a measurement's timestamp against the filter's clock: not before the fusion time (it could no longer
    /// be fused where it belongs) and not absurdly far in the future.
    func admissible(timestampUs t: UInt64) -> MeasurementDisposition {
        guard let now = newestImuUs else { return .rejected(.notInitialised) }
        if phase != .aligning, t &+ Self.lateToleranceUs < fusionTimeUs { return .rejected(.tooOld) }
        if t > now &+ Self.futureToleranceUs { return .rejected(.timestampInFuture) }
        return .accepted
    }

    // MARK: - Initialisation

    mutating func finishAlignment(atUs t: UInt64) {
        guard let result = alignment.attitude(declinationRad: config.magDeclinationRad) else {
            alignment.restart()
            return
        }
        let fromMag = result.headingFromMag && config.useMagnetometer
        var s = NominalState()
        s.attitude = result.attitude
        s.gyroBiasFRDRadps = alignment.gyroBiasFRDRadps
        filterState = s
        outputState = s
        headingAligned = fromMag
        covariance = CovarianceMatrix()
        func sq(_ x: Double) -> Double { x * x }
        covariance.resetBlock(base: ErrorState.attitude, count: 2, variance: sq(config.initialTiltSigmaRad))
        covariance.resetBlock(base: ErrorState.attitude + 2, count: 1,
                              variance: sq(fromMag ? config.initialYawSigmaRad : config.unalignedYawSigmaRad))
        covariance.resetBlock(base: ErrorState.velocity, count: 3, variance: sq(config.stationaryVelocityNoiseMps))
        covariance.resetBlock(base: ErrorState.position, count: 3, variance: sq(config.stationaryPositionNoiseM))
        covariance.resetBlock(base: ErrorState.gyroBias, count: 3, variance: sq(config.initialGyroBiasSigmaRadps))
        covariance.resetBlock(base: ErrorState.accelBias, count: 3, variance: sq(config.initialAccelBiasSigmaMps2))
        covariance.resetBlock(base: ErrorState.wind, count: 2, variance: sq(config.initialWindSigmaMps))
        fusionTimeUs = t
        lastStationaryFusionUs = t
        imuBuffer.removeAll()
        gpsQueue.removeAll()
        baroQueue.removeAll()
        magQueue.removeAll()
        airspeedQueue.removeAll()
        baroOffset = nil
        lastBaroAltitude = nil
        phase = frame == nil ? .awaitingPosition : .navigating
    }

    /// A non-finite state or a broken covariance cannot be repaired in place: start again from alignment (the
    /// attitude is re-levelled if at rest; in flight the mission layer sees attitude invalid and acts).
    mutating func recoverFromNumericalFailure() {
        phase = .aligning
        alignment.restart()
        filterState = NominalState()
        outputState = NominalState()
        covariance = CovarianceMatrix()
        imuBuffer.removeAll()
    }

    static let maxSpecificForceMps2 = 50 * WGS84.standardGravityMps2
    static let maxRateRadps = 40.0
    static let stationaryFusionPeriodUs: UInt64 = 200_000
    /// Sideslip is fused at 10 Hz: the pitot comes at 50 Hz, and a pseudo-measurement this coarse (σ 0.3 rad)
    /// fused that often would outweigh the real ones.
    static let sideslipFusionPeriodUs: UInt64 = 100_000
    static let lateToleranceUs: UInt64 = 20_000
    static let futureToleranceUs: UInt64 = 1_000_000
}

/// What became of a sample handed to the filter.
public enum MeasurementDisposition: Sendable, Hashable {
    /// Taken (for measurements: queued for fusion at their timestamp; the gate decides later).
    case accepted
    case rejected(MeasurementRejection)
}

public enum MeasurementRejection: Sendable, Hashable, CustomStringConvertible {
    case invalidValue
    case timestampNotIncreasing
    case timestampInFuture
    /// Older than the fusion horizon allows: it can no longer be fused at its own time.
    case tooOld
    case notInitialised
    /// The sensor is disabled in the configuration.
    case disabled

    public var description: String {
        switch self {
        case .invalidValue: "non-finite or implausible value"
        case .timestampNotIncreasing: "timestamp not after the previous sample"
        case .timestampInFuture: "timestamp more than a second ahead of the newest IMU sample"
        case .tooOld: "older than the fusion horizon"
        case .notInitialised: "no IMU sample yet to time it against"
        case .disabled: "sensor disabled in the configuration"
        }
    }
}
