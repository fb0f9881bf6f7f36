import FlightMath
import RealModule

/// GPS receiver: solutions at its rate, valid at the epoch and delivered `latency_s` later; correlated position
/// error (first-order Gauss–Markov per axis), white velocity error; no fix inside scheduled outage windows.
public struct GPSSensorModel: Sendable {
    public static let maxPendingFixes = 8

    public let section: GPSSensorSection
    public let frame: LocalFrame
    /// Read-only on the step path; allocated when the scenario is loaded.
    public let outages: [GPSOutage]
    public private(set) var positionErrorNEDM = Vector3.zero
    private var random: RandomSource
    private var clock: SampleClock
    private let latencyUs: UInt64
    private let errorDecay: Double
    // Solutions computed but not yet delivered, oldest at `head`, in fixed storage.
    private var pending: InlineArray<8, GPSFix>
    private var head = 0
    private var count = 0

    public init(section s: GPSSensorSection, frame: LocalFrame, outages: [GPSOutage], seed: UInt64) {
        section = s
        self.frame = frame
        self.outages = outages
        var r = RandomSource.stream(seed: seed, label: SensorStreamLabel.gps)
        // Start the correlated error in its steady state rather than at zero.
        positionErrorNEDM = Vector3(r.gaussian() * s.horizontalSigmaM, r.gaussian() * s.horizontalSigmaM,
                                    r.gaussian() * s.verticalSigmaM)
        random = r
        clock = SampleClock(rateHz: s.rateHz)
        latencyUs = UInt64((s.latencyS * 1e6).rounded())
        errorDecay = Double.exp(-1 / (s.rateHz * s.positionCorrelationTimeS))
        let empty = GPSFix(timestampUs: 0, fixType: .none, position: frame.origin, velocityNEDMps: .zero,
                           horizontalAccuracyM: 0, verticalAccuracyM: 0, speedAccuracyMps: 0, satellitesUsed: 0)
        pending = InlineArray(repeating: empty)
    }

    public func isInOutage(atS t: Double) -> Bool {
        for o in outages where o.contains(t) { return true }
        return false
    }

    /// Takes a measurement when an epoch is due and returns a solution whose latency has elapsed, if any.
    public mutating func sample(_ truth: SensorTruth) -> GPSFix? {
        if clock.isDue(atUs: truth.timeUs) {
            enqueue(measure(truth))
        }
        guard count > 0 else { return nil }
        let oldest = pending[head]
        guard truth.timeUs >= oldest.timestampUs &+ latencyUs else { return nil }
        head = (head + 1) % Self.maxPendingFixes
        count -= 1
        return oldest
    }

    private mutating func enqueue(_ fix: GPSFix) {
        if count == Self.maxPendingFixes {
            // Cannot happen with a validated latency; drop the oldest rather than grow.
            head = (head + 1) % Self.maxPendingFixes
            count -= 1
        }
        pending[(head + count) % Self.maxPendingFixes] = fix
        count += 1
    }

    private mutating func measure(_ truth: SensorTruth) -> GPSFix {
        let h = section.horizontalSigmaM, v = section.verticalSigmaM
        let drive = (1 - errorDecay * errorDecay).squareRoot()
        positionErrorNEDM = Vector3(
            positionErrorNEDM.x * errorDecay + random.gaussian() * h * drive,
            positionErrorNEDM.y * errorDecay + random.gaussian() * h * drive,
            positionErrorNEDM.z * errorDecay + random.gaussian() * v * drive)
        let velocityNoise = random.gaussianVector(standardDeviation: section.velocitySigmaMps)
        if isInOutage(atS: Double(truth.timeUs) * 1e-6) {
            return GPSFix(timestampUs: truth.timeUs, fixType: .none, position: frame.origin, velocityNEDMps: .zero,
                          horizontalAccuracyM: 9999, verticalAccuracyM: 9999, speedAccuracyMps: 99, satellitesUsed: 0)
        }
        return GPSFix(
            timestampUs: truth.timeUs, fixType: .fix3D,
            position: frame.geodetic(ofNED: truth.positionNEDM + positionErrorNEDM),
            velocityNEDMps: truth.velocityNEDMps + velocityNoise,
            horizontalAccuracyM: h, verticalAccuracyM: v, speedAccuracyMps: section.velocitySigmaMps,
            satellitesUsed: section.satellites)
    }
}
