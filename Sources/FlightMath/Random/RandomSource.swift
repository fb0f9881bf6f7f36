import RealModule

/// Seeded deterministic random numbers: xoshiro256** seeded through SplitMix64, with Gaussian samples by the
/// Box–Muller transform. The same seed gives the same sequence on every machine, which is what makes a SITL run
/// reproducible bit for bit.
public struct RandomSource: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64
    private var spareGaussian: Double?

    public init(seed: UInt64) {
        var sm = seed
        func splitMix(_ x: inout UInt64) -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(&sm); s1 = splitMix(&sm); s2 = splitMix(&sm); s3 = splitMix(&sm)
    }

    /// An independent stream derived from this seed and a label (one per sensor, one for turbulence …), so adding
    /// a consumer does not shift the numbers every other consumer sees.
    public static func stream(seed: UInt64, label: UInt64) -> RandomSource {
        RandomSource(seed: seed ^ (label &* 0xD1B5_4A32_D192_ED03))
    }

    @inline(__always) private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    public mutating func next() -> UInt64 {
        let result = Self.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = Self.rotl(s3, 45)
        return result
    }

    /// Uniform in [0, 1) with 53 bits of resolution.
    public mutating func uniform() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// Standard normal sample (mean 0, standard deviation 1).
    public mutating func gaussian() -> Double {
        if let g = spareGaussian {
            spareGaussian = nil
            return g
        }
        var u1 = uniform()
        while u1 <= Double.leastNormalMagnitude { u1 = uniform() }
        let u2 = uniform()
        let r = (-2 * Double.log(u1)).squareRoot()
        let theta = 2 * Double.pi * u2
        spareGaussian = r * Double.sin(theta)
        return r * Double.cos(theta)
    }

    public mutating func gaussian(mean: Double, standardDeviation: Double) -> Double {
        mean + standardDeviation * gaussian()
    }

    public mutating func gaussianVector(standardDeviation: Double) -> Vector3 {
        Vector3(gaussian(), gaussian(), gaussian()) * standardDeviation
    }
}
