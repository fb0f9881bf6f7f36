/// A byte stream to a GPS receiver or telemetry radio. Non-blocking: `read` and `write` return at once.
public protocol SerialPort: AnyObject {
    /// Reads what is available into `buffer`; returns the byte count (0 when nothing is waiting).
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(DeviceError) -> Int
    /// Writes as much of `bytes` as the driver accepts now; returns the count written (may be short or 0).
    func write(_ bytes: UnsafeRawBufferPointer) throws(DeviceError) -> Int
    /// The speed the host side of the line runs at (8N1).
    var baudRate: Int { get }
    /// Moves the host side to `baudRate`: waits until what was written has left at the old speed, switches, and
    /// discards what arrived meanwhile. For device set-up at start (it may block); never on the real-time tick.
    func setBaudRate(_ baudRate: Int) throws(DeviceError)
}
