/// A byte stream to a GPS receiver or telemetry radio. Non-blocking: both calls return at once.
public protocol SerialPort: AnyObject {
    /// Reads what is available into `buffer`; returns the byte count (0 when nothing is waiting).
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(DeviceError) -> Int
    /// Writes as much of `bytes` as the driver accepts now; returns the count written (may be short or 0).
    func write(_ bytes: UnsafeRawBufferPointer) throws(DeviceError) -> Int
}
