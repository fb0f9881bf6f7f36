import Foundation
import Mission
import Testing
import SITL

/// The approval gate flown end to end in SITL (issue 4's scenarios): the scripted operator signs with test keys and
/// the vehicle's gate verifies every signature; each test prints its mode timeline and gate decisions.
private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

private func fly(_ scenario: String) throws -> ClosedLoopSummary {
    let summary = try ClosedLoopRun.run(scenarioPath: "\(root)/Scenarios/\(scenario)")
    print(summary.report)
    return summary
}

private extension ClosedLoopSummary {
    var modes: [FlightMode] { transitions.map(\.to) }
    func entered(_ mode: FlightMode) -> [ModeTransition] { transitions.filter { $0.to == mode } }
    var rejections: [GateRejection] { gateEvents.compactMap(\.rejection) }
}

@Suite(.serialized) struct GateScenarioTests {
    /// 1. Demo: launch, four legs, 3 min over the designation, request, approval, terminal approach.
    @Test func demoRequestApprovalTerminal() throws {
        let s = try fly("demo.toml")
        #expect(!s.crashed)
        #expect(s.modes.prefix(5) == [.standby, .launch, .mission, .approvalPending, .terminal])
        let request = try #require(s.entered(.approvalPending).first)
        let terminal = try #require(s.entered(.terminal).first)
        #expect(abs(Double(request.timeUs) * 1e-6 - 420) < 0.2)
        #expect(abs(Double(terminal.timeUs - request.timeUs) * 1e-6 - 5) < 0.2)
        #expect(terminal.reason == .approved(OperatorSigningKey.testKey(named: "alice").keyID))
        // The gate ran on the UTC the emulated receiver reported (clock zero 2026-11-21 12:00:00 UTC), through
        // the real NMEA/UBX driver: the request was stamped with it, the record keeps the vehicle time too.
        let emitted = try #require(s.gateEvents.first { $0.outcome == .requestEmitted })
        #expect(emitted.vehicleTimeUs == request.timeUs)
        // Within the receiver-latency setting's error: the fix is stamped arrival time minus the configured latency.
        #expect(abs(Double(emitted.timeUs) - (1_795_262_400e6 + Double(request.timeUs))) <= 150_000)
        // The approach reaches the designated point: within 5 m horizontally, below 30 m above it.
        let closest = try #require(s.terminalClosestApproachM)
        #expect(closest < 5)
        #expect((s.terminalHeightAtClosestM ?? .infinity) < 30)
        #expect(s.metrics.crossTrackM.rms <= 3 && s.metrics.loiterRadiusM.rms <= 5)
    }

    /// 2. Wave-off mid-terminal above the floor, climb back, loiter, second request and approval.
    @Test func waveOffClimbBackAndSecondApproval() throws {
        let s = try fly("gate/wave-off.toml")
        #expect(s.modes == [.standby, .launch, .mission, .approvalPending, .terminal, .waveOff, .loiter,
                            .approvalPending, .terminal])
        let waveOff = try #require(s.entered(.waveOff).first)
        #expect(waveOff.reason == .waveOff(OperatorSigningKey.testKey(named: "bob").keyID))
        // Two distinct requests, each approved once.
        #expect(Set(s.gateEvents.filter { $0.outcome == .terminalEntered }.map(\.requestSequence)) == [1, 2])
    }

    /// 3. Forged, wrong-designation, stale, late and replayed approvals: never terminal.
    @Test func badApprovalsNeverReachTerminal() throws {
        let s = try fly("gate/bad-approvals.toml")
        #expect(!s.modes.contains(.terminal))
        #expect(s.gateEvents.allSatisfy { $0.outcome != .terminalEntered })
        #expect(s.rejections.contains(.unknownKey))
        #expect(s.rejections.contains(.otherDesignation))
        #expect(s.rejections.contains(.otherNonce))
        #expect(s.rejections.filter { $0 == .expired }.count == 2)
        #expect(s.refusals.count == 5)
    }

    /// 4. Link loss while pending: no terminal, RTL after the 10 s timeout; the late approval does not act.
    @Test func linkLossWhilePendingLeadsToRTL() throws {
        let s = try fly("gate/link-loss.toml")
        #expect(!s.modes.contains(.terminal))
        let rtl = try #require(s.entered(.returnToLaunch).first)
        #expect(rtl.reason == .failsafe(.linkLoss))
        #expect(abs(Double(rtl.timeUs) * 1e-6 - 162) < 0.3)
        #expect(s.rejections.contains(.notPending))
        #expect(s.finalMode == .returnToLaunch)
    }

    /// 5. GPS loss in the loiter: terminal refused, constant-bank failsafe orbit, loiter again on recovery.
    @Test func gpsLossInLoiter() throws {
        let s = try fly("gate/gps-loss.toml")
        #expect(!s.modes.contains(.terminal) && !s.modes.contains(.approvalPending))
        #expect(s.rejections.contains(.failureActive))
        #expect(s.modes.suffix(2) == [.failsafe, .loiter])
        #expect(s.transitions.last?.reason == .navigationRecovered)
        #expect(!s.crashed)
    }

    /// 6. Geofence breach: return to launch; no terminal request possible.
    @Test func geofenceBreachReturnsToLaunch() throws {
        let s = try fly("gate/geofence.toml")
        let rtl = try #require(s.entered(.returnToLaunch).first)
        #expect(rtl.reason == .failsafe(.geofence))
        #expect(!s.modes.contains(.terminal) && !s.modes.contains(.approvalPending))
        #expect(s.rejections.contains(.notLoiteringOverDesignation))
    }
}
