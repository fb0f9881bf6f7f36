import Testing
@testable import MAVLink

/// A mission uploaded and downloaded again comes back as it was sent, field by field (QGroundControl compares the
/// two and shows a changed plan otherwise).
@Suite struct MissionDownloadFidelityTests {
    let identity = LinkIdentity(systemID: 1, componentID: 1)
    let gcs = GCSPeer(systemID: 255, componentID: 190, link: 0)

    /// A QGroundControl-style fixed-wing plan: a takeoff with its position and pitch, waypoints with the default
    /// acceptance radius (0) and with one set, yaw NaN where QGroundControl leaves it, an unlimited loiter, the
    /// Kestrel designation item and return to launch; frames as QGroundControl writes them (3 and 6 both used).
    static func qgcPlan() -> [MissionItemInt] {
        func item(_ command: MAVCmd, _ frame: MAVFrame, _ p1: Float, _ p2: Float, _ p3: Float, _ p4: Float,
                  _ x: Int32, _ y: Int32, _ z: Float) -> MissionItemInt {
            MissionItemInt(targetSystem: 1, targetComponent: 1, frame: frame, command: command, autocontinue: 1,
                           param1: p1, param2: p2, param3: p3, param4: p4, x: x, y: y, z: z, missionType: .mission)
        }
        var plan = [
            item(.navTakeoff, .globalRelativeAlt, 15, 0, 0, .nan, 473_977_419, 85_455_938, 60),
            item(.navWaypoint, .globalRelativeAlt, 0, 0, 0, .nan, 474_040_000, 85_455_938, 100),
            item(.navWaypoint, .globalRelativeAltInt, 2, 35, 0, .nan, 474_040_000, 85_540_000, 110),
            item(.navLoiterUnlim, .globalRelativeAlt, 0, 0, -150, .nan, 474_100_000, 85_500_000, 120),
            item(.kestrelDesignation, .globalRelativeAlt, 0, 0, 0, 0, 474_100_000, 85_500_000, 0),
            item(.navReturnToLaunch, .mission, 0, 0, 0, 0, 0, 0, 0),
        ]
        for index in plan.indices { plan[index].seq = UInt16(index) }
        return plan
    }

    /// Every field a ground station compares, floats by bit pattern (NaN sent, NaN back).
    static func fields(_ m: MissionItemInt) -> [String] {
        [
            "seq \(m.seq)", "frame \(m.frame.rawValue)", "command \(m.command.rawValue)",
            "p1 \(m.param1.bitPattern)", "p2 \(m.param2.bitPattern)", "p3 \(m.param3.bitPattern)",
            "p4 \(m.param4.bitPattern)", "x \(m.x)", "y \(m.y)", "z \(m.z.bitPattern)",
            "autocontinue \(m.autocontinue)", "type \(m.missionType.rawValue)",
        ]
    }

    @Test func anUploadedPlanDownloadsAsItWasSent() {
        var service = MissionService(identity: identity)
        let model = FakeVehicle()
        var outbox = RecordingOutbox()
        let plan = Self.qgcPlan()
        service.handle(MissionCount(targetSystem: 1, targetComponent: 1, count: UInt16(plan.count)), from: gcs,
                       nowUs: 0, model: model, outbox: &outbox)
        for item in plan { service.handle(item, from: gcs, nowUs: 1, model: model, outbox: &outbox) }
        #expect(outbox.messages(MissionAck.self).map(\.type) == [.mavMissionAccepted])
        outbox.clear()

        service.handle(MissionRequestList(targetSystem: 1, targetComponent: 1), from: gcs, model: model,
                       outbox: &outbox)
        #expect(outbox.messages(MissionCount.self).map(\.count) == [UInt16(plan.count)])
        for seq in plan.indices {
            service.handleRequest(seq: UInt16(seq), missionType: .mission, targetSystem: 1, targetComponent: 1,
                                  from: gcs, model: model, currentItem: 0, outbox: &outbox)
        }
        let back = outbox.messages(MissionItemInt.self)
        #expect(back.count == plan.count)
        for (sent, got) in zip(plan, back) {
            #expect(Self.fields(got) == Self.fields(sent))
            #expect(got.targetSystem == 255 && got.targetComponent == 190)
        }
        #expect(back.map(\.current) == [1, 0, 0, 0, 0, 0])
    }

    @Test func anItemNotUploadedIsEncodedFromWhatTheVehicleFlies() {
        // The mission file's items have no fields to return: the takeoff goes out at 0/0 ("where it launches").
        let item = LinkMissionItem(kind: .takeoff(minimumPitchRad: nil), position: LinkPosition(
            latitudeE7: 0, longitudeE7: 0, altitudeM: 60, altitudeFrame: .relativeToHome))
        let m = MissionItemCoding.encode(item, seq: 0, current: false, targetSystem: 255, targetComponent: 190)
        #expect(m.command == .navTakeoff && m.x == 0 && m.y == 0 && m.z == 60 && m.frame == .globalRelativeAltInt)
    }
}
