import PropertyBased
import Testing
@testable import MAVLink

@Suite struct MissionItemCodingTests {
    func message(_ command: MAVCmd, frame: MAVFrame = .globalRelativeAltInt, p1: Float = 0, p2: Float = 0,
                 p3: Float = 0, x: Int32 = 473_977_420, y: Int32 = 85_455_940, z: Float = 100) -> MissionItemInt {
        MissionItemInt(seq: 4, frame: frame, command: command, autocontinue: 1, param1: p1, param2: p2, param3: p3,
                       x: x, y: y, z: z, missionType: .mission)
    }

    @Test func loiterSignGivesDirection() throws {
        let ccw = try MissionItemCoding.decode(message(.navLoiterTurns, p1: 3, p3: -90))
        #expect(ccw.kind == .loiterTurns(turns: 3, radiusM: 90, clockwise: false))
        let cw = try MissionItemCoding.decode(message(.navLoiterUnlim, p3: 120))
        #expect(cw.kind == .loiterUnlimited(radiusM: 120, clockwise: true))
        let deflt = try MissionItemCoding.decode(message(.navLoiterTime, p1: 30, p3: .nan))
        #expect(deflt.kind == .loiterTime(seconds: 30, radiusM: nil, clockwise: true))
    }

    @Test func takeoffPitchIsConvertedToRadians() throws {
        let item = try MissionItemCoding.decode(message(.navTakeoff, p1: 15, z: 60))
        guard case let .takeoff(pitch) = item.kind else {
            Issue.record("not a takeoff")
            return
        }
        #expect(abs((pitch ?? 0) - 0.261_799_387_799_149_4) < 1e-7)
        #expect(item.position?.altitudeM == 60)
    }

    @Test func designationIsTheDialectCommand() throws {
        #expect(MAVCmd.kestrelDesignation.rawValue == 53200)
        let item = try MissionItemCoding.decode(message(.kestrelDesignation, frame: .globalInt, z: 540.5))
        #expect(item.kind == .designation)
        #expect(item.position == LinkPosition(latitudeE7: 473_977_420, longitudeE7: 85_455_940, altitudeM: 540.5,
                                              altitudeFrame: .amsl))
    }

    @Test func badItemsNameTheFieldThatIsWrong() {
        func result(_ m: MissionItemInt) -> MAVMissionResult? {
            do {
                _ = try MissionItemCoding.decode(m)
                return nil
            } catch { return error.result }
        }
        #expect(result(message(.navWaypoint, frame: .localNed)) == .mavMissionUnsupportedFrame)
        #expect(result(message(.navWaypoint, x: 900_000_001)) == .mavMissionInvalidParam5X)
        #expect(result(message(.navWaypoint, y: -1_800_000_001)) == .mavMissionInvalidParam6Y)
        #expect(result(message(.navWaypoint, z: .nan)) == .mavMissionInvalidParam7)
        #expect(result(message(.navWaypoint, p1: -1)) == .mavMissionInvalidParam1)
        #expect(result(message(.navWaypoint, p2: -5)) == .mavMissionInvalidParam2)
        #expect(result(message(.navLoiterTurns, p1: 0)) == .mavMissionInvalidParam1)
        #expect(result(message(.navLoiterTime, p1: .infinity)) == .mavMissionInvalidParam1)
        #expect(result(message(.navLoiterUnlim, p3: -.infinity)) == .mavMissionInvalidParam3)
        #expect(result(message(.doSetRoiLocation)) == .mavMissionUnsupported)
        // RTL needs no position: any frame, any coordinates.
        #expect(result(message(.navReturnToLaunch, frame: .localNed, x: .max)) == nil)
    }

    @Test func encodeThenDecodeKeepsEveryField() async {
        await propertyCheck(
            count: 300,
            input: Gen.int(in: 0...6), Gen.int(in: -900_000_000...900_000_000),
            Gen.int(in: -1_800_000_000...1_800_000_000), Gen.int(in: -2000...20000), Gen.int(in: 1...2000),
            Gen.bool
        ) { kindIndex, lat, lon, altDm, amount, flag in
            let position = LinkPosition(
                latitudeE7: Int32(lat), longitudeE7: Int32(lon), altitudeM: Double(altDm) / 4,  // float32 on the wire: quarter metres are exact
                altitudeFrame: flag ? .amsl : .relativeToHome)
            let value = Double(amount)
            let kinds: [LinkMissionItem.Kind] = [
                .takeoff(minimumPitchRad: nil), .waypoint(holdS: value, acceptanceRadiusM: flag ? value : nil),
                .loiterUnlimited(radiusM: value, clockwise: flag), .loiterTurns(turns: value, radiusM: nil, clockwise: true),
                .loiterTime(seconds: value, radiusM: value, clockwise: !flag), .returnToLaunch, .designation,
            ]
            let kind = kinds[kindIndex]
            let item = LinkMissionItem(kind: kind, position: kind == .returnToLaunch ? nil : position,
                                       autocontinue: flag)
            let wire = MissionItemCoding.encode(item, seq: 9, current: false, targetSystem: 255, targetComponent: 190)
            let back = try? MissionItemCoding.decode(wire)
            // What the vehicle flies is the item; the fields it came in are kept as sent.
            #expect(back?.kind == item.kind && back?.position == item.position
                    && back?.autocontinue == item.autocontinue)
            #expect(back?.uploaded == UploadedMissionFields(wire))
        }
    }
}
