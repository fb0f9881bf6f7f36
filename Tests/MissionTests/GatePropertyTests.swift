import Crypto
import Mission
import PropertyBased
import Testing

/// Random event sequences — valid, forged, stale and replayed approvals, wave-offs, failures, designation changes
/// and time jumps — checked against `GateReferenceModel` after every event.
@Suite struct GatePropertyTests {
    struct Keys {
        let alice: OperatorSigningKey
        let bob: OperatorSigningKey
        let mallory: OperatorSigningKey
        let points: [DesignatedPoint]
    }

    static func keys() throws -> Keys {
        Keys(
            alice: try Fixture.alice(), bob: try Fixture.bob(), mallory: try Fixture.mallory(),
            points: [try Fixture.point(), try Fixture.point(1), try Fixture.point(-2_000)])
    }

    /// Turns one random word into an event. `history` holds every approval sent so far, for replays.
    static func event(
        from word: UInt64, model: GateReferenceModel, keys: Keys, history: inout [Approval]
    ) throws -> (GateEvent, advanceUs: UInt64) {
        let kind = word % 16
        let p = word >> 8
        let advanceUs = (p % 4_000) * 1_000  // up to 4 s between events
        let signer = p & 1 == 0 ? keys.alice : keys.bob
        let target = model.current ?? ApprovalRequest(
            nonce: ApprovalNonce(low: p, high: ~p), vehicleID: Fixture.vehicle, point: keys.points[0], issuedUs: 0,
            expiresUs: UInt64.max / 2, sequence: 0)
        func send(_ a: Approval) -> GateEvent {
            history.append(a)
            return .approvalReceived(a)
        }
        switch kind {
        case 0, 1:
            let altitudes = [150.0, 80, Fixture.floorM + 0.5, Fixture.floorM, 10, .nan]
            return (.tick(altitudeAGLM: altitudes[Int((p >> 4) % UInt64(altitudes.count))]), advanceUs)
        case 2:
            let point = keys.points[Int((p >> 4) % 3)]
            return (.requestTerminal(designation: point, loiteringOverDesignation: (p >> 6) % 8 != 0), advanceUs)
        case 3, 4:
            return (send(try signer.sign(target, decision: .approve)), advanceUs)
        case 5:
            var a = try signer.sign(target, decision: .approve)
            switch (p >> 4) % 7 {
            case 0: a.signature = .zero
            case 1: a.signature.storage[Int((p >> 8) % 64)] ^= UInt8(1 << ((p >> 14) % 8))
            case 2: a = try keys.mallory.sign(target, decision: .approve)
            case 3: var r = target; r.point = keys.points[1 + Int((p >> 8) % 2)]; a = try signer.sign(r, decision: .approve)
            case 4: var r = target; r.vehicleID = Fixture.otherVehicle; a = try signer.sign(r, decision: .approve)
            case 5: var r = target; r.expiresUs &+= 1; a = try signer.sign(r, decision: .approve)
            default: a.keyID = keys.mallory.keyID
            }
            return (send(a), advanceUs)
        case 6:
            guard !model.emitted.isEmpty else { return (.loiterEstablished, advanceUs) }
            let old = model.emitted[Int((p >> 4) % UInt64(model.emitted.count))]
            return (send(try signer.sign(old, decision: .approve)), advanceUs)
        case 7:
            guard !history.isEmpty else { return (.loiterLost, advanceUs) }
            return (send(history[Int((p >> 4) % UInt64(history.count))]), advanceUs)
        case 8:
            return (send(try signer.sign(target, decision: .waveOff)), advanceUs)
        case 9:
            var a = try signer.sign(target, decision: .waveOff)
            if (p >> 4) & 1 == 0 { a = try keys.mallory.sign(target, decision: .waveOff) } else { a.signature.storage[5] ^= 0x80 }
            return (send(a), advanceUs)
        case 10:
            return (.failure(GateFailure.allCases[Int((p >> 4) % 5)]), advanceUs)
        case 11:
            return (.failureCleared(GateFailure.allCases[Int((p >> 4) % 5)]), advanceUs)
        case 12:
            return (.designationChanged(keys.points[Int((p >> 4) % 3)]), advanceUs)
        case 13:
            let options: [GateEvent] = [
                .loiterLost, .loiterEstablished, .loiterEstablished, .terminalFinished, .leftByModeChange,
            ]
            return (options[Int((p >> 4) % 5)], advanceUs)
        case 14:
            return (.tick(altitudeAGLM: 150), Fixture.lifetimeUs + (p % 1_000))  // past any expiry
        default:
            return (.loiterEstablished, advanceUs)
        }
    }

