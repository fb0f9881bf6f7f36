import ConfigFiles
import FlightMath
import Guidance
import Mission
import Testing

private let home = Geodetic(latitudeDeg: 47.0, longitudeDeg: 8.0, altitudeM: 450)

private func point(_ north: Double, _ east: Double, alt: Double = 100) -> MissionPoint {
    let g = LocalFrame(origin: home).geodetic(ofNED: Vector3(north, east, 0))
    return MissionPoint(latitudeDeg: g.latitudeDeg, longitudeDeg: g.longitudeDeg, relativeAltitudeM: alt)
}

private let demoTOML = """
[[items]]
kind = "launch"
altitude_m = 80

[[items]]
kind = "waypoint"
lat_deg = 47.0054
lon_deg = 8.0
altitude_m = 100

[[items]]
kind = "loiter"
lat_deg = 47.0054
lon_deg = 8.008
altitude_m = 120
radius_m = 120
direction = "ccw"
time_s = 180

[[items]]
kind = "rtl"

[designation]
lat_deg = 47.0054
lon_deg = 8.008
altitude_m = 0
"""

@Suite struct MissionPlanTests {
    @Test func validPlanLoadsFromTOML() throws {
        let file = try ConfigFile.decode(MissionFile.self, fromTOML: demoTOML, source: "demo.toml")
        let plan = try file.plan(home: home, source: "demo.toml")
        #expect(plan.items.count == 4)
        #expect(plan.items[2] == .loiter(center: MissionPoint(latitudeDeg: 47.0054, longitudeDeg: 8.008, relativeAltitudeM: 120),
                                          radiusM: 120, direction: .counterClockwise, exit: .time(seconds: 180)))
        #expect(plan.designation?.position.relativeAltitudeM == 0)
        // 0.0054° of latitude is about 600 m north of home.
        let ned = file.items[1].item.position!.ned(in: LocalFrame(origin: home))
        #expect(abs(ned.x - 600.4) < 1)
    }

    @Test func everyValidationErrorNamesItemAndField() {
        func reject(_ items: [MissionItem], _ expected: MissionPlanError, designation: Designation? = nil) {
            #expect(throws: expected) {
                _ = try MissionPlan.validated(items: items, designation: designation, home: home)
            }
        }
        reject([], .empty)
        reject([.launch(altitudeM: 80), .waypoint(position: point(100, 0, alt: 5), acceptanceRadiusM: 30)],
               .outOfRange(item: 2, field: "altitude_m", value: 5, range: 20...500))
        reject([.waypoint(position: MissionPoint(latitudeDeg: 91, longitudeDeg: 8, relativeAltitudeM: 100),
                          acceptanceRadiusM: 30)],
               .outOfRange(item: 1, field: "lat_deg", value: 91, range: -90...90))
        reject([.waypoint(position: point(100, 0), acceptanceRadiusM: 30), .launch(altitudeM: 80)],
               .misplaced(item: 2, kind: "launch", rule: "launch must be the first item"))
        reject([.returnToLaunch, .waypoint(position: point(100, 0), acceptanceRadiusM: 30)],
               .misplaced(item: 1, kind: "rtl", rule: "rtl must be the last item"))
        reject([.waypoint(position: point(100, 0), acceptanceRadiusM: 30),
                .waypoint(position: point(100.2, 0), acceptanceRadiusM: 30)],
               .duplicate(item: 2, previousItem: 1))
        reject([.loiter(center: point(300, 0), radiusM: 15, direction: .clockwise, exit: .unlimited)],
               .unreachable(item: 1, field: "radius_m",
                            reason: "radius 15.0 m is below the airframe's minimum turn radius 40.0 m or above 2000 m"))
        reject([.waypoint(position: point(30_000, 0), acceptanceRadiusM: 30)],
               .unreachable(item: 1, field: "lat_deg/lon_deg", reason: "30000 m from home, beyond the 20000 m limit"))
        reject([.loiter(center: point(300, 0), radiusM: 100, direction: .clockwise, exit: .turns(0))],
               .outOfRange(item: 1, field: "turns", value: 0, range: 1...1000))
    }

    @Test func nanIsNeverAccepted() {
        #expect(throws: MissionPlanError.self) {
            _ = try MissionPlan.validated(items: [.waypoint(position: point(100, 0, alt: .nan), acceptanceRadiusM: 30)],
                                          designation: nil, home: home)
        }
        #expect(throws: MissionPlanError.self) {
            _ = try MissionPlan.validated(
                items: [.waypoint(position: MissionPoint(latitudeDeg: .nan, longitudeDeg: 8, relativeAltitudeM: 100),
                                  acceptanceRadiusM: 30)], designation: nil, home: home)
        }
        #expect(throws: MissionPlanError.self) {
            _ = try MissionPlan.validated(
                items: [.loiter(center: point(200, 0), radiusM: 100, direction: .clockwise, exit: .time(seconds: .infinity))],
                designation: nil, home: home)
        }
    }

    @Test func fileErrorsNameTheKey() {
        func error(_ toml: String) -> String {
            do {
                let f = try ConfigFile.decode(MissionFile.self, fromTOML: toml, source: "m.toml")
                _ = try f.plan(home: home, source: "m.toml")
                return "accepted"
            } catch {
                return "\(error)"
            }
        }
        #expect(error("[[items]]\nkind = \"hover\"\n").contains("items[0].kind"))
        #expect(error("[[items]]\nkind = \"waypoint\"\nlat_deg = 47.001\nlon_deg = 8\naltitude_m = 100\nradius_m = 50\n")
            .contains("items[0].radius_m"))
        #expect(error("[[items]]\nkind = \"loiter\"\nlat_deg = 47.001\nlon_deg = 8\naltitude_m = 100\nradius_m = 80\nturns = 2\ntime_s = 60\n")
            .contains("not both"))
        #expect(error("[[items]]\nkind = \"waypoint\"\nlat_deg = 47.001\nlon_deg = 8\n").contains("missing required key 'items[0].altitude_m'"))
        #expect(error("[[items]]\nkind = \"waypoint\"\nlat_deg = 47.001\nlon_deg = 8\naltitude_m = 9000\n")
            .contains("m.toml: item 1: altitude_m = 9000.0"))
        #expect(error("[[items]]\nkind = \"loiter\"\nlat_deg = 47.001\nlon_deg = 8\naltitude_m = 100\nradius_m = 80\ndirection = \"left\"\n")
            .contains("expected \"cw\" or \"ccw\""))
    }
}

