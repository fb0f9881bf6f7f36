import DeviceIO
import FlightMath

/// Reads a GPS receiver's serial stream in the board's one protocol and yields fixes.
///
/// Bytes of the other protocol are ignored (a u-blox can be left emitting both; see `GPSProtocol` for why an epoch
/// must never be fused twice). Each parser only accepts checksum-valid frames of its own protocol.
public struct GPSStreamParser: Sendable {
    public let protocolKind: GPSProtocol
    public var nmea: NMEAParser
    public var ubx: UBXParser

    public init(protocol protocolKind: GPSProtocol, nmea: NMEAParser = NMEAParser(), ubx: UBXParser = UBXParser()) {
        self.protocolKind = protocolKind
        self.nmea = nmea
        self.ubx = ubx
    }

    public mutating func consume(_ byte: UInt8, receivedAtUs: UInt64) -> GPSFix? {
        switch protocolKind {
        case .ubx: return ubx.consume(byte, receivedAtUs: receivedAtUs)
        case .nmea: return nmea.consume(byte, receivedAtUs: receivedAtUs)
        }
    }

    /// Parses a chunk, calling `onFix` for each fix completed in it. Allocation free.
    public mutating func consume(_ bytes: UnsafeRawBufferPointer, receivedAtUs: UInt64, onFix: (GPSFix) -> Void) {
        for byte in bytes {
            if let fix = consume(byte, receivedAtUs: receivedAtUs) { onFix(fix) }
        }
    }

    /// Drains what the port has now (non-blocking) through a caller-owned buffer; returns the newest fix.
    public mutating func poll<Port: SerialPort>(_ port: Port, buffer: UnsafeMutableRawBufferPointer, nowUs: UInt64)
        throws(DeviceError) -> GPSFix?
    {
        var newest: GPSFix?
        while true {
            let count = try port.read(into: buffer)
            if count <= 0 { return newest }
            consume(UnsafeRawBufferPointer(rebasing: buffer[0..<count]), receivedAtUs: nowUs) { newest = $0 }
            if count < buffer.count { return newest }
        }
    }
}
