import DeviceIO
import Drivers
import FlightMath
import Testing
@testable import Simulation

@Suite struct GPSEmulatorTests {
    static let truth = GPSFix(
        timestampUs: 0, fixType: .fix3D,
        position: Geodetic(latitudeDeg: 47.397742, longitudeDeg: -8.545594, altitudeM: 488.123),
        velocityNEDMps: Vector3(12.345, -3.21, 0.5), horizontalAccuracyM: 1.5, verticalAccuracyM: 2.25,
        speedAccuracyMps: 0.35, satellitesUsed: 14)

    /// Polls like the flight loop does (every `pollUs`) for `seconds`, returning every fix decoded and the sizes
    /// of the chunks the port returned.
    func run(_ gps: EmulatedGPS, clock: ManualClock, seconds: Double, pollUs: UInt64 = 2_500,
             parser: inout GPSStreamParser) -> (fixes: [GPSFix], chunks: [Int]) {
        var fixes: [GPSFix] = []
        var chunks: [Int] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        let end = clock.nowUs() + UInt64(seconds * 1e6)
        while clock.nowUs() < end {
            clock.advance(byUs: pollUs)
            buffer.withUnsafeMutableBytes { raw in
                while let n = try? gps.read(into: raw), n > 0 {
                    chunks.append(n)
                    parser.consume(UnsafeRawBufferPointer(rebasing: raw[0..<n]), receivedAtUs: clock.nowUs()) {
                        fixes.append($0)
                    }
                }
            }
        }
        return (fixes, chunks)
    }

    @Test func ubxNavPVTDecodesToTheFedFix() throws {
        let clock = ManualClock()
        let gps = EmulatedGPS(config: .init(output: .ubx, rateHz: 5), clock: clock)
        gps.feed(Self.truth)
        var parser = GPSStreamParser(protocol: .ubx)
        // Epochs every 200 ms, each on the wire 30 ms later: by 2.1 s the ten of 0.2…2.0 s have arrived.
        let (fixes, _) = run(gps, clock: clock, seconds: 2.1, parser: &parser)
        #expect(fixes.count == 10)
        let fix = try #require(fixes.last)
        #expect(fix.fixType == .fix3D)
        #expect(abs(fix.position.latitudeDeg - 47.397742) <= 0.5e-7)  // 1e-7° steps
        #expect(abs(fix.position.longitudeDeg + 8.545594) <= 0.5e-7)
        #expect(abs(fix.position.altitudeM - 488.123) <= 0.0005)  // mm steps
        #expect((fix.velocityNEDMps - Self.truth.velocityNEDMps).norm <= 0.001)
        #expect(abs(fix.horizontalAccuracyM - 1.5) <= 0.0005 && abs(fix.verticalAccuracyM - 2.25) <= 0.0005)
        #expect(abs(fix.speedAccuracyMps - 0.35) <= 0.0005)
        #expect(fix.satellitesUsed == 14)
        // The epoch's UTC: clock zero is 2026-11-21 12:00:00 UTC, the last epoch is at 2.0 s.
        #expect(fix.utcUnixUs == 1_795_262_402_000_000)
        #expect(parser.ubx.statistics.checksumFailures == 0)
    }

    @Test func nmeaEpochDecodesToTheFedFixWithinTheSentenceResolution() throws {
        let clock = ManualClock()
        let gps = EmulatedGPS(config: .init(output: .nmea, rateHz: 10, baudRate: 38_400), clock: clock)
        gps.feed(Self.truth)
        var parser = GPSStreamParser(protocol: .nmea)
        let (fixes, _) = run(gps, clock: clock, seconds: 1.1, parser: &parser)
        #expect(fixes.count == 10)  // epochs 0.1…1.0 s (a GGA is on the wire ~50 ms after its epoch)
        let fix = try #require(fixes.last)
        #expect(fix.fixType == .fix3D)  // from the GSA of the previous epoch
        // 1e-5 arc-minute steps: 1.7e-7° in latitude.
        #expect(abs(fix.position.latitudeDeg - 47.397742) <= 1e-5 / 60 / 2 + 1e-12)
        #expect(abs(fix.position.longitudeDeg + 8.545594) <= 1e-5 / 60 / 2 + 1e-12)
        #expect(abs(fix.position.altitudeM - 488.123) <= 0.05 + 1e-9)  // 0.1 m steps
        // Speed in knots to 3 decimals and course to 0.01°; NMEA has no vertical velocity.
        #expect(abs(fix.velocityNEDMps.x - 12.345) < 0.005 && abs(fix.velocityNEDMps.y + 3.21) < 0.005)
        #expect(fix.velocityNEDMps.z == 0)
        #expect(abs(fix.horizontalAccuracyM - 1.5) <= 0.015 && abs(fix.verticalAccuracyM - 2.25) <= 0.015)
        #expect(fix.satellitesUsed == 14)
        #expect(fix.utcUnixUs == 1_795_262_401_000_000)  // date from the RMC, time from the GGA of the 1.0 s epoch
        #expect(parser.nmea.statistics.checksumFailures == 0 && parser.nmea.statistics.malformed == 0)
    }

