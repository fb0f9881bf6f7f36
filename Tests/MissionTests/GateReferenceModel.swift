import Crypto
import Foundation
import Mission

/// An independent model of what the gate must do, used by the property tests. It verifies signatures itself (its
/// own message encoder, swift-crypto directly, its own key-id table) and keeps its own notion of the current request,
/// the terminal phase, failures, altitude and time. It learns only one thing from the gate: the requests the gate
/// emitted (issuing requests is not safety-relevant; entering the terminal phase is).
struct GateReferenceModel {
    let vehicle: VehicleID
    let floorM: Double
    /// Authorised keys by the first 8 bytes of SHA-256 of the raw public key.
    let keys: [[UInt8]: Curve25519.Signing.PublicKey]

    var emitted: [ApprovalRequest] = []
    /// The current request stops being approvable (failure, wave-off, designation change, loiter lost, expiry).
    var currentVoid = false
    var usedNonces: Set<[UInt8]> = []
    var failures: Set<GateFailure> = []
    var terminalRequest: ApprovalRequest?
    var altitudeM = Double.nan
    var nowUs: UInt64 = 0

    init(vehicle: VehicleID, floorM: Double, authorised: [Curve25519.Signing.PublicKey]) {
        self.vehicle = vehicle
        self.floorM = floorM
        var k: [[UInt8]: Curve25519.Signing.PublicKey] = [:]
        for key in authorised { k[Array(SHA256.hash(data: key.rawRepresentation).prefix(8))] = key }
        keys = k
    }

    var current: ApprovalRequest? { emitted.last }
    var aboveFloor: Bool { altitudeM.isNaN || altitudeM > floorM }

    /// Message bytes written out field by field, independently of `SignedApprovalMessage`.
    static func message(_ a: Approval) -> [UInt8] {
        var m = Array("KESTREL-TERMINAL-APPROVAL-V1".utf8)
        func le<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { m += $0 } }
        le(a.vehicleID.rawValue)
        m += a.nonce.bytes
        le(a.point.latitudeE7)
        le(a.point.longitudeE7)
        le(a.point.altitudeMm)
        le(a.expiresUs)
        m.append(a.decision.rawValue)
        return m
    }

    func authentic(_ a: Approval) -> Bool {
        guard let key = keys[a.keyID.bytes] else { return false }
        return key.isValidSignature(Data(a.signature.bytes), for: Data(Self.message(a))) && a.vehicleID == vehicle
    }

    /// Whether `a` must move the gate into the terminal phase now.
    func mustEnterTerminal(on a: Approval) -> Bool {
        guard a.decision == .approve, authentic(a), let r = current, terminalRequest == nil, !currentVoid,
            failures.isEmpty, !usedNonces.contains(r.nonce.bytes)
        else { return false }
        return a.nonce == r.nonce && a.point == r.point && a.expiresUs == r.expiresUs && nowUs < r.expiresUs
    }

    /// Whether `a` is a wave-off that must end the terminal phase now (above the floor).
    func mustLeaveTerminal(on a: Approval) -> Bool {
        guard let t = terminalRequest, a.decision == .waveOff, authentic(a) else { return false }
        return a.nonce == t.nonce && aboveFloor
    }

    /// Advances the model over one event, given the gate's decision (used only to learn emitted requests).
    mutating func apply(_ event: GateEvent, atUs t: UInt64, decision: GateDecision) {
        nowUs = max(nowUs, t)
        if let r = current, nowUs >= r.expiresUs { currentVoid = true }
        switch event {
        case .requestTerminal:
            if case .emitRequest(let r) = decision {
                emitted.append(r)
                currentVoid = false
            }
        case .approvalReceived(let a):
            if mustEnterTerminal(on: a), let r = current {
                terminalRequest = r
                usedNonces.insert(r.nonce.bytes)
                currentVoid = true
            } else if a.decision == .waveOff, authentic(a), a.nonce == current?.nonce {
                if mustLeaveTerminal(on: a) { terminalRequest = nil }
                currentVoid = true
            }
        case .tick(let altitude):
            altitudeM = altitude.isFinite ? altitude : .nan
        case .failure(let f):
            failures.insert(f)
            currentVoid = true
            if aboveFloor { terminalRequest = nil }
        case .failureCleared(let f):
            failures.remove(f)
        case .designationChanged(let p):
            if let r = current, r.point != p {
                currentVoid = true
                if terminalRequest != nil, aboveFloor { terminalRequest = nil }
            }
        case .loiterLost:
            if terminalRequest == nil { currentVoid = true }
        case .loiterEstablished:
            break
        case .terminalFinished:
            terminalRequest = nil
        case .leftByModeChange:
            // The vehicle flies another mode: nothing pending or in progress survives it.
            currentVoid = true
            terminalRequest = nil
        }
    }
}
