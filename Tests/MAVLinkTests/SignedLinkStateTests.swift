import Testing
@testable import MAVLink

extension CapturedFrame {
    /// The 48-bit signature timestamp of a signed frame, nil for an unsigned one.
    var signatureTimestamp: UInt64? {
        guard version == .v2, bytes.count > FrameLayout.signatureLength,
              bytes[2] & FrameLayout.incompatFlagSigned != 0 else { return nil }
        let start = bytes.count - FrameLayout.signatureLength + 1
        var timestamp: UInt64 = 0
        for index in 0..<6 { timestamp |= UInt64(bytes[start + index]) << UInt64(8 * index) }
        return timestamp
    }
}

/// Finding 9e of issue 16: on a signed link, unsigned frames must not change any state.
@Suite struct SignedLinkStateTests {
    let unixTimeUs: UInt64 = 1_700_000_000_000_000

    func item(_ seq: UInt16) -> MissionItemInt {
        MissionItemInt(
            targetSystem: 1, targetComponent: 1, seq: seq, frame: .globalRelativeAltInt, command: .navWaypoint,
            autocontinue: 1, x: 473_977_420 + Int32(seq) * 1000, y: 85_455_940, z: 100, missionType: .mission)
    }

    /// An unsigned MISSION_ACK spoofing the uploading station's ids used to cancel its signed upload.
    @Test func anUnsignedMissionAckDoesNotCancelASignedUpload() {
        var configuration = GroundLinkConfiguration()
        configuration.signingKey = testKey
        let transport = ScriptedTransport()
        let model = FakeVehicle()
        let link = GroundLink(configuration: configuration, transports: [transport], model: model)
        var signed = GroundStation(key: testKey)
        var spoof = GroundStation()
        var now = unixTimeUs
        func poll(_ frames: [UInt8]...) {
            for f in frames { transport.incoming.append(f) }
            now += 10_000
            link.poll(nowUs: now - unixTimeUs + 1_000, unixTimeUs: now)
        }
        poll(signed.frame(MissionCount(targetSystem: 1, targetComponent: 1, count: 2), unixTimeUs: now))
        poll(spoof.frame(MissionAck(targetSystem: 1, targetComponent: 1, type: .mavMissionOperationCancelled)))
        #expect(link.mission.isReceiving)
        poll(signed.frame(item(0), unixTimeUs: now))
        poll(signed.frame(item(1), unixTimeUs: now))
        #expect(model.uploads.count == 1)
        #expect(transport.drain().decoded(MissionAck.self).map(\.type) == [.mavMissionAccepted])
        #expect(link.counters.unsignedRejected == 1)
    }

    /// An unsigned PARAM_REQUEST_LIST no longer restarts the list a signed station is reading; PARAM_REQUEST_READ
    /// (an answer, no state) still works unsigned.
    @Test func unsignedParameterListRequestsChangeNothing() {
        var configuration = GroundLinkConfiguration()
        configuration.signingKey = testKey
        let transport = ScriptedTransport()
        let link = GroundLink(configuration: configuration, transports: [transport], model: FakeVehicle())
        var spoof = GroundStation()
        transport.incoming.append(spoof.frame(ParamRequestList(targetSystem: 1, targetComponent: 1)))
        link.poll(nowUs: 1_000, unixTimeUs: unixTimeUs)
        link.poll(nowUs: 500_000, unixTimeUs: unixTimeUs + 500_000)
        #expect(transport.drain().decoded(ParamValue.self).isEmpty)
        #expect(link.counters.unsignedRejected == 1)
    }
}
