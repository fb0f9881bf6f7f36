import Crypto
import Foundation
import Mission
import Testing

/// Against vectors made by Python's `cryptography` (Tests/Interop/vectors), and the export the Python interop test
/// verifies (Tests/Interop/test_approval_ed25519.py).
@Suite struct InteropVectorTests {
    static let vectorsPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Interop/vectors/approval_ed25519_v1.txt").path

    static func blocks() throws -> [[String: String]] {
        let text = try String(contentsOfFile: vectorsPath, encoding: .utf8)
        var blocks: [[String: String]] = [], current: [String: String] = [:]
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2 {
                current[parts[0]] = parts[1]
            } else if !current.isEmpty {
                blocks.append(current)
                current = [:]
            }
        }
        if !current.isEmpty { blocks.append(current) }
        return blocks
    }

    static func hex(_ s: String?) throws -> [UInt8] {
        let s = try #require(s)
        return try stride(from: 0, to: s.count, by: 2).map { i in
            let a = s.index(s.startIndex, offsetBy: i)
            return try #require(UInt8(s[a..<s.index(a, offsetBy: 2)], radix: 16))
        }
    }

    @Test func pythonVectorsMatchAndVerify() throws {
        let blocks = try Self.blocks()
        #expect(blocks.count == 5)
        for b in blocks {
            let key = OperatorSigningKey(
                name: "v", privateKey: try Curve25519.Signing.PrivateKey(rawRepresentation: try Self.hex(b["seed"])))
            #expect(Array(key.privateKey.publicKey.rawRepresentation) == (try Self.hex(b["public_key"])))
            #expect(key.keyID.description == b["key_id"])
            let decision: ApprovalDecision = b["decision"] == "approve" ? .approve : .waveOff
            let request = ApprovalRequest(
                nonce: try #require(ApprovalNonce(bytes: try Self.hex(b["nonce"]))),
                vehicleID: VehicleID(try #require(UInt64(b["vehicle_id"] ?? ""))),
                point: try DesignatedPoint(
                    latitudeE7: try #require(Int32(b["latitude_e7"] ?? "")),
                    longitudeE7: try #require(Int32(b["longitude_e7"] ?? "")),
                    altitudeMm: try #require(Int32(b["altitude_mm"] ?? ""))),
                issuedUs: 0, expiresUs: try #require(UInt64(b["expires_us"] ?? "")), sequence: 1)
            let pythonSignature = try #require(Ed25519Signature(bytes: try Self.hex(b["signature"])))
            let fromPython = Approval(answering: request, decision: decision, keyID: key.keyID, signature: pythonSignature)
            #expect(SignedApprovalMessage.bytes(of: fromPython) == (try Self.hex(b["message"])))
            #expect(key.authorisedKey.hasSigned(fromPython))
            // Deterministic Ed25519: Kestrel's own signature is the same bytes.
            #expect(try key.sign(request, decision: decision) == fromPython)
            var flipped = fromPython
            flipped.decision = decision == .approve ? .waveOff : .approve
            #expect(!key.authorisedKey.hasSigned(flipped))
        }
    }

    /// Writes freshly signed approvals (random keys and nonces) for the Python side to verify: to
    /// $KESTREL_INTEROP_EXPORT when set, otherwise to a temporary directory, where they are read back here.
    @Test func exportSwiftSignedApprovals() throws {
        let dir: String
        if let d = ProcessInfo.processInfo.environment["KESTREL_INTEROP_EXPORT"] {
            dir = d
        } else {
            dir = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-interop-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        let keys = [OperatorSigningKey.generate(name: "op-a"), OperatorSigningKey.generate(name: "op-b")]
        let keyText = keys.map { AuthorisedKeyFile.line(for: $0.authorisedKey) + "\n" }.joined()
        try keyText.write(toFile: dir + "/authorised.keys", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: dir + "/authorised.keys")
        let ring = try AuthorisedKeyFile.load(path: dir + "/authorised.keys")
        var nonces = SystemNonceSource()
        var rng = SeededRandomNumberGeneratorForTests(seed: UInt64(Date().timeIntervalSince1970 * 1e6))
        for i in 0..<10 {
            let drawn = nonces.nextNonce()
            let nonce = try #require(drawn)
            let request = ApprovalRequest(
                nonce: nonce, vehicleID: VehicleID(rng.next()),
                point: try DesignatedPoint(
                    latitudeE7: Int32.random(in: -900_000_000...900_000_000, using: &rng),
                    longitudeE7: Int32.random(in: -1_800_000_000...1_800_000_000, using: &rng),
                    altitudeMm: Int32.random(in: Int32.min...Int32.max, using: &rng)),
                issuedUs: 0, expiresUs: rng.next(), sequence: UInt32(i + 1))
            let approval = try keys[i % 2].sign(request, decision: i % 3 == 0 ? .waveOff : .approve)
            let path = dir + "/approval-\(i).txt"
            try? FileManager.default.removeItem(atPath: path)
            try OperatorTool.writeApproval(approval, to: path)
            let back = try ApprovalFile.parse(Array(try Data(contentsOf: URL(fileURLWithPath: path))), path: path)
            #expect(back == approval)
            #expect(ring.key(for: back.keyID)?.hasSigned(back) == true)
        }
    }
}
