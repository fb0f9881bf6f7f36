import Foundation
import Mission
import Testing

/// Ties the SPIN model (Tools/gate-model/gate.pml) to the Swift gate: drives the real TerminalGate through every
/// (abstract state, abstract event) pair the model uses and compares the observed transitions with the committed
/// table Tools/gate-model/gate-table.txt. Tests/Interop/test_gate_model.py replays the same table in the model
/// (Tools/gate-model/replay). A change to the gate's transitions fails here until the table is regenerated, and the
/// regenerated table fails there until the model does the same.
@Suite struct GateModelTableTests {
    let t0: UInt64 = 5_000_000_000

    enum Start: String, CaseIterable {
        case idle, idleFailureActive, pending, pendingFailureActive, terminalAbove, terminalBelow, wavingOff
    }
    enum Event: String, CaseIterable {
        case requestLoitering, requestNotLoitering, approveValid, approveExpired, waveOff, tickExpired,
            failureLoiterAction, failureRTLAction, designationChanged, loiterLost, loiterEstablished,
            terminalFinished, leftByModeChange
    }

    func reach(_ start: Start) throws -> (TerminalGate<SeededNonceSource>, ApprovalRequest?) {
        var gate = try Fixture.gate()
        if start == .idle { return (gate, nil) }
        if start == .idleFailureActive {
            _ = gate.handle(.tick(altitudeAGLM: Fixture.loiterAltitudeM), nowUs: t0)
            _ = gate.handle(.failure(.linkLoss), nowUs: t0)
            return (gate, nil)
        }
        let request = try gate.loiterAndRequest(try Fixture.point(), atUs: t0)
        if start == .pending { return (gate, request) }
        if start == .pendingFailureActive {
            _ = gate.handle(.failure(.linkLoss), nowUs: t0 + 1)  // drops the request: pending needs no failure
            return (gate, request)
        }
        _ = gate.handle(.approvalReceived(try Fixture.alice().sign(request, decision: .approve)), nowUs: t0 + 1)
        if start == .terminalBelow { _ = gate.handle(.tick(altitudeAGLM: 10), nowUs: t0 + 2) }
        if start == .wavingOff {
            _ = gate.handle(.approvalReceived(try Fixture.alice().sign(request, decision: .waveOff)), nowUs: t0 + 2)
        }
        return (gate, request)
    }

    func apply(_ event: Event, to gate: inout TerminalGate<SeededNonceSource>, request: ApprovalRequest?) throws {
        let t = t0 + 10
        let late = t0 + Fixture.lifetimeUs + 10
        switch event {
        case .requestLoitering:
            _ = gate.handle(.requestTerminal(designation: try Fixture.point(), loiteringOverDesignation: true), nowUs: t)
        case .requestNotLoitering:
            _ = gate.handle(.requestTerminal(designation: try Fixture.point(), loiteringOverDesignation: false), nowUs: t)
        case .approveValid, .approveExpired:
            guard let request else { return }
            let a = try Fixture.bob().sign(request, decision: .approve)
            _ = gate.handle(.approvalReceived(a), nowUs: event == .approveValid ? t : late)
        case .waveOff:
            guard let request else { return }
            _ = gate.handle(.approvalReceived(try Fixture.bob().sign(request, decision: .waveOff)), nowUs: t)
        case .tickExpired:
            _ = gate.handle(.tick(altitudeAGLM: gate.isAboveAbortFloor ? 150 : 10), nowUs: late)
        case .failureLoiterAction: _ = gate.handle(.failure(.gps), nowUs: t)
        case .failureRTLAction: _ = gate.handle(.failure(.linkLoss), nowUs: t)
        case .designationChanged: _ = gate.handle(.designationChanged(try Fixture.point(1000)), nowUs: t)
        case .loiterLost: _ = gate.handle(.loiterLost, nowUs: t)
        case .loiterEstablished: _ = gate.handle(.loiterEstablished, nowUs: t)
        case .terminalFinished: _ = gate.handle(.terminalFinished, nowUs: t)
        case .leftByModeChange: _ = gate.handle(.leftByModeChange, nowUs: t)
        }
    }

    /// The model's name for a gate state (G_IDLE ... in gate_core.pml).
    static func token(_ state: GateState) -> String {
        switch state {
        case .idle: "idle"
        case .pending: "pending"
        case .terminal: "terminal"
        case .wavingOff: "wavingOff"
        }
    }

    func observedTable() throws -> String {
        var lines: [String] = []
        for start in Start.allCases {
            for event in Event.allCases {
                var (gate, request) = try reach(start)
                let before = Self.token(gate.state)
                try apply(event, to: &gate, request: request)
                lines.append("\(start.rawValue) \(before) \(event.rawValue) -> \(Self.token(gate.state))")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func gateTransitionsMatchTheModelTable() throws {
        let table = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Tools/gate-model/gate-table.txt")
        let observed = try observedTable()
        if ProcessInfo.processInfo.environment["KESTREL_WRITE_GATE_TABLE"] == "1" {
            try observed.write(to: table, atomically: true, encoding: .utf8)
        }
        let committed = try String(contentsOf: table, encoding: .utf8)
        // Row by row, so that a failure names the transitions that changed.
        let observedRows = observed.split(separator: "\n"), committedRows = committed.split(separator: "\n")
        for (row, (o, c)) in zip(observedRows, committedRows).enumerated() where o != c {
            Issue.record("row \(row + 1): the gate now does '\(o)', the table says '\(c)'")
        }
        #expect(observedRows.count == committedRows.count,
                Comment(rawValue: "regenerate with KESTREL_WRITE_GATE_TABLE=1 swift test --filter GateModelTableTests, "
                    + "then make Tools/gate-model/gate_core.pml do the same (Tools/gate-model/replay checks it)"))
    }
}
