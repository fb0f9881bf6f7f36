@testable import FlightRuntime
import FlightMath
import Guidance
import MAVLink
import Mission
import Testing

/// MAV_CMD_KESTREL_REQUEST_TERMINAL as a mission item: decoded from MISSION_ITEM_INT, turned into the plan's
/// "ask on arrival", refused where it cannot mean anything, and downloaded again.
@Suite struct TerminalRequestItemTests {
    static let home = Geodetic(latitudeDeg: 47.397742, longitudeDeg: 8.545594, altitudeM: 488)
    static func position(_ north: Double, _ east: Double, _ altitudeM: Double) -> LinkPosition {
        let g = LocalFrame(origin: home).geodetic(ofNED: Vector3(north, east, 0))
        return LinkPosition(latitudeE7: Int32((g.latitudeDeg * 1e7).rounded()),
                            longitudeE7: Int32((g.longitudeDeg * 1e7).rounded()), altitudeM: altitudeM,
                            altitudeFrame: .relativeToHome)
    }
    static let flown = [
        LinkMissionItem(kind: .takeoff(minimumPitchRad: nil), position: position(0, 0, 60)),
        LinkMissionItem(kind: .loiterUnlimited(radiusM: 120, clockwise: true), position: position(350, 250, 80)),
    ]
    static let designation = LinkMissionItem(kind: .designation, position: position(350, 250, 0))
    static let request = LinkMissionItem(kind: .requestTerminal, position: nil)

    @Test func theItemDecodesWithoutAPositionAndEncodesBack() throws {
        let message = MissionItemInt(targetSystem: 1, targetComponent: 1, seq: 3, frame: .mission,
                                     command: .kestrelRequestTerminal, current: 0, autocontinue: 1,
                                     missionType: .mission)
        let item = try MissionItemCoding.decode(message)
        #expect(item.kind == .requestTerminal && item.position == nil)
        let back = MissionItemCoding.encode(LinkMissionItem(kind: .requestTerminal, position: nil), seq: 3,
                                            current: false, targetSystem: 255, targetComponent: 190)
        #expect(back.command == .kestrelRequestTerminal)
    }

    @Test func anUploadWithTheItemAsksOnArrivalAndOneWithoutDoesNot() throws {
        let guidance = GuidanceConfig()
        let asks = try LinkMissionConversion.missionFile(Self.flown + [Self.designation, Self.request],
                                                         guidance: guidance)
        #expect(asks.requestsTerminalOnArrival && asks.items.count == 2)
        #expect(try asks.plan(home: Self.home, source: "upload").requestsTerminalOnArrival)
        let silent = try LinkMissionConversion.missionFile(Self.flown + [Self.designation], guidance: guidance)
        #expect(!silent.requestsTerminalOnArrival)
        // A plan from a file with the flag downloads with the item after the designation.
        let kinds = LinkMissionConversion.linkItems(asks).map(\.kind)
        #expect(kinds.suffix(2) == [.designation, .requestTerminal])
    }

    /// Items that are not flown may sit anywhere in an upload (QGroundControl puts the designation before the RTL):
    /// the plan counts flown items only, the ground station all of them.
    @Test func missionItemNumbersSkipTheItemsThatAreNotFlown() throws {
        let items = [Self.flown[0], Self.request, Self.flown[1], Self.designation,
                     LinkMissionItem(kind: .returnToLaunch, position: nil)]
        #expect(LinkMissionConversion.flownItemSequence(items) == [0, 2, 4])
        let file = try LinkMissionConversion.missionFile(items, guidance: GuidanceConfig())
        #expect(file.items.count == 3 && file.requestsTerminalOnArrival && file.designation != nil)
    }

    @Test func theItemIsRefusedWhereItCannotMeanAnything() throws {
        let guidance = GuidanceConfig()
        // Twice.
        #expect(throws: MissionRefusal.self) {
            try LinkMissionConversion.missionFile(Self.flown + [Self.designation, Self.request, Self.request],
                                                  guidance: guidance)
        }
        // Without a designation, or without an orbit over it, the vehicle could never ask.
        let noDesignation = try LinkMissionConversion.missionFile(Self.flown + [Self.request], guidance: guidance)
        #expect(throws: MissionFileError.self) { try noDesignation.plan(home: Self.home, source: "upload") }
        let elsewhere = LinkMissionItem(kind: .designation, position: Self.position(-900, 900, 0))
        let noOrbit = try LinkMissionConversion.missionFile(Self.flown + [elsewhere, Self.request], guidance: guidance)
        do {
            _ = try noOrbit.plan(home: Self.home, source: "upload")
            Issue.record("a plan that can never ask was accepted")
        } catch {
            #expect(error.description.contains("no loiter item orbits over the designation"))
        }
    }
}
