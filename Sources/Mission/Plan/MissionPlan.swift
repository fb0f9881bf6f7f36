import FlightMath
import Guidance
import RealModule

/// What a validated plan must respect: the airframe's turn performance and the operating area.
public struct PlanLimits: Sendable, Hashable {
    public var minimumLoiterRadiusM: Double
    public var maximumDistanceFromHomeM: Double
    public var minimumAltitudeM: Double
    public var maximumAltitudeM: Double
    public var minimumAcceptanceRadiusM: Double

    public init(minimumLoiterRadiusM: Double = 40, maximumDistanceFromHomeM: Double = 20_000,
                minimumAltitudeM: Double = 20, maximumAltitudeM: Double = 500, minimumAcceptanceRadiusM: Double = 5) {
        self.minimumLoiterRadiusM = minimumLoiterRadiusM
        self.maximumDistanceFromHomeM = maximumDistanceFromHomeM
        self.minimumAltitudeM = minimumAltitudeM
        self.maximumAltitudeM = maximumAltitudeM
        self.minimumAcceptanceRadiusM = minimumAcceptanceRadiusM
    }
}

/// A mission plan that passed validation: launch, waypoints, loiters, RTL and the designation. Build one with
/// `MissionPlan.validated(items:designation:home:limits:)`; there is no other way to get one, so everything
/// downstream can rely on the checks.
public struct MissionPlan: Sendable, Equatable {
    public let items: [MissionItem]
    public let designation: Designation?
    public let home: Geodetic
    /// Ask for the terminal phase once on each arrival in an orbit over the designation (a loiter item whose centre
    /// is within its radius of it): the mission's MAV_CMD_KESTREL_REQUEST_TERMINAL item or the file's
    /// `[designation] request_terminal = true`. Asking approves nothing.
    public let requestsTerminalOnArrival: Bool

    /// Validates in item order and reports the first problem, naming the item (1-based, as operators count
    /// them in a GCS) and the field.
    ///
    /// With a designation, no item may take the vehicle into its exclusion volume (`exclusion`): only an approved
    /// terminal phase may go there. Orbits over the designation above the volume stay allowed.
    public static func validated(items: [MissionItem], designation: Designation?, home: Geodetic,
                                 limits: PlanLimits = PlanLimits(),
                                 exclusion: TerminalExclusion = TerminalExclusion(),
                                 requestsTerminalOnArrival: Bool = false) throws(MissionPlanError)
        -> MissionPlan {
        guard !items.isEmpty else { throw .empty }
        guard home.isFinite, abs(home.latitudeDeg) <= 90, abs(home.longitudeDeg) <= 180 else {
            throw .invalidHome
        }
        let frame = LocalFrame(origin: home)
        var previous: MissionPoint?
        for (index, item) in items.enumerated() {
            let n = index + 1
            switch item {
            case .launch(let alt):
                guard index == 0 else { throw .misplaced(item: n, kind: "launch", rule: "launch must be the first item") }
                try checkAltitude(alt, item: n, limits: limits)
            case .waypoint(let p, let acceptance):
                try checkPosition(p, item: n, limits: limits, frame: frame)
                guard acceptance.isFinite, acceptance >= limits.minimumAcceptanceRadiusM, acceptance <= 500 else {
                    throw .outOfRange(item: n, field: "acceptance_radius_m", value: acceptance,
                                      range: limits.minimumAcceptanceRadiusM...500)
                }
            case .loiter(let c, let radius, _, let exit):
                try checkPosition(c, item: n, limits: limits, frame: frame)
                guard radius.isFinite, radius >= limits.minimumLoiterRadiusM, radius <= 2000 else {
                    throw .unreachable(item: n, field: "radius_m",
                                       reason: "radius \(radius) m is below the airframe's minimum turn radius "
                                           + "\(limits.minimumLoiterRadiusM) m or above 2000 m")
                }
                switch exit {
                case .unlimited: break
                case .turns(let t):
                    guard t.isFinite, t >= 1, t <= 1000 else {
                        throw .outOfRange(item: n, field: "turns", value: t, range: 1...1000)
                    }
                case .time(let s):
                    guard s.isFinite, s > 0, s <= 86_400 else {
                        throw .outOfRange(item: n, field: "time_s", value: s, range: 1...86_400)
                    }
                }
            case .returnToLaunch:
                guard index == items.count - 1 else {
                    throw .misplaced(item: n, kind: "rtl", rule: "rtl must be the last item")
                }
            }
            if let p = item.position {
                if let prev = previous, (p.ned(in: frame) - prev.ned(in: frame)).norm < 1 {
                    throw .duplicate(item: n, previousItem: n - 1)
                }
                previous = p
            }
        }
        if let d = designation {
            do {
                try checkPosition(d.position, item: 0, limits: limits, frame: frame, allowGround: true)
            } catch {
                throw .invalidDesignation(reason: error.description)
            }
            try checkExclusion(items: items, volume: exclusion.volume(aroundNED: d.position.ned(in: frame)),
                               frame: frame)
        }
        if requestsTerminalOnArrival {
            guard let d = designation else {
                throw .terminalRequestWithoutOrbit(reason: "the mission has no designation to ask for")
            }
            let target = d.position.ned(in: frame)
            let overDesignation = items.contains { item in
                guard case .loiter(let c, let radius, _, _) = item else { return false }
                let centre = c.ned(in: frame)
                let dx = centre.x - target.x, dy = centre.y - target.y
                return (dx * dx + dy * dy).squareRoot() <= radius
            }
            guard overDesignation else {
                throw .terminalRequestWithoutOrbit(reason: "no loiter item orbits over the designation (centre within "
                                                   + "its radius of it), so the vehicle would never ask")
            }
        }
        return MissionPlan(items: items, designation: designation, home: home,
                           requestsTerminalOnArrival: requestsTerminalOnArrival)
    }

