import FlightMath
import Testing
@testable import Drivers

/// UTC from the receiver: the approval gate's time base. Only a time the receiver vouches for counts.
@Suite struct GPSTimeTests {
    @Test func nmeaTakesTheDateFromTheRMCOfTheSameEpoch() throws {
        var parser = GPSStreamParser(protocol: .nmea)
        _ = feed(&parser, GPSFixtures.referenceRMC)
        let fix = try #require(feed(&parser, GPSFixtures.referenceGGA).first)
        // 23 March 1994 12:35:19 UTC (the standard's example): datetime(...).timestamp() == 764426119
        #expect(fix.utcUnixUs == 764_426_119_000_000)
    }

    @Test func nmeaWithoutTheEpochsDateHasNoUTC() throws {
        var parser = GPSStreamParser(protocol: .nmea)
        #expect(try #require(feed(&parser, GPSFixtures.referenceGGA).first).utcUnixUs == nil)
        // An RMC of another second does not date this GGA.
        let other = GPSFixtures.nmeaSentence("GPRMC,123518,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W")
        _ = feed(&parser, other)
        #expect(try #require(feed(&parser, GPSFixtures.referenceGGA).first).utcUnixUs == nil)
        // A void RMC (no solution) does not vouch for its date either.
        let void = GPSFixtures.nmeaSentence("GPRMC,123519,V,,,,,,,230394,,")
        _ = feed(&parser, void)
        #expect(try #require(feed(&parser, GPSFixtures.referenceGGA).first).utcUnixUs == nil)
    }

    @Test func ubxTimeNeedsDateTimeAndFullyResolved() throws {
        var parser = GPSStreamParser(protocol: .ubx)
        let fix = try #require(feed(&parser, GPSFixtures.navPVT).first)
        // 2026-11-21 10:15:30 UTC + nano 12345 ns: datetime(...).timestamp() == 1795256130
        #expect(fix.utcUnixUs == 1_795_256_130_000_012)
        for valid: UInt8 in [0x00, 0x03, 0x05, 0x06] {
            var frame = Array(GPSFixtures.navPVT[6..<(6 + 92)])
            frame[11] = valid
            let bytes = GPSFixtures.ubxFrame(messageClass: 0x01, id: 0x07, payload: frame)
            let f = try #require(feed(&parser, bytes).first)
            #expect(f.utcUnixUs == nil, "valid flags \(valid)")
        }
    }
}
