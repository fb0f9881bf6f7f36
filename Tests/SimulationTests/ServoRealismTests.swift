import FlightMath
import Testing
@testable import Simulation

/// The servo effects a hobby servo and its linkage add to a clean first-order lag: frame latency, dead band and
/// backlash. Each test fails on the model without its effect.
@Suite struct ServoRealismTests {
    static let dtS = 0.0025  // the plant's 400 Hz step

    /// One aileron servo, 25° travel, the shipped lag and rate; the effects not under test switched off.
    static func servo(frameRateHz: Double = 50, deadbandUs: Double = 0, backlashDeg: Double = 0,
                      phase: Double = 0) -> ActuatorModel {
        let s = SurfaceActuatorSection(function: .aileron, maxDeflectionDeg: 25, rateLimitDps: 400, timeConstantS: 0.03,
                                       frameRateHz: frameRateHz, deadbandUs: deadbandUs, backlashDeg: backlashDeg)
        return ActuatorModel(section: ActuatorsSection(surfaces: [s]), framePhases: SurfaceChannels(phase))
    }

    /// The servo reads its pulse at 10 ms, 30 ms, 50 ms … (50 Hz, phase ½): a step commanded at 12.5 ms moves
    /// nothing until the boundary at 30 ms, then the surface starts at once.
    @Test func stepReachesTheSurfaceNoEarlierThanTheNextFrameBoundary() {
        var a = Self.servo(phase: 0.5)
        var firstMoveStep: Int?
        for k in 0..<40 {
            a.update(commands: SurfaceChannels(k >= 5 ? 0.5 : 0), dtS: Self.dtS)
            if firstMoveStep == nil, a.deflectionsRad[0] != 0 { firstMoveStep = k }
        }
        // Step k runs from k·2.5 ms: the boundary at 30 ms starts step 12.
        #expect(firstMoveStep == 12)
    }

    /// Whatever the phase, a step reaches the surface within one frame and never before a frame boundary.
    @Test(arguments: [0.0, 0.13, 0.37, 0.5, 0.81, 0.999])
    func latencyIsAtMostOneFrame(phase: Double) {
        var a = Self.servo(phase: phase)
        let stepAt = 9  // 22.5 ms
        var firstMoveStep: Int?
        for k in 0..<40 {
            a.update(commands: SurfaceChannels(k >= stepAt ? 0.5 : 0), dtS: Self.dtS)
            if firstMoveStep == nil, a.deflectionsRad[0] != 0 { firstMoveStep = k }
        }
        guard let moved = firstMoveStep else { Issue.record("phase \(phase): never moved"); return }
        let firstBoundaryS = phase * 0.02
        let nextBoundaryS = firstBoundaryS
            + 0.02 * max(0, ((Double(stepAt) * Self.dtS - firstBoundaryS) / 0.02).rounded(.up))
        #expect(Double(moved) * Self.dtS >= nextBoundaryS - 1e-9, "phase \(phase): step \(moved)")
        #expect(moved - stepAt <= 8, "phase \(phase): step \(moved)")
    }

    /// The plant draws each servo's phase from its own stream: fixed per seed, different across seeds and channels.
    @Test func framePhasesComeFromTheSeed() throws {
        let section = try Fixture.airframe().actuators
        func firstMoves(seed: UInt64) -> [Int] {
            var a = ActuatorModel(section: section, seed: seed)
            var first = [Int](repeating: -1, count: 3)
            for k in 0..<20 {
                a.update(commands: SurfaceChannels(0.5, 0.5, 0.5), dtS: Self.dtS)
                for i in 0..<3 where first[i] < 0 && a.deflectionsRad[i] != 0 { first[i] = k }
            }
            return first
        }
        #expect(firstMoves(seed: 7) == firstMoves(seed: 7))
        let spread = Set((1...8).flatMap { firstMoves(seed: $0) })
        #expect(spread.count >= 4, "\(spread)")
        // The first boundary falls in (0, 20 ms]: read at the start of one of steps 0…8.
        #expect(spread.allSatisfy { (0...8).contains($0) })
    }

    /// 2 µs dead band: a command 1.5 µs away from where the servo stands does not move it; 3 µs does.
    @Test func commandChangeInsideTheDeadbandDoesNotMoveTheSurface() {
        var a = Self.servo(deadbandUs: 2)
        a.reset(commands: SurfaceChannels(0.2))
        let start = a.deflectionsRad[0]
        for _ in 0..<200 { a.update(commands: SurfaceChannels(0.2 + 1.5 / 500), dtS: Self.dtS) }
        #expect(a.deflectionsRad[0] == start)
        for _ in 0..<200 { a.update(commands: SurfaceChannels(0.2 + 3.0 / 500), dtS: Self.dtS) }
        #expect(a.deflectionsRad[0] > start)
    }

    /// 0.5° of play: approached from below the surface rests ¼° short of the horn, from above ¼° past it, and on
    /// the reversal it stays put while the horn crosses the gap.
    @Test func reversalShowsTheBacklashGap() {
        let gapRad = Angle.radians(fromDegrees: 0.5), maxRad = Angle.radians(fromDegrees: 25)
        var a = Self.servo(backlashDeg: 0.5)
        for _ in 0..<200 { a.update(commands: SurfaceChannels(0.2), dtS: Self.dtS) }
        let fromBelow = a.deflectionsRad[0]
        #expect(abs(a.hornRad[0] - 0.2 * maxRad) < 1e-6)
        #expect(abs(fromBelow - (0.2 * maxRad - gapRad / 2)) < 1e-6)
        var stillWhileHornMoves = 0
        for _ in 0..<200 {
            a.update(commands: SurfaceChannels(0.1), dtS: Self.dtS)
            if a.deflectionsRad[0] == fromBelow && a.hornRad[0] < 0.2 * maxRad - 1e-6 { stillWhileHornMoves += 1 }
        }
        #expect(stillWhileHornMoves >= 1)
        #expect(abs(a.deflectionsRad[0] - (0.1 * maxRad + gapRad / 2)) < 1e-6)
        // Back up to 0.2 from above: the surface now rests on the other side of the gap.
        for _ in 0..<200 { a.update(commands: SurfaceChannels(0.2), dtS: Self.dtS) }
        #expect(abs(a.deflectionsRad[0] - fromBelow) < 1e-6)
    }

    /// A trimmed start puts horn and surface on the command with the play centred, as before.
    @Test func resetPlacesSurfaceOnTheCommand() {
        var a = Self.servo(deadbandUs: 2, backlashDeg: 0.5, phase: 0.3)
        a.reset(commands: SurfaceChannels(-0.4))
        #expect(a.deflectionsRad[0] == -0.4 * Angle.radians(fromDegrees: 25))
        #expect(a.hornRad[0] == a.deflectionsRad[0])
    }
}
