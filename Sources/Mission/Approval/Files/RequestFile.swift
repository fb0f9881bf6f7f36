import SecretFiles

/// A request as a text file, for carrying it to `kestrel approve` (the ground station writes what the vehicle sent):
///
///     # Kestrel terminal approval request
///     format = kestrel-terminal-request-v1
///     vehicle_id = 5427464722094080023
///     sequence = 3
///     nonce = 0f1e2d3c4b5a69788796a5b4c3d2e1f0
///     latitude_e7 = 473977419
///     longitude_e7 = 85455938
///     altitude_mm = 488000
///     issued_us = 1795300000000000
///     expires_us = 1795300030000000
///
/// Integers are decimal; the nonce is 32 hex digits in wire order. `format` must come first, so a different file
/// is recognised as such before anything else is read.
public enum RequestFile {
    public static let format = "kestrel-terminal-request-v1"
    static let keys = [
        "format", "vehicle_id", "sequence", "nonce", "latitude_e7", "longitude_e7", "altitude_mm", "issued_us",
        "expires_us",
    ]

    public static func text(for r: ApprovalRequest) -> String {
        KeyValueText.render(
            [
                ("format", format), ("vehicle_id", String(r.vehicleID.rawValue)), ("sequence", String(r.sequence)),
                ("nonce", r.nonce.description), ("latitude_e7", String(r.point.latitudeE7)),
                ("longitude_e7", String(r.point.longitudeE7)), ("altitude_mm", String(r.point.altitudeMm)),
                ("issued_us", String(r.issuedUs)), ("expires_us", String(r.expiresUs)),
            ], header: "# Kestrel terminal approval request\n")
    }

    public static func load(path: String) throws(ApprovalFileError) -> ApprovalRequest {
        try parse(try ApprovalFileError.read(path: path, access: .any), path: path)
    }

    public static func parse(_ bytes: [UInt8], path: String) throws(ApprovalFileError) -> ApprovalRequest {
        let fields = try TypedFields(bytes, path: path, format: format, allowedKeys: keys)
        let request = ApprovalRequest(
            nonce: try fields.nonce("nonce"), vehicleID: VehicleID(try fields.integer("vehicle_id", UInt64.self)),
            point: try fields.point(), issuedUs: try fields.integer("issued_us", UInt64.self),
            expiresUs: try fields.integer("expires_us", UInt64.self), sequence: try fields.integer("sequence", UInt32.self))
        guard request.expiresUs > request.issuedUs else {
            throw ApprovalFileError(path: path, line: fields.line("expires_us"), problem: .expiryNotAfterIssue)
        }
        return request
    }
}

/// A signed approval or wave-off as a text file, what `kestrel approve` produces for the uplink:
/// the request's signed fields plus `decision` (approve | wave-off), `key_id` (16 hex) and `signature` (128 hex).
public enum ApprovalFile {
    public static let format = "kestrel-terminal-approval-v1"
    static let keys = [
        "format", "vehicle_id", "nonce", "latitude_e7", "longitude_e7", "altitude_mm", "expires_us", "decision",
        "key_id", "signature",
    ]

    public static func text(for a: Approval) -> String {
        KeyValueText.render(
            [
                ("format", format), ("vehicle_id", String(a.vehicleID.rawValue)), ("nonce", a.nonce.description),
                ("latitude_e7", String(a.point.latitudeE7)), ("longitude_e7", String(a.point.longitudeE7)),
                ("altitude_mm", String(a.point.altitudeMm)), ("expires_us", String(a.expiresUs)),
                ("decision", a.decision == .approve ? "approve" : "wave-off"), ("key_id", a.keyID.description),
                ("signature", a.signature.description),
            ], header: "# Kestrel terminal approval (\(a.decision))\n")
    }

    public static func load(path: String) throws(ApprovalFileError) -> Approval {
        try parse(try ApprovalFileError.read(path: path, access: .any), path: path)
    }

    public static func parse(_ bytes: [UInt8], path: String) throws(ApprovalFileError) -> Approval {
        let fields = try TypedFields(bytes, path: path, format: format, allowedKeys: keys)
        let decisionEntry = try fields.required("decision")
        let decision: ApprovalDecision
        switch decisionEntry.value {
        case "approve": decision = .approve
        case "wave-off": decision = .waveOff
        default:
            throw fields.error(decisionEntry.line, .badValue(key: "decision", expected: "'approve' or 'wave-off'"))
        }
        let keyEntry = try fields.required("key_id")
        guard let keyBytes = Hex.decode(keyEntry.value), let keyID = OperatorKeyID(bytes: keyBytes) else {
            throw fields.error(keyEntry.line, .badValue(key: "key_id", expected: "16 hex digits"))
        }
        let sigEntry = try fields.required("signature")
        guard let sigBytes = Hex.decode(sigEntry.value), let signature = Ed25519Signature(bytes: sigBytes) else {
            throw fields.error(sigEntry.line, .badValue(key: "signature", expected: "128 hex digits"))
        }
        return Approval(
            vehicleID: VehicleID(try fields.integer("vehicle_id", UInt64.self)), nonce: try fields.nonce("nonce"),
            point: try fields.point(), expiresUs: try fields.integer("expires_us", UInt64.self), decision: decision,
            keyID: keyID, signature: signature)
    }
}

