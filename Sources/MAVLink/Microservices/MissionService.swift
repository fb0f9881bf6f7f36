/// The vehicle side of the MAVLink mission protocol (mission type MISSION only; fence and rally lists are
/// reported empty and their uploads refused as unsupported, which is the truth for Kestrel).
///
/// Upload: MISSION_COUNT → the vehicle requests every item with MISSION_REQUEST_INT, in order, re-requesting the
/// awaited item after `requestTimeoutUs` up to `maxRetries` times, then gives up with MISSION_ACK
/// OPERATION_CANCELLED. When the last item has arrived the whole list goes to the model, whose verdict is the
/// MISSION_ACK. The stored mission changes only if the model accepts the complete list.
///
/// Download: MISSION_REQUEST_LIST → MISSION_COUNT; MISSION_REQUEST_INT or legacy MISSION_REQUEST → MISSION_ITEM_INT;
/// the ground station drives retries.
///
/// Pure: time comes in as `nowUs`, messages go out through a `MessageOutbox`.
public struct MissionService {
    public struct Configuration: Sendable {
        public var itemCapacity = 512
        public var requestTimeoutUs: UInt64 = 1_500_000
        public var maxRetries = 5
        public init() {}
    }

    public struct Counters: Equatable, Sendable {
        public var uploadsAccepted = 0
        public var uploadsRefused = 0
        public var uploadsTimedOut = 0
        public var itemRetries = 0
        public var downloads = 0
        public var ignoredMessages = 0
        public init() {}
    }

    enum Upload: Equatable {
        case idle
        case receiving(peer: GCSPeer, count: Int, next: Int, retries: Int, lastRequestUs: UInt64)
    }

    public let configuration: Configuration
    public let identity: LinkIdentity
    public private(set) var counters = Counters()
    private(set) var upload = Upload.idle
    private var items: [LinkMissionItem]

    public init(identity: LinkIdentity, configuration: Configuration = Configuration()) {
        self.identity = identity
        self.configuration = configuration
        items = []
        items.reserveCapacity(configuration.itemCapacity)
    }

    /// True while an upload is in progress.
    public var isReceiving: Bool { upload != .idle }

    // MARK: Upload

    public mutating func handle(
        _ message: MissionCount, from peer: GCSPeer, nowUs: UInt64, model: any VehicleLinkModel,
        outbox: inout some MessageOutbox
    ) {
        guard identity.accepts(targetSystem: message.targetSystem, targetComponent: message.targetComponent) else {
            return
        }
        if case let .receiving(current, _, _, _, _) = upload, current != peer {
            // One upload at a time; the other ground station is told the vehicle is busy.
            ack(.mavMissionDenied, to: peer, type: message.missionType, outbox: &outbox)
            return
        }
        upload = .idle
        guard message.missionType == .mission else {
            ack(.mavMissionUnsupported, to: peer, type: message.missionType, outbox: &outbox)
            return
        }
        let count = Int(message.count)
        guard count <= configuration.itemCapacity else {
            counters.uploadsRefused += 1
            ack(.mavMissionNoSpace, to: peer, type: .mission, outbox: &outbox)
            return
        }
        items.removeAll(keepingCapacity: true)
        if count == 0 {
            finish(peer: peer, model: model, outbox: &outbox)
            return
        }
        upload = .receiving(peer: peer, count: count, next: 0, retries: 0, lastRequestUs: nowUs)
        request(0, from: peer, outbox: &outbox)
    }

    public mutating func handle(
        _ message: MissionItemInt, from peer: GCSPeer, nowUs: UInt64, model: any VehicleLinkModel,
        outbox: inout some MessageOutbox
    ) {
        guard identity.accepts(targetSystem: message.targetSystem, targetComponent: message.targetComponent) else {
            return
        }
        guard case let .receiving(current, count, next, _, _) = upload, current == peer,
            message.missionType == .mission
        else {
            counters.ignoredMessages += 1
            return
        }
        guard Int(message.seq) == next else {
            // A repeat of an item already stored, or one ahead of the awaited one: ask again for the awaited one.
            counters.ignoredMessages += 1
            upload = .receiving(peer: peer, count: count, next: next, retries: 0, lastRequestUs: nowUs)
            request(next, from: peer, outbox: &outbox)
            return
        }
        let item: LinkMissionItem
        do throws(MissionItemError) {
            item = try MissionItemCoding.decode(message)
        } catch {
            upload = .idle
            counters.uploadsRefused += 1
            ack(error.result, to: peer, type: .mission, outbox: &outbox)
            outbox.send(statusText(.error, error.description), route: .link(peer.link))
            return
        }
        items.append(item)
        if next + 1 == count {
            upload = .idle
            finish(peer: peer, model: model, outbox: &outbox)
        } else {
            upload = .receiving(peer: peer, count: count, next: next + 1, retries: 0, lastRequestUs: nowUs)
            request(next + 1, from: peer, outbox: &outbox)
        }
    }

    /// A MISSION_ACK from the ground station: during an upload it cancels it (the GCS gave up).
    public mutating func handle(_ message: MissionAck, from peer: GCSPeer) {
        if case let .receiving(current, _, _, _, _) = upload, current == peer {
            upload = .idle
            counters.uploadsRefused += 1
        }
    }

