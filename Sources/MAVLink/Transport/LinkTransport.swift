/// One path bytes travel to and from ground stations: a UDP socket or a serial stream. Used from the telemetry
/// thread only; neither call blocks.
///
/// Frames are the unit of sending: a transport sends a frame whole or drops it (counted), so a full socket or
/// radio buffer never puts half a frame on the air.
public protocol LinkTransport: AnyObject {
    /// For logs and status (`udpin:0.0.0.0:14550`).
    var name: String { get }
    /// Reads what is waiting (one datagram, or the bytes a stream has) into `buffer`; 0 when nothing is waiting.
    func receive(into buffer: UnsafeMutableRawBufferPointer, nowUs: UInt64) -> Int
    /// Sends one frame to this link's peer(s), or drops it.
    func send(frame: UnsafeRawBufferPointer, nowUs: UInt64)
    /// Called once the data `receive` returned last has been handled, saying whether it held a valid frame
    /// (CRC-checked and, on a signed link, authenticated): a transport that learns its peers (udpin) learns the
    /// sender only from such data. Replies sent before this call answer that sender.
    func finishedDatagram(heldValidFrame: Bool, nowUs: UInt64)
    var counters: TransportCounters { get }
}

extension LinkTransport {
    /// Transports with a fixed peer (udpout, serial) have nothing to learn.
    public func finishedDatagram(heldValidFrame: Bool, nowUs: UInt64) {}
}

/// What a transport saw; errors on the telemetry path are counted, never thrown.
public struct TransportCounters: Equatable, Sendable {
    public var bytesReceived: UInt64 = 0
    public var bytesSent: UInt64 = 0
    public var framesSent: UInt64 = 0
    /// Frames not sent: socket buffer full, no peer yet, or a send error.
    public var framesDropped: UInt64 = 0
    /// Receive errors other than "nothing waiting" (e.g. a serial device that went away).
    public var receiveErrors: UInt64 = 0
    /// Datagrams from an address that is not this link's peer (udpout).
    public var foreignDatagrams: UInt64 = 0
    /// Stations with a valid frame not taken as peers because every slot held a recently heard peer (udpin).
    public var peersRefused: UInt64 = 0
    public init() {}
}

/// Why a transport could not be opened (start-up only).
public enum TransportError: Error, Equatable, Sendable, CustomStringConvertible {
    case socket(endpoint: String, call: String, errno: Int32)
    /// Serial endpoints are opened by the autopilot (DeviceIO) and handed over as a `ByteStream`.
    case serialNeedsByteStream(endpoint: String)

    public var description: String {
        switch self {
        case let .socket(endpoint, call, code): "link \(endpoint): \(call) failed (\(SystemErrorText.describe(code)))"
        case let .serialNeedsByteStream(endpoint):
            "link \(endpoint): serial ports are opened by the autopilot and passed in as a ByteStream"
        }
    }
}