/// Field access with errors naming the file, line and key.
struct TypedFields {
    let text: KeyValueText
    let path: String

    init(_ bytes: [UInt8], path: String, format: String, allowedKeys: [String]) throws(ApprovalFileError) {
        self.path = path
        do { text = try KeyValueText(bytes: bytes) } catch {
            switch error {
            case .notUTF8: throw ApprovalFileError(path: path, line: nil, problem: .notUTF8)
            case .notKeyValue(let line): throw ApprovalFileError(path: path, line: line, problem: .notKeyValue)
            case .duplicateKey(let key, let line):
                throw ApprovalFileError(path: path, line: line, problem: .duplicateKey(key))
            }
        }
        guard let first = text.entries.first, first.key == "format" else {
            throw ApprovalFileError(path: path, line: text.entries.first?.line, problem: .wrongFormat(found: nil, expected: format))
        }
        guard first.value == format else {
            throw ApprovalFileError(path: path, line: first.line, problem: .wrongFormat(found: first.value, expected: format))
        }
        for e in text.entries where !allowedKeys.contains(e.key) {
            throw ApprovalFileError(path: path, line: e.line, problem: .unknownKey(e.key))
        }
    }

    func error(_ line: Int?, _ problem: ApprovalFileProblem) -> ApprovalFileError {
        ApprovalFileError(path: path, line: line, problem: problem)
    }

    func line(_ key: String) -> Int? { text.entry(key)?.line }

    func required(_ key: String) throws(ApprovalFileError) -> KeyValueText.Entry {
        guard let e = text.entry(key) else { throw error(nil, .missingKey(key)) }
        return e
    }

    func integer<T: FixedWidthInteger>(_ key: String, _: T.Type) throws(ApprovalFileError) -> T {
        let e = try required(key)
        guard let v = T(e.value, radix: 10) else {
            throw error(e.line, .badValue(key: key, expected: "a decimal integer in \(T.min)...\(T.max)"))
        }
        return v
    }

    func nonce(_ key: String) throws(ApprovalFileError) -> ApprovalNonce {
        let e = try required(key)
        guard e.value.count == 32, let bytes = Hex.decode(e.value), let n = ApprovalNonce(bytes: bytes) else {
            throw error(e.line, .badValue(key: key, expected: "32 hex digits"))
        }
        return n
    }

    func point() throws(ApprovalFileError) -> DesignatedPoint {
        let lat = try integer("latitude_e7", Int32.self)
        let lon = try integer("longitude_e7", Int32.self)
        let alt = try integer("altitude_mm", Int32.self)
        do { return try DesignatedPoint(latitudeE7: lat, longitudeE7: lon, altitudeMm: alt) } catch {
            switch error {
            case .latitudeOutOfRange: throw self.error(line("latitude_e7"), .designation(error.description))
            default: throw self.error(line("longitude_e7"), .designation(error.description))
            }
        }
    }
}

/// The problems of a request or approval file (`RequestFile`, `ApprovalFile`); messages name the file by path only.
public enum ApprovalFileProblem: OperatorFileProblem {
    case unreadable(String)
    case notUTF8
    case notKeyValue
    case duplicateKey(String)
    case unknownKey(String)
    case missingKey(String)
    case wrongFormat(found: String?, expected: String)
    case badValue(key: String, expected: String)
    case designation(String)
    case expiryNotAfterIssue

    public static var fileKind: String? { nil }

    public init(readFailure: FileReadError) { self = .unreadable(readFailure.reason) }

    public func text(path: String) -> String {
        let what: String
        switch self {
        case .unreadable(let why): what = why
        case .notUTF8: what = "not UTF-8 text"
        case .notKeyValue: what = "expected 'key = value'"
        case .duplicateKey(let k): what = "'\(k)' appears twice"
        case .unknownKey(let k): what = "unknown key '\(k)'"
        case .missingKey(let k): what = "missing '\(k)'"
        case .wrongFormat(let found, let expected):
            what = "not a '\(expected)' file (first line must be 'format = \(expected)'"
                + (found.map { ", found '\($0)')" } ?? ")")
        case .badValue(let k, let expected): what = "'\(k)' must be \(expected)"
        case .designation(let why): what = why
        case .expiryNotAfterIssue: what = "'expires_us' is not after 'issued_us'"
        }
        return what
    }
}
