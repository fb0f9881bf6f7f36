import ConfigFiles
import FlightLog
import FlightMath
import Foundation
import MAVLink

/// Every tunable of an airframe file's autopilot sections (`[control]`, `[guidance]`, `[estimation]`, `[flight]`)
/// as a named parameter a ground station can read and set. The list is what the decoders read (recorded while
/// decoding, defaults included), so it cannot drift from them; a set value is validated by decoding the whole file
/// again with it, so cross-key rules (a minimum above a maximum) hold for parameters exactly as for the file.
///
/// Values are in the file's units (degrees where the key says `_deg`). Changed values are kept as overrides of
/// the file, which the autopilot persists in a parameter file (`ParameterFile` format) and applies at start.
public struct AirframeParameters: Sendable {
    public struct Parameter: Equatable, Sendable {
        public var name: String
        /// Key path in the airframe file.
        public var path: [String]
        public var value: Double
        public var range: ClosedRange<Double>
        public var kind: TunableRecorder.Entry.Kind
        public var unit: String
        /// The component, for a vector tunable (`key = [x, y, z]` in the file).
        public var element: Int?

        /// The file's key (of the whole vector, for a component).
        public var key: String { path.joined(separator: ".") }
    }

    public private(set) var parameters: [Parameter]
    public private(set) var settings: AirframeSettings
    /// Values set over the file's, in the order first set.
    public private(set) var overrides: [ConfigOverride] = []
    private let airframeText: String
    private let airframeSource: String

    /// - Parameters:
    ///   - overrides: a parameter file's entries, applied over the file (each validated as a `set`).
    public init(airframeText: String, source: String, overrides entries: [ParameterFile.Entry] = [],
                overridesSource: String = "") throws(AirframeParameterError) {
        self.airframeText = airframeText
        airframeSource = source
        let (decoded, recorded) = try Self.decode(airframeText, source: source, overrides: [])
        settings = decoded
        parameters = []
        var names: [String: String] = [:]
        for entry in recorded {
            let key = entry.path.joined(separator: ".")
            let name: String
            switch ParameterNaming.name(for: entry.path, element: entry.element) {
            case .name(let n): name = n
            case .notAParameterTable: continue
            case .tooLong(let n): throw .nameTooLong(name: n, key: key)
            }
            let component = key + (entry.element.map { "[\($0)]" } ?? "")
            if let other = names[name], other != component {
                throw .nameClash(name: name, keys: [other, component])
            }
            if names[name] != nil { continue }  // read twice by one decoder: one parameter
            names[name] = component
            parameters.append(Parameter(name: name, path: entry.path, value: entry.value, range: entry.range,
                                        kind: entry.kind, unit: entry.unit, element: entry.element))
        }
        for entry in entries {
            do throws(AirframeParameterError) {
                try set(entry.id.description, to: entry.value)
            } catch {
                throw .inFile(path: overridesSource, line: entry.line, error)
            }
        }
    }

    public static func load(airframePath: String, parameterFilePath: String? = nil)
        throws(AirframeParameterError) -> AirframeParameters
    {
        func read(_ path: String) throws(AirframeParameterError) -> String {
            do { return try String(contentsOfFile: path, encoding: .utf8) } catch {
                throw .unreadable(path: path, reason: "\((error as NSError).localizedDescription)")
            }
        }
        let text = try read(airframePath)
        var entries: [ParameterFile.Entry] = []
        if let parameterFilePath, FileManager.default.fileExists(atPath: parameterFilePath) {
            let text = try read(parameterFilePath)
            do { entries = try ParameterFile.parse(text, path: parameterFilePath) } catch {
                throw .parameterFile(error)
            }
        }
        return try AirframeParameters(airframeText: text, source: airframePath, overrides: entries,
                                      overridesSource: parameterFilePath ?? "")
    }

    public func index(of name: String) -> Int? { parameters.firstIndex { $0.name == name } }