    /// Runs one sequence, checking every step. Returns how often the gate entered / left the terminal phase, so the
    /// caller can see that the sequences exercise the interesting paths.
    @discardableResult
    static func run(_ words: [UInt64], seed: UInt64) throws -> (entered: Int, leftByWaveOff: Int) {
        let keys = try keys()
        var gate = try Fixture.gate(seed: seed)
        var model = GateReferenceModel(
            vehicle: Fixture.vehicle, floorM: Fixture.floorM,
            authorised: [keys.alice.privateKey.publicKey, keys.bob.privateKey.publicKey])
        var history: [Approval] = []
        var now: UInt64 = 1_000_000
        var entered = 0, leftByWaveOff = 0
        for word in words {
            let (event, advance) = try event(from: word, model: model, keys: keys, history: &history)
            now += advance
            let before = gate.state
            let recordsBefore = gate.log.totalRecorded
            // One event in eight carries a clock that jumped back by up to 40 s; the gate must not be fooled.
            let eventTimeUs = word >> 61 == 7 ? now - min(now, (word >> 20) % 40_000_000) : now
            var mustEnter = false, mustLeave = false
            let modelFailuresBefore = model.failures
            if case .approvalReceived(let a) = event {
                var m = model
                m.nowUs = max(m.nowUs, eventTimeUs)
                if let r = m.current, m.nowUs >= r.expiresUs { m.currentVoid = true }
                mustEnter = m.mustEnterTerminal(on: a)
                mustLeave = m.mustLeaveTerminal(on: a)
            }
            let decision = gate.handle(event, nowUs: eventTimeUs)
            model.apply(event, atUs: eventTimeUs, decision: decision)

            // No terminal without a valid approval for the current request — and a valid one is never refused.
            let entering = before.kind != .terminal && gate.state.kind == .terminal
            #expect(entering == mustEnter, "event \(event) decision \(decision)")
            if entering {
                entered += 1
                #expect(model.current.map { GateDecision.enterTerminal($0) } == decision)
                #expect(before.kind == .pending)
            }
            if case .enterTerminal = decision { #expect(entering) }
            // Requests are only issued from idle or pending, loitering over the designation, with no failure active.
            if case .emitRequest = decision {
                #expect(before.kind == .idle || before.kind == .pending)
                #expect(modelFailuresBefore.isEmpty)
                if case .requestTerminal(_, let loitering) = event { #expect(loitering) } else { Issue.record("\(event)") }
            }
            // The gate is in the terminal phase exactly when the model says so, for the same request.
            #expect(gate.state.kind == .terminal ? gate.state.request == model.terminalRequest : model.terminalRequest == nil)

            // A valid wave-off above the floor always leaves the terminal phase.
            if mustLeave {
                #expect(before.kind == .terminal)
                #expect(gate.state.kind != .terminal)
                #expect(decision == .leaveTerminal(.waveOff, then: .loiter))
                leftByWaveOff += 1
            }
            if case .failure = event, before.kind == .terminal, model.aboveFloor {
                #expect(gate.state.kind != .terminal)
            }

            // Every transition is recorded, and so is every event except a tick that changed nothing.
            let added = gate.log.totalRecorded - recordsBefore
            let isQuietTick = { if case .tick = event { decision == .none } else { false } }()
            #expect(added == (isQuietTick ? 0 : 1))
            if before != gate.state {
                #expect(added == 1)
                let r = gate.log.latest
                #expect(r?.stateBefore == before.kind && r?.stateAfter == gate.state.kind && r?.timeUs == model.nowUs)
            }
            if added == 1, case .approvalReceived(let a) = event { #expect(gate.log.latest?.keyID == a.keyID) }
        }
        return (entered, leftByWaveOff)
    }

    @Test func randomSequencesKeepTheGateInvariants() async {
        await propertyCheck(count: 150, input: Gen.uint64().array(of: 1...80), Gen.uint64()) { words, seed in
            #expect(throws: Never.self) { try Self.run(words, seed: seed) }
        }
    }

    /// The generator is not vacuous: over a fixed batch of sequences, valid approvals do get in and wave-offs do
    /// get the vehicle out.
    @Test func sequencesReachTerminalAndWaveOff() throws {
        var rng = SeededRandomNumberGeneratorForTests(seed: 42)
        var entered = 0, left = 0
        for i in 0..<100 {
            let words = (0..<60).map { _ in rng.next() }
            let (e, l) = try Self.run(words, seed: UInt64(i))
            entered += e
            left += l
        }
        #expect(entered > 25)
        #expect(left > 3)
    }
}

struct SeededRandomNumberGeneratorForTests: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
