import EmulatedBoard
@testable import FlightRuntime
import FlightMath
import DeviceIO
import Foundation
import MAVLink
import Mission
import Testing

/// Issue 16 finding 6 on the MAVLink upload path (MissionService → FlightVehicleLink.replaceMission): a plan whose
/// waypoint lies in the designation's exclusion volume is refused with a MISSION_ACK error naming the item.
@Suite struct ExclusionUploadTests {
    @Test func anUploadFlyingLowOverTheDesignationIsDenied() throws {
        let loaded = try MissionHandoffTests.load()
        let channels = RuntimeChannels()
        let clock = SystemMonotonicClock()
        let link = FlightVehicleLink(channels: channels, policy: loaded.policy, baseRateHz: 400,
                                     airframe: loaded.parameters, missionFile: loaded.missionFile,
                                     missionSource: "m.toml", missionSetup: loaded.missionSetup,
                                     replyTimeoutUs: 20_000, sleepUs: { clock.sleep(durationUs: $0) })
        var snapshot = VehicleSnapshot()
        snapshot.navigationOrigin = MissionHandoffTests.home
        channels.snapshots.push(snapshot)
        link.collect()
        while let box = channels.missions.pop() { box.release() }

        let frame = LocalFrame(origin: MissionHandoffTests.home)
        func position(_ north: Double, _ east: Double, _ altitudeM: Double) -> LinkPosition {
            let g = frame.geodetic(ofNED: Vector3(north, east, 0))
            return LinkPosition(latitudeE7: Int32((g.latitudeDeg * 1e7).rounded()),
                                longitudeE7: Int32((g.longitudeDeg * 1e7).rounded()), altitudeM: altitudeM,
                                altitudeFrame: .relativeToHome)
        }
        let items = [
            LinkMissionItem(kind: .takeoff(minimumPitchRad: nil), position: position(0, 0, 60)),
            LinkMissionItem(kind: .waypoint(holdS: 0, acceptanceRadiusM: nil), position: position(600, 0, 100)),
            LinkMissionItem(kind: .waypoint(holdS: 0, acceptanceRadiusM: nil), position: position(1200, 20, 30)),
            LinkMissionItem(kind: .designation, position: position(1200, 0, 0)),
        ]
        let refusal = link.replaceMission(with: items)
        #expect(refusal?.result == .mavMissionDenied)
        #expect(refusal?.reason.hasPrefix("item 3 (waypoint): its point lies in the terminal exclusion volume") == true,
                "\(String(describing: refusal))")
        #expect(channels.missions.pop() == nil)
    }
}
