// libFuzzer entry point for the terminal approval gate, structure-aware. Each input starts a fresh gate loitering
// over the designation with one request pending, and a valid approval of that request signed by an authorised
// operator. The input is a program of operations: mutate a field of the approval (vehicle id, nonce, point, expiry,
// decision, key id, signature), submit it as the gate sees it from the mission layer, or as a TERMINAL_APPROVAL
// payload whose bytes are further flipped and then decoded as the vehicle's link decodes it; let time pass;
// start again from the valid approval.
//
// Invariants:
//   * the gate never enters the terminal phase for an approval that differs from the signed one in any field;
//   * those refusals leave the operator's real approval usable: at the end, while the request has not expired, the
//     valid approval still enters the terminal phase (so the harness cannot pass by never reaching the gate).
import Crypto
import FuzzSupport
import MAVLink
import Mission

@_cdecl("fuzz_gate_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzGate)
}

enum Setup {
    static let vehicle = VehicleID(0x4B53_5452_0000_0017)
    static let lifetimeUs: UInt64 = 30_000_000
    static let startUs: UInt64 = 1_795_300_000_000_000
    static let loiterAltitudeM = 150.0
    /// Operations per input. Each submission costs an Ed25519 verification (about 65 µs here, 85% of the target's
    /// time); 16 steps reach every sequence the gate distinguishes (mutate, submit, expire, restore, resubmit) at
    /// three times the executions per second of 64.
    static let maximumSteps = 16
    static let point = try! DesignatedPoint(latitudeE7: 473_977_419, longitudeE7: 85_455_938, altitudeMm: 488_000)
    static let alice = key(seed: 1, name: "alice")
    static let bob = key(seed: 2, name: "bob")
    static let ring = try! OperatorKeyRing(keys: [alice.authorisedKey, bob.authorisedKey])
    static let configuration = try! TerminalGateConfiguration(
        vehicleID: vehicle, abortFloorAGLM: 30, requestLifetimeUs: lifetimeUs)
    /// The request every fresh gate issues (its nonce source is seeded) and alice's approval of it.
    static let request: ApprovalRequest = {
        var gate = newGate()
        return pendingRequest(&gate)
    }()
    static let approval = try! alice.sign(request, decision: .approve)

    static func key(seed: UInt8, name: String) -> OperatorSigningKey {
        let raw = (0..<32).map { UInt8(truncatingIfNeeded: Int(seed) &* 37 &+ $0 &* 11) }
        return OperatorSigningKey(name: name, privateKey: try! Curve25519.Signing.PrivateKey(rawRepresentation: raw))
    }

    static func newGate() -> TerminalGate<SeededNonceSource> {
        TerminalGate(configuration: configuration, operators: ring, entropy: SeededNonceSource(seed: 7))
    }

    static func pendingRequest(_ gate: inout TerminalGate<SeededNonceSource>) -> ApprovalRequest {
        _ = gate.handle(.tick(altitudeAGLM: loiterAltitudeM), nowUs: startUs)
        let decision = gate.handle(.requestTerminal(designation: point, loiteringOverDesignation: true), nowUs: startUs)
        guard case .emitRequest(let request) = decision else { violated("fixture: no request issued (\(decision))") }
        return request
    }
}

let fuzzGate: FuzzCallback = { data, size in
    var input = FuzzInput(data, size)
    var gate = Setup.newGate()
    guard Setup.pendingRequest(&gate) == Setup.request else { violated("fixture: the request is not deterministic") }
    let valid = Setup.approval
    var candidate = valid
    var nowUs = Setup.startUs
    var steps = 0
    while !input.isAtEnd, steps < Setup.maximumSteps {
        steps += 1
        switch input.byte() % 6 {
        case 0: mutate(&candidate, &input)
        case 1: submit(candidate, to: &gate, at: nowUs)
        case 2: submit(throughLink(candidate, &input), to: &gate, at: nowUs)
        case 3:
            nowUs += UInt64(input.integer(UInt16.self)) * 1000
            _ = gate.handle(.tick(altitudeAGLM: Setup.loiterAltitudeM), nowUs: nowUs)
        case 4: candidate = valid
        default:
            // Mutate then submit in one step, so short inputs reach the gate.
            mutate(&candidate, &input)
            submit(candidate, to: &gate, at: nowUs)
        }
    }
    if case .pending = gate.state, nowUs < Setup.request.expiresUs,
       nowUs - Setup.startUs < Setup.lifetimeUs
    {
        let decision = gate.handle(.approvalReceived(valid), nowUs: nowUs)
        guard case .enterTerminal = decision else {
            violated("after the mutated approvals the valid one was refused: \(decision)")
        }
    }
    return 0
}

