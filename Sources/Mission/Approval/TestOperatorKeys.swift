import Crypto

extension OperatorSigningKey {
    /// Names the SITL scenarios and tests use for test keys, checked by `OperatorKeyRing.sitlTestKeyHolders`
    /// besides the ring's own names.
    public static let wellKnownTestNames = ["alice", "bob", "carol", "dave", "eve", "mallory", "operator", "test"]

    /// A deterministic key derived from `name`, for SITL scenarios and tests only. Anyone can derive it, so a
    /// vehicle must never list such a key in its authorised-operator file; SITL builds its key ring from these
    /// in code, so the gate still verifies every signature exactly as in flight.
    public static func testKey(named name: String) -> OperatorSigningKey {
        let seed = SHA256.hash(data: Array("kestrel-sitl-test-operator-key:\(name)".utf8))
        // A 32-byte seed is always a valid Ed25519 private key, so this cannot fail.
        let key = (try? Curve25519.Signing.PrivateKey(rawRepresentation: Array(seed)))
            ?? Curve25519.Signing.PrivateKey()
        return OperatorSigningKey(name: name, privateKey: key)
    }
}
