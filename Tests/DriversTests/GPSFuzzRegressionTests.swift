import FlightMath
import Testing
@testable import Drivers

/// GPS stream inputs libFuzzer found (Tools/fuzz gps), each the smallest case that failed before its fix.
@Suite struct GPSFuzzRegressionTests {
    static func sentence(_ body: String) -> [UInt8] {
        let checksum = body.utf8.reduce(UInt8(0), ^)
        let digits = Array("0123456789ABCDEF".utf8)
        return Array("$\(body)*".utf8) + [digits[Int(checksum >> 4)], digits[Int(checksum & 0xF)], 0x0D, 0x0A]
    }

    static func fixes(_ kind: GPSProtocol, _ bytes: [UInt8]) -> (fixes: [GPSFix], parser: GPSStreamParser) {
        var parser = GPSStreamParser(protocol: kind)
        var fixes: [GPSFix] = []
        bytes.withUnsafeBytes { parser.consume($0, receivedAtUs: 1_000_000) { fixes.append($0) } }
        return (fixes, parser)
    }

    /// A GGA with 1520 satellites in use came out as a fix claiming them (the field was read as any number of up to
    /// nine digits); it is malformed now, with or without a position.
    @Test(arguments: ["GNGGA,101530.00,4723.86451,N,00832.7,E,3,1520,0.78,440.5,M,47.6,M,,",
                      "GPGGA,101531.00,,,,,0,999999999,99.99,,,,,,"])
    func satelliteCountBeyondAnyReceiverIsMalformed(body: String) {
        let (fixes, parser) = Self.fixes(.nmea, Self.sentence(body))
        #expect(fixes.isEmpty)
        #expect(parser.nmea.statistics.malformed == 1)
    }
}
