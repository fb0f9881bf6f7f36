import ConfigFiles
import FlightMath
import Guidance

/// The mission plan as written in a TOML file (`[[items]]` tables and an optional `[designation]`):
///
///     [[items]]
///     kind = "launch"            # first item; climb to altitude_m on the launch heading
///     altitude_m = 80
///     [[items]]
///     kind = "waypoint"          # lat_deg, lon_deg, altitude_m (above home), acceptance_radius_m (default 30)
///     [[items]]
///     kind = "loiter"            # lat_deg, lon_deg, altitude_m, radius_m, direction "cw"/"ccw",
///                                # and at most one of turns / time_s (neither: unlimited)
///     [[items]]
///     kind = "rtl"
///     [designation]              # the point the terminal approach may go to, under approval
///     lat_deg = …; lon_deg = …; altitude_m = 0
///     request_terminal = true    # optional: ask for the terminal phase on arrival in an orbit over it
public struct MissionFile: Decodable, Sendable {
    public var items: [Item]
    public var designation: Point?
    /// Ask for the terminal phase once on each arrival in an orbit over the designation (`MissionPlan`).
    public var requestsTerminalOnArrival = false

    /// A mission built in code (an upload from a ground station) rather than read from a file.
    public init(items: [MissionItem], designation: MissionPoint?, requestsTerminalOnArrival: Bool = false) {
        self.items = items.map { Item(item: $0) }
        self.designation = designation.map {
            Point(latDeg: $0.latitudeDeg, lonDeg: $0.longitudeDeg, altitudeM: $0.relativeAltitudeM)
        }
        self.requestsTerminalOnArrival = requestsTerminalOnArrival
    }

    enum CodingKeys: String, CodingKey { case items, designation }

    /// The `[designation]` table: the point and whether to ask on arrival.
    private struct DesignationTable: Decodable {
        var latDeg: Double
        var lonDeg: Double
        var altitudeM: Double
        var requestTerminal: Bool?
        enum CodingKeys: String, CodingKey {
            case latDeg = "lat_deg", lonDeg = "lon_deg", altitudeM = "altitude_m", requestTerminal = "request_terminal"
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        items = try c.decode([Item].self, forKey: .items)
        if let table = try c.decodeIfPresent(DesignationTable.self, forKey: .designation) {
            designation = Point(latDeg: table.latDeg, lonDeg: table.lonDeg, altitudeM: table.altitudeM)
            requestsTerminalOnArrival = table.requestTerminal ?? false
        }
    }

    public struct Point: Decodable, Sendable, Hashable {
        public var latDeg: Double
        public var lonDeg: Double
        public var altitudeM: Double
        enum CodingKeys: String, CodingKey { case latDeg = "lat_deg", lonDeg = "lon_deg", altitudeM = "altitude_m" }

        var missionPoint: MissionPoint {
            MissionPoint(latitudeDeg: latDeg, longitudeDeg: lonDeg, relativeAltitudeM: altitudeM)
        }
    }

    public struct Item: Decodable, Sendable {
        public var item: MissionItem

        public init(item: MissionItem) { self.item = item }

        enum CodingKeys: String, CodingKey {
            case kind, altitudeM = "altitude_m", latDeg = "lat_deg", lonDeg = "lon_deg"
            case acceptanceRadiusM = "acceptance_radius_m", radiusM = "radius_m", direction, turns, timeS = "time_s"
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let kind = try c.decode(String.self, forKey: .kind)
            // Keys that belong to other kinds are errors, not silently ignored settings.
            func forbid(_ keys: [CodingKeys]) throws {
                for k in keys where c.contains(k) {
                    throw DecodingError.dataCorrupted(.init(
                        codingPath: c.codingPath + [k], debugDescription: "not a field of a '\(kind)' item"))
                }
            }
            func point() throws -> MissionPoint {
                MissionPoint(latitudeDeg: try c.decode(Double.self, forKey: .latDeg),
                             longitudeDeg: try c.decode(Double.self, forKey: .lonDeg),
                             relativeAltitudeM: try c.decode(Double.self, forKey: .altitudeM))
            }
            switch kind {
            case "launch":
                try forbid([.latDeg, .lonDeg, .acceptanceRadiusM, .radiusM, .direction, .turns, .timeS])
                item = .launch(altitudeM: try c.decode(Double.self, forKey: .altitudeM))
            case "waypoint":
                try forbid([.radiusM, .direction, .turns, .timeS])
                item = .waypoint(position: try point(),
                                 acceptanceRadiusM: try c.decodeIfPresent(Double.self, forKey: .acceptanceRadiusM) ?? 30)
            case "loiter":
                try forbid([.acceptanceRadiusM])
                let directionText = try c.decodeIfPresent(String.self, forKey: .direction) ?? "cw"
                guard let direction = OrbitDirection(rawValue: directionText) else {
                    throw DecodingError.dataCorrupted(.init(
                        codingPath: c.codingPath + [CodingKeys.direction],
                        debugDescription: "'\(directionText)' is not a direction; expected \"cw\" or \"ccw\""))
                }
                let turns = try c.decodeIfPresent(Double.self, forKey: .turns)
                let seconds = try c.decodeIfPresent(Double.self, forKey: .timeS)
                let exit: LoiterExit
                switch (turns, seconds) {
                case (nil, nil): exit = .unlimited
                case (let t?, nil): exit = .turns(t)
                case (nil, let s?): exit = .time(seconds: s)
                case (.some, .some):
                    throw DecodingError.dataCorrupted(.init(
                        codingPath: c.codingPath + [CodingKeys.turns], debugDescription: "give turns or time_s, not both"))
                }
                item = .loiter(center: try point(), radiusM: try c.decode(Double.self, forKey: .radiusM),
                               direction: direction, exit: exit)
            case "rtl":
                try forbid([.latDeg, .lonDeg, .altitudeM, .acceptanceRadiusM, .radiusM, .direction, .turns, .timeS])
                item = .returnToLaunch
            default:
                throw DecodingError.dataCorrupted(.init(
                    codingPath: c.codingPath + [CodingKeys.kind],
                    debugDescription: "unknown item kind '\(kind)'; expected launch, waypoint, loiter or rtl"))
            }
        }
    }

    /// Loads and validates a mission file; every error names the file, and the item and field where it can.
    public static func load(path: String, home: Geodetic, limits: PlanLimits = PlanLimits()) throws -> MissionPlan {
        let file = try ConfigFile.load(MissionFile.self, fromFile: path)
        return try file.plan(home: home, limits: limits, source: path)
    }

    public func plan(home: Geodetic, limits: PlanLimits = PlanLimits(),
                     exclusion: TerminalExclusion = TerminalExclusion(), source: String) throws(MissionFileError)
        -> MissionPlan {
        do {
            return try MissionPlan.validated(items: items.map(\.item), designation: designation.map {
                Designation(position: $0.missionPoint)
            }, home: home, limits: limits, exclusion: exclusion, requestsTerminalOnArrival: requestsTerminalOnArrival)
        } catch {
            throw MissionFileError(file: source, error: error)
        }
    }
}

/// A plan that decoded but failed validation, with the file it came from.
public struct MissionFileError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let error: MissionPlanError
    public var description: String { "\(file): \(error.description)" }
}