@Suite struct GeofenceTests {
    let frame = LocalFrame(origin: home)

    private func square(_ halfM: Double) -> [(latitude: Double, longitude: Double)] {
        [(-halfM, -halfM), (-halfM, halfM), (halfM, halfM), (halfM, -halfM)].map { n, e in
            let g = frame.geodetic(ofNED: Vector3(n, e, 0))
            return (g.latitudeDeg, g.longitudeDeg)
        }
    }

    @Test func insideOutsideFloorCeiling() throws {
        let fence = try Geofence(polygonDeg: square(1000), floorM: 30, ceilingM: 300, frame: frame)
        #expect(fence.breach(atNED: Vector3(0, 0, -100)) == nil)
        #expect(fence.breach(atNED: Vector3(990, -990, -100)) == nil)
        guard case .outsidePolygon(let d)? = fence.breach(atNED: Vector3(1050, 0, -100)) else {
            Issue.record("not outside"); return
        }
        #expect(abs(d - 50) < 0.5)
        #expect(fence.breach(atNED: Vector3(0, 0, -20)) == .belowFloor(altitudeM: 20))
        #expect(fence.breach(atNED: Vector3(0, 0, -310)) == .aboveCeiling(altitudeM: 310))
    }

    @Test func concavePolygon() throws {
        // An L shape: the notch at the north-east is outside.
        let ne: [(Double, Double)] = [(0, 0), (0, 1000), (500, 1000), (500, 500), (1000, 500), (1000, 0)]
        let poly = ne.map { n, e in
            let g = frame.geodetic(ofNED: Vector3(n, e, 0))
            return (latitude: g.latitudeDeg, longitude: g.longitudeDeg)
        }
        let fence = try Geofence(polygonDeg: poly, floorM: 0, ceilingM: 400, frame: frame)
        #expect(fence.contains(north: 250, east: 750))
        #expect(fence.contains(north: 750, east: 250))
        #expect(!fence.contains(north: 750, east: 750))
    }

    @Test func badFencesAreRejected() {
        #expect(throws: GeofenceError.tooFewVertices(2)) {
            _ = try Geofence(polygonDeg: [(47, 8), (47.01, 8)], floorM: 0, ceilingM: 100, frame: frame)
        }
        #expect(throws: GeofenceError.badAltitudes(floorM: 100, ceilingM: 50)) {
            _ = try Geofence(polygonDeg: square(100), floorM: 100, ceilingM: 50, frame: frame)
        }
        // A bow tie crosses itself.
        let s = square(100)
        #expect(throws: GeofenceError.selfIntersecting(edgeA: 1, edgeB: 3)) {
            _ = try Geofence(polygonDeg: [s[0], s[2], s[1], s[3]], floorM: 0, ceilingM: 100, frame: frame)
        }
    }
}
