import FlightLog

/// The split `kestrel fly` uses: the real-time thread samples (`record`, `logTiming`) into the logger's record ring,
/// the log thread moves the records to the file (`pumpToFile`) and closes it (`close`). SITL does both on one
/// thread through `record`/`finish`.
extension FlightLogger {
    /// Producer (real-time thread): the loop's timing report as `kestrel_timing`.
    func logTiming(_ sample: RuntimeTimingSample) { producer.log(sample, to: timingTopic) }

    /// Records lost because this log's ring was full (each gap is also marked in the file by a dropout).
    var droppedRecords: Int { ring.droppedWhenFull }

    /// Log thread: moves queued records to the file.
    func pumpToFile(nowUs: UInt64) throws(FlightLogFileError) { try session.pump(nowUs: nowUs) }

    /// Log side: hands the queued records to `body` instead of the file (benchmarks of the real-time side).
    @discardableResult
    public func drainQueued(_ body: (UnsafeRawBufferPointer) -> Void) -> Int { ring.drain(body) }

    /// Log thread, after the real-time thread has let go of this logger: last records, flush, close.
    func close(nowUs: UInt64) throws(FlightLogFileError) { try session.finish(nowUs: nowUs) }
}
