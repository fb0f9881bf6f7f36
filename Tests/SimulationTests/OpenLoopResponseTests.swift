import FlightMath
import Testing
@testable import Simulation

/// `kestrel airframe response`: the open-loop experiments the JSBSim cross-check compares against.
@Suite struct OpenLoopResponseTests {
    /// The start is a trim the plant holds: on fixed controls, 10 s later airspeed, pitch rate and height are still
    /// where they started (the battery's sag is trimmed out).
    @Test(arguments: ["kestrel-2m", "kestrel-wing-1p4"]) func noInputHoldsTheTrim(name: String) throws {
        let samples = try OpenLoopResponse.run(try Fixture.airframe(name), airspeedMps: 18, heightM: 300,
                                               input: .none, amplitude: 0, durationS: 10)
        let last = try #require(samples.last)
        #expect(samples.count == 501)
        #expect(abs(last.airspeedMps - 18) < 0.01)
        #expect(abs(last.heightM - 300) < 0.2)
        #expect(abs(last.bodyRateFRDRadps.y) < 1e-3)
    }

    /// Elevator trailing edge down pitches the nose down first, then the doublet's second half back up; the short
    /// period has died out 2 s after it. Positive aileron rolls right (Clδa > 0); positive rudder yaws left
    /// (Cnδr < 0, the standard sign: trailing edge left).
    @Test func doubletsMoveTheRightWayAndDieOut() throws {
        let airframe = try Fixture.airframe("kestrel-2m")
        func run(_ input: OpenLoopInput) throws -> [OpenLoopSample] {
            try OpenLoopResponse.run(airframe, airspeedMps: 18, heightM: 300, input: input,
                                     amplitude: Angle.radians(fromDegrees: 2), durationS: 4)
        }
        let elevator = try run(.elevatorDoublet)
        let q = elevator.map(\.bodyRateFRDRadps.y)
        let firstBig = try #require(q.firstIndex { abs($0) > 0.02 })
        #expect(q[firstBig] < 0)
        #expect(q.max()! > 0.05)
        #expect(elevator.filter { $0.timeS > 3.6 }.allSatisfy { abs($0.bodyRateFRDRadps.y) < 0.02 })
        let aileron = try run(.aileronDoublet)
        #expect(aileron.first { abs($0.bodyRateFRDRadps.x) > 0.02 }!.bodyRateFRDRadps.x > 0)
        let rudder = try run(.rudderDoublet)
        #expect(rudder.first { abs($0.bodyRateFRDRadps.z) > 0.01 }!.bodyRateFRDRadps.z < 0)
    }

    @Test func badArgumentsAreNamed() throws {
        let airframe = try Fixture.airframe("kestrel-2m")
        #expect(throws: OpenLoopResponseError("airspeed must be 5…80 m/s, got 3.0")) {
            _ = try OpenLoopResponse.run(airframe, airspeedMps: 3, heightM: 100, input: .none, amplitude: 0,
                                         durationS: 1)
        }
        #expect(throws: OpenLoopResponseError("duration must be 0…600 s, got nan")) {
            _ = try OpenLoopResponse.run(airframe, airspeedMps: 18, heightM: 100, input: .none, amplitude: 0,
                                         durationS: .nan)
        }
        #expect(throws: OpenLoopResponseError.self) {
            _ = try OpenLoopResponse.run(airframe, airspeedMps: 18, heightM: 100, input: .elevatorDoublet,
                                         amplitude: 2, durationS: 1)
        }
    }
}
