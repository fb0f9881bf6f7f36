import Crypto
import Foundation
import Mission
import Testing

/// Finding 3 of issue 16: operator keys anyone can forge signatures for.
@Suite struct WeakOperatorKeyTests {
    static func hex(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        var i = s.startIndex
        while i < s.endIndex {
            let j = s.index(i, offsetBy: 2)
            out.append(UInt8(s[i..<j], radix: 16)!)
            i = j
        }
        return out
    }

    static let identity = "01" + String(repeating: "00", count: 31)
    static let zero = String(repeating: "00", count: 32)
    static let orderTwo = "ec" + String(repeating: "ff", count: 30) + "7f"
    static let orderEight = "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"
    static let orderEightOther = "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"
    /// y = p + 2: not reduced modulo p.
    static let nonCanonical = "ef" + String(repeating: "ff", count: 30) + "7f"
    /// y = p + 1 ≡ 1: a second encoding of the identity.
    static let identityNonCanonical = "ee" + String(repeating: "ff", count: 30) + "7f"

    /// Sets the sign bit (the top bit of the last byte) of a 64-hex-digit key.
    static func signBit(_ key: String) -> String {
        var bytes = hex(key)
        bytes[31] |= 0x80
        return bytes.map { String(format: "%02x", $0) }.joined()
    }

    static let weakCases: [(String, Ed25519PublicKeyCheck.Weakness)] = [
        (identity, .smallOrder), (zero, .smallOrder), (orderTwo, .smallOrder), (orderEight, .smallOrder),
        (orderEightOther, .smallOrder), (signBit(identity), .smallOrder), (signBit(zero), .smallOrder),
        (signBit(orderTwo), .smallOrder), (signBit(orderEight), .smallOrder), (signBit(orderEightOther), .smallOrder),
        (nonCanonical, .nonCanonical), (identityNonCanonical, .nonCanonical), (signBit(nonCanonical), .nonCanonical),
        ("ed" + String(repeating: "ff", count: 31), .nonCanonical),
    ]

