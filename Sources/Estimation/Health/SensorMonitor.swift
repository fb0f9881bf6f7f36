/// Tracks one sensor's history and turns it into a `SensorCondition`. Times are µs on the vehicle clock: arrival
/// times are compared with the newest IMU time, measurement times with the filter's fusion time (which runs
/// behind by the fusion horizon), so the latency does not count as silence.
struct SensorMonitor: Sendable {
    var status = SensorStatus()
    private var lastUsableArrivalUs: UInt64?
    private var lastAcceptedUs: UInt64?
    private var lastRejectedUs: UInt64?
    private var lastPoorUs: UInt64?
    /// Start of the current run of rejections (measurement time), nil while measurements are accepted.
    private(set) var rejectingSinceUs: UInt64?

    /// A sample arrived; `usable` is false when it was refused before fusion (bad values, poor GPS solution).
    mutating func noteArrival(atUs nowUs: UInt64, usable: Bool) {
        status.lastSampleUs = nowUs
        if usable {
            lastUsableArrivalUs = nowUs
        } else {
            status.invalidCount &+= 1
            lastPoorUs = nowUs
        }
    }

    /// The result of one innovation check at measurement time `record.timestampUs`; GPS passes its velocity
    /// check as `secondary`. The measurement counts as accepted only if every part of it was.
    mutating func noteCheck(_ record: InnovationRecord, secondary: InnovationRecord? = nil) {
        status.innovation = record
        var accepted = record.accepted
        var ratio = record.testRatio
        if let secondary {
            status.secondaryInnovation = secondary
            accepted = accepted && secondary.accepted
            ratio = Swift.max(ratio, secondary.testRatio)
        }
        ratio = ratio.isFinite ? Swift.min(ratio, 100) : 100
        status.filteredTestRatio += 0.1 * (ratio - status.filteredTestRatio)
        if accepted {
            status.fusedCount &+= 1
            lastAcceptedUs = record.timestampUs
            rejectingSinceUs = nil
        } else {
            status.rejectedCount &+= 1
            lastRejectedUs = record.timestampUs
            if rejectingSinceUs == nil { rejectingSinceUs = record.timestampUs }
        }
    }

    /// Forgets the rejection run (after the filter has reset itself onto this sensor).
    mutating func clearRejectionRun() { rejectingSinceUs = nil }

    func secondsSinceAccepted(atFusionTimeUs t: UInt64) -> Double? {
        lastAcceptedUs.map { Self.seconds(from: $0, to: t) }
    }

    func rejectingForS(atFusionTimeUs t: UInt64) -> Double {
        rejectingSinceUs.map { Self.seconds(from: $0, to: t) } ?? 0
    }

    mutating func evaluate(nowUs: UInt64, fusionTimeUs: UInt64, timeoutS: Double, rejectionFailS: Double,
                           degradedHoldS: Double) {
        status.condition = condition(nowUs: nowUs, fusionTimeUs: fusionTimeUs, timeoutS: timeoutS,
                                     rejectionFailS: rejectionFailS, degradedHoldS: degradedHoldS)
    }

    private func condition(nowUs: UInt64, fusionTimeUs: UInt64, timeoutS: Double, rejectionFailS: Double,
                           degradedHoldS: Double) -> SensorCondition {
        guard let usable = lastUsableArrivalUs, Self.seconds(from: usable, to: nowUs) <= timeoutS else { return .failed }
        if rejectingForS(atFusionTimeUs: fusionTimeUs) > rejectionFailS { return .failed }
        if let r = lastRejectedUs, Self.seconds(from: r, to: fusionTimeUs) <= degradedHoldS { return .degraded }
        if let p = lastPoorUs, Self.seconds(from: p, to: nowUs) <= degradedHoldS { return .degraded }
        return .healthy
    }

    /// `to − from` in seconds, zero when `to` is earlier (a measurement stamped after the fusion time).
    static func seconds(from: UInt64, to: UInt64) -> Double {
        to > from ? Double(to - from) * 1e-6 : 0
    }
}
