#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An append-only log file written in blocks: bytes collect in a fixed buffer and go to disk, followed by
/// `fsync`, when the buffer is full or on `flush()`. After a crash or power loss the file holds every flushed
/// block; a reader sees at most a cut message at the end.
final class ULogFileSink {
    let path: String
    private let fd: Int32
    private let block: UnsafeMutableRawBufferPointer
    private var blockUsed = 0
    private(set) var bytesOnDisk = 0
    private(set) var flushCount = 0
    /// After a failed write the file's end is unknown; every later call fails with the first error rather than
    /// writing a block twice or out of order.
    private var failure: FlightLogFileError?

    init(path: String, blockBytes: Int) throws(FlightLogFileError) {
        // O_EXCL: never overwrite an existing log.
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FlightLogFileError(operation: "create", path: path, errno: errno) }
        self.fd = fd
        self.path = path
        block = UnsafeMutableRawBufferPointer.allocate(byteCount: max(512, blockBytes), alignment: 16)
    }

    deinit {
        block.deallocate()
        if fd >= 0 { close(fd) }
    }

    var bytesBuffered: Int { blockUsed }
    var blockCapacity: Int { block.count }
    var totalBytes: Int { bytesOnDisk + blockUsed }

    func append(_ bytes: UnsafeRawBufferPointer) throws(FlightLogFileError) {
        if let failure { throw failure }
        if blockUsed + bytes.count > block.count { try flush() }
        guard bytes.count <= block.count else {
            // Larger than a block (only the definitions can be): write through.
            try guarded { () throws(FlightLogFileError) in try POSIXFile.writeAll(fd: fd, bytes, path: path) }
            bytesOnDisk += bytes.count
            return
        }
        guard let dst = block.baseAddress, let src = bytes.baseAddress else { return }
        (dst + blockUsed).copyMemory(from: src, byteCount: bytes.count)
        blockUsed += bytes.count
    }

    func append(_ bytes: [UInt8]) throws(FlightLogFileError) {
        let result = bytes.withUnsafeBytes { b in
            Result { () throws(FlightLogFileError) in try append(b) }
        }
        try result.get()
    }

    /// Writes the buffered block and waits until it is on stable storage.
    func flush() throws(FlightLogFileError) {
        if let failure { throw failure }
        if blockUsed > 0 {
            let pending = UnsafeRawBufferPointer(rebasing: block[0..<blockUsed])
            try guarded { () throws(FlightLogFileError) in try POSIXFile.writeAll(fd: fd, pending, path: path) }
            bytesOnDisk += blockUsed
            blockUsed = 0
        }
        try guarded { () throws(FlightLogFileError) in try POSIXFile.fsyncFile(fd: fd, path: path) }
        flushCount += 1
    }

    private func guarded(_ body: () throws(FlightLogFileError) -> Void) throws(FlightLogFileError) {
        do { try body() } catch {
            failure = error
            throw error
        }
    }
}
