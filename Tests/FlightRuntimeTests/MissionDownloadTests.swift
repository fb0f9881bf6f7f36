@testable import FlightRuntime
import MAVLink
import Mission
import Testing

/// The vehicle host's mission storage: a plan uploaded through the mission protocol and installed in the flight
/// stack downloads as the ground station sent it, field by field, although the stack flies a converted plan (with
/// the default acceptance radius where 0 was sent, and so on).
@Suite struct MissionDownloadTests {
    struct Outbox: MessageOutbox {
        var items: [MissionItemInt] = []
        var acks: [MissionAck] = []
        mutating func send<M: MAVLinkMessage>(_ message: M, route: LinkRoute) {
            if let m = message as? MissionItemInt { items.append(m) }
            if let m = message as? MissionAck { acks.append(m) }
        }
    }

    /// QGroundControl's fixed-wing plan: takeoff with position and pitch (param1), yaw NaN, waypoints with param2 0
    /// (the vehicle's default) and 35 m, an unlimited loiter counter-clockwise, the designation item, RTL.
    static func qgcPlan() -> [MissionItemInt] {
        func item(_ seq: UInt16, _ command: MAVCmd, _ frame: MAVFrame, _ p1: Float, _ p2: Float, _ p3: Float,
                  _ p4: Float, _ x: Int32, _ y: Int32, _ z: Float) -> MissionItemInt {
            MissionItemInt(targetSystem: 1, targetComponent: 1, seq: seq, frame: frame, command: command,
                           autocontinue: 1, param1: p1, param2: p2, param3: p3, param4: p4, x: x, y: y, z: z,
                           missionType: .mission)
        }
        return [
            item(0, .navTakeoff, .globalRelativeAlt, 15, 0, 0, .nan, 473_977_419, 85_455_938, 60),
            item(1, .navWaypoint, .globalRelativeAlt, 0, 0, 0, .nan, 474_040_000, 85_455_938, 100),
            item(2, .navWaypoint, .globalRelativeAltInt, 0, 35, 0, .nan, 474_040_000, 85_540_000, 110),
            item(3, .navLoiterUnlim, .globalRelativeAlt, 0, 0, -150, .nan, 474_100_000, 85_500_000, 120),
            item(4, MAVCmd(rawValue: 53200), .globalRelativeAlt, 0, 0, 0, 0, 474_100_000, 85_500_000, 0),
            item(5, .navReturnToLaunch, .mission, 0, 0, 0, 0, 0, 0, 0),
        ]
    }

    static func fields(_ m: MissionItemInt) -> [String] {
        [
            "seq \(m.seq)", "frame \(m.frame.rawValue)", "command \(m.command.rawValue)",
            "p1 \(m.param1.bitPattern)", "p2 \(m.param2.bitPattern)", "p3 \(m.param3.bitPattern)",
            "p4 \(m.param4.bitPattern)", "x \(m.x)", "y \(m.y)", "z \(m.z.bitPattern)",
            "autocontinue \(m.autocontinue)", "type \(m.missionType.rawValue)",
        ]
    }

    @Test func anUploadedPlanInstalledInTheStackDownloadsAsSent() throws {
        let loaded = try MissionHandoffTests.load()
        var stack = loaded.stack
        let channels = RuntimeChannels()
        let model = FlightVehicleLink(channels: channels, policy: FailsafePolicy(), baseRateHz: 400,
                                      airframe: loaded.parameters, missionSetup: loaded.missionSetup,
                                      replyTimeoutUs: 50_000, sleepUs: { _ in })
        // The stand-in real-time side installs what arrives in the real flight stack, as the host's loop does.
        var installed = 0
        model.sleepUs = { _ in
            while let box = channels.missions.pop() {
                let change = box.takeUnretainedValue()
                channels.replies.push(OperatorRequestHandling.handle(change, stack: &stack))
                box.release()
                installed += 1
            }
        }
        // Navigation has its origin: the upload is built at once and installed.
        var navigating = VehicleSnapshot()
        navigating.navigationOrigin = MissionHandoffTests.home
        channels.snapshots.push(navigating)
        model.collect()
        let gcs = GCSPeer(systemID: 255, componentID: 190, link: 0)
        var service = MissionService(identity: LinkIdentity(systemID: 1, componentID: 1))
        var outbox = Outbox()
        let plan = Self.qgcPlan()
        service.handle(MissionCount(targetSystem: 1, targetComponent: 1, count: UInt16(plan.count)), from: gcs,
                       nowUs: 0, model: model, outbox: &outbox)
        for item in plan { service.handle(item, from: gcs, nowUs: 1, model: model, outbox: &outbox) }
        #expect(outbox.acks.map(\.type) == [.mavMissionAccepted])
        let flown = try #require(stack.machine?.plan)
        #expect(installed == 1 && flown.items.count == 5 && flown.designation != nil)
        // The stack flies the default acceptance radius where the ground station sent 0.
        guard case .waypoint(_, let radius) = flown.items[1] else {
            Issue.record("item 1 is not a waypoint: \(flown.items[1])")
            return
        }
        #expect(radius == loaded.parameters.settings.guidance.acceptanceRadiusM)

        #expect(model.missionItemCount == plan.count)
        for seq in plan.indices {
            service.handleRequest(seq: UInt16(seq), missionType: .mission, targetSystem: 1, targetComponent: 1,
                                  from: gcs, model: model, currentItem: 0, outbox: &outbox)
        }
        #expect(outbox.items.count == plan.count)
        for (sent, got) in zip(plan, outbox.items) { #expect(Self.fields(got) == Self.fields(sent)) }

        // The designation (seq 4) is not flown: the plan's item 4 is the RTL, which the ground station numbers 5.
        // MISSION_CURRENT and MISSION_ITEM_REACHED say 5 (they said 4, the designation), and the designation
        // cannot be made current.
        var flying = VehicleSnapshot()
        flying.navigationOrigin = MissionHandoffTests.home
        flying.vehicleTimeUs = 10_000_000
        flying.currentMissionItem = 4
        flying.lastReachedMissionItem = 3
        channels.snapshots.push(flying)
        model.collect()
        #expect(model.snapshot(nowUs: 0).currentMissionItem == 5)
        #expect(model.snapshot(nowUs: 0).lastReachedMissionItem == 3)
        #expect(!model.setCurrentMissionItem(4))
    }
}
