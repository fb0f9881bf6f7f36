/// An IPv4 address in host byte order (`127.0.0.1` is 0x7F000001).
public struct IPv4Address: Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let any = IPv4Address(rawValue: 0)
    public static let loopback = IPv4Address(rawValue: 0x7F00_0001)

    /// Dotted quad (`192.168.1.10`) or `localhost`; nil otherwise (no leading zeros, no missing parts).
    public init?(parsing text: String) {
        if text == "localhost" {
            self = .loopback
            return
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy({ $0.isASCII && $0.isNumber }),
                part.count == 1 || part.first != "0", let octet = UInt8(part)
            else { return nil }
            value = value << 8 | UInt32(octet)
        }
        rawValue = value
    }

    public var description: String {
        "\(rawValue >> 24).\(rawValue >> 16 & 0xFF).\(rawValue >> 8 & 0xFF).\(rawValue & 0xFF)"
    }
}