func submit(_ approval: Approval?, to gate: inout TerminalGate<SeededNonceSource>, at nowUs: UInt64) {
    guard let approval else { return }
    let before = gate.state.kind
    let decision = gate.handle(.approvalReceived(approval), nowUs: nowUs)
    guard approval != Setup.approval else { return }
    if case .enterTerminal = decision { violated("terminal entered for a mutated approval: \(approval)") }
    if gate.state.kind == .terminal, before != .terminal {
        violated("gate went \(before) → terminal on a mutated approval: \(approval)")
    }
}

/// Changes one field of `approval` by an input-chosen amount (an xor, so a zero keeps it).
func mutate(_ approval: inout Approval, _ input: inout FuzzInput) {
    switch input.byte() % 9 {
    case 0: approval.vehicleID.rawValue ^= input.integer(UInt64.self)
    case 1: approval.nonce = ApprovalNonce(low: approval.nonce.low ^ input.integer(), high: approval.nonce.high)
    case 2: approval.nonce = ApprovalNonce(low: approval.nonce.low, high: approval.nonce.high ^ input.integer())
    case 3:
        if let p = try? DesignatedPoint(latitudeE7: approval.point.latitudeE7 ^ input.integer(),
                                        longitudeE7: approval.point.longitudeE7, altitudeMm: approval.point.altitudeMm)
        { approval.point = p }
    case 4:
        if let p = try? DesignatedPoint(latitudeE7: approval.point.latitudeE7,
                                        longitudeE7: approval.point.longitudeE7 ^ input.integer(),
                                        altitudeMm: approval.point.altitudeMm ^ input.integer())
        { approval.point = p }
    case 5: approval.expiresUs ^= input.integer(UInt64.self)
    case 6: approval.decision = approval.decision == .approve ? .waveOff : .approve
    case 7: approval.keyID = OperatorKeyID(rawValue: approval.keyID.rawValue ^ input.integer(UInt64.self))
    default:
        var storage = approval.signature.storage
        let index = Int(input.byte() % 64)
        storage[index] ^= input.byte()
        approval.signature = Ed25519Signature(storage: storage)
    }
}

/// `approval` as the vehicle receives it: encoded as TERMINAL_APPROVAL, payload bytes flipped at input-chosen
/// offsets (up to 8), decoded by the generated codec and mapped to the gate's `Approval` as the vehicle's link does
/// (`Approval(link:)` in FlightRuntime, restated here because that target is the whole flight stack). Nil when the
/// link would drop it (a point off the globe).
func throughLink(_ approval: Approval, _ input: inout FuzzInput) -> Approval? {
    var signature = MAVArray<64, UInt8>(repeating: 0)
    for index in 0..<64 { signature[index] = approval.signature.storage[index] }
    var keyID = MAVArray<8, UInt8>(repeating: 0)
    for index in 0..<8 { keyID[index] = UInt8(truncatingIfNeeded: approval.keyID.rawValue >> UInt64(8 * index)) }
    let message = TerminalApproval(
        targetSystem: 1, targetComponent: 1,
        nonce: LinkNonce(low: approval.nonce.low, high: approval.nonce.high).mavArray,
        vehicleId: approval.vehicleID.rawValue, lat: approval.point.latitudeE7, lon: approval.point.longitudeE7,
        alt: approval.point.altitudeMm, expiryUs: approval.expiresUs,
        decision: approval.decision == .approve ? .approve : .waveOff, operatorKeyId: keyID, signature: signature)
    let flips = Int(input.byte() % 9)
    let received: TerminalApproval = withUnsafeTemporaryAllocation(
        byteCount: TerminalApproval.maxPayloadLength, alignment: 8
    ) { region in
        region.initializeMemory(as: UInt8.self, repeating: 0)
        var writer = PayloadWriter(region)
        message.encode(into: &writer)
        for _ in 0..<flips {
            let offset = Int(input.byte()) % TerminalApproval.maxPayloadLength
            region[offset] ^= input.byte()
        }
        return TerminalApproval(payload: PayloadReader(UnsafeRawBufferPointer(region)))
    }
    let link = LinkApproval(message: received, senderSystemID: 255)
    guard let point = try? DesignatedPoint(latitudeE7: link.latitudeE7, longitudeE7: link.longitudeE7,
                                           altitudeMm: link.altitudeMm)
    else { return nil }
    var storage = InlineArray<64, UInt8>(repeating: 0)
    for index in 0..<64 { storage[index] = link.signature[index] }
    return Approval(
        vehicleID: VehicleID(link.vehicleID), nonce: ApprovalNonce(low: link.nonce.low, high: link.nonce.high),
        point: point, expiresUs: link.expiresUs, decision: link.decision == .approve ? .approve : .waveOff,
        keyID: OperatorKeyID(rawValue: link.operatorKeyID), signature: Ed25519Signature(storage: storage))
}
