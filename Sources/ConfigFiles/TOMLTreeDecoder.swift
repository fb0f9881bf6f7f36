import TOML

/// A `Decoder` over a parsed TOML tree (module TOML). Configuration files written by people need integers accepted
/// as numbers (`span_m = 2` for a `Double`) and errors that say what was expected. Every key visited is recorded so
/// that keys the type never asked for can be reported as unknown.
final class TOMLTreeDecoder: Decoder {
    let value: TOMLValue
    let codingPath: [CodingKey]
    let visited: VisitedKeys
    var userInfo: [CodingUserInfoKey: Any] { visited.userInfo }

    init(value: TOMLValue, codingPath: [CodingKey], visited: VisitedKeys) {
        self.value = value
        self.codingPath = codingPath
        self.visited = visited
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard let table = value.table else { throw mismatch([String: Any].self, at: codingPath, found: value) }
        return KeyedDecodingContainer(KeyedContainer<Key>(table: table, codingPath: codingPath, visited: visited))
    }

    func unkeyedContainer() throws -> UnkeyedDecodingContainer {
        guard let array = value.array else { throw mismatch([Any].self, at: codingPath, found: value) }
        return UnkeyedContainer(array: array, codingPath: codingPath, visited: visited)
    }

    func singleValueContainer() throws -> SingleValueDecodingContainer {
        SingleValueContainer(value: value, codingPath: codingPath, visited: visited)
    }
}

/// Shared by every decoder and container of one decoding: the paths ("wing.span_m", "waypoints[2].lat_deg") it
/// visited, and the caller's `userInfo`, which every decoder of the tree reports.
final class VisitedKeys {
    var paths: Set<String> = []
    let userInfo: [CodingUserInfoKey: Any]

    init(userInfo: [CodingUserInfoKey: Any] = [:]) { self.userInfo = userInfo }
}

struct IndexKey: CodingKey {
    let intValue: Int?
    let stringValue: String
    init(_ index: Int) { intValue = index; stringValue = "[\(index)]" }
    init?(stringValue: String) { return nil }
    init?(intValue: Int) { self.init(intValue) }
}

func renderPath(_ path: [CodingKey]) -> String {
    var out = ""
    for key in path {
        if key.intValue != nil, key is IndexKey {
            out += key.stringValue
        } else {
            out += out.isEmpty ? key.stringValue : ".\(key.stringValue)"
        }
    }
    return out
}

func describeTOML(_ value: TOMLValue) -> String {
    switch value {
    case .string(let v): return "string \"\(v)\""
    case .integer(let v): return "integer \(v)"
    case .float(let v): return "number \(v)"
    case .boolean(let v): return "boolean \(v)"
    case .array: return "an array"
    case .table: return "a table"
    case .offsetDateTime, .localDateTime, .localDate, .localTime: return "a date or time"
    }
}

func describeExpected(_ type: Any.Type) -> String {
    switch type {
    case is Double.Type, is Float.Type: return "a number"
    case is Int.Type, is Int8.Type, is Int16.Type, is Int32.Type, is Int64.Type,
         is UInt.Type, is UInt8.Type, is UInt16.Type, is UInt32.Type, is UInt64.Type: return "an integer"
    case is String.Type: return "a string"
    case is Bool.Type: return "true or false"
    case is [Any].Type: return "an array"
    case is [String: Any].Type: return "a table"
    default: return "\(type)"
    }
}

