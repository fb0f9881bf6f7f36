import Testing
@testable import MAVLink

@Suite struct LinkEndpointTests {
    @Test func parsesMAVProxyStyleEndpoints() throws {
        #expect(try LinkEndpoint(parsing: "udpin:0.0.0.0:14550") == .udpIn(host: .any, port: 14550))
        #expect(try LinkEndpoint(parsing: "udpout:127.0.0.1:14550") == .udpOut(host: .loopback, port: 14550))
        #expect(try LinkEndpoint(parsing: "udpout:localhost:14551") == .udpOut(host: .loopback, port: 14551))
        #expect(try LinkEndpoint(parsing: "serial:/dev/ttyUSB0:57600") == .serial(path: "/dev/ttyUSB0", baudRate: 57600))
        #expect(try LinkEndpoint.parseList("udpin:0.0.0.0:14550, udpout:10.0.0.2:14550").count == 2)
        #expect(try LinkEndpoint(parsing: "udpin:192.168.1.10:14550").description == "udpin:192.168.1.10:14550")
    }

    @Test func badEndpointsNameTheProblem() {
        func error(_ text: String) -> LinkEndpointError? {
            do {
                _ = try LinkEndpoint(parsing: text)
                return nil
            } catch { return error }
        }
        #expect(error("tcp:1.2.3.4:5") == .unknownScheme(endpoint: "tcp:1.2.3.4:5", scheme: "tcp"))
        #expect(error("14550") == .missingScheme(endpoint: "14550"))
        #expect(error("udpin:0.0.0.0") == .missingPort(endpoint: "udpin:0.0.0.0"))
        #expect(error("udpin:256.0.0.1:14550") == .badHost(endpoint: "udpin:256.0.0.1:14550", host: "256.0.0.1"))
        #expect(error("udpin:01.0.0.1:14550") == .badHost(endpoint: "udpin:01.0.0.1:14550", host: "01.0.0.1"))
        #expect(error("udpout:0.0.0.0:14550") == .badHost(endpoint: "udpout:0.0.0.0:14550", host: "0.0.0.0"))
        #expect(error("udpin:1.2.3.4:70000") == .badPort(endpoint: "udpin:1.2.3.4:70000", port: "70000"))
        #expect(error("udpin:1.2.3.4:0") == .badPort(endpoint: "udpin:1.2.3.4:0", port: "0"))
        #expect(error("serial:/dev/ttyUSB0:12345") == .badBaudRate(endpoint: "serial:/dev/ttyUSB0:12345", baudRate: "12345"))
        #expect(error("serial:ttyUSB0:57600") == .badSerialPath(endpoint: "serial:ttyUSB0:57600", path: "ttyUSB0"))
        #expect(error("serial:/dev/ttyUSB0") == .missingBaudRate(endpoint: "serial:/dev/ttyUSB0"))
        #expect(throws: LinkEndpointError.emptyEntry(list: "udpin:0.0.0.0:1,,")) {
            try LinkEndpoint.parseList("udpin:0.0.0.0:1,,")
        }
        #expect(LinkEndpointError.badPort(endpoint: "udpin:1.2.3.4:x", port: "x").description
            == "link endpoint 'udpin:1.2.3.4:x': port 'x' is not a number in 1...65535")
    }
}

@Suite struct UDPTransportTests {
    func receive(_ t: UDPTransport, nowUs: UInt64) -> [UInt8]? {
        var buffer = [UInt8](repeating: 0, count: 512)
        for _ in 0..<2000 {
            let n = buffer.withUnsafeMutableBytes { t.receive(into: $0, nowUs: nowUs) }
            if n > 0 { return Array(buffer[0..<n]) }
            usleepShort()
        }
        return nil
    }

    func usleepShort() {
        var spin = 0
        for i in 0..<20_000 { spin &+= i }
        _ = spin
    }

