#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A MAVLink link over one non-blocking UDP/IPv4 socket, in MAVProxy's two roles:
///
/// - `udpin`: bound to a local address; a ground station becomes a peer only once a datagram from it held a valid
///   frame (CRC-checked and, on a signed link, authenticated: the ground link calls `finishedDatagram` after
///   parsing), and every frame goes to every peer. Junk from any number of source ports therefore never enters the
///   table. A sender that is not (yet) a peer still gets the replies to its own datagram (a DENIED ack for an
///   unsigned command, a read-only answer), sent while that datagram is handled, but no telemetry. A new peer takes the slot of the one heard longest ago only if that one has been silent for
///   `peerSilenceBeforeEvictionUs`; otherwise it is refused (counted), so a flood of new senders never pushes the
///   operator's station out. Nothing is sent before the first valid frame arrives, as there is nobody to send to.
/// - `udpout`: sends to one fixed peer from an ephemeral port and accepts datagrams only from that peer.
///
/// One MAVLink frame per datagram on sending; received datagrams may hold several frames.
public final class UDPTransport: LinkTransport {
    public static let peerCapacity = 8
    /// How long a peer must have sent no valid frame before a new station may take its slot (ground stations send
    /// a HEARTBEAT every second).
    public static let peerSilenceBeforeEvictionUs: UInt64 = 5_000_000

    public struct Peer: Equatable, Sendable {
        public var address: IPv4Address
        public var port: UInt16
        public var lastHeardUs: UInt64
    }

    public let name: String
    public private(set) var counters = TransportCounters()
    /// The local port the socket is bound to (the ephemeral one for udpout and for udpin on port 0).
    public private(set) var localPort: UInt16 = 0

    private let descriptor: Int32
    private let isListening: Bool
    private var peers = InlineArray<8, Peer>(repeating: Peer(address: .any, port: 0, lastHeardUs: 0))
    public private(set) var peerCount = 0
    /// Source of the datagram `receive` returned last (udpin), until `finishedDatagram` judges it; replies sent
    /// meanwhile reach it even when it is not a peer.
    private var lastSource: (address: IPv4Address, port: UInt16)?

    /// Opens the socket of an endpoint (serial endpoints are refused: see `StreamTransport`).
    public convenience init(endpoint: LinkEndpoint) throws(TransportError) {
        switch endpoint {
        case let .udpIn(host, port): try self.init(listenOn: host, port: port, name: endpoint.description)
        case let .udpOut(host, port): try self.init(sendTo: host, port: port, name: endpoint.description)
        case .serial: throw .serialNeedsByteStream(endpoint: endpoint.description)
        }
    }

    /// `udpin`. Port 0 binds an ephemeral port (tests); see `localPort`.
    public init(listenOn host: IPv4Address, port: UInt16, name: String? = nil) throws(TransportError) {
        self.name = name ?? "udpin:\(host):\(port)"
        isListening = true
        descriptor = try Self.openSocket(name: self.name)
        // No SO_REUSEADDR: for UDP it would let a second process bind the same port and silently take half of
        // the ground station's datagrams. A taken port is an error at start-up instead.
        try bindSocket(host: host, port: port)
    }

    /// `udpout`.
    public init(sendTo host: IPv4Address, port: UInt16, name: String? = nil) throws(TransportError) {
        self.name = name ?? "udpout:\(host):\(port)"
        isListening = false
        descriptor = try Self.openSocket(name: self.name)
        try bindSocket(host: .any, port: 0)
        peers[0] = Peer(address: host, port: port, lastHeardUs: 0)
        peerCount = 1
    }

    deinit { close(descriptor) }

    /// Peers currently served (tests, status).
    public var currentPeers: [Peer] { (0..<peerCount).map { peers[$0] } }

