import FlightMath
import Mission
import Testing

/// The gate runs on UTC (from GPS), mode transitions on the vehicle's monotonic clock: a request carries UTC
/// times the operator can check, and no request can be issued before the vehicle knows UTC.
@Suite struct GateTimeBaseTests {
    typealias T = FlightModeMachineTests
    /// 2026-11-21T12:00:00Z: far from the vehicle clock, so mixing the two bases up shows.
    static let utcAtVehicleZeroUs: UInt64 = 1_795_262_400_000_000

    static func inputs(_ ned: Vector3, now: UInt64, utc: Bool) -> ModeInputs {
        var i = T.healthy(ned, now: now, captured: true)
        i.utcTimeUs = utc ? utcAtVehicleZeroUs + now : nil
        return i
    }

    @Test func noRequestWithoutUTCAndTheRefusalIsRecorded() throws {
        let suite = T()
        var m = try suite.machine()
        let t = suite.inLoiter(&m) + 1_000_000
        let here = T.orbit.centerNEDM + Vector3(120, 0, 0)
        let refusal = m.handle(.requestTerminal, inputs: Self.inputs(here, now: t, utc: false), nowUs: t)
        #expect(refusal == .terminalRejected(.noTimeBase))
        #expect(refusal?.description == "terminal request refused: \(GateRejection.noTimeBase)")
        #expect(m.mode == .mission && m.pendingRequest == nil)
        let last = try #require(m.gate.log.record(number: m.gate.log.totalRecorded - 1))
        #expect(last.event == .requestTerminal && last.rejection == .noTimeBase && last.vehicleTimeUs == t)
    }

    @Test func requestTimesAreUTCAndExpiryFollowsUTC() throws {
        let suite = T()
        var m = try suite.machine()  // request lifetime 30 s
        var t = suite.inLoiter(&m) + 1_000_000
        let here = T.orbit.centerNEDM + Vector3(120, 0, 0)
        #expect(m.handle(.requestTerminal, inputs: Self.inputs(here, now: t, utc: true), nowUs: t) == nil)
        let request = try #require(m.pendingRequest)
        #expect(request.issuedUs == Self.utcAtVehicleZeroUs + t)
        #expect(request.expiresUs == Self.utcAtVehicleZeroUs + t + 30_000_000)
        let record = try #require(m.gate.log.record(number: m.gate.log.totalRecorded - 1))
        #expect(record.timeUs == request.issuedUs && record.vehicleTimeUs == t)
        // The mode transition is on the vehicle clock.
        #expect(m.transitions.last?.timeUs == t && m.transitions.last?.to == .approvalPending)

        // 29 s later by both clocks: still pending, and an approval is accepted.
        t += 29_000_000
        m.update(inputs: Self.inputs(here, now: t, utc: true), nowUs: t)
        #expect(m.mode == .approvalPending)
        // UTC steps 2 s forward (a GPS resync), the vehicle clock does not: the request expires by UTC.
        var late = Self.inputs(here, now: t, utc: true)
        late.utcTimeUs = Self.utcAtVehicleZeroUs + t + 2_000_000
        m.update(inputs: late, nowUs: t)
        #expect(m.mode == .loiter && m.pendingRequest == nil)
        let approval = try Fixture.alice().sign(request, decision: .approve)
        // UTC stepping back again cannot revive it: the gate's clock never runs backwards.
        let refusal = m.handle(.approval(approval), inputs: Self.inputs(here, now: t, utc: true), nowUs: t)
        #expect(refusal == .approvalRejected(.expired))
        #expect(m.mode == .loiter)
    }