    @Test func udpinAnswersEveryPeerItHeardAndUdpoutOnlyItsPeer() throws {
        let listener = try UDPTransport(listenOn: .loopback, port: 0)
        #expect(listener.localPort != 0)
        let a = try UDPTransport(sendTo: .loopback, port: listener.localPort)
        let b = try UDPTransport(sendTo: .loopback, port: listener.localPort)
        // Nobody heard yet: udpin drops.
        [UInt8](repeating: 1, count: 3).withUnsafeBytes { listener.send(frame: $0, nowUs: 0) }
        #expect(listener.counters.framesDropped == 1)
        [UInt8]([0xA]).withUnsafeBytes { a.send(frame: $0, nowUs: 0) }
        [UInt8]([0xB]).withUnsafeBytes { b.send(frame: $0, nowUs: 0) }
        // A sender becomes a peer only once the ground link found a valid frame in its datagram.
        #expect(receive(listener, nowUs: 10) == [0xA])
        #expect(listener.peerCount == 0)
        listener.finishedDatagram(heldValidFrame: true, nowUs: 10)
        #expect(receive(listener, nowUs: 20) == [0xB])
        listener.finishedDatagram(heldValidFrame: true, nowUs: 20)
        #expect(listener.peerCount == 2)
        [UInt8]([1, 2, 3]).withUnsafeBytes { listener.send(frame: $0, nowUs: 30) }
        #expect(receive(a, nowUs: 40) == [1, 2, 3])
        #expect(receive(b, nowUs: 40) == [1, 2, 3])
        #expect(listener.counters.framesSent == 2)
        // udpout ignores datagrams from anyone but its peer.
        let stranger = try UDPTransport(sendTo: .loopback, port: a.localPort)
        [UInt8]([9]).withUnsafeBytes { stranger.send(frame: $0, nowUs: 50) }
        #expect(receive(a, nowUs: 60) == nil)
        #expect(a.counters.foreignDatagrams == 1)
    }

    @Test func bindingATakenPortIsATypedError() throws {
        let first = try UDPTransport(listenOn: .loopback, port: 0)
        // SO_REUSEADDR does not allow two UDP sockets on one port without SO_REUSEPORT.
        #expect(throws: TransportError.self) { try UDPTransport(listenOn: .loopback, port: first.localPort) }
    }
}

@Suite struct StreamTransportTests {
    final class SlowRadio: ByteStream {
        var written: [UInt8] = []
        var acceptPerWrite = 5
        var failNext = false
        func read(into buffer: UnsafeMutableRawBufferPointer) throws(ByteStreamError) -> Int {
            if failNext { throw ByteStreamError("radio unplugged") }
            return 0
        }
        func write(_ bytes: UnsafeRawBufferPointer) throws(ByteStreamError) -> Int {
            let n = min(acceptPerWrite, bytes.count)
            written += bytes.prefix(n)
            return n
        }
    }

    @Test func shortWritesAreCompletedLaterAndFramesStayWhole() {
        let radio = SlowRadio()
        let transport = StreamTransport(name: "serial:/dev/ttyS0:57600", stream: radio, transmitBufferBytes: 300)
        let frame1 = [UInt8](0..<12)
        let frame2 = [UInt8](100..<112)
        frame1.withUnsafeBytes { transport.send(frame: $0, nowUs: 0) }
        frame2.withUnsafeBytes { transport.send(frame: $0, nowUs: 0) }
        #expect(radio.written.count == 10)
        for _ in 0..<5 { transport.flush() }
        #expect(radio.written == frame1 + frame2)
        // A frame larger than the free buffer is dropped whole, never cut.
        radio.acceptPerWrite = 0
        [UInt8](repeating: 7, count: 280).withUnsafeBytes { transport.send(frame: $0, nowUs: 0) }
        [UInt8](repeating: 8, count: 280).withUnsafeBytes { transport.send(frame: $0, nowUs: 0) }
        #expect(transport.counters.framesDropped == 1)
        radio.failNext = true
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(buffer.withUnsafeMutableBytes { transport.receive(into: $0, nowUs: 0) } == 0)
        #expect(transport.lastError == ByteStreamError("radio unplugged"))
    }
}
