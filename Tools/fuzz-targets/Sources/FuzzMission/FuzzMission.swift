// libFuzzer entry point: the input is the text of a mission file. It is decoded by `MissionFile` (the ConfigFuzz
// invariant), and a decoded file is then validated into a `MissionPlan` for the closed-loop scenarios' home: that
// either throws a `MissionFileError` naming the file, or gives a plan whose every number is finite and within the
// plan limits it was validated against (what the mission layer relies on downstream).
import ConfigFiles
import ConfigFuzzSupport
import FlightMath
import FuzzSupport
import Mission

enum MissionFuzz {
    static let home = Geodetic(latitudeDeg: 47.397742, longitudeDeg: 8.545594, altitudeM: 488)
    static let limits = PlanLimits()

    static func check(_ file: MissionFile) -> String? {
        let plan: MissionPlan
        do { plan = try file.plan(home: home, limits: limits, source: ConfigFuzz.source) } catch {
            return error.file == ConfigFuzz.source ? nil : "a plan error without the file: \(error)"
        }
        for (index, item) in plan.items.enumerated() {
            switch item {
            case .launch(let altitudeM):
                if let bad = outOfLimits(altitudeM) { return "items[\(index)] launch altitude \(bad)" }
            case .waypoint(let p, let acceptanceRadiusM):
                if let bad = check(p) ?? firstNonFinite([("acceptance_radius_m", acceptanceRadiusM)]) {
                    return "items[\(index)] \(bad)"
                }
            case .loiter(let c, let radiusM, _, _):
                if let bad = check(c) ?? firstNonFinite([("radius_m", radiusM)]) { return "items[\(index)] \(bad)" }
                if radiusM < limits.minimumLoiterRadiusM { return "items[\(index)] radius \(radiusM) m below limit" }
            case .returnToLaunch:
                break
            }
        }
        if let d = plan.designation, let bad = check(d.position, altitudeLimited: false) {
            return "designation \(bad)"
        }
        return nil
    }

    static func check(_ p: MissionPoint, altitudeLimited: Bool = true) -> String? {
        if let bad = firstNonFinite([("lat_deg", p.latitudeDeg), ("lon_deg", p.longitudeDeg),
                                     ("altitude_m", p.relativeAltitudeM)]) { return bad }
        guard abs(p.latitudeDeg) <= 90, abs(p.longitudeDeg) <= 180 else {
            return "position \(p.latitudeDeg), \(p.longitudeDeg) off the globe"
        }
        return altitudeLimited ? outOfLimits(p.relativeAltitudeM) : nil
    }

    static func outOfLimits(_ altitudeM: Double) -> String? {
        altitudeM.isFinite && altitudeM >= limits.minimumAltitudeM && altitudeM <= limits.maximumAltitudeM
            ? nil : "\(altitudeM) m outside \(limits.minimumAltitudeM)…\(limits.maximumAltitudeM) m"
    }
}

@_cdecl("fuzz_mission_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzMission)
}

let fuzzMission: FuzzCallback = { data, size in
    ConfigFuzz.check(MissionFile.self, data, size, accept: MissionFuzz.check)
    return 0
}
