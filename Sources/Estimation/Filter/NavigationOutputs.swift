import FlightMath

extension NavigationFilter {
    /// The solution at the newest IMU time (biases, wind and variances are the filter's, at the fusion time).
    /// Off the real-time path only: it copies the filter (17 kB); the flight stack uses `writeState(into:)`.
    public var state: NavigationState {
        var filter = self
        var s = NavigationState()
        filter.writeState(into: &s)
        return s
    }

    /// `state`, written in place: the real-time path's way to read it. Called on a filter stored in another struct,
    /// a non-mutating read (a getter, or a helper this calls) copies the whole filter first, every tick: Swift 6.3
    /// loads a value it borrows from memory it cannot prove unchanged during the call. A mutating call passes it by
    /// address. Nothing here changes the filter.
    public mutating func writeState(into s: inout NavigationState) {
        s.timestampUs = newestImuUs ?? 0
        s.phase = phase
        s.attitude = outputState.attitude
        s.euler = outputState.attitude.euler
        s.velocityNEDMps = outputState.velocityNEDMps
        s.positionNEDM = outputState.positionNEDM
        s.heightAboveOriginM = -outputState.positionNEDM.z
        s.frame = frame
        s.gyroBiasFRDRadps = filterState.gyroBiasFRDRadps
        s.accelBiasFRDMps2 = filterState.accelBiasFRDMps2
        s.windNEDMps = Vector3(filterState.windNorthMps, filterState.windEastMps, 0)
        s.angularRateFRDRadps = newestStep.gyroFRDRadps - filterState.gyroBiasFRDRadps
        s.variances = variances
    }

    public var variances: NavigationVariances {
        var v = NavigationVariances()
        v.attitudeRad2 = covariance.diagonal3(at: ErrorState.attitude)
        v.velocityNEDMps2 = covariance.diagonal3(at: ErrorState.velocity)
        v.positionNEDM2 = covariance.diagonal3(at: ErrorState.position)
        v.gyroBiasRadps2 = covariance.diagonal3(at: ErrorState.gyroBias)
        v.accelBiasMps2Squared = covariance.diagonal3(at: ErrorState.accelBias)
        v.windNEMps2 = Vector3(covariance.variance(ErrorState.wind), covariance.variance(ErrorState.wind + 1), 0)
        return v
    }

    /// Off the real-time path only: it copies the filter; the flight stack uses `writeHealth(into:)`.
    public var health: NavigationHealth {
        var filter = self
        var h = NavigationHealth()
        filter.writeHealth(into: &h)
        return h
    }

    /// `health`, written in place (mutating only to be passed by address, as `writeState(into:)`).
    public mutating func writeHealth(into h: inout NavigationHealth) {
        h = counters
        h.gps = gpsMonitor.status
        h.baro = baroMonitor.status
        h.mag = magMonitor.status
        h.airspeed = airspeedMonitor.status
    }

    /// The full covariance (17×17, row major, order: attitude, velocity, position, gyro bias, accel bias, wind NE)
    /// for tests and diagnostics; `body` gets a pointer valid only during the call.
    public func withCovariance<R>(_ body: (_ element: (Int, Int) -> Double) -> R) -> R {
        body { i, j in covariance[i, j] }
    }

    public static var errorStateCount: Int { ErrorState.count }

    /// Re-evaluates sensor conditions and validity flags; called after every IMU sample.
    mutating func updateHealth() {
        let now = newestImuUs ?? 0
        let t = fusionTimeUs
        gpsMonitor.evaluate(nowUs: now, fusionTimeUs: t, timeoutS: config.gpsTimeoutS,
                            rejectionFailS: config.rejectionFailS, degradedHoldS: config.degradedHoldS)
        baroMonitor.evaluate(nowUs: now, fusionTimeUs: t, timeoutS: config.baroTimeoutS,
                             rejectionFailS: config.rejectionFailS, degradedHoldS: config.degradedHoldS)
        magMonitor.evaluate(nowUs: now, fusionTimeUs: t, timeoutS: config.magTimeoutS,
                            rejectionFailS: config.rejectionFailS, degradedHoldS: config.degradedHoldS)
        airspeedMonitor.evaluate(nowUs: now, fusionTimeUs: t, timeoutS: config.airspeedTimeoutS,
                                 rejectionFailS: config.rejectionFailS, degradedHoldS: config.degradedHoldS)

        guard phase != .aligning else {
            counters.attitudeValid = false
            counters.velocityValid = false
            counters.positionValid = false
            counters.isHealthy = false
            return
        }
        let a = covariance.diagonal3(at: ErrorState.attitude)
        let vel = covariance.diagonal3(at: ErrorState.velocity)
        let pos = covariance.diagonal3(at: ErrorState.position)
        func within(_ variance: Double, _ sigma: Double) -> Bool { variance.isFinite && variance <= sigma * sigma }
        counters.attitudeValid = headingAligned
            && within(Swift.max(a.x, a.y), config.attitudeValidMaxTiltSigmaRad)
            && within(a.z, config.attitudeValidMaxYawSigmaRad)
        let aided = gpsMonitor.secondsSinceAccepted(atFusionTimeUs: t).map { $0 <= config.deadReckoningLimitS } ?? false
        counters.velocityValid = phase == .navigating && aided
            && within(Swift.max(vel.x, vel.y, vel.z), config.velocityValidMaxSigmaMps)
        counters.positionValid = phase == .navigating && aided
            && within(Swift.max(pos.x, pos.y), config.positionValidMaxSigmaM)
        counters.isHealthy = counters.attitudeValid && counters.velocityValid && counters.positionValid
            && filterState.isFinite && outputState.isFinite
    }
}