    /// Walks the plan as the sequencer flies it — the launch climbs over home, each leg runs from the previous point
    /// — and names the first item that enters the designation's exclusion volume.
    private static func checkExclusion(items: [MissionItem], volume: ExclusionVolume,
                                       frame: LocalFrame) throws(MissionPlanError) {
        func refuse(_ index: Int, _ entry: ExclusionEntry) -> MissionPlanError {
            .insideTerminalExclusion(item: index + 1, kind: items[index].kindName, entry: entry,
                                     radiusM: volume.radiusM,
                                     heightAboveDesignationM: volume.topHeightM + volume.designationNEDM.z)
        }
        var previous: Vector3?
        for (index, item) in items.enumerated() {
            switch item {
            case .launch(let altitudeM):
                if volume.legEnters(from: .zero, to: Vector3(0, 0, -altitudeM)) { throw refuse(index, .launch) }
                previous = Vector3(0, 0, -altitudeM)
            case .waypoint(let p, _):
                let ned = p.ned(in: frame)
                if volume.contains(ned) { throw refuse(index, .point) }
                if let a = previous, volume.legEnters(from: a, to: ned) { throw refuse(index, .leg) }
                previous = ned
            case .loiter(let c, let radiusM, _, _):
                let ned = c.ned(in: frame)
                if volume.orbitEnters(centerNEDM: ned, orbitRadiusM: radiusM) { throw refuse(index, .orbit) }
                if let a = previous, volume.legEnters(from: a, to: ned) { throw refuse(index, .leg) }
                previous = ned
            case .returnToLaunch:
                break
            }
        }
    }

    private static func checkAltitude(_ alt: Double, item: Int, limits: PlanLimits) throws(MissionPlanError) {
        guard alt.isFinite, alt >= limits.minimumAltitudeM, alt <= limits.maximumAltitudeM else {
            throw .outOfRange(item: item, field: "altitude_m", value: alt,
                              range: limits.minimumAltitudeM...limits.maximumAltitudeM)
        }
    }

