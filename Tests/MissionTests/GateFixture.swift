import Crypto
import Mission
import Testing

/// Keys, designation and configuration shared by the gate tests. Operator keys come from fixed seeds so failures
/// reproduce; they are test keys, as SITL uses.
enum Fixture {
    static let vehicle = VehicleID(0x4B53_5452_0000_0017)
    static let otherVehicle = VehicleID(0x4B53_5452_0000_0018)
    static let floorM = 30.0
    static let lifetimeUs: UInt64 = 30_000_000
    static let loiterAltitudeM = 150.0

    static func signingKey(seed: UInt8, name: String) throws -> OperatorSigningKey {
        let raw = (0..<32).map { UInt8(truncatingIfNeeded: Int(seed) &* 37 &+ $0 &* 11) }
        return OperatorSigningKey(name: name, privateKey: try Curve25519.Signing.PrivateKey(rawRepresentation: raw))
    }

    static func alice() throws -> OperatorSigningKey { try signingKey(seed: 1, name: "alice") }
    static func bob() throws -> OperatorSigningKey { try signingKey(seed: 2, name: "bob") }
    /// Not in the key ring.
    static func mallory() throws -> OperatorSigningKey { try signingKey(seed: 3, name: "mallory") }

    static func point(_ dLatE7: Int32 = 0) throws -> DesignatedPoint {
        try DesignatedPoint(latitudeE7: 473_977_419 + dLatE7, longitudeE7: 85_455_938, altitudeMm: 488_000)
    }

    static func configuration() throws -> TerminalGateConfiguration {
        try TerminalGateConfiguration(
            vehicleID: vehicle, abortFloorAGLM: floorM, requestLifetimeUs: lifetimeUs, linkLossAction: .returnToLaunch,
            estimatorFailureAction: .loiter, gpsFailureAction: .loiter, geofenceBreachAction: .returnToLaunch,
            lowBatteryAction: .returnToLaunch)
    }

    static func keyRing() throws -> OperatorKeyRing {
        try OperatorKeyRing(keys: [alice().authorisedKey, bob().authorisedKey])
    }

    static func gate(seed: UInt64 = 7) throws -> TerminalGate<SeededNonceSource> {
        TerminalGate(configuration: try configuration(), operators: try keyRing(), entropy: SeededNonceSource(seed: seed))
    }
}

extension TerminalGate {
    /// Ticks at loiter altitude and asks for the terminal phase; returns the emitted request.
    mutating func loiterAndRequest(
        _ point: DesignatedPoint, atUs t: UInt64, altitudeM: Double = Fixture.loiterAltitudeM
    ) throws -> ApprovalRequest {
        _ = handle(.tick(altitudeAGLM: altitudeM), nowUs: t)
        let d = handle(.requestTerminal(designation: point, loiteringOverDesignation: true), nowUs: t)
        guard case .emitRequest(let request) = d else {
            Issue.record("expected a request, got \(d)")
            throw FixtureError.noRequest
        }
        return request
    }
}

enum FixtureError: Error { case noRequest }

/// A nonce source that always fails (no entropy).
struct NoEntropy: NonceSource {
    mutating func nextNonce() -> ApprovalNonce? { nil }
}

/// A nonce source that always returns the same nonce.
struct StuckEntropy: NonceSource {
    var nonce: ApprovalNonce
    mutating func nextNonce() -> ApprovalNonce? { nonce }
}