    @Test func bytesArriveNoFasterThanTheBaudRate() {
        let clock = ManualClock()
        let gps = EmulatedGPS(config: .init(output: .nmeaAndUBX, rateHz: 5, baudRate: 9_600), clock: clock)
        gps.feed(Self.truth)
        var parser = GPSStreamParser(protocol: .ubx)
        // 9600 baud = 960 bytes/s: a 2.5 ms poll sees at most 3 bytes.
        let (fixes, chunks) = run(gps, clock: clock, seconds: 3, parser: &parser)
        #expect(chunks.max() ?? 0 <= 3)
        // An epoch of four NMEA sentences and a NAV-PVT is ~ 370 bytes, 1850 bytes/s at 5 Hz: more than the
        // line carries, so it stays busy from the first epoch (0.23 s) on and a backlog builds up.
        let total = chunks.reduce(0, +)
        #expect(total <= 960 * 3)
        #expect(total >= Int(960 * (3 - 0.23)) - 3)
        #expect(gps.pendingBytes > 1000)
        // Every epoch that got through decodes (read as UBX, the NMEA copies ignored).
        #expect(fixes.count >= total / 380)
    }

    @Test func epochUTCIsInTheSentences() {
        let clock = ManualClock()
        let gps = EmulatedGPS(config: .init(output: .nmea, rateHz: 5), clock: clock)
        gps.feed(Self.truth)
        clock.advance(byUs: 400_000)  // epochs at 200 and 400 ms; the 200 ms one is fully sent by now
        var buffer = [UInt8](repeating: 0, count: 512)
        let n = buffer.withUnsafeMutableBytes { (try? gps.read(into: $0)) ?? 0 }
        let text = String(decoding: buffer[0..<n], as: UTF8.self)
        // Clock zero is 2026-11-21 12:00:00 UTC.
        #expect(text.hasPrefix("$GNRMC,120000.20,A,4723.86452,N,00832.73564,W,"))
        #expect(text.contains(",211126,,,A*"))
    }

    @Test func silentDropoutStopsFixesAndTheyResume() {
        let clock = ManualClock()
        let gps = EmulatedGPS(
            config: .init(output: .ubx, rateHz: 5),
            faults: GPSFaults(dropouts: [.init(fromUs: 1_000_000, untilUs: 2_000_000, kind: .silent)]), clock: clock)
        gps.feed(Self.truth)
        var parser = GPSStreamParser(protocol: .ubx)
        let first = run(gps, clock: clock, seconds: 1.1, parser: &parser).fixes
        let during = run(gps, clock: clock, seconds: 0.9, parser: &parser).fixes
        let after = run(gps, clock: clock, seconds: 1, parser: &parser).fixes
        #expect(first.count == 4)  // 0.2…0.8 s; the 1.0 s epoch falls in the dropout
        #expect(during.isEmpty)
        #expect(after.count == 5)
    }

    @Test func noFixDropoutReportsNoFixInBothProtocols() {
        for output in [EmulatedGPSConfig.Output.ubx, .nmea] {
            let clock = ManualClock()
            let gps = EmulatedGPS(
                config: .init(output: output, rateHz: 5),
                faults: GPSFaults(dropouts: [.init(fromUs: 0, untilUs: 1_000_000, kind: .noFix)]), clock: clock)
            gps.feed(Self.truth)
            var parser = GPSStreamParser(protocol: output == .nmea ? .nmea : .ubx)
            let during = run(gps, clock: clock, seconds: 0.9, parser: &parser).fixes
            #expect(!during.isEmpty)
            #expect(during.allSatisfy { $0.fixType == .none })
            let after = run(gps, clock: clock, seconds: 1.2, parser: &parser).fixes
            #expect(after.last?.fixType == .fix3D)
        }
    }

    @Test func lineNoiseIsCaughtByTheChecksums() {
        let clock = ManualClock()
        let gps = EmulatedGPS(config: .init(output: .nmeaAndUBX, rateHz: 5),
                              faults: GPSFaults(corruptEveryNthByte: 97), clock: clock)
        gps.feed(Self.truth)
        var parser = GPSStreamParser(protocol: .ubx)
        let fixes = run(gps, clock: clock, seconds: 2, parser: &parser).fixes
        let failures = parser.nmea.statistics.checksumFailures + parser.ubx.statistics.checksumFailures
            + parser.nmea.statistics.malformed
        #expect(failures > 0)
        // Whatever got through is the truth, never a corrupted position.
        for fix in fixes where fix.fixType != .none {
            #expect(abs(fix.position.latitudeDeg - 47.397742) < 1e-5)
        }
    }
}
