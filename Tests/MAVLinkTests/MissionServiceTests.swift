import Testing
@testable import MAVLink

@Suite struct MissionServiceTests {
    let identity = LinkIdentity(systemID: 1, componentID: 1)
    let gcs = GCSPeer(systemID: 255, componentID: 190, link: 0)

    func item(_ seq: UInt16, _ command: MAVCmd = .navWaypoint, param1: Float = 0, param3: Float = 0) -> MissionItemInt {
        MissionItemInt(
            targetSystem: 1, targetComponent: 1, seq: seq, frame: .globalRelativeAltInt, command: command,
            autocontinue: 1, param1: param1, param3: param3, x: 473_977_420 + Int32(seq) * 1000, y: 85_455_940,
            z: 100 + Float(seq), missionType: .mission)
    }

    func requests(_ outbox: RecordingOutbox) -> [UInt16] { outbox.messages(MissionRequestInt.self).map(\.seq) }

    @Test func uploadInOrderIsAcceptedAndHandedOverWhole() {
        var service = MissionService(identity: identity)
        let model = FakeVehicle()
        var outbox = RecordingOutbox()
        service.handle(MissionCount(targetSystem: 1, targetComponent: 1, count: 3), from: gcs, nowUs: 0, model: model,
                       outbox: &outbox)
        for seq in 0..<3 {
            service.handle(item(UInt16(seq)), from: gcs, nowUs: UInt64(seq) * 10_000, model: model, outbox: &outbox)
        }
        #expect(requests(outbox) == [0, 1, 2])
        #expect(outbox.messages(MissionAck.self).map(\.type) == [.mavMissionAccepted])
        #expect(outbox.messages(MissionAck.self).first?.targetSystem == 255)
        #expect(model.uploads.count == 1)
        #expect(model.mission.map { $0.position?.latitudeE7 } == [473_977_420, 473_978_420, 473_979_420])
        #expect(model.mission.map { $0.position?.altitudeM } == [100, 101, 102])
        #expect(model.mission.allSatisfy { $0.position?.altitudeFrame == .relativeToHome })
        #expect(outbox.sent.allSatisfy { $0.route == .link(0) })
        #expect(!service.isReceiving)
    }

    @Test func lostItemIsRequestedAgainAfterTheTimeoutThenTheUploadCompletes() {
        var service = MissionService(identity: identity)
        let model = FakeVehicle()
        var outbox = RecordingOutbox()
        service.handle(MissionCount(targetSystem: 1, targetComponent: 1, count: 2), from: gcs, nowUs: 0, model: model,
                       outbox: &outbox)
        service.handle(item(0), from: gcs, nowUs: 100_000, model: model, outbox: &outbox)
        // Item 1 is lost. Nothing happens before 1.5 s after the request …
        service.tick(nowUs: 1_599_999, outbox: &outbox)
        #expect(requests(outbox) == [0, 1])
        // … then it is requested again.
        service.tick(nowUs: 1_600_000, outbox: &outbox)
        #expect(requests(outbox) == [0, 1, 1])
        service.handle(item(1), from: gcs, nowUs: 1_700_000, model: model, outbox: &outbox)
        #expect(outbox.messages(MissionAck.self).map(\.type) == [.mavMissionAccepted])
        #expect(service.counters.itemRetries == 1)
        #expect(model.mission.count == 2)
    }

    @Test func silentGroundStationIsGivenUpOnAfterTheRetries() {
        var service = MissionService(identity: identity)
        let model = FakeVehicle()
        model.mission = [LinkMissionItem(kind: .returnToLaunch, position: nil)]
        var outbox = RecordingOutbox()
        service.handle(MissionCount(targetSystem: 1, targetComponent: 1, count: 4), from: gcs, nowUs: 0, model: model,
                       outbox: &outbox)
        var now: UInt64 = 0
        for _ in 0..<20 {
            now += 1_500_000
            service.tick(nowUs: now, outbox: &outbox)
        }
        #expect(requests(outbox) == [0, 0, 0, 0, 0, 0])  // first request + 5 retries
        #expect(outbox.messages(MissionAck.self).map(\.type) == [.mavMissionOperationCancelled])
        #expect(model.uploads.isEmpty)
        #expect(model.mission.count == 1)  // the stored mission is untouched
        #expect(service.counters.uploadsTimedOut == 1)
    }

    @Test func repeatedOrSkippedItemsAreAnsweredWithTheAwaitedRequest() {
        var service = MissionService(identity: identity)
        let model = FakeVehicle()
        var outbox = RecordingOutbox()
        service.handle(MissionCount(targetSystem: 1, targetComponent: 1, count: 3), from: gcs, nowUs: 0, model: model,
                       outbox: &outbox)
        service.handle(item(0), from: gcs, nowUs: 1, model: model, outbox: &outbox)
        service.handle(item(0), from: gcs, nowUs: 2, model: model, outbox: &outbox)  // duplicate
        service.handle(item(2), from: gcs, nowUs: 3, model: model, outbox: &outbox)  // ahead
        #expect(requests(outbox) == [0, 1, 1, 1])
        service.handle(item(1), from: gcs, nowUs: 4, model: model, outbox: &outbox)
        service.handle(item(2), from: gcs, nowUs: 5, model: model, outbox: &outbox)
        #expect(model.mission.count == 3)
    }

