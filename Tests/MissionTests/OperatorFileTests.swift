import Crypto
import Foundation
import Mission
import Testing

@Suite struct OperatorFileTests {
    static func bytes(_ s: String) -> [UInt8] { Array(s.utf8) }

    /// A fresh empty directory per test.
    static func tempDirectory() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-gate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.path
    }

    static func mode(_ path: String) throws -> Int {
        let attrs = try FileManager.default.attributesOfItem(atPath: path)
        return (attrs[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    // MARK: authorised key file

    @Test func authorisedKeysInHexAndBase64WithComments() throws {
        let alice = try Fixture.alice().authorisedKey, bob = try Fixture.bob().authorisedKey
        let aliceHex = alice.publicKey.rawRepresentation.map { String(format: "%02x", $0) }.joined()
        let bobB64 = bob.publicKey.rawRepresentation.base64EncodedString()
        let text = "# operators\n\n  alice\ted25519 \(aliceHex)   # office\nbob ed25519 \(bobB64)\n"
        let ring = try AuthorisedKeyFile.parse(Self.bytes(text), path: "ops.keys")
        #expect(ring.keys.map(\.name) == ["alice", "bob"])
        #expect(ring.key(for: alice.keyID)?.name == "alice")
        #expect(ring.key(for: bob.keyID)?.name == "bob")
        #expect(ring.key(for: try Fixture.mallory().keyID) == nil)
    }

    static let keyFileCases: [(String, Int?, AuthorisedKeyFileError.Problem)] = [
        ("alice ed25519\n", 1, .wrongFieldCount(2)),
        ("# c\nalice rsa AAAA\n", 2, .unsupportedAlgorithm("rsa")),
        ("al/ce ed25519 AAAA\n", 1, .invalidName("al/ce")),
        ("alice ed25519 not*base64\n", 1, .keyNotHexOrBase64),
        ("alice ed25519 AAAAAAAA\n", 1, .wrongKeyLength(6)),
        ("\n\n# nothing\n", nil, .noKeys),
    ]

    @Test(arguments: keyFileCases)
    func authorisedKeyFileErrorsNameLineAndProblem(text: String, line: Int?, problem: AuthorisedKeyFileError.Problem) {
        #expect(throws: AuthorisedKeyFileError(path: "k", line: line, problem: problem)) {
            try AuthorisedKeyFile.parse(Self.bytes(text), path: "k")
        }
    }

    @Test func authorisedKeyFileWritableByOthersIsRefused() throws {
        let path = try Self.tempDirectory() + "/operators.keys"
        try (AuthorisedKeyFile.line(for: try Fixture.alice().authorisedKey) + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o664], ofItemAtPath: path)
        #expect(throws: AuthorisedKeyFileError(path: path, line: nil, problem: .writableByOthers(mode: 0o664))) {
            try AuthorisedKeyFile.load(path: path)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(try AuthorisedKeyFile.load(path: path).keys.count == 1)
    }

    @Test func duplicateNamesAndKeysAreRefused() throws {
        let a = AuthorisedKeyFile.line(for: try Fixture.alice().authorisedKey)
        let b = AuthorisedKeyFile.line(for: try Fixture.bob().authorisedKey)
        let bKeyOnly = b.split(separator: " ")[2]
        #expect(throws: AuthorisedKeyFileError(path: "k", line: 3, problem: .duplicateName("alice", firstLine: 1))) {
            try AuthorisedKeyFile.parse(Self.bytes("\(a)\n\(b)\nalice ed25519 \(bKeyOnly)\n"), path: "k")
        }
        #expect(throws: AuthorisedKeyFileError(path: "k", line: 2, problem: .duplicateKey(of: "bob", firstLine: 1))) {
            try AuthorisedKeyFile.parse(Self.bytes("\(b)\ncarol ed25519 \(bKeyOnly)\n"), path: "k")
        }
        let e = AuthorisedKeyFileError(path: "ops.keys", line: 4, problem: .wrongKeyLength(6))
        #expect(e.description == "authorised key file ops.keys:4: public key is 6 bytes; Ed25519 public keys are 32 bytes")
    }

    // MARK: private key file, generation, signing

    @Test func generatedKeyPairSignsARequestTheGateAccepts() throws {
        let dir = try Self.tempDirectory()
        let priv = dir + "/carol.key", pub = dir + "/carol.pub", req = dir + "/request.txt"
        let generated = try OperatorTool.generateKeyPair(name: "carol", privateKeyPath: priv, publicKeyPath: pub)
        #expect(try Self.mode(priv) == 0o600)
        #expect(throws: OperatorToolError.self) {
            try OperatorTool.generateKeyPair(name: "carol", privateKeyPath: priv, publicKeyPath: dir + "/x.pub")
        }

        // The vehicle's key file is the generated public line; the gate issues a request, the tool signs it.
        let ring = try AuthorisedKeyFile.load(path: pub)
        #expect(ring.keys.first?.keyID == generated.keyID)
        #expect(try OperatorTool.listKeys(authorisedKeyFile: pub).first?.hasPrefix("carol  \(generated.keyID)") == true)
        var gate = TerminalGate(configuration: try Fixture.configuration(), operators: ring, entropy: SystemNonceSource())
        _ = gate.handle(.tick(altitudeAGLM: 120), nowUs: 10_000_000)
        guard case .emitRequest(let request) = gate.handle(
            .requestTerminal(designation: try Fixture.point(), loiteringOverDesignation: true), nowUs: 10_000_000)
        else { Issue.record("no request"); return }
        try Data(RequestFile.text(for: request).utf8).write(to: URL(fileURLWithPath: req))

        let approval = try OperatorTool.sign(
            requestPath: req, privateKeyPath: priv, decision: .approve, nowUs: 11_000_000,
            expectedVehicle: Fixture.vehicle)
        #expect(approval.keyID == generated.keyID)
        // Through the approval file and back, as over the uplink.
        try OperatorTool.writeApproval(approval, to: dir + "/approval.txt")
        let carried = try ApprovalFile.parse(Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/approval.txt"))), path: "a")
        #expect(carried == approval)
        #expect(gate.handle(.approvalReceived(carried), nowUs: 12_000_000) == .enterTerminal(request))

        // Expired request: an approval is refused by the tool, a wave-off is still signed.
        #expect(throws: OperatorToolError.requestExpired(expiresUs: request.expiresUs, nowUs: request.expiresUs)) {
            try OperatorTool.sign(requestPath: req, privateKeyPath: priv, decision: .approve, nowUs: request.expiresUs)
        }
        let off = try OperatorTool.sign(requestPath: req, privateKeyPath: priv, decision: .waveOff, nowUs: request.expiresUs + 1)
        #expect(gate.handle(.approvalReceived(off), nowUs: request.expiresUs + 1) == .leaveTerminal(.waveOff, then: .loiter))
        #expect(throws: OperatorToolError.otherVehicle(requested: Fixture.vehicle, expected: Fixture.otherVehicle)) {
            try OperatorTool.sign(
                requestPath: req, privateKeyPath: priv, decision: .approve, nowUs: 0, expectedVehicle: Fixture.otherVehicle)
        }
    }

    @Test func privateKeyFileReadableByOthersIsRefused() throws {
        let dir = try Self.tempDirectory()
        let path = dir + "/op.key"
        try Data(OperatorPrivateKeyFile.text(for: try Fixture.alice()).utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect(throws: OperatorPrivateKeyFileError(path: path, line: nil, problem: .permissionsTooOpen(mode: 0o644))) {
            try OperatorPrivateKeyFile.load(path: path)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
        #expect(throws: OperatorPrivateKeyFileError(path: path, line: nil, problem: .permissionsTooOpen(mode: 0o640))) {
            try OperatorPrivateKeyFile.load(path: path)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        #expect(try OperatorPrivateKeyFile.load(path: path).keyID == (try Fixture.alice().keyID))
        try FileManager.default.setAttributes([.posixPermissions: 0o400], ofItemAtPath: path)
        #expect(try OperatorPrivateKeyFile.load(path: path).name == "alice")
    }

    @Test func privateKeyFileContentErrors() throws {
        let pubLine = AuthorisedKeyFile.line(for: try Fixture.alice().authorisedKey)
        #expect(throws: OperatorPrivateKeyFileError(path: "p", line: 1, problem: .isPublicKey)) {
            try OperatorPrivateKeyFile.parse(Self.bytes(pubLine), path: "p")
        }
        let good = OperatorPrivateKeyFile.text(for: try Fixture.alice())
        #expect(throws: OperatorPrivateKeyFileError(path: "p", line: 3, problem: .moreThanOneKey)) {
            try OperatorPrivateKeyFile.parse(Self.bytes(good + good.split(separator: "\n")[1] + "\n"), path: "p")
        }
        #expect(throws: OperatorPrivateKeyFileError(path: "p", line: nil, problem: .noKey)) {
            try OperatorPrivateKeyFile.parse(Self.bytes("# empty\n"), path: "p")
        }
    }

    // MARK: request file

    static let requestText = """
        # Kestrel terminal approval request
        format = kestrel-terminal-request-v1
        vehicle_id = 5427464722094080023
        sequence = 3
        nonce = 0f1e2d3c4b5a69788796a5b4c3d2e1f0
        latitude_e7 = 473977419
        longitude_e7 = 85455938
        altitude_mm = 488000
        issued_us = 1000000
        expires_us = 31000000

        """

    @Test func requestFileParsesAndRoundTrips() throws {
        let r = try RequestFile.parse(Self.bytes(Self.requestText), path: "r")
        #expect(r.vehicleID == VehicleID(5_427_464_722_094_080_023))
        #expect(r.sequence == 3)
        #expect(r.nonce.description == "0f1e2d3c4b5a69788796a5b4c3d2e1f0")
        #expect(r.point == (try Fixture.point()))
        #expect(r.issuedUs == 1_000_000 && r.expiresUs == 31_000_000)
        #expect(try RequestFile.parse(Self.bytes(RequestFile.text(for: r)), path: "r") == r)
    }

    @Test(arguments: [
        ("format = kestrel-terminal-request-v1", "format = kestrel-terminal-approval-v1", 2,
         ApprovalFileError.Problem.wrongFormat(found: "kestrel-terminal-approval-v1", expected: "kestrel-terminal-request-v1")),
        ("sequence = 3", "sequence = -3", 4, .badValue(key: "sequence", expected: "a decimal integer in 0...4294967295")),
        ("nonce = 0f1e2d3c4b5a69788796a5b4c3d2e1f0", "nonce = 0f1e", 5, .badValue(key: "nonce", expected: "32 hex digits")),
        ("altitude_mm = 488000", "altitude_mm = 488000\nspeed = 3", 9, .unknownKey("speed")),
        ("altitude_mm = 488000", "altitude_mm 488000", 8, .notKeyValue),
        ("sequence = 3", "sequence = 3\nsequence = 4", 5, .duplicateKey("sequence")),
        ("expires_us = 31000000", "expires_us = 1000000", 10, .expiryNotAfterIssue),
        ("latitude_e7 = 473977419", "latitude_e7 = 950000000", 6,
         .designation("designated latitude 950000000e-7° is outside ±90°")),
    ])
    func requestFileErrors(original: String, replacement: String, line: Int, problem: ApprovalFileError.Problem) {
        let text = Self.requestText.replacingOccurrences(of: original, with: replacement)
        #expect(throws: ApprovalFileError(path: "req.txt", line: line, problem: problem)) {
            try RequestFile.parse(Self.bytes(text), path: "req.txt")
        }
    }

    @Test func missingKeyAndOtherFilesAreNamed() {
        let text = Self.requestText.replacingOccurrences(of: "issued_us = 1000000\n", with: "")
        #expect(throws: ApprovalFileError(path: "r", line: nil, problem: .missingKey("issued_us"))) {
            try RequestFile.parse(Self.bytes(text), path: "r")
        }
        #expect(throws: ApprovalFileError(path: "r", line: 1, problem: .wrongFormat(found: nil, expected: RequestFile.format))) {
            try RequestFile.parse(Self.bytes("alice ed25519 AAAA = x\n"), path: "r")
        }
        #expect(throws: ApprovalFileError(path: "r", line: nil, problem: .notUTF8)) {
            try RequestFile.parse([0xFF, 0xFE, 0x00], path: "r")
        }
    }
}
