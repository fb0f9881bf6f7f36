#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Testing
@testable import MAVLink

/// Finding 4 of issue 16: udpin learnt (and evicted) peers from any datagram, before parsing or signature checks,
/// so junk from many source ports pushed the operator's station out of the table. Real sockets on 127.0.0.1.
@Suite struct UDPPeerLearningTests {
    let gcsHeartbeat = Heartbeat(type: .gcs, autopilot: MAVAutopilot(rawValue: 8))
    let unixTimeUs: UInt64 = 1_700_000_000_000_000

    /// Everything waiting on `socket` now (a few short waits, loopback delivery is immediate).
    func drain(_ socket: UDPTransport) -> [[UInt8]] {
        var datagrams: [[UInt8]] = []
        var buffer = [UInt8](repeating: 0, count: 2048)
        var idle = 0
        while idle < 20 {
            let n = buffer.withUnsafeMutableBytes { socket.receive(into: $0, nowUs: 0) }
            if n > 0 {
                datagrams.append(Array(buffer[0..<n]))
                idle = 0
            } else {
                idle += 1
                usleep(500)
            }
        }
        return datagrams
    }

    func heartbeatsIn(_ datagrams: [[UInt8]], key: SigningKey?) -> Int {
        let parser = FrameParser(verifier: key.map { SignatureVerifier(key: $0) })
        var count = 0
        for d in datagrams {
            parser.parse(d, unixTimeUs: unixTimeUs) { if $0.messageID == Heartbeat.messageID { count += 1 } }
        }
        return count
    }

    @Test(arguments: [false, true])
    func junkFromManyPortsNeverEvictsTheOperator(signed: Bool) throws {
        let key = signed ? testKey : nil
        var configuration = GroundLinkConfiguration()
        configuration.signingKey = key
        let vehicleSocket = try UDPTransport(listenOn: .loopback, port: 0)
        let link = GroundLink(configuration: configuration, transports: [vehicleSocket], model: FakeVehicle())
        let operatorSocket = try UDPTransport(sendTo: .loopback, port: vehicleSocket.localPort)
        var station = GroundStation(key: key)
        var nowUs: UInt64 = 1_000_000
        var unix = unixTimeUs

        station.frame(gcsHeartbeat, unixTimeUs: unix).withUnsafeBytes { operatorSocket.send(frame: $0, nowUs: 0) }
        usleep(2_000)
        link.poll(nowUs: nowUs, unixTimeUs: unix)
        #expect(vehicleSocket.peerCount == 1)
        #expect(heartbeatsIn(drain(operatorSocket), key: key) >= 1)

        // 40 strangers: line noise, and (on a signed link) well-formed but unsigned HEARTBEATs.
        var strangers: [UDPTransport] = []
        var junkStation = GroundStation(systemID: 200)
        for index in 0..<40 {
            let stranger = try UDPTransport(sendTo: .loopback, port: vehicleSocket.localPort)
            strangers.append(stranger)
            let junk: [UInt8] = signed && index % 2 == 0
                ? junkStation.frame(gcsHeartbeat, unixTimeUs: unix)
                : (0..<40).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ index) }
            junk.withUnsafeBytes { stranger.send(frame: $0, nowUs: 0) }
        }
        usleep(5_000)
        // The flood is read over a few polls while the operator stays quiet for 2 s (under the 5 s silence that
        // would free its slot), then the vehicle's 1 Hz HEARTBEAT must still reach the operator.
        for _ in 0..<20 {
            nowUs += 100_000
            unix += 100_000
            link.poll(nowUs: nowUs, unixTimeUs: unix)
        }
        #expect(vehicleSocket.currentPeers.map(\.port) == [operatorSocket.localPort])
        #expect(heartbeatsIn(drain(operatorSocket), key: key) >= 1, "the operator still receives telemetry")
    }

    /// Without signing any CRC-valid frame is a station, but a full table of recently heard peers is not evicted:
    /// the newcomer is refused (counted) until a peer has been silent for `peerSilenceBeforeEvictionUs`.
    @Test func aFullTableEvictsOnlyASilentPeer() throws {
        let vehicleSocket = try UDPTransport(listenOn: .loopback, port: 0)
        let link = GroundLink(configuration: GroundLinkConfiguration(), transports: [vehicleSocket],
                              model: FakeVehicle())
        var station = GroundStation()
        var senders: [UDPTransport] = []
        let frame = station.frame(gcsHeartbeat)
        for _ in 0..<(UDPTransport.peerCapacity + 1) {
            let s = try UDPTransport(sendTo: .loopback, port: vehicleSocket.localPort)
            senders.append(s)
        }
        for s in senders.prefix(UDPTransport.peerCapacity) { frame.withUnsafeBytes { s.send(frame: $0, nowUs: 0) } }
        usleep(2_000)
        link.poll(nowUs: 1_000_000)
        #expect(vehicleSocket.peerCount == UDPTransport.peerCapacity)
        frame.withUnsafeBytes { senders.last!.send(frame: $0, nowUs: 0) }
        usleep(2_000)
        link.poll(nowUs: 2_000_000)
        #expect(vehicleSocket.counters.peersRefused == 1)
        #expect(!vehicleSocket.currentPeers.contains { $0.port == senders.last!.localPort })
        frame.withUnsafeBytes { senders.last!.send(frame: $0, nowUs: 0) }
        usleep(2_000)
        link.poll(nowUs: 1_000_000 + UDPTransport.peerSilenceBeforeEvictionUs)
        #expect(vehicleSocket.currentPeers.contains { $0.port == senders.last!.localPort })
        #expect(vehicleSocket.peerCount == UDPTransport.peerCapacity)
    }

    /// On a signed link an unsigned station never becomes a peer, but still hears the answer to its own datagram
    /// (the DENIED ack that tells its operator why), and no telemetry.
    @Test func anUnsignedStationGetsItsReplyButNoTelemetry() throws {
        var configuration = GroundLinkConfiguration()
        configuration.signingKey = testKey
        let vehicleSocket = try UDPTransport(listenOn: .loopback, port: 0)
        let link = GroundLink(configuration: configuration, transports: [vehicleSocket], model: FakeVehicle())
        let unsignedSocket = try UDPTransport(sendTo: .loopback, port: vehicleSocket.localPort)
        var unsigned = GroundStation()
        let rtl = CommandLong(targetSystem: 1, targetComponent: 1, command: .navReturnToLaunch)
        unsigned.frame(rtl).withUnsafeBytes { unsignedSocket.send(frame: $0, nowUs: 0) }
        usleep(2_000)
        link.poll(nowUs: 1_000_000, unixTimeUs: unixTimeUs)
        #expect(vehicleSocket.peerCount == 0)
        var acks: [MAVResult] = []
        let parser = FrameParser()
        for d in drain(unsignedSocket) {
            parser.parse(d) { if let ack = $0.decode(CommandAck.self) { acks.append(ack.result) } }
        }
        #expect(acks == [.denied])
        link.poll(nowUs: 3_000_000, unixTimeUs: unixTimeUs + 2_000_000)
        #expect(drain(unsignedSocket).isEmpty)
    }
}
