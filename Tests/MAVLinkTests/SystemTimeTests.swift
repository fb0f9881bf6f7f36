import Testing
@testable import MAVLink

/// SYSTEM_TIME: on request and as a stream at the interval a ground station sets; UTC from the vehicle's
/// GPS-disciplined clock, 0 while it has none.
@Suite struct SystemTimeTests {
    func makeLink() -> (GroundLink, FakeVehicle, ScriptedTransport) {
        let model = FakeVehicle()
        let transport = ScriptedTransport()
        return (GroundLink(configuration: GroundLinkConfiguration(), transports: [transport], model: model), model,
                transport)
    }

    func command(_ command: MAVCmd, _ p1: Float, _ p2: Float = 0) -> CommandLong {
        CommandLong(targetSystem: 1, targetComponent: 1, command: command, param1: p1, param2: p2)
    }

    @Test func requestedOnceItCarriesBootTimeAndZeroWithoutUTC() {
        let (link, _, transport) = makeLink()
        var gcs = GroundStation()
        transport.incoming.append(gcs.frame(command(.requestMessage, Float(SystemTime.messageID))))
        link.poll(nowUs: 12_345_678)
        let frames = transport.drain()
        #expect(frames.decoded(CommandAck.self).map(\.result) == [.accepted])
        let times = frames.decoded(SystemTime.self)
        #expect(times.count == 1)
        #expect(times.first?.timeBootMs == 12_345 && times.first?.timeUnixUsec == 0)
    }

    @Test func aStreamAtTheRequestedIntervalCarriesUTCForwardFromTheSnapshot() {
        let (link, model, transport) = makeLink()
        // The snapshot was taken at vehicle time 10 s, when UTC was 2026-11-21T12:00:00Z.
        model.state.vehicleTimeUs = 10_000_000
        model.state.utcTimeUs = 1_795_262_400_000_000
        var gcs = GroundStation()
        transport.incoming.append(gcs.frame(command(.setMessageInterval, Float(SystemTime.messageID), 200_000)))
        link.poll(nowUs: 10_000_000)
        #expect(transport.drain().decoded(CommandAck.self).map(\.result) == [.accepted])
        #expect(link.streams.intervalUs(of: SystemTime.messageID) == 200_000)
        var sent: [SystemTime] = []
        for step in 1...50 {  // 1 s in 20 ms polls
            link.poll(nowUs: 10_000_000 + UInt64(step) * 20_000)
            sent += transport.drain().decoded(SystemTime.self)
        }
        #expect(sent.count == 5)
        // UTC moves on with the vehicle clock between snapshots.
        let last = sent.last
        #expect(last?.timeBootMs == 11_000)
        #expect(last?.timeUnixUsec == 1_795_262_401_000_000)

        // −1 stops it.
        transport.incoming.append(gcs.frame(command(.setMessageInterval, Float(SystemTime.messageID), -1)))
        link.poll(nowUs: 11_020_000)
        for step in 1...50 { link.poll(nowUs: 11_020_000 + UInt64(step) * 20_000) }
        #expect(transport.drain().decoded(SystemTime.self).isEmpty)
    }

    @Test func utcBeforeTheSnapshotTimeIsCountedBack() {
        var s = VehicleSnapshot()
        s.vehicleTimeUs = 5_000_000
        s.utcTimeUs = 1_795_262_400_000_000
        #expect(TelemetryMessages.systemTime(s, nowUs: 4_500_000).timeUnixUsec == 1_795_262_399_500_000)
        s.utcTimeUs = 100  // nonsense, but no trap: unknown
        #expect(TelemetryMessages.systemTime(s, nowUs: 0).timeUnixUsec == 0)
    }
}