    /// Re-requests the awaited item when the ground station went quiet, and gives up after `maxRetries`.
    public mutating func tick(nowUs: UInt64, outbox: inout some MessageOutbox) {
        guard case let .receiving(peer, count, next, retries, last) = upload else { return }
        guard nowUs >= last, nowUs - last >= configuration.requestTimeoutUs else { return }
        guard retries < configuration.maxRetries else {
            upload = .idle
            counters.uploadsTimedOut += 1
            ack(.mavMissionOperationCancelled, to: peer, type: .mission, outbox: &outbox)
            return
        }
        counters.itemRetries += 1
        upload = .receiving(peer: peer, count: count, next: next, retries: retries + 1, lastRequestUs: nowUs)
        request(next, from: peer, outbox: &outbox)
    }

    private mutating func finish(peer: GCSPeer, model: any VehicleLinkModel, outbox: inout some MessageOutbox) {
        if let refusal = model.replaceMission(with: items) {
            counters.uploadsRefused += 1
            ack(refusal.result, to: peer, type: .mission, outbox: &outbox)
            outbox.send(statusText(.error, refusal.reason), route: .link(peer.link))
        } else {
            counters.uploadsAccepted += 1
            ack(.mavMissionAccepted, to: peer, type: .mission, outbox: &outbox)
        }
        items.removeAll(keepingCapacity: true)
    }

    private func request(_ seq: Int, from peer: GCSPeer, outbox: inout some MessageOutbox) {
        outbox.send(
            MissionRequestInt(
                targetSystem: peer.systemID, targetComponent: peer.componentID, seq: UInt16(truncatingIfNeeded: seq),
                missionType: .mission),
            route: .link(peer.link))
    }

    // MARK: Download, clear, current

    public mutating func handle(
        _ message: MissionRequestList, from peer: GCSPeer, model: any VehicleLinkModel,
        outbox: inout some MessageOutbox
    ) {
        guard identity.accepts(targetSystem: message.targetSystem, targetComponent: message.targetComponent) else {
            return
        }
        let count = message.missionType == .mission ? model.missionItemCount : 0
        if message.missionType == .mission { counters.downloads += 1 }
        outbox.send(
            MissionCount(
                targetSystem: peer.systemID, targetComponent: peer.componentID,
                count: UInt16(clamping: count), missionType: message.missionType),
            route: .link(peer.link))
    }

    public mutating func handleRequest(
        seq: UInt16, missionType: MAVMissionType, targetSystem: UInt8, targetComponent: UInt8, from peer: GCSPeer,
        model: any VehicleLinkModel, currentItem: Int, outbox: inout some MessageOutbox
    ) {
        guard identity.accepts(targetSystem: targetSystem, targetComponent: targetComponent) else { return }
        guard missionType == .mission, let item = model.missionItem(at: Int(seq)) else {
            ack(.mavMissionInvalidSequence, to: peer, type: missionType, outbox: &outbox)
            return
        }
        outbox.send(
            MissionItemCoding.encode(
                item, seq: seq, current: Int(seq) == currentItem, targetSystem: peer.systemID,
                targetComponent: peer.componentID),
            route: .link(peer.link))
    }

    public mutating func handle(
        _ message: MissionClearAll, from peer: GCSPeer, model: any VehicleLinkModel, outbox: inout some MessageOutbox
    ) {
        guard identity.accepts(targetSystem: message.targetSystem, targetComponent: message.targetComponent) else {
            return
        }
        guard message.missionType == .mission || message.missionType == .all else {
            // There are no fence or rally lists to clear.
            ack(.mavMissionAccepted, to: peer, type: message.missionType, outbox: &outbox)
            return
        }
        if let refusal = model.clearMission() {
            ack(refusal.result, to: peer, type: message.missionType, outbox: &outbox)
            outbox.send(statusText(.error, refusal.reason), route: .link(peer.link))
        } else {
            ack(.mavMissionAccepted, to: peer, type: message.missionType, outbox: &outbox)
        }
    }

    /// MISSION_SET_CURRENT: answered with MISSION_CURRENT (the new item, or the unchanged one when refused).
    public mutating func handle(
        _ message: MissionSetCurrent, from peer: GCSPeer, model: any VehicleLinkModel,
        outbox: inout some MessageOutbox
    ) -> Bool {
        guard identity.accepts(targetSystem: message.targetSystem, targetComponent: message.targetComponent) else {
            return false
        }
        let accepted = Int(message.seq) < model.missionItemCount && model.setCurrentMissionItem(Int(message.seq))
        if !accepted {
            outbox.send(statusText(.warning, "mission item \(message.seq) cannot be made current"),
                        route: .link(peer.link))
        }
        return accepted
    }

    private func ack(
        _ result: MAVMissionResult, to peer: GCSPeer, type: MAVMissionType, outbox: inout some MessageOutbox
    ) {
        outbox.send(
            MissionAck(targetSystem: peer.systemID, targetComponent: peer.componentID, type: result, missionType: type),
            route: .link(peer.link))
    }
}

func statusText(_ severity: MAVSeverity, _ text: String) -> Statustext {
    Statustext(severity: severity, text: MAVArray(text: text))
}
