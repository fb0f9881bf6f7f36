import FlightMath
import Testing

@Suite struct RandomSourceTests {
    @Test func sameSeedSameSequence() {
        var a = RandomSource(seed: 42), b = RandomSource(seed: 42), c = RandomSource(seed: 43)
        let sa = (0..<100).map { _ in a.next() }
        #expect(sa == (0..<100).map { _ in b.next() })
        #expect(sa != (0..<100).map { _ in c.next() })
    }

    /// Known first outputs pin the algorithm, so a refactor cannot silently change every recorded SITL run.
    /// Values from an independent Python implementation of SplitMix64 seeding + xoshiro256**.
    @Test func sequenceIsPinned() {
        var r = RandomSource(seed: 1)
        #expect((0..<3).map { _ in r.next() } == [0xB3F2_AF6D_0FC7_10C5, 0x853B_5596_4736_4CEA, 0x92F8_9756_082A_4514])
        var u = RandomSource(seed: 7)
        for _ in 0..<10_000 {
            let x = u.uniform()
            #expect(x >= 0 && x < 1)
        }
    }

    @Test func gaussianMoments() {
        var r = RandomSource(seed: 2024)
        let n = 200_000
        var sum = 0.0, sumSq = 0.0, beyond3 = 0
        for _ in 0..<n {
            let g = r.gaussian()
            sum += g; sumSq += g * g
            if abs(g) > 3 { beyond3 += 1 }
        }
        let mean = sum / Double(n)
        let variance = sumSq / Double(n) - mean * mean
        #expect(abs(mean) < 0.01)
        #expect(abs(variance - 1) < 0.01)
        // 0.27% of a normal distribution lies beyond 3 sigma.
        #expect(abs(Double(beyond3) / Double(n) - 0.0027) < 0.0006)
    }

    @Test func streamsAreIndependent() {
        var a = RandomSource.stream(seed: 5, label: 1), b = RandomSource.stream(seed: 5, label: 2)
        #expect((0..<10).map { _ in a.next() } != (0..<10).map { _ in b.next() })
    }
}
