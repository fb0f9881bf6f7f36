import DeviceIO

/// `withUnsafeTemporaryAllocation` (a stack buffer for a transfer) for a body that throws `DeviceError`, keeping the
/// error's type. Before Swift 6.3 the standard library's version is `rethrows`, so its error is `any Error` and a
/// `throws(DeviceError)` driver cannot throw it on (Debian's Swift 6.2 rejects that); carrying the error out in a
/// `Result` builds the same with every Swift version.
@inline(__always)
func withDeviceScratchBytes<R>(
    byteCount: Int, alignment: Int, _ body: (UnsafeMutableRawBufferPointer) throws(DeviceError) -> R
) throws(DeviceError) -> R {
    let result: Result<R, DeviceError> = withUnsafeTemporaryAllocation(byteCount: byteCount, alignment: alignment) {
        buffer in
        do throws(DeviceError) { return .success(try body(buffer)) } catch { return .failure(error) }
    }
    return try result.get()
}