    /// Issue 16 finding 1: UTC that steps back (a GPS resync, or a spoofed jump forward and back) holds the gate's
    /// UTC clock still; the request must still die on the vehicle's monotonic clock.
    @Test func utcSteppedBackCannotKeepARequestAliveOnTheVehicleClock() throws {
        let suite = T()
        var m = try suite.machine()  // request lifetime 30 s
        var t = suite.inLoiter(&m) + 1_000_000
        let here = T.orbit.centerNEDM + Vector3(120, 0, 0)
        #expect(m.handle(.requestTerminal, inputs: Self.inputs(here, now: t, utc: true), nowUs: t) == nil)
        let request = try #require(m.pendingRequest)
        // UTC steps back an hour and then runs on; the vehicle clock runs on past the lifetime.
        func steppedBack(_ now: UInt64) -> ModeInputs {
            var i = Self.inputs(here, now: now, utc: true)
            i.utcTimeUs = Self.utcAtVehicleZeroUs + now - 3_600_000_000
            return i
        }
        t += 31_000_000
        #expect(m.gate.state.kind == .pending)
        let approval = try Fixture.alice().sign(request, decision: .approve)
        #expect(m.handle(.approval(approval), inputs: steppedBack(t), nowUs: t) == .approvalRejected(.expired))
        #expect(m.mode != .terminal && m.gate.state.kind != .terminal)
    }

    @Test func utcSteppedBackRequestIsCancelledOnTickByTheVehicleClock() throws {
        let suite = T()
        var m = try suite.machine()
        var t = suite.inLoiter(&m) + 1_000_000
        let here = T.orbit.centerNEDM + Vector3(120, 0, 0)
        #expect(m.handle(.requestTerminal, inputs: Self.inputs(here, now: t, utc: true), nowUs: t) == nil)
        let request = try #require(m.pendingRequest)
        let steppedBackUTC = Self.utcAtVehicleZeroUs + t - 3_600_000_000
        func back(_ now: UInt64) -> ModeInputs {
            var i = Self.inputs(here, now: now, utc: true)
            i.utcTimeUs = steppedBackUTC  // stepped back an hour, and frozen there
            return i
        }
        t += 29_000_000
        m.update(inputs: back(t), nowUs: t)
        #expect(m.mode == .approvalPending)  // 29 s: alive by both clocks
        t += 2_000_000
        m.update(inputs: back(t), nowUs: t)
        #expect(m.mode == .loiter && m.pendingRequest == nil && m.gate.state == .idle)
        let record = try #require(m.gate.log.latest)
        #expect(record.outcome == .requestCancelled && record.exitReason == .requestExpired)
        #expect(m.handle(.approval(try Fixture.alice().sign(request, decision: .approve)), inputs: back(t), nowUs: t)
            == .approvalRejected(.expired))
    }

    /// The gate alone: UTC frozen (or lost) after the request, vehicle clock past the lifetime.
    @Test(arguments: [true, false])
    func gateExpiresOnTheVehicleClockWhenUTCStandsStill(utcLost: Bool) throws {
        var gate = try Fixture.gate()
        let utc = Self.utcAtVehicleZeroUs, vehicle: UInt64 = 5_000_000
        _ = gate.handle(.tick(altitudeAGLM: 150), gateTimeUs: utc, vehicleTimeUs: vehicle)
        let d = gate.handle(.requestTerminal(designation: try Fixture.point(), loiteringOverDesignation: true),
                            gateTimeUs: utc, vehicleTimeUs: vehicle)
        guard case .emitRequest(let request) = d else { Issue.record("no request: \(d)"); return }
        let later = vehicle + Fixture.lifetimeUs
        let stale = utcLost ? nil : utc - 1_000_000
        #expect(gate.handle(.tick(altitudeAGLM: 150), gateTimeUs: stale, vehicleTimeUs: later - 1) == .none)
        #expect(gate.state.kind == .pending)
        #expect(gate.handle(.tick(altitudeAGLM: 150), gateTimeUs: stale, vehicleTimeUs: later)
            == .cancelRequest(.requestExpired, then: nil))
        #expect(gate.handle(.approvalReceived(try Fixture.alice().sign(request, decision: .approve)),
                            gateTimeUs: stale, vehicleTimeUs: later) == .reject(.expired))
    }
}
