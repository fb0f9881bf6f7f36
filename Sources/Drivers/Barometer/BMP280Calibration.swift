/// The BMP280's factory trimming parameters (registers 0x88...0x9F) and the datasheet's compensation formulas
/// (Bosch BST-BMP280-DS001, section 3.11.3 integer and section 8.1 double precision).
///
/// The integer path is carried in Int64 with wrapping arithmetic so that garbage calibration or ADC values can
/// produce a wrong number (caught by the range checks in the driver) but never a trap.
public struct BMP280Calibration: Hashable, Sendable {
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

    /// Decodes the 24 little-endian bytes read from 0x88.
    public init?(registers bytes: UnsafeRawBufferPointer) {
        guard bytes.count >= 24 else { return nil }
        func u(_ i: Int) -> UInt16 { UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8 }
        func s(_ i: Int) -> Int16 { Int16(bitPattern: u(i)) }
        self.init(digT1: u(0), digT2: s(2), digT3: s(4), digP1: u(6), digP2: s(8), digP3: s(10), digP4: s(12),
                  digP5: s(14), digP6: s(16), digP7: s(18), digP8: s(20), digP9: s(22))
    }

    /// A part that reads all zeros or all ones (no chip, stuck bus) has these at 0 or 0xFFFF; the pressure
    /// formula divides by a term proportional to digP1.
    public var isPlausible: Bool {
        digT1 != 0 && digT1 != 0xFFFF && digP1 != 0 && digP1 != 0xFFFF
    }

    // MARK: Integer compensation

    /// Temperature in 0.01 °C and the shared `tFine` term.
    public func temperatureCentiC(adcT: Int32) -> (centiC: Int32, tFine: Int32) {
        let adc = Int64(adcT), t1 = Int64(digT1), t2 = Int64(digT2), t3 = Int64(digT3)
        let var1 = (((adc >> 3) &- (t1 << 1)) &* t2) >> 11
        let d = (adc >> 4) &- t1
        let var2 = (((d &* d) >> 12) &* t3) >> 14
        let tFine = Int32(truncatingIfNeeded: var1 &+ var2)
        let centi = (Int64(tFine) &* 5 &+ 128) >> 8
        return (Int32(truncatingIfNeeded: centi), tFine)
    }

    /// Pressure in Pa as unsigned Q24.8 (divide by 256), 64-bit datasheet path; nil when the formula's divisor
    /// is zero.
    public func pressureQ24_8(adcP: Int32, tFine: Int32) -> UInt32? {
        var var1 = Int64(tFine) &- 128_000
        var var2 = var1 &* var1 &* Int64(digP6)
        var2 = var2 &+ ((var1 &* Int64(digP5)) << 17)
        var2 = var2 &+ (Int64(digP4) << 35)
        var1 = ((var1 &* var1 &* Int64(digP3)) >> 8) &+ ((var1 &* Int64(digP2)) << 12)
        var1 = (((Int64(1) << 47) &+ var1) &* Int64(digP1)) >> 33
        guard var1 != 0 else { return nil }
        var p = 1_048_576 &- Int64(adcP)
        let (quotient, overflow) = (((p << 31) &- var2) &* 3125).dividedReportingOverflow(by: var1)
        guard !overflow else { return nil }
        p = quotient
        var1 = (Int64(digP9) &* (p >> 13) &* (p >> 13)) >> 25
        var2 = (Int64(digP8) &* p) >> 19
        p = ((p &+ var1 &+ var2) >> 8) &+ (Int64(digP7) << 4)
        return UInt32(truncatingIfNeeded: p)
    }

    // MARK: Double-precision compensation

    public func temperatureC(adcT: Int32) -> (celsius: Double, tFine: Double) {
        let adc = Double(adcT), t1 = Double(digT1)
        let var1 = (adc / 16384.0 - t1 / 1024.0) * Double(digT2)
        let d = adc / 131072.0 - t1 / 8192.0
        let var2 = d * d * Double(digT3)
        // t_fine stays fractional: the datasheet's worked example (100653.27 Pa) is computed that way; truncating
        // it to an integer as the reference code does shifts the result by about 0.009 Pa.
        return ((var1 + var2) / 5120.0, var1 + var2)
    }

    /// Pressure in Pa; nil when the formula's divisor is zero.
    public func pressurePa(adcP: Int32, tFine: Double) -> Double? {
        var var1 = tFine / 2.0 - 64000.0
        var var2 = var1 * var1 * Double(digP6) / 32768.0
        var2 = var2 + var1 * Double(digP5) * 2.0
        var2 = var2 / 4.0 + Double(digP4) * 65536.0
        var1 = (Double(digP3) * var1 * var1 / 524288.0 + Double(digP2) * var1) / 524288.0
        var1 = (1.0 + var1 / 32768.0) * Double(digP1)
        guard var1 != 0 else { return nil }
        var p = 1_048_576.0 - Double(adcP)
        p = (p - var2 / 4096.0) * 6250.0 / var1
        var1 = Double(digP9) * p * p / 2_147_483_648.0
        var2 = p * Double(digP8) / 32768.0
        return p + (var1 + var2 + Double(digP7)) / 16.0
    }
}
