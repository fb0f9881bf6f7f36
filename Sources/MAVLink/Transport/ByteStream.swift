/// A non-blocking byte stream (a serial port to a telemetry radio). MAVLink may not import the device layer, so
/// the autopilot adapts DeviceIO's `SerialPort` to this protocol; the shapes are the same.
public protocol ByteStream: AnyObject {
    /// Reads what is available; 0 when nothing is waiting.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ByteStreamError) -> Int
    /// Writes as much as the device takes now; returns the count (may be short or 0).
    func write(_ bytes: UnsafeRawBufferPointer) throws(ByteStreamError) -> Int
}

/// A device failure reported by a `ByteStream` adapter, with its own one-line message.
public struct ByteStreamError: Error, Equatable, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// A link over a byte stream. Outgoing frames go through a fixed transmit buffer, so a radio that takes only part
/// of a frame now gets the rest on the next call; a frame that does not fit in the buffer is dropped whole.
public final class StreamTransport: LinkTransport {
    public let name: String
    public private(set) var counters = TransportCounters()
    /// Last device error, for the operator's status page.
    public private(set) var lastError: ByteStreamError?

    private let stream: any ByteStream
    private let transmit: UnsafeMutableRawBufferPointer
    private var transmitStart = 0
    private var transmitEnd = 0

    public init(name: String, stream: any ByteStream, transmitBufferBytes: Int = 4096) {
        self.name = name
        self.stream = stream
        transmit = UnsafeMutableRawBufferPointer.allocate(byteCount: max(transmitBufferBytes, 300), alignment: 8)
    }

    deinit { transmit.deallocate() }

    public func receive(into buffer: UnsafeMutableRawBufferPointer, nowUs: UInt64) -> Int {
        flush()
        do {
            let count = try stream.read(into: buffer)
            counters.bytesReceived &+= UInt64(max(count, 0))
            return max(count, 0)
        } catch {
            counters.receiveErrors &+= 1
            lastError = error
            return 0
        }
    }

    public func send(frame: UnsafeRawBufferPointer, nowUs: UInt64) {
        if transmitStart == transmitEnd {
            transmitStart = 0
            transmitEnd = 0
        }
        if transmit.count - transmitEnd < frame.count, transmitStart > 0, let base = transmit.baseAddress {
            // Move the unsent tail to the front to make room.
            let pending = transmitEnd - transmitStart
            base.copyMemory(from: base + transmitStart, byteCount: pending)
            transmitStart = 0
            transmitEnd = pending
        }
        guard transmit.count - transmitEnd >= frame.count, let base = transmit.baseAddress,
            let source = frame.baseAddress
        else {
            counters.framesDropped &+= 1
            return
        }
        (base + transmitEnd).copyMemory(from: source, byteCount: frame.count)
        transmitEnd += frame.count
        counters.framesSent &+= 1
        flush()
    }

    /// Writes what the device takes of the transmit buffer.
    public func flush() {
        guard transmitEnd > transmitStart else { return }
        do {
            let pending = UnsafeRawBufferPointer(rebasing: transmit[transmitStart..<transmitEnd])
            let written = try stream.write(pending)
            transmitStart += min(max(written, 0), transmitEnd - transmitStart)
            counters.bytesSent &+= UInt64(max(written, 0))
        } catch {
            // A failed device loses what was queued; the frames are counted as dropped only approximately
            // (as one), which is enough to show the operator the link is broken.
            lastError = error
            counters.framesDropped &+= 1
            transmitStart = 0
            transmitEnd = 0
        }
    }
}
