/// `[mavlink]` of a board file: the ground link `kestrel fly` serves by default.
///
///     [mavlink]
///     endpoints = ["udpin:0.0.0.0:14550"]      # same syntax as --mavlink
///     system_id = 1                             # 1…255
///     signing_key_file = "/etc/kestrel/mavlink.key"   # optional: 32 raw bytes or 64 hex digits, mode 0600
public struct BoardMAVLinkSettings: Decodable, Sendable, Equatable {
    public var endpoints: [String]
    public var systemID: UInt8?
    public var signingKeyFile: String?

    enum CodingKeys: String, CodingKey {
        case endpoints, systemID = "system_id", signingKeyFile = "signing_key_file"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        endpoints = try c.decodeIfPresent([String].self, forKey: .endpoints) ?? []
        if let id = try c.decodeIfPresent(Int.self, forKey: .systemID) {
            guard (1...255).contains(id) else {
                throw DecodingError.dataCorruptedError(forKey: .systemID, in: c,
                                                       debugDescription: "system_id \(id) is outside 1…255")
            }
            systemID = UInt8(id)
        }
        signingKeyFile = try c.decodeIfPresent(String.self, forKey: .signingKeyFile)
    }
}