    public func receive(into buffer: UnsafeMutableRawBufferPointer, nowUs: UInt64) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            var source = sockaddr_in()
            var sourceLength = socklen_t(MemoryLayout<sockaddr_in>.size)
            let count = withUnsafeMutablePointer(to: &source) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    recvfrom(descriptor, base, buffer.count, Int32(MSG_DONTWAIT), $0, &sourceLength)
                }
            }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                // Nothing waiting; ECONNREFUSED is an ICMP answer to an earlier send, not a receive failure.
                if code != EAGAIN && code != EWOULDBLOCK && code != ECONNREFUSED { counters.receiveErrors &+= 1 }
                return 0
            }
            let address = IPv4Address(rawValue: UInt32(bigEndian: source.sin_addr.s_addr))
            let port = UInt16(bigEndian: source.sin_port)
            if isListening {
                // Not a peer yet: only a valid frame in it makes its sender one (`finishedDatagram`).
                lastSource = (address, port)
            } else if address != peers[0].address || port != peers[0].port {
                counters.foreignDatagrams &+= 1
                continue
            } else {
                peers[0].lastHeardUs = nowUs
            }
            counters.bytesReceived &+= UInt64(count)
            return count
        }
    }

    public func send(frame: UnsafeRawBufferPointer, nowUs: UInt64) {
        var replyToSender = lastSource
        for index in 0..<peerCount {
            let peer = peers[index]
            if let source = replyToSender, source.address == peer.address, source.port == peer.port {
                replyToSender = nil
            }
            sendDatagram(frame, to: peer.address, port: peer.port)
        }
        // A reply to the datagram being handled, whose sender is not a peer.
        if let source = replyToSender {
            sendDatagram(frame, to: source.address, port: source.port)
        } else if peerCount == 0 {
            counters.framesDropped &+= 1
        }
    }

    private func sendDatagram(_ frame: UnsafeRawBufferPointer, to address: IPv4Address, port: UInt16) {
        var destination = Self.socketAddress(address, port)
        let sent = withUnsafePointer(to: &destination) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(descriptor, frame.baseAddress, frame.count, Int32(MSG_DONTWAIT), $0,
                       socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        if sent == frame.count {
            counters.framesSent &+= 1
            counters.bytesSent &+= UInt64(sent)
        } else {
            counters.framesDropped &+= 1
        }
    }

    /// The datagram `receive` returned last has been handled; if it held a valid frame its sender becomes (or
    /// stays) a peer, heard now.
    public func finishedDatagram(heldValidFrame: Bool, nowUs: UInt64) {
        guard isListening, let source = lastSource else { return }
        lastSource = nil
        if heldValidFrame { remember(address: source.address, port: source.port, nowUs: nowUs) }
    }

    private func remember(address: IPv4Address, port: UInt16, nowUs: UInt64) {
        var oldest = 0
        for index in 0..<peerCount {
            if peers[index].address == address, peers[index].port == port {
                peers[index].lastHeardUs = max(peers[index].lastHeardUs, nowUs)
                return
            }
            if peers[index].lastHeardUs < peers[oldest].lastHeardUs { oldest = index }
        }
        if peerCount < Self.peerCapacity {
            peers[peerCount] = Peer(address: address, port: port, lastHeardUs: nowUs)
            peerCount += 1
            return
        }
        let last = peers[oldest].lastHeardUs
        guard nowUs > last, nowUs - last >= Self.peerSilenceBeforeEvictionUs else {
            counters.peersRefused &+= 1
            return
        }
        peers[oldest] = Peer(address: address, port: port, lastHeardUs: nowUs)
    }

    private static func openSocket(name: String) throws(TransportError) -> Int32 {
        #if canImport(Glibc)
        let type = Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        #else
        let type = SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC
        #endif
        let fd = socket(AF_INET, type, 0)
        guard fd >= 0 else { throw .socket(endpoint: name, call: "socket", errno: errno) }
        return fd
    }

    private func bindSocket(host: IPv4Address, port: UInt16) throws(TransportError) {
        var address = Self.socketAddress(host, port)
        let result = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            // The descriptor is closed by deinit, which runs because the object is fully initialised here.
            throw .socket(endpoint: name, call: "bind", errno: errno)
        }
        var bound = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &bound) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        localPort = UInt16(bigEndian: bound.sin_port)
    }

    private static func socketAddress(_ host: IPv4Address, _ port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr = in_addr(s_addr: host.rawValue.bigEndian)
        return address
    }
}
