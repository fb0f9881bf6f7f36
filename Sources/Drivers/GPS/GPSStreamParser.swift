import DeviceIO
import FlightMath

/// Reads a GPS receiver's serial stream that may carry NMEA, UBX or both, and yields fixes.
/// Each byte goes to both parsers; each only accepts checksum-valid frames of its own protocol.
public struct GPSStreamParser: Sendable {
    public var nmea: NMEAParser
    public var ubx: UBXParser

    public init(nmea: NMEAParser = NMEAParser(), ubx: UBXParser = UBXParser()) {
        self.nmea = nmea
        self.ubx = ubx
    }

    public mutating func consume(_ byte: UInt8, receivedAtUs: UInt64) -> GPSFix? {
        let fromUBX = ubx.consume(byte, receivedAtUs: receivedAtUs)
        let fromNMEA = nmea.consume(byte, receivedAtUs: receivedAtUs)
        return fromUBX ?? fromNMEA
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