    private static func checkPosition(_ p: MissionPoint, item: Int, limits: PlanLimits, frame: LocalFrame,
                                      allowGround: Bool = false) throws(MissionPlanError) {
        guard p.latitudeDeg.isFinite, abs(p.latitudeDeg) <= 90 else {
            throw .outOfRange(item: item, field: "lat_deg", value: p.latitudeDeg, range: -90...90)
        }
        guard p.longitudeDeg.isFinite, abs(p.longitudeDeg) <= 180 else {
            throw .outOfRange(item: item, field: "lon_deg", value: p.longitudeDeg, range: -180...180)
        }
        // The designation may sit on the ground or below home; flight items respect the minimum altitude.
        if allowGround {
            guard p.relativeAltitudeM.isFinite, p.relativeAltitudeM >= -500,
                  p.relativeAltitudeM <= limits.maximumAltitudeM else {
                throw .outOfRange(item: item, field: "altitude_m", value: p.relativeAltitudeM,
                                  range: -500...limits.maximumAltitudeM)
            }
        } else {
            try checkAltitude(p.relativeAltitudeM, item: item, limits: limits)
        }
        let ned = p.ned(in: frame)
        let distance = (ned.x * ned.x + ned.y * ned.y).squareRoot()
        guard distance <= limits.maximumDistanceFromHomeM else {
            throw .unreachable(item: item, field: "lat_deg/lon_deg",
                               reason: "\(Int(distance)) m from home, beyond the \(Int(limits.maximumDistanceFromHomeM)) m limit")
        }
    }
}

public enum MissionPlanError: Error, CustomStringConvertible, Equatable {
    case empty
    case invalidHome
    case outOfRange(item: Int, field: String, value: Double, range: ClosedRange<Double>)
    case misplaced(item: Int, kind: String, rule: String)
    case duplicate(item: Int, previousItem: Int)
    case unreachable(item: Int, field: String, reason: String)
    case invalidDesignation(reason: String)
    /// Item `item` would take the vehicle into the designation's exclusion volume (within `radiusM` of it, below
    /// `heightAboveDesignationM` above it), where only an approved terminal phase may fly.
    case insideTerminalExclusion(item: Int, kind: String, entry: ExclusionEntry, radiusM: Double,
                                 heightAboveDesignationM: Double)
    /// The plan asks for the terminal phase on arrival but gives no orbit over a designation to ask from.
    case terminalRequestWithoutOrbit(reason: String)

    public var description: String {
        switch self {
        case .empty: return "mission has no items"
        case .invalidHome: return "home position is not a valid latitude/longitude/altitude"
        case .outOfRange(let item, let field, let value, let range):
            return "item \(item): \(field) = \(value) is outside \(range.lowerBound)…\(range.upperBound)"
        case .misplaced(let item, let kind, let rule): return "item \(item) (\(kind)): \(rule)"
        case .duplicate(let item, let prev): return "item \(item) repeats the position of item \(prev)"
        case .unreachable(let item, let field, let reason): return "item \(item): \(field): \(reason)"
        case .invalidDesignation(let reason): return "designation: \(reason.replacingItemZero())"
        case .insideTerminalExclusion(let item, let kind, let entry, let radiusM, let heightM):
            return "item \(item) (\(kind)): \(entry) the terminal exclusion volume (within \(Int(radiusM.rounded())) m "
                + "of the designation, below \(Int(heightM.rounded())) m above it); only an approved terminal phase "
                + "may fly there"
        case .terminalRequestWithoutOrbit(let reason): return "terminal request on arrival: \(reason)"
        }
    }
}

/// How a plan item enters the exclusion volume.
public enum ExclusionEntry: Sendable, Equatable, CustomStringConvertible {
    /// The launch climb over home.
    case launch
    /// The item's point lies inside.
    case point
    /// The leg from the previous point to it passes through.
    case leg
    /// Its orbit passes through.
    case orbit

    public var description: String {
        switch self {
        case .launch: "the launch climbs through"
        case .point: "its point lies in"
        case .leg: "the leg to it passes through"
        case .orbit: "its orbit passes through"
        }
    }
}

extension String {
    fileprivate func replacingItemZero() -> String {
        hasPrefix("item 0: ") ? String(dropFirst("item 0: ".count)) : self
    }
}
