import FlightMath
import PropertyBased
import Testing

@Suite struct UTCTimeTests {
    @Test func knownInstantsMatchPythonDatetime() {
        // datetime(2026, 11, 21, 12, tzinfo=timezone.utc).timestamp() == 1795262400
        #expect(UTCTime(year: 2026, month: 11, day: 21, hour: 12, minute: 0, second: 0).unixUs == 1_795_262_400_000_000)
        #expect(UTCTime(year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0).unixUs == 0)
        // A leap day: datetime(2024, 2, 29, 23, 59, 59).timestamp() == 1709251199
        #expect(UTCTime(year: 2024, month: 2, day: 29, hour: 23, minute: 59, second: 59, microsecond: 5).unixUs
                == 1_709_251_199_000_005)
        let t = UTCTime(unixUs: 1_795_262_400_123_456)
        #expect(t == UTCTime(year: 2026, month: 11, day: 21, hour: 12, minute: 0, second: 0, microsecond: 123_456))
    }

    @Test func impossibleDatesAreRejected() {
        #expect(UTCTime(year: 2025, month: 2, day: 29, hour: 0, minute: 0, second: 0).unixUs == nil)
        #expect(UTCTime(year: 2100, month: 2, day: 29, hour: 0, minute: 0, second: 0).unixUs == nil)  // not leap
        #expect(UTCTime(year: 2026, month: 4, day: 31, hour: 0, minute: 0, second: 0).unixUs == nil)
        #expect(UTCTime(year: 2026, month: 13, day: 1, hour: 0, minute: 0, second: 0).unixUs == nil)
        #expect(UTCTime(year: 2026, month: 1, day: 1, hour: 24, minute: 0, second: 0).unixUs == nil)
        #expect(UTCTime(year: 1969, month: 12, day: 31, hour: 0, minute: 0, second: 0).unixUs == nil)
    }

    @Test func calendarRoundTripsEveryMicrosecond() async {
        await propertyCheck(count: 500, input: Gen.int(in: 0...8_000_000_000_000_000)) { us in
            let t = UTCTime(unixUs: Int64(us))
            #expect(t.unixUs == Int64(us))
        }
    }

    @Test func clockIsNilUntilSynchronisedThenFollowsTheVehicleClock() {
        var clock = UTCClock()
        #expect(clock.utcUs(atVehicleUs: 5_000_000) == nil)
        // A receiver that has not resolved its week reports 1980-something: ignored.
        clock.synchronise(vehicleUs: 1_000_000, utcUnixUs: 315_964_800_000_000)
        #expect(!clock.isSynchronised)
        clock.synchronise(vehicleUs: 1_000_000, utcUnixUs: 1_795_262_400_000_000)
        #expect(clock.utcUs(atVehicleUs: 61_000_000) == 1_795_262_460_000_000)
        #expect(clock.utcUs(atVehicleUs: 0) == 1_795_262_399_000_000)
    }
}
