/// One field of a format message: `type name` or `type[count] name`. `typeName` is a primitive type name or the
/// name of another format (nested type).
public struct ULogFieldDefinition: Hashable, Sendable {
    public var typeName: String
    /// nil for a single value, N for `type[N]`.
    public var arrayCount: Int?
    public var name: String

    public init(typeName: String, arrayCount: Int? = nil, name: String) {
        self.typeName = typeName; self.arrayCount = arrayCount; self.name = name
    }

    public var primitive: ULogScalarType? { ULogScalarType(rawValue: typeName) }

    /// `float[4] q`
    public var text: String {
        if let n = arrayCount { return "\(typeName)[\(n)] \(name)" }
        return "\(typeName) \(name)"
    }
}

/// The body of an 'F' message: `name:type0 field0;type1 field1;`.
public struct ULogFormatDefinition: Hashable, Sendable {
    public var name: String
    public var fields: [ULogFieldDefinition]

    public init(name: String, fields: [ULogFieldDefinition]) {
        self.name = name; self.fields = fields
    }

    public var text: String {
        var s = name + ":"
        for f in fields { s += f.text + ";" }
        return s
    }

    /// Packed size when every field is primitive (the only kind the writer produces); nil if a field is nested.
    public var primitiveSizeBytes: Int? {
        var total = 0
        for f in fields {
            guard let p = f.primitive else { return nil }
            total += p.sizeBytes * (f.arrayCount ?? 1)
        }
        return total
    }

    /// Parses the text of an 'F' message. Errors say what is malformed; the reader adds the file offset.
    public static func parse(_ text: String) throws(ULogFormatParseError) -> ULogFormatDefinition {
        guard let colon = text.firstIndex(of: ":") else { throw .missingColon(text: text) }
        let name = String(text[..<colon])
        guard !name.isEmpty else { throw .emptyName(text: text) }
        var fields: [ULogFieldDefinition] = []
        for part in text[text.index(after: colon)...].split(separator: ";", omittingEmptySubsequences: true) {
            let pieces = part.split(separator: " ", omittingEmptySubsequences: true)
            guard pieces.count == 2 else { throw .malformedField(format: name, field: String(part)) }
            var typeText = pieces[0]
            var count: Int? = nil
            if let open = typeText.firstIndex(of: "[") {
                guard typeText.last == "]",
                      let n = Int(typeText[typeText.index(after: open)..<typeText.index(before: typeText.endIndex)]),
                      n > 0, n <= Int(UInt16.max)
                else { throw .malformedField(format: name, field: String(part)) }
                count = n
                typeText = typeText[..<open]
            }
            guard !typeText.isEmpty else { throw .malformedField(format: name, field: String(part)) }
            fields.append(ULogFieldDefinition(typeName: String(typeText), arrayCount: count, name: String(pieces[1])))
        }
        return ULogFormatDefinition(name: name, fields: fields)
    }
}

public enum ULogFormatParseError: Error, CustomStringConvertible, Equatable, Sendable {
    case missingColon(text: String)
    case emptyName(text: String)
    case malformedField(format: String, field: String)

    public var description: String {
        switch self {
        case .missingColon(let t): "format definition has no ':' separating name and fields: \"\(t.prefix(60))\""
        case .emptyName(let t): "format definition has an empty name: \"\(t.prefix(60))\""
        case .malformedField(let f, let field): "format '\(f)' has a malformed field \"\(field)\" (expected 'type name' or 'type[N] name')"
        }
    }
}
