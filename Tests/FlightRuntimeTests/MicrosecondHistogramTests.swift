@testable import FlightRuntime
import FlightMath
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite struct MicrosecondHistogramTests {
    @Test func bucketsTileTheRangeWithoutGapsOrOverlaps() {
        #expect(MicrosecondHistogram.bucketCount == 256 + MicrosecondHistogram.bucketsPerOctave * MicrosecondHistogram.octaves)
        for index in 0..<MicrosecondHistogram.bucketCount {
            let highest = MicrosecondHistogram.highestValue(inBucket: index)
            #expect(MicrosecondHistogram.bucket(of: highest) == index, "bucket \(index)")
            if index + 1 < MicrosecondHistogram.bucketCount {
                #expect(MicrosecondHistogram.bucket(of: highest + 1) == index + 1, "after bucket \(index)")
            }
        }
        // Below 256 µs every value is its own bucket; above, a bucket is at most 1/64 of its values wide.
        #expect((0..<256).allSatisfy { MicrosecondHistogram.bucket(of: UInt64($0)) == $0 })
        #expect(MicrosecondHistogram.bucket(of: .max) == MicrosecondHistogram.bucketCount - 1)
    }

    /// Against the exact order statistic (the k-th smallest, k = max(1, round(p·n)), HdrHistogram's rank): the same
    /// below 256 µs, never below it and at most one bucket (1.6 %) above it elsewhere, never above the maximum.
    @Test(arguments: [UInt64(1), 2, 3, 4, 5])
    func percentilesMatchTheExactOrderStatisticToTheBucketWidth(seed: UInt64) {
        var random = RandomSource(seed: seed)
        var h = MicrosecondHistogram()
        var values: [UInt64] = []
        for _ in 0..<(1 + Int(random.next() % 2000)) {
            // Log-uniform over 1 µs … 10 s, with runs of equal values, as tick timings come.
            let v = UInt64(exp(Double.random(in: 0..<16.1, using: &random)))
            for _ in 0..<(1 + Int(random.next() % 3)) { values.append(v); h.record(v) }
        }
        values.sort()
        #expect(h.totalCount == UInt32(values.count))
        #expect(h.maxUs == values.last)
        for p in [0.0, 1, 50, 90, 99, 99.9, 100] {
            let k = max(1, Int((p / 100 * Double(values.count)).rounded()))
            let exact = values[k - 1]
            let reported = h.valueAtPercentile(p)
            if exact < 256 {
                #expect(reported == exact, "p\(p)")
            } else {
                #expect(reported >= exact && Double(reported) <= Double(exact) * (1 + 1.0 / 64), "p\(p): \(reported) vs \(exact)")
            }
            #expect(reported <= values.last!)
        }
    }

    @Test func resetEmptiesItAndAnEmptyOneReportsZero() {
        var h = MicrosecondHistogram()
        #expect(h.valueAtPercentile(99) == 0)
        for v in UInt64(1)...1000 { h.record(v * 37) }
        h.reset()
        #expect(h.totalCount == 0 && h.maxUs == 0 && h.valueAtPercentile(50) == 0)
        h.record(3)
        #expect(h.valueAtPercentile(50) == 3 && h.valueAtPercentile(100) == 3)
    }
}
