import FlightMath
@testable import MAVLink

/// Records what a microservice sends.
struct RecordingOutbox: MessageOutbox {
    var sent: [(route: LinkRoute, message: any MAVLinkMessage)] = []

    mutating func send<M: MAVLinkMessage>(_ message: M, route: LinkRoute) { sent.append((route, message)) }

    func messages<M: MAVLinkMessage>(_ type: M.Type) -> [M] { sent.compactMap { $0.message as? M } }
    mutating func clear() { sent.removeAll() }
}

/// A scripted vehicle: records calls, answers as configured.
final class FakeVehicle: VehicleLinkModel {
    var state = VehicleSnapshot()
    var mission: [LinkMissionItem] = []
    var uploads: [[LinkMissionItem]] = []
    var refuseUploads: MissionRefusal?
    var parameters: [LinkParameter] = [
        LinkParameter(id: ParameterID("AIRSPD_TRIM")!, value: 16, type: .real32),
        LinkParameter(id: ParameterID("LINK_LOSS_S")!, value: 10, type: .int32),
        LinkParameter(id: ParameterID("RTL_ALT_M")!, value: 120, type: .real32),
    ]
    var commands: [VehicleCommand] = []
    var commandResult = MAVResult.accepted
    var approvals: [LinkApproval] = []
    var texts: [LinkStatusText] = []
    var currentItem = 0

    func snapshot(nowUs: UInt64) -> VehicleSnapshot {
        var s = state
        s.currentMissionItem = currentItem
        return s
    }
    var missionItemCount: Int { mission.count }
    func missionItem(at index: Int) -> LinkMissionItem? { mission.indices.contains(index) ? mission[index] : nil }
    func replaceMission(with items: [LinkMissionItem]) -> MissionRefusal? {
        uploads.append(items)
        if let refuseUploads { return refuseUploads }
        mission = items
        return nil
    }
    func clearMission() -> MissionRefusal? {
        mission = []
        return nil
    }
    func setCurrentMissionItem(_ index: Int) -> Bool {
        currentItem = index
        return true
    }
    var parameterCount: Int { parameters.count }
    func parameter(at index: Int) -> LinkParameter? { parameters.indices.contains(index) ? parameters[index] : nil }
    func parameterIndex(of id: ParameterID) -> Int? { parameters.firstIndex { $0.id == id } }
    func setParameter(at index: Int, to value: Double) -> ParameterSetOutcome {
        guard value <= 1000 else { return .refused(reason: "above 1000") }
        parameters[index].value = value
        return .accepted(value: value)
    }
    func perform(_ command: VehicleCommand, nowUs: UInt64) -> MAVResult {
        commands.append(command)
        return commandResult
    }
    /// Runs when an approval arrives, e.g. to move the pretend gate.
    var onApproval: ((FakeVehicle) -> Void)?
    func receive(_ approval: LinkApproval, nowUs: UInt64) {
        approvals.append(approval)
        onApproval?(self)
    }
    func nextStatusText() -> LinkStatusText? { texts.isEmpty ? nil : texts.removeFirst() }
}

/// A transport fed and drained by the test: datagrams in, frames out.
final class ScriptedTransport: LinkTransport {
    let name = "scripted"
    var counters = TransportCounters()
    var incoming: [[UInt8]] = []
    var outgoing: [[UInt8]] = []

    func receive(into buffer: UnsafeMutableRawBufferPointer, nowUs: UInt64) -> Int {
        guard !incoming.isEmpty else { return 0 }
        let datagram = incoming.removeFirst()
        for (index, byte) in datagram.enumerated() { buffer[index] = byte }
        return datagram.count
    }

    func send(frame: UnsafeRawBufferPointer, nowUs: UInt64) { outgoing.append(Array(frame)) }

    /// Decodes everything the vehicle sent since the last call.
    func drain() -> [CapturedFrame] {
        let parser = FrameParser()
        var frames: [CapturedFrame] = []
        for bytes in outgoing { frames += parseAll(parser, bytes) }
        outgoing.removeAll()
        return frames
    }
}

/// A ground station's encoder (system 255, component 190), optionally signing.
struct GroundStation {
    var encoder: FrameEncoder
    let peer: GCSPeer

    init(key: SigningKey? = nil, systemID: UInt8 = 255) {
        encoder = FrameEncoder(systemID: systemID, componentID: 190)
        if let key { encoder.signing = OutgoingSigning(key: key, linkID: 3) }
        peer = GCSPeer(systemID: systemID, componentID: 190, link: 0)
    }

    mutating func frame<M: MAVLinkMessage>(_ message: M, unixTimeUs: UInt64 = 1_700_000_000_000_000) -> [UInt8] {
        (try? encodeFrame(message, with: &encoder, unixTimeUs: unixTimeUs)) ?? []
    }
}

extension Array where Element == CapturedFrame {
    func decoded<M: MAVLinkMessage>(_ type: M.Type) -> [M] { compactMap { $0.decode(type) } }
}

let testKey = SigningKey(bytes: Array(0x20..<0x40))!
