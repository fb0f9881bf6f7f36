/// Counts of microsecond values in fixed log-linear buckets, for the real-time thread's one-second timing window:
/// exact below 256 µs, then 64 buckets per octave (1.6 % wide) up to 2^26 µs (67 s); larger values fall in the last
/// bucket. The maximum is kept exactly.
///
/// Why not HdrHistogram here (the scheduler's whole-run histograms are HdrHistogram): its `reset` is not inlinable, so
/// it runs unspecialised, about 110 instructions per count, and the window reset two of them every second on the
/// real-time thread: 520 k instructions at once, a few hundred µs on a Raspberry Pi. Resetting this one is a store per
/// bucket.
struct MicrosecondHistogram {
    /// Values below this are counted exactly, one bucket each.
    static let exactBelowUs: UInt64 = 256
    static let bucketsPerOctave = 64
    static let octaves = 18
    static let bucketCount = 256 + 64 * 18

    private var counts = InlineArray<1408, UInt32>(repeating: 0)
    private(set) var totalCount: UInt32 = 0
    private(set) var maxUs: UInt64 = 0

    init() {}

    mutating func record(_ valueUs: UInt64) {
        counts[Self.bucket(of: valueUs)] &+= 1
        totalCount &+= 1
        maxUs = max(maxUs, valueUs)
    }

    /// The smallest bucket value that at least `percent` % of the recorded values are at or below, reported as the
    /// highest value of its bucket (as HdrHistogram does, so a jitter figure is never understated); 0 when empty.
    func valueAtPercentile(_ percent: Double) -> UInt64 {
        guard totalCount > 0 else { return 0 }
        let wanted = max(1, UInt32((min(max(percent, 0), 100) / 100 * Double(totalCount)).rounded()))
        var seen: UInt32 = 0
        for index in 0..<Self.bucketCount {
            seen &+= counts[index]
            if seen >= wanted { return min(Self.highestValue(inBucket: index), maxUs) }
        }
        return maxUs
    }

    mutating func reset() {
        for index in 0..<Self.bucketCount { counts[index] = 0 }
        totalCount = 0
        maxUs = 0
    }

    /// Bucket of a value: the value itself below 256; above, octave `o` covers [2^(8+o), 2^(9+o)) in 64 buckets of
    /// 2^(2+o).
    static func bucket(of valueUs: UInt64) -> Int {
        guard valueUs >= exactBelowUs else { return Int(valueUs) }
        let octave = min(63 - valueUs.leadingZeroBitCount - 8, octaves - 1)
        let offset = min((valueUs >> UInt64(2 + octave)) - 64, 63)
        return 256 + octave * bucketsPerOctave + Int(offset)
    }

    static func highestValue(inBucket index: Int) -> UInt64 {
        guard index >= 256 else { return UInt64(index) }
        let octave = (index - 256) / bucketsPerOctave
        let offset = UInt64((index - 256) % bucketsPerOctave)
        let width = UInt64(1) << UInt64(2 + octave)
        return (64 + offset) * width + width - 1
    }
}
