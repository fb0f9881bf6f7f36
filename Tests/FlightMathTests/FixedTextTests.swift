import FlightMath
import PropertyBased
import Testing

@Suite struct FixedTextTests {
    @Test func literalsAndIntegersAreWrittenAsSwiftPrintsThem() {
        var t = FixedText("polls ")
        t.append(0)
        t.append(" ")
        t.append(-42)
        t.append(" ")
        t.append(Int.min)
        t.append(" ")
        t.append(UInt64.max)
        #expect(t.string == "polls 0 -42 -9223372036854775808 18446744073709551615")
        #expect(t.count == t.string.utf8.count)
        #expect(!t.isTruncated)
    }

    @Test func doublesAreFixedPointRoundedHalfAwayFromZero() {
        func text(_ v: Double, _ d: Int) -> String {
            var t = FixedText()
            t.append(v, decimals: d)
            return t.string
        }
        #expect(text(1.5, 2) == "1.50")
        #expect(text(-0.125, 3) == "-0.125")
        #expect(text(2.5, 0) == "3")
        #expect(text(-2.5, 0) == "-3")
        #expect(text(0.04, 1) == "0.0")
        #expect(text(-0.04, 1) == "0.0")  // rounds to zero: no "-0.0"
        #expect(text(12.3456, 2) == "12.35")
        #expect(text(0.001, 3) == "0.001")
        #expect(text(9.999, 2) == "10.00")
        #expect(text(.nan, 2) == "nan")
        #expect(text(.infinity, 2) == "inf")
        #expect(text(-.infinity, 2) == "-inf")
        #expect(text(1e20, 1) == "inf")
        #expect(text(3.14159, 20) == "3.141590000")  // at most 9 decimals
    }

    @Test func doublesMatchAnIndependentFormatter() async {
        // Values with at most 3 decimals, printed with 3: the integer arithmetic gives the same digits.
        await propertyCheck(count: 400, input: Gen.int(in: -9_999_999...9_999_999)) { milli in
            var t = FixedText()
            t.append(Double(milli) / 1000, decimals: 3)
            let sign = milli < 0 ? "-" : ""
            let m = milli.magnitude
            let fraction = String(m % 1000)
            let expected = "\(sign)\(m / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
            #expect(t.string == expected)
        }
    }

    @Test func hexIsTwoLowercaseDigitsPerByte() {
        var t = FixedText()
        for b: UInt8 in [0x00, 0x0F, 0xA5, 0xFF] { t.appendHex(byte: b) }
        #expect(t.string == "000fa5ff")
    }

    @Test func appendsPastCapacityAreCutNeverTrap() {
        var t = FixedText()
        for _ in 0..<(FixedText.capacity / 4) { t.append("abcd") }
        #expect(t.count == FixedText.capacity && !t.isTruncated)
        t.append("x")
        t.append(123_456)
        t.append(1.5, decimals: 3)
        t.appendHex(byte: 0xAB)
        #expect(t.count == FixedText.capacity && t.isTruncated)
        #expect(t.string == String(repeating: "abcd", count: FixedText.capacity / 4))
        // A number that straddles the end keeps its leading digits.
        var u = FixedText()
        for _ in 0..<(FixedText.capacity - 2) { u.append(byte: UInt8(ascii: "-")) }
        u.append(98_765)
        #expect(u.string.hasSuffix("--98") && u.isTruncated)
        u.removeAll()
        #expect(u.isEmpty && !u.isTruncated)
    }

    @Test func randomAppendsStayWithinCapacity() async {
        await propertyCheck(count: 200, input: Gen.int(in: 0...400), Gen.int(in: Int.min...Int.max)) { n, v in
            var t = FixedText()
            var reference = ""
            for _ in 0..<n {
                t.append(v)
                t.append(",")
                reference += "\(v),"
            }
            #expect(t.count <= FixedText.capacity)
            #expect(t.isTruncated == (reference.utf8.count > FixedText.capacity))
            #expect(t.string == String(decoding: reference.utf8.prefix(FixedText.capacity), as: UTF8.self))
        }
    }

    @Test func appendingAnotherTextKeepsItsTruncation() {
        var full = FixedText()
        for _ in 0...FixedText.capacity { full.append(byte: UInt8(ascii: "z")) }
        var t = FixedText()
        t.append(full)
        #expect(t == full && t.isTruncated)
    }
}
