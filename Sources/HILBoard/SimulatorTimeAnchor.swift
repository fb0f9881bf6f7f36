/// The board-clock instant of a simulator sample: the simulator's time plus an offset fixed when the link first
/// delivers a frame, so that samples keep the simulator's spacing however they are batched on the way (the chips'
/// filters run on that spacing). Re-anchored, the sample then taken as "now", when the simulator's time steps back
/// (it restarted) or when the two clocks have drifted more than `maximumDriftUs` apart (a simulator paced slower or
/// faster than real time); a re-anchor is one irregular interval, which the chips' filters tolerate.
struct SimulatorTimeAnchor {
    static let maximumDriftUs: Int64 = 1_000_000
    private var offsetUs: Int64?
    private var lastSimTimeUs: UInt64 = 0

    mutating func boardTimeUs(ofSimTimeUs simUs: UInt64, nowUs: UInt64) -> UInt64 {
        defer { lastSimTimeUs = simUs }
        let now = Int64(truncatingIfNeeded: nowUs), sim = Int64(truncatingIfNeeded: simUs)
        if let offset = offsetUs, simUs >= lastSimTimeUs {
            let mapped = sim &+ offset
            if mapped >= 0, (mapped &- now).magnitude <= Self.maximumDriftUs.magnitude { return UInt64(mapped) }
        }
        offsetUs = now &- sim
        return nowUs
    }
}