    @Test func unsupportedCommandEndsTheUploadWithUnsupported() {
        var service = MissionService(identity: identity)
        let model = FakeVehicle()
        var outbox = RecordingOutbox()
        service.handle(MissionCount(targetSystem: 1, targetComponent: 1, count: 2), from: gcs, nowUs: 0, model: model,
                       outbox: &outbox)
        service.handle(item(0, .navLand), from: gcs, nowUs: 1, model: model, outbox: &outbox)
        #expect(outbox.messages(MissionAck.self).map(\.type) == [.mavMissionUnsupported])
        #expect(outbox.messages(Statustext.self).first?.text.text == "mission item 0: command 21 is not supported")
        #expect(model.uploads.isEmpty)
        #expect(!service.isReceiving)
    }

    @Test func capacityFenceAndBusyAreRefused() {
        var config = MissionService.Configuration()
        config.itemCapacity = 4
        var service = MissionService(identity: identity, configuration: config)
        let model = FakeVehicle()
        var outbox = RecordingOutbox()
        service.handle(MissionCount(targetSystem: 1, targetComponent: 1, count: 5), from: gcs, nowUs: 0, model: model,
                       outbox: &outbox)
        service.handle(MissionCount(targetSystem: 1, targetComponent: 1, count: 2, missionType: .fence), from: gcs,
                       nowUs: 0, model: model, outbox: &outbox)
        service.handle(MissionCount(targetSystem: 1, targetComponent: 1, count: 2), from: gcs, nowUs: 0, model: model,
                       outbox: &outbox)
        let other = GCSPeer(systemID: 254, componentID: 190, link: 1)
        service.handle(MissionCount(targetSystem: 1, targetComponent: 1, count: 2), from: other, nowUs: 0,
                       model: model, outbox: &outbox)
        let acks = outbox.messages(MissionAck.self)
        #expect(acks.map(\.type) == [.mavMissionNoSpace, .mavMissionUnsupported, .mavMissionDenied])
        #expect(acks.last?.targetSystem == 254)
        #expect(outbox.sent.last?.route == .link(1))
        #expect(service.isReceiving)  // the first station's upload goes on
    }

    @Test func modelRefusalIsTheAckAndAnEmptyCountClears() {
        var service = MissionService(identity: identity)
        let model = FakeVehicle()
        model.refuseUploads = MissionRefusal(result: .mavMissionInvalidParam7, reason: "item 1: altitude too low")
        var outbox = RecordingOutbox()
        service.handle(MissionCount(targetSystem: 1, targetComponent: 1, count: 1), from: gcs, nowUs: 0, model: model,
                       outbox: &outbox)
        service.handle(item(0), from: gcs, nowUs: 1, model: model, outbox: &outbox)
        #expect(outbox.messages(MissionAck.self).map(\.type) == [.mavMissionInvalidParam7])
        #expect(outbox.messages(Statustext.self).map { $0.text.text } == ["item 1: altitude too low"])
        model.refuseUploads = nil
        service.handle(MissionCount(targetSystem: 1, targetComponent: 1, count: 0), from: gcs, nowUs: 2, model: model,
                       outbox: &outbox)
        #expect(outbox.messages(MissionAck.self).last?.type == .mavMissionAccepted)
        #expect(model.uploads.last == [])
    }

    @Test func downloadAnswersCountAndItemsAndRefusesBadSequence() {
        var service = MissionService(identity: identity)
        let model = FakeVehicle()
        model.mission = [
            LinkMissionItem(kind: .takeoff(minimumPitchRad: nil), position: LinkPosition(
                latitudeE7: 1, longitudeE7: 2, altitudeM: 60, altitudeFrame: .relativeToHome)),
            LinkMissionItem(kind: .returnToLaunch, position: nil),
        ]
        var outbox = RecordingOutbox()
        service.handle(MissionRequestList(targetSystem: 1, targetComponent: 1), from: gcs, model: model,
                       outbox: &outbox)
        for seq: UInt16 in [0, 1, 2] {
            service.handleRequest(seq: seq, missionType: .mission, targetSystem: 1, targetComponent: 1, from: gcs,
                                  model: model, currentItem: 1, outbox: &outbox)
        }
        #expect(outbox.messages(MissionCount.self).map(\.count) == [2])
        let items = outbox.messages(MissionItemInt.self)
        #expect(items.map(\.command) == [.navTakeoff, .navReturnToLaunch])
        #expect(items.map(\.current) == [0, 1])
        #expect(items.first?.z == 60 && items.first?.frame == .globalRelativeAltInt)
        #expect(outbox.messages(MissionAck.self).map(\.type) == [.mavMissionInvalidSequence])
        // Fence and rally lists are empty.
        service.handle(MissionRequestList(targetSystem: 1, targetComponent: 1, missionType: .rally), from: gcs,
                       model: model, outbox: &outbox)
        #expect(outbox.messages(MissionCount.self).last?.count == 0)
    }

    @Test func messagesForAnotherVehicleAreIgnored() {
        var service = MissionService(identity: identity)
        let model = FakeVehicle()
        var outbox = RecordingOutbox()
        service.handle(MissionCount(targetSystem: 7, targetComponent: 1, count: 2), from: gcs, nowUs: 0, model: model,
                       outbox: &outbox)
        service.handle(MissionClearAll(targetSystem: 2, targetComponent: 1), from: gcs, model: model, outbox: &outbox)
        #expect(outbox.sent.isEmpty)
        #expect(!service.isReceiving)
    }
}