    /// A good key on line 2, the weak one on line 3: the error names line 3 and why (these files loaded before).
    @Test(arguments: weakCases)
    func keyFileRefusesWeakKeysNamingTheLine(key: String, weakness: Ed25519PublicKeyCheck.Weakness) throws {
        let alice = AuthorisedKeyFile.line(for: try Fixture.alice().authorisedKey)
        let text = "# ops\n\(alice)\nzed ed25519 \(key)\n"
        #expect(throws: AuthorisedKeyFileError(path: "ops.keys", line: 3, problem: .weakKey(weakness))) {
            try AuthorisedKeyFile.parse(Array(text.utf8), path: "ops.keys")
        }
        // Base64 of the same bytes is refused the same way.
        let b64 = Data(Self.hex(key)).base64EncodedString()
        #expect(throws: AuthorisedKeyFileError(path: "ops.keys", line: 1, problem: .weakKey(weakness))) {
            try AuthorisedKeyFile.parse(Array("zed ed25519 \(b64)\n".utf8), path: "ops.keys")
        }
    }

    @Test func weakKeyErrorSaysWhy() {
        let e = AuthorisedKeyFileError(path: "ops.keys", line: 3, problem: .weakKey(.smallOrder))
        #expect(e.description.hasPrefix("authorised key file ops.keys:3: public key is unusable: small-order point"))
    }

    @Test func ordinaryKeysAreNotWeak() throws {
        for seed in 0..<64 {
            let key = Curve25519.Signing.PrivateKey().publicKey.rawRepresentation
            #expect(Ed25519PublicKeyCheck.weakness(of: key) == nil, "random key \(seed)")
        }
        #expect(Ed25519PublicKeyCheck.weakness(of: try Fixture.alice().authorisedKey.publicKey.rawRepresentation) == nil)
    }

    /// The attack the file check closes: with the all-zero key (a point of order 4) the fixed signature
    /// (R = base point, S = 1) verifies for every message whose hash k is ≡ 0 mod 4; with the identity key it
    /// verifies for every message. Ed25519 itself accepts these (first half of the test, the crypto library); a key
    /// built in code with such a point must still verify nothing (`hasSigned`, which the gate uses), which failed
    /// before the fix.
    @Test(arguments: [zero, identity])
    func smallOrderKeyVerifiesForgedSignaturesInEd25519ButNotInTheGate(key: String) throws {
        let publicKey = try Curve25519.Signing.PublicKey(rawRepresentation: Self.hex(key))
        let basePoint = Self.hex("5866666666666666666666666666666666666666666666666666666666666666")
        let forged = basePoint + [1] + [UInt8](repeating: 0, count: 31)
        let weak = AuthorisedOperatorKey(name: "zed", publicKey: publicKey)
        var cryptoAccepts = 0
        var gateAccepts = 0
        var gate = Fixture.gateAuthorising(weak)
        for n in 0..<16 {
            let request = try gate.loiterAndRequest(try Fixture.point(Int32(n)), atUs: 1_000_000 + UInt64(n))
            let approval = Approval(answering: request, decision: .approve, keyID: weak.keyID,
                                    signature: Ed25519Signature(bytes: forged)!)
            if SignedApprovalMessage.withBytes(of: approval, { publicKey.isValidSignature(forged, for: $0) }) {
                cryptoAccepts += 1
            }
            if weak.hasSigned(approval) { gateAccepts += 1 }
            #expect(gate.handle(.approvalReceived(approval), nowUs: 1_000_000 + UInt64(n)) == .reject(.badSignature))
        }
        #expect(cryptoAccepts > 0, "the forged signature verifies in Ed25519 for some messages")
        #expect(gateAccepts == 0)
        #expect(weak.weakness == .smallOrder)
    }

    // MARK: SITL test keys

    @Test func testKeysAreFoundUnderTheirOwnAndWellKnownNames() throws {
        let ring = try OperatorKeyRing(keys: [
            try Fixture.alice().authorisedKey,
            OperatorSigningKey.testKey(named: "zoe").authorisedKey,
            AuthorisedOperatorKey(name: "ops1", publicKey: OperatorSigningKey.testKey(named: "bob").privateKey.publicKey),
        ])
        #expect(ring.sitlTestKeyHolders == ["zoe", "ops1"])
        #expect(ring.containsTestKeys)
        #expect(try !Fixture.keyRing().containsTestKeys)
    }

    @Test func flightKeyFileRefusesTestKeysNamingTheLine() throws {
        let real = AuthorisedKeyFile.line(for: try Fixture.alice().authorisedKey)
        let test = AuthorisedKeyFile.line(for: OperatorSigningKey.testKey(named: "alice").authorisedKey)
            .replacingOccurrences(of: "alice", with: "field")
        let text = "\(real)\n\(test)\n"
        #expect(throws: AuthorisedKeyFileError(path: "k", line: 2, problem: .sitlTestKey("field"))) {
            try AuthorisedKeyFile.parse(Array(text.utf8), path: "k", refusingTestKeys: true)
        }
        // SITL and bench tools may still read such a file.
        #expect(try AuthorisedKeyFile.parse(Array(text.utf8), path: "k").keys.count == 2)
    }

    /// The HIL rig's operators file holds exactly the test keys its scenario's script signs with, so a board given
    /// it is driven by `kestrel sim --hil-serve --operator-link`, and a flight board refuses it.
    @Test func hilRigOperatorsFileHoldsTheScriptsTestKeys() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Scenarios/hil/test-operators.pub").path
        let ring = try AuthorisedKeyFile.load(path: path)
        #expect(ring.keys.map(\.name) == ["alice", "bob"])
        #expect(ring.sitlTestKeyHolders == ["alice", "bob"])
        #expect(ring.keys.map(\.keyID) == ["alice", "bob"].map { OperatorSigningKey.testKey(named: $0).keyID })
        #expect(throws: AuthorisedKeyFileError(path: path, line: 5, problem: .sitlTestKey("alice"))) {
            try AuthorisedKeyFile.load(path: path, refusingTestKeys: true)
        }
    }
}

extension Fixture {
    /// A gate whose key ring is just `key` (built in code, as a tool could, bypassing the file reader).
    static func gateAuthorising(_ key: AuthorisedOperatorKey) -> TerminalGate<SeededNonceSource> {
        TerminalGate(configuration: try! configuration(), operators: try! OperatorKeyRing(keys: [key]),
                     entropy: SeededNonceSource(seed: 7))
    }
}
