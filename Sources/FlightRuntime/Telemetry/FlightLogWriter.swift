import DeviceIO
import FlightLog
import LockFree
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The log side of the vehicle host: opens each flight log, hands it to the real-time side through
/// `RuntimeChannels.freshLoggers`, moves its records to the file ten times a second, and when the real-time side
/// retires it (at a disarm) closes it and opens the next. The file I/O, directory rotation and allocation of a
/// new log all happen here, never on the real-time side. `kestrel fly` runs it on its own thread; `kestrel sim`
/// services it in lockstep every 100 ms of simulated time.
public final class FlightLogWriter: @unchecked Sendable {
    public struct Closed: Sendable {
        public var path: String
        public var recordsWritten: Int
        public var bytesOnDisk: Int
        public var droppedInRing: Int
        public var error: String?
    }

    private let channels: RuntimeChannels
    private let makeSetup: @Sendable () -> FlightLoggerSetup
    /// The host's monotonic clock: CLOCK_MONOTONIC in flight, simulated time in SITL (log time stamps).
    private let clock: any MonotonicClock
    private let log: @Sendable (String) -> Void
    /// Loggers handed out and not yet closed (normally one).
    private var live: [FlightLogger] = []
    public private(set) var closed: [Closed] = []
    public private(set) var openFailure: String?
    /// The log being written now, if any.
    public var current: FlightLogger? { live.last }
    /// A simulator's truth (HIL link thread, SITL loop → this side), logged into the current log; nil: none.
    public var truthSource: SPSCValueRing<TruthSample>?

    public init(channels: RuntimeChannels, clock: any MonotonicClock = SystemMonotonicClock(),
                log: @escaping @Sendable (String) -> Void, makeSetup: @escaping @Sendable () -> FlightLoggerSetup) {
        self.channels = channels
        self.clock = clock
        self.makeSetup = makeSetup
        self.log = log
    }

    /// Opens the first log (call before the real-time thread starts, so an unwritable directory stops start-up).
    public func openFirst() throws(FlightDaemonError) {
        do { try openNext() } catch { throw FlightDaemonError("log: \(error)") }
    }

    private func openNext() throws {
        let logger = try FlightLogger(setup: makeSetup(), startUs: clock.nowUs())
        logger.pumpsOnRecord = false
        live.append(logger)
        // The ring holds at most a few loggers; one is outstanding at a time, so this push cannot overflow.
        channels.freshLoggers.push(Unmanaged.passUnretained(logger))
        log("log: writing \(logger.path)")
    }

    /// The thread body: until `done` says the real-time loop has ended, then closes every log.
    func run(done: () -> Bool) {
        while !done() {
            service()
            clock.sleep(durationUs: 100_000)
        }
        finish()
    }

    /// Moves what the real-time side logged to the files, closes what it retired and opens the next log.
    public func service() { serviceOnce(openNew: true) }

    /// After the real-time side has stopped: writes what is left and closes every log.
    public func finish() {
        serviceOnce(openNew: false)
        let now = clock.nowUs()
        for logger in live { close(logger, nowUs: now) }
        live.removeAll()
    }

    private func serviceOnce(openNew: Bool) {
        let now = clock.nowUs()
        while let retired = channels.retiredLoggers.pop() {
            let logger = retired.takeUnretainedValue()
            close(logger, nowUs: now)
            live.removeAll { $0 === logger }
            if openNew, openFailure == nil {
                do { try openNext() } catch {
                    openFailure = "\(error)"
                    log("log: WARNING cannot open the next log (\(error)); flying on without a log")
                }
            }
        }
        if let truthSource {
            while let truth = truthSource.pop() { live.last?.logTruth(truth) }
        }
        for logger in live {
            do { try logger.pumpToFile(nowUs: now) } catch {
                log("log: WARNING \(logger.path): \(error)")
            }
        }
    }

    /// Closes a log; one that never received a record from the real-time thread (opened for the next flight just
    /// before the daemon stopped) is removed rather than left as an empty file.
    private func close(_ logger: FlightLogger, nowUs: UInt64) {
        var error: String?
        do { try logger.close(nowUs: nowUs) } catch let e { error = "\(e)" }
        let stats = logger.stats
        if stats.recordsWritten == 0, error == nil, closed.count > 0 || live.count > 1 {
            unlink(logger.path)
            log("log: removed \(logger.path) (no records)")
            return
        }
        closed.append(Closed(path: logger.path, recordsWritten: stats.recordsWritten, bytesOnDisk: stats.bytesOnDisk,
                             droppedInRing: logger.droppedRecords, error: error))
        log("log: closed \(logger.path): \(stats.recordsWritten) records, \(stats.bytesOnDisk) bytes, "
            + "\(logger.droppedRecords) dropped in the ring\(error.map { ", ERROR \($0)" } ?? "")")
    }
}