func mismatch(_ type: Any.Type, at path: [CodingKey], found: TOMLValue) -> DecodingError {
    DecodingError.typeMismatch(
        type, .init(codingPath: path, debugDescription: "found \(describeTOML(found)), expected \(describeExpected(type))"))
}

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let table: TOMLTable
    let codingPath: [CodingKey]
    let visited: VisitedKeys

    var allKeys: [Key] { table.keys.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { table.contains(key.stringValue) }

    private func child(_ key: Key) throws -> TOMLValue {
        guard let v = table[key.stringValue] else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "missing"))
        }
        visited.paths.insert(renderPath(codingPath + [key]))
        return v
    }

    func decodeNil(forKey key: Key) throws -> Bool { !contains(key) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        let v = try child(key)
        return try TOMLTreeDecoder(value: v, codingPath: codingPath + [key], visited: visited).decodeValue(type)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type,
                                               forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try TOMLTreeDecoder(value: try child(key), codingPath: codingPath + [key], visited: visited)
            .container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> UnkeyedDecodingContainer {
        try TOMLTreeDecoder(value: try child(key), codingPath: codingPath + [key], visited: visited).unkeyedContainer()
    }

    func superDecoder() throws -> Decoder {
        TOMLTreeDecoder(value: .table(table), codingPath: codingPath, visited: visited)
    }
    func superDecoder(forKey key: Key) throws -> Decoder {
        TOMLTreeDecoder(value: try child(key), codingPath: codingPath + [key], visited: visited)
    }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let array: [TOMLValue]
    let codingPath: [CodingKey]
    let visited: VisitedKeys
    var currentIndex = 0

    init(array: [TOMLValue], codingPath: [CodingKey], visited: VisitedKeys) {
        self.array = array; self.codingPath = codingPath; self.visited = visited
    }

    var count: Int? { array.count }
    var isAtEnd: Bool { currentIndex >= array.count }

    private mutating func next() throws -> (TOMLValue, [CodingKey]) {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(Any.self, .init(codingPath: codingPath, debugDescription: "array too short"))
        }
        let path = codingPath + [IndexKey(currentIndex)]
        let v = array[currentIndex]
        visited.paths.insert(renderPath(path))
        currentIndex += 1
        return (v, path)
    }

    mutating func decodeNil() throws -> Bool { false }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let (v, path) = try next()
        return try TOMLTreeDecoder(value: v, codingPath: path, visited: visited).decodeValue(type)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
        -> KeyedDecodingContainer<NestedKey> {
        let (v, path) = try next()
        return try TOMLTreeDecoder(value: v, codingPath: path, visited: visited).container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> UnkeyedDecodingContainer {
        let (v, path) = try next()
        return try TOMLTreeDecoder(value: v, codingPath: path, visited: visited).unkeyedContainer()
    }

    mutating func superDecoder() throws -> Decoder {
        let (v, path) = try next()
        return TOMLTreeDecoder(value: v, codingPath: path, visited: visited)
    }
}

private struct SingleValueContainer: SingleValueDecodingContainer {
    let value: TOMLValue
    let codingPath: [CodingKey]
    let visited: VisitedKeys

    func decodeNil() -> Bool { false }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try TOMLTreeDecoder(value: value, codingPath: codingPath, visited: visited).decodeValue(type)
    }
}

extension TOMLTreeDecoder {
    /// Scalars are read here; everything else goes through `T(from:)`.
    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        if type == Double.self || type == Float.self {
            let number = value.float ?? value.integer.map(Double.init)
            if type == Double.self, let r = number as? T { return r }
            if type == Float.self, let r = number.map(Float.init) as? T { return r }
            throw mismatch(type, at: codingPath, found: value)
        }
        if type == String.self || type == Bool.self {
            if let r = (value.string as Any?) as? T ?? (value.boolean as Any?) as? T { return r }
            throw mismatch(type, at: codingPath, found: value)
        }
        if let intType = type as? any FixedWidthInteger.Type {
            guard let i = value.integer else { throw mismatch(type, at: codingPath, found: value) }
            guard let r = intType.init(exactly: i) as? T else {
                throw DecodingError.dataCorrupted(.init(
                    codingPath: codingPath, debugDescription: "\(i) does not fit \(type)"))
            }
            return r
        }
        let decoded = try T(from: self)
        if let validated = decoded as? any ValidatedConfig {
            do {
                try validated.validate()
            } catch {
                // The type names keys relative to itself; the path to it makes the name whole.
                let prefix = renderPath(codingPath)
                throw ValidationFailure(keyPath: prefix.isEmpty ? error.keyPath : "\(prefix).\(error.keyPath)",
                                        reason: error.reason)
            }
        }
        return decoded
    }
}

struct ValidationFailure: Error {
    let keyPath: String
    let reason: String
}
