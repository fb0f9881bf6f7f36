import Crypto
import FlightMath
import Foundation
import Mission
import Testing

/// Expected values here come from RFC 8032 and from Python (`struct`, `hashlib`, `cryptography`), not from the code
/// under test.
@Suite struct ApprovalEncodingTests {
    static func hex(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        var i = s.startIndex
        while i < s.endIndex {
            let j = s.index(i, offsetBy: 2)
            out.append(UInt8(s[i..<j], radix: 16) ?? 0)
            i = j
        }
        return out
    }

    /// RFC 8032 §7.1, test 1.
    static let rfcSeed = hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")
    static let rfcPublic = hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a")

    static func sampleApproval(keyID: OperatorKeyID) throws -> Approval {
        Approval(
            vehicleID: VehicleID(0x0102_0304_0506_0708),
            nonce: try #require(ApprovalNonce(bytes: Array(0x10...0x1F))),
            point: try DesignatedPoint(latitudeE7: -473_977_419, longitudeE7: 85_455_938, altitudeMm: -12_345),
            expiresUs: 0x1122_3344_5566_7788, decision: .waveOff, keyID: keyID, signature: .zero)
    }

    @Test func signedBytesMatchTheDocumentedLayout() throws {
        let a = try Self.sampleApproval(keyID: .none)
        // Python: b"KESTREL-TERMINAL-APPROVAL-V1" + struct.pack('<Q', vid) + nonce + struct.pack('<iiiQB', …)
        let expected = Self.hex(
            "4b45535452454c2d5445524d494e414c2d415050524f56414c2d56310807060504030201101112131415161718191a1b1c1d1e1f"
                + "b5adbfe342f41705c7cfffff887766554433221102")
        #expect(SignedApprovalMessage.bytes(of: a) == expected)
        #expect(expected.count == SignedApprovalMessage.byteCount)
    }

    @Test func rfc8032Test1() throws {
        let key = try Curve25519.Signing.PrivateKey(rawRepresentation: Self.rfcSeed)
        #expect(Array(key.publicKey.rawRepresentation) == Self.rfcPublic)
        let signature = try key.signature(for: Data())
        #expect(Array(signature) == Self.hex(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"))
    }

    @Test func keyIDIsSHA256PrefixOfPublicKey() {
        // Python: hashlib.sha256(pub).hexdigest()[:16]
        #expect(OperatorKeyID(publicKeyBytes: Self.rfcPublic).description == "21fe31dfa154a261")
        #expect(OperatorKeyID(publicKeyBytes: Self.rfcPublic).bytes == Self.hex("21fe31dfa154a261"))
    }

    /// Ed25519 is deterministic (RFC 8032), so the signature Python's `cryptography` made over the same message
    /// with the same key must be byte-identical, and must verify here.
    @Test func signatureMatchesPythonCryptography() throws {
        let key = OperatorSigningKey(
            name: "rfc", privateKey: try Curve25519.Signing.PrivateKey(rawRepresentation: Self.rfcSeed))
        let template = try Self.sampleApproval(keyID: key.keyID)
        let request = ApprovalRequest(
            nonce: template.nonce, vehicleID: template.vehicleID, point: template.point, issuedUs: 0,
            expiresUs: template.expiresUs, sequence: 1)
        let signed = try key.sign(request, decision: .waveOff)
        let python = Self.hex(
            "27b3a55efaea122b4e1085708af23047678bd1d50704df42c68a66874c320f0d2dfabffc4b5722dc462f3e8232425b5815740e1754ee19a5675a2918496baf0a")
        #expect(signed.signature.bytes == python)
        #expect(key.authorisedKey.hasSigned(signed))
        var other = signed
        other.signature = try #require(Ed25519Signature(bytes: python.reversed()))
        #expect(!key.authorisedKey.hasSigned(other))
    }

    @Test func systemNoncesAreDistinctAndNonZero() {
        var source = SystemNonceSource()
        var seen = Set<ApprovalNonce>()
        for _ in 0..<1000 {
            guard let n = source.nextNonce() else {
                Issue.record("no entropy")
                return
            }
            #expect(n != .zero)
            seen.insert(n)
        }
        #expect(seen.count == 1000)
    }

    @Test func seededNoncesRepeatPerSeed() {
        var a = SeededNonceSource(seed: 99), b = SeededNonceSource(seed: 99), c = SeededNonceSource(seed: 100)
        let na = a.nextNonce(), nb = b.nextNonce(), nc = c.nextNonce()
        #expect(na == nb)
        #expect(na != nc)
    }

    @Test func nonceBytesRoundTripInWireOrder() throws {
        let bytes: [UInt8] = Array(0xA0...0xAF)
        let n = try #require(ApprovalNonce(bytes: bytes))
        #expect(n.bytes == bytes)
        #expect(n.low == 0xA7A6_A5A4_A3A2_A1A0)
        #expect(n.description == "a0a1a2a3a4a5a6a7a8a9aaabacadaeaf")
        #expect(ApprovalNonce(bytes: bytes.dropLast()) == nil)
    }

    @Test func designatedPointRoundsToTheSignedGrid() throws {
        let p = try DesignatedPoint(geodetic: Geodetic(latitudeDeg: 47.397_741_94, longitudeDeg: -8.545_593_76, altitudeM: 488.0004))
        #expect(p.latitudeE7 == 473_977_419)
        #expect(p.longitudeE7 == -85_455_938)
        #expect(p.altitudeMm == 488_000)
        #expect(throws: DesignationError.latitudeOutOfRange(latitudeE7: 900_000_001)) {
            try DesignatedPoint(latitudeE7: 900_000_001, longitudeE7: 0, altitudeMm: 0)
        }
        #expect(throws: DesignationError.notFinite) {
            try DesignatedPoint(geodetic: Geodetic(latitudeDeg: .nan, longitudeDeg: 0, altitudeM: 0))
        }
        #expect(throws: DesignationError.latitudeOutOfRange(latitudeE7: .max)) {
            try DesignatedPoint(geodetic: Geodetic(latitudeDeg: 1e300, longitudeDeg: 0, altitudeM: 0))
        }
        #expect(throws: DesignationError.longitudeOutOfRange(longitudeE7: 1_800_000_010)) {
            try DesignatedPoint(geodetic: Geodetic(latitudeDeg: 0, longitudeDeg: 180.000001, altitudeM: 0))
        }
    }
}
