import DeviceIO
import Drivers
import FlightMath
import Testing
@testable import Simulation

/// The plant hands the receiver each solution its latency after the measurement; with jitter one can come in after
/// the epoch's nominal send time. The epoch must then wait for it, not re-send the previous solution as new.
@Suite struct GPSLateSolutionTests {
    static let utcAtZeroUs: UInt64 = 1_795_262_400 * 1_000_000

    static func solution(measuredAtUs t: UInt64) -> GPSFix {
        // Each solution at its own latitude, so a repeat is visible after decoding.
        GPSFix(timestampUs: t, fixType: .fix3D,
               position: Geodetic(latitudeDeg: 47.0 + Double(t) * 1e-9, longitudeDeg: 8.5, altitudeM: 500),
               velocityNEDMps: Vector3(15, 0, 0), horizontalAccuracyM: 1.2, verticalAccuracyM: 2,
               speedAccuracyMps: 0.1, satellitesUsed: 14)
    }

    /// 10 Hz solutions measured on the receiver's epochs, each handed over `latenciesUs[k % count]` later (in order,
    /// as the plant's queue does), polled every 2.5 ms like the flight loop; returns the decoded fixes with their
    /// arrival times.
    func fly(latenciesUs: [UInt64], seconds: Double) -> [(fix: GPSFix, arrivedUs: UInt64)] {
        let clock = ManualClock()
        let gps = EmulatedGPS(config: .init(output: .ubx, rateHz: 10), clock: clock)
        var parser = GPSStreamParser(protocol: .ubx)
        var out: [(GPSFix, UInt64)] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        var k: UInt64 = 0
        var lastFedUs: UInt64 = 0
        let endUs = UInt64(seconds * 1e6)
        while clock.nowUs() < endUs {
            clock.advance(byUs: 2_500)
            while true {
                let measuredUs = k * 100_000
                let dueUs = max(measuredUs + latenciesUs[Int(k) % latenciesUs.count], lastFedUs)
                guard clock.nowUs() >= dueUs else { break }
                gps.feed(Self.solution(measuredAtUs: measuredUs))
                lastFedUs = dueUs
                k += 1
            }
            buffer.withUnsafeMutableBytes { raw in
                while let n = try? gps.read(into: raw), n > 0 {
                    parser.consume(UnsafeRawBufferPointer(rebasing: raw[0..<n]), receivedAtUs: clock.nowUs()) {
                        out.append(($0, clock.nowUs()))
                    }
                }
            }
        }
        return out
    }

    func measuredUs(of fix: GPSFix) -> UInt64 {
        UInt64(((fix.position.latitudeDeg - 47.0) / 1e-9).rounded())
    }

    @Test(arguments: [[UInt64(120_000)], [120_000, 145_000, 110_000, 160_000, 125_000]])
    func everyEpochReportsTheSolutionMeasuredAtIt(latenciesUs: [UInt64]) throws {
        let fixes = fly(latenciesUs: latenciesUs, seconds: 5)
        // Until its second solution is in, the feed's period is not known and an epoch goes out with the newest
        // solution there is (here the first two epochs): the checks start after that.
        let solved = fixes.filter { $0.fix.fixType == .fix3D }.drop { $0.arrivedUs < 400_000 }
        #expect(solved.count >= 44)
        var previous: UInt64?
        for (fix, arrivedUs) in solved {
            let t = measuredUs(of: fix)
            // The epoch's time is the measurement's, and no solution goes out twice or out of order.
            #expect(fix.utcUnixUs == Self.utcAtZeroUs + t)
            if let previous { #expect(t == previous + 100_000) }
            previous = t
            // On the wire once handed over: the latency, NAV-PVT's ~8 ms at 115200 baud and the poll; never a
            // period more.
            let latency = latenciesUs[Int(t / 100_000) % latenciesUs.count]
            #expect(arrivedUs >= t + latency)
            #expect(arrivedUs <= t + max(latency, 30_000) + 15_000)
        }
    }

    @Test func aFeedThatStopsLeavesEpochsWithoutASolution() {
        let clock = ManualClock()
        let gps = EmulatedGPS(config: .init(output: .ubx, rateHz: 10, solutionWaitLimitUs: 300_000), clock: clock)
        var parser = GPSStreamParser(protocol: .ubx)
        var fixes: [GPSFix] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        while clock.nowUs() < 3_000_000 {
            clock.advance(byUs: 2_500)
            let t = clock.nowUs()
            if t % 100_000 == 20_000, t < 1_000_000 { gps.feed(Self.solution(measuredAtUs: t - 20_000)) }
            buffer.withUnsafeMutableBytes { raw in
                while let n = try? gps.read(into: raw), n > 0 {
                    parser.consume(UnsafeRawBufferPointer(rebasing: raw[0..<n]), receivedAtUs: t) { fixes.append($0) }
                }
            }
        }
        let solved = fixes.filter { $0.fixType == .fix3D }
        // The epochs 0.1…0.9 s each report their own solution once (the grid starts one period after power-on);
        // later epochs say there is none.
        #expect(solved.count == 9)
        #expect(Set(solved.map { measuredUs(of: $0) }).count == 9)
        #expect(fixes.last?.fixType == GPSFixType.none)
        #expect(gps.epochsWithoutSolution > 10)
    }
}