    /// Sets one parameter; returns the value stored. Nothing changes when it throws.
    @discardableResult
    public mutating func set(_ name: String, to value: Double) throws(AirframeParameterError) -> Double {
        guard let index = index(of: name) else { throw .unknown(name: name) }
        let p = parameters[index]
        let stored: ConfigOverride.Value
        switch p.kind {
        case .real:
            guard value.isFinite, p.range.contains(value) else {
                throw .outOfRange(name: name, value: value, range: p.range, unit: p.unit)
            }
            if let element = p.element {
                // The file holds the whole vector: the other components keep their values.
                var vector = parameters.filter { $0.path == p.path }.sorted { ($0.element ?? 0) < ($1.element ?? 0) }
                    .map(\.value)
                guard element < vector.count else { throw .unknown(name: name) }
                vector[element] = value
                stored = .reals(vector)
            } else {
                stored = .real(value)
            }
        case .integer:
            guard value.isFinite, value.rounded() == value, p.range.contains(value) else {
                throw .outOfRange(name: name, value: value, range: p.range, unit: p.unit)
            }
            stored = .integer(Int(value))
        case .flag:
            guard value == 0 || value == 1 else { throw .notAFlag(name: name, value: value) }
            stored = .flag(value == 1)
        }
        var candidate = overrides.filter { $0.path != p.path }
        candidate.append(ConfigOverride(path: p.path, value: stored))
        let (decoded, recorded) = try Self.decode(airframeText, source: airframeSource, overrides: candidate)
        settings = decoded
        overrides = candidate
        for entry in recorded {
            if let i = parameters.firstIndex(where: { $0.path == entry.path && $0.element == entry.element }) {
                parameters[i].value = entry.value
            }
        }
        return parameters[index].value
    }

    /// The parameters as a log's initial parameters (ULog holds float32 and int32, as PX4's tools expect) and, since
    /// float32 does not hold every Double, the exact values as one info string (`NAME=value` lines).
    public var logParameters: [(name: String, value: ULogParameterValue)] {
        parameters.map { p in
            (p.name, p.kind == .real ? .float(Float(p.value)) : .int32(Int32(clamping: Int64(p.value.rounded()))))
        }
    }

    public static let exactValuesInfoKey = "kestrel_parameters_exact"

    public var exactValuesText: String { parameters.map { "\($0.name)=\($0.value)" }.joined(separator: "\n") }

    /// The overrides as parameter-file entries (what `kestrel` persists).
    public var fileEntries: [ParameterFile.Entry] {
        overrides.flatMap { o in
            parameters.filter { $0.path == o.path }.compactMap { p in
                ParameterID(p.name).map { ParameterFile.Entry(id: $0, value: p.value) }
            }
        }
    }

    private static func decode(_ text: String, source: String, overrides: [ConfigOverride])
        throws(AirframeParameterError) -> (AirframeSettings, [TunableRecorder.Entry])
    {
        do {
            return try TunableRecorder.recording { userInfo throws(ConfigFileError) in
                try ConfigFile.decode(AirframeSettings.self, fromTOML: text, source: source,
                                      sectionsReadElsewhere: AirframeSettings.sectionsReadElsewhere,
                                      overrides: overrides, userInfo: userInfo)
            }
        } catch {
            throw .invalid(error)
        }
    }
}

/// Why a parameter could not be read or set; one line naming the parameter (and file and line when from a file).
public indirect enum AirframeParameterError: Error, Sendable, CustomStringConvertible {
    case unknown(name: String)
    case outOfRange(name: String, value: Double, range: ClosedRange<Double>, unit: String)
    case notAFlag(name: String, value: Double)
    case invalid(ConfigFileError)
    case nameClash(name: String, keys: [String])
    case nameTooLong(name: String, key: String)
    case unreadable(path: String, reason: String)
    case parameterFile(ParameterFileError)
    case inFile(path: String, line: Int, AirframeParameterError)

    /// The reason alone, for a reply that already names the parameter (a STATUSTEXT holds 50 characters).
    public var reason: String {
        switch self {
        case .outOfRange(_, let value, let range, let unit):
            let u = unit.isEmpty ? "" : " \(unit)"
            return "\(value)\(u) outside \(range.lowerBound)…\(range.upperBound)"
        case .notAFlag(_, let value): return "flag: 0 or 1, not \(value)"
        case .invalid(let e): return "\(e.problem)"
        default: return description
        }
    }

    public var description: String {
        switch self {
        case .unknown(let name): return "no parameter named \(name)"
        case .outOfRange(let name, let value, let range, let unit):
            let u = unit.isEmpty ? "" : " \(unit)"
            return "\(name) = \(value)\(u) is outside \(range.lowerBound)…\(range.upperBound)\(u)"
        case .notAFlag(let name, let value): return "\(name) is a flag: 0 or 1, not \(value)"
        case .invalid(let e): return "refused by the airframe's rules: \(e)"
        case .nameClash(let name, let keys): return "parameter name \(name) would stand for \(keys.joined(separator: " and "))"
        case .nameTooLong(let name, let key):
            return "parameter name \(name) for \(key) is longer than MAVLink's 16 characters: add an abbreviation"
        case .unreadable(let path, let reason): return "\(path): \(reason)"
        case .parameterFile(let e): return "\(e)"
        case .inFile(let path, let line, let e): return "\(path):\(line): \(e)"
        }
    }
}
