/// BMP280 factory trimming parameters and the datasheet's floating-point compensation (Bosch BST-BMP280-DS001,
/// section 8.1), written here from the datasheet so the emulator does not depend on the driver it tests.
public struct BMP280Trimming: Hashable, Sendable {
    public var digT1: UInt16, digT2: Int16, digT3: Int16
    public var digP1: UInt16, digP2: Int16, digP3: Int16, digP4: Int16, digP5: Int16
    public var digP6: Int16, digP7: Int16, digP8: Int16, digP9: Int16

    public init(digT1: UInt16, digT2: Int16, digT3: Int16, digP1: UInt16, digP2: Int16, digP3: Int16,
                digP4: Int16, digP5: Int16, digP6: Int16, digP7: Int16, digP8: Int16, digP9: Int16)
    {
        self.digT1 = digT1; self.digT2 = digT2; self.digT3 = digT3
        self.digP1 = digP1; self.digP2 = digP2; self.digP3 = digP3; self.digP4 = digP4; self.digP5 = digP5
        self.digP6 = digP6; self.digP7 = digP7; self.digP8 = digP8; self.digP9 = digP9
    }

    /// The trimming values of the datasheet's worked example (section 3.12).
    public static let datasheetExample = BMP280Trimming(
        digT1: 27504, digT2: 26435, digT3: -1000, digP1: 36477, digP2: -10685, digP3: 3024, digP4: 2855,
        digP5: 140, digP6: -7, digP7: 15500, digP8: -14600, digP9: 6000)

    /// The 24 bytes at 0x88…0x9F, each word little-endian.
    public var registerBytes: [UInt8] {
        let words: [UInt16] = [
            digT1, UInt16(bitPattern: digT2), UInt16(bitPattern: digT3), digP1, UInt16(bitPattern: digP2),
            UInt16(bitPattern: digP3), UInt16(bitPattern: digP4), UInt16(bitPattern: digP5),
            UInt16(bitPattern: digP6), UInt16(bitPattern: digP7), UInt16(bitPattern: digP8), UInt16(bitPattern: digP9),
        ]
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        for w in words {
            bytes.append(UInt8(truncatingIfNeeded: w))
            bytes.append(UInt8(truncatingIfNeeded: w >> 8))
        }
        return bytes
    }

    /// Temperature (°C) and the fine temperature shared with the pressure formula.
    public func temperatureC(adcT: Int32) -> (celsius: Double, tFine: Double) {
        let adc = Double(adcT)
        let a = (adc / 16384.0 - Double(digT1) / 1024.0) * Double(digT2)
        let d = adc / 131072.0 - Double(digT1) / 8192.0
        let b = d * d * Double(digT3)
        return ((a + b) / 5120.0, a + b)
    }

    /// Pressure (Pa), or NaN where the formula's divisor vanishes.
    public func pressurePa(adcP: Int32, tFine: Double) -> Double {
        var v1 = tFine / 2.0 - 64000.0
        var v2 = v1 * v1 * Double(digP6) / 32768.0
        v2 += v1 * Double(digP5) * 2.0
        v2 = v2 / 4.0 + Double(digP4) * 65536.0
        v1 = (Double(digP3) * v1 * v1 / 524288.0 + Double(digP2) * v1) / 524288.0
        v1 = (1.0 + v1 / 32768.0) * Double(digP1)
        guard v1 != 0 else { return .nan }
        var p = 1_048_576.0 - Double(adcP)
        p = (p - v2 / 4096.0) * 6250.0 / v1
        let v9 = Double(digP9) * p * p / 2_147_483_648.0
        let v8 = p * Double(digP8) / 32768.0
        return p + (v9 + v8 + Double(digP7)) / 16.0
    }

    /// The ADC code (a multiple of `step` in 0…2^20−1) whose compensated value is nearest `target`, by bisection
    /// over the codes with a fixed iteration count (21 halvings cover 2^20 codes). The compensation is monotonic
    /// over the sensor's range, so the bisection brackets the crossing and the nearer neighbour is chosen.
    static func invert(target: Double, step: Int32, _ value: (Int32) -> Double) -> Int32 {
        let lastIndex = ((1 << 20) - 1) / step
        var low: Int32 = 0
        var high = lastIndex
        let increasing = value(high * step) > value(0)
        for _ in 0..<21 where high - low > 1 {
            let mid = low + (high - low) / 2
            let v = value(mid * step)
            if (v < target) == increasing { low = mid } else { high = mid }
        }
        let best = abs(value(low * step) - target) <= abs(value(high * step) - target) ? low : high
        return best * step
    }
}
