/// What a u-blox receiver says about itself in UBX-MON-VER: software and hardware version strings and
/// extension strings such as "FWVER=SPG 3.01", "PROTVER=18.00", "MOD=NEO-M8N".
public struct UBloxVersion: Sendable, Equatable {
    public var software: String
    public var hardware: String
    public var extensions: [String]

    public init(software: String, hardware: String, extensions: [String]) {
        self.software = software
        self.hardware = hardware
        self.extensions = extensions
    }

    /// Decodes a MON-VER payload: 30 + 10 characters, then 30 per extension, each NUL-padded. Nil when shorter.
    public init?(monVerPayload p: [UInt8]) {
        guard p.count >= 40 else { return nil }
        func text(_ range: Range<Int>) -> String {
            String(decoding: p[range].prefix { $0 != 0 }, as: UTF8.self)
        }
        software = text(0..<30)
        hardware = text(30..<40)
        var found: [String] = []
        var offset = 40
        while offset + 30 <= p.count {
            let e = text(offset..<(offset + 30))
            if !e.isEmpty { found.append(e) }
            offset += 30
        }
        extensions = found
    }

    private func extensionValue(_ name: String) -> String? {
        for e in extensions where e.hasPrefix(name) {
            // "PROTVER=18.00" on M8 and later, "PROTVER 14.00" on u-blox 7.
            return String(e.dropFirst(name.count).drop { $0 == "=" || $0 == " " })
        }
        return nil
    }

    /// The UBX protocol version ("PROTVER="), e.g. 18.00 on M8 firmware 3.01, 32.01 on M9, 34.10 on M10.
    public var protocolVersion: Double? {
        guard let v = extensionValue("PROTVER") else { return nil }
        return Double(v.prefix { $0.isNumber || $0 == "." })
    }

    public var module: String? { extensionValue("MOD") }
    public var firmware: String? { extensionValue("FWVER") }

    /// How the receiver takes its configuration: protocol 27 and later (M9, M10, F9) through configuration keys
    /// (CFG-VALSET); earlier ones (M8 and before) through the per-topic CFG messages. Without a PROTVER string the
    /// hardware version decides (00190000 is M9, 000A0000 M10).
    public var usesConfigurationKeys: Bool {
        if let v = protocolVersion { return v >= 27 }
        return hardware == "00190000" || hardware == "000A0000"
    }

    /// UBX-NAV-PVT exists from protocol 14 (u-blox 7) on.
    public var hasNavPVT: Bool {
        if let v = protocolVersion { return v >= 14 }
        return hardware >= "00070000" || usesConfigurationKeys
    }

    /// "NEO-M8N, ROM CORE 3.01 (107888), FWVER=SPG 3.01, PROTVER=18.00, hardware 00080000".
    public var summary: String {
        var parts: [String] = []
        if let module { parts.append(module) }
        parts.append(software)
        parts += extensions.filter { !$0.hasPrefix("MOD=") }
        parts.append("hardware \(hardware)")
        return parts.joined(separator: ", ")
    }
}
