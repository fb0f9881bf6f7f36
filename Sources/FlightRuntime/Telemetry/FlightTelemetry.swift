import DeviceIO
import MAVLink
import Board

/// The telemetry side of the vehicle host: the MAVLink ground link (when there is one) over a `FlightVehicleLink`
/// that reads the real-time side's snapshots, hands it commands, approvals and missions through the rings and
/// builds missions for the navigation origin. It also tells the real-time side when a ground station was last heard
/// (the link-loss failsafe's input). `kestrel fly` polls it on its own thread at 200 Hz; `kestrel sim` polls it in
/// lockstep every 5 ms of simulated time.
public final class FlightTelemetry: @unchecked Sendable {
    public let link: GroundLink?
    public let model: FlightVehicleLink
    private let channels: RuntimeChannels
    private let endpoints: [LinkEndpoint]
    private(set) var polls: UInt64 = 0
    private var cpuUs: UInt64 = 0
    public static let pollPeriodUs: UInt64 = 5_000
    private let signingTimestampPath: String?
    private var lastTimestampSaveUs: UInt64?
    /// Why the signing timestamp could not be saved, the last time it could not (for the report).
    public private(set) var signingTimestampFailure: String?

    init(link: GroundLink?, model: FlightVehicleLink, channels: RuntimeChannels, endpoints: [LinkEndpoint],
         signingTimestampPath: String? = nil) {
        self.link = link
        self.model = model
        self.channels = channels
        self.endpoints = endpoints
        self.signingTimestampPath = signingTimestampPath
    }

    /// Saves the link's last signing timestamp every `SigningTimestampFile.saveIntervalUs` (and when `force`), on
    /// this thread: a small write, never on the real-time thread.
    func saveSigningTimestamp(nowUs: UInt64, force: Bool = false) {
        guard let path = signingTimestampPath, let timestamp = link?.signingTimestamp else { return }
        if !force, let last = lastTimestampSaveUs, nowUs >= last, nowUs - last < SigningTimestampFile.saveIntervalUs {
            return
        }
        lastTimestampSaveUs = nowUs
        do { try SigningTimestampFile.save(timestamp, path: path) } catch { signingTimestampFailure = error.description }
    }

    /// Opens the endpoints and the signing key named on the command line or in the board file; nil when there is
    /// no endpoint at all (no telemetry thread then).
    static func groundSetup(options: FlightDaemonOptions, board: BoardConfig, loaded: FlightDaemonLoad,
                            log: @Sendable (String) -> Void) throws(FlightDaemonError) -> GroundLinkSetup? {
        let section = board.mavlink
        var endpoints = options.mavlinkEndpoints
        if endpoints.isEmpty, let texts = section?.endpoints {
            for (i, text) in texts.enumerated() {
                do { endpoints.append(try LinkEndpoint(parsing: text)) } catch {
                    throw FlightDaemonError("\(options.boardPath): mavlink.endpoints[\(i)]: \(error.description)")
                }
            }
        }
        guard !endpoints.isEmpty else { return nil }
        var configuration = GroundLinkConfiguration()
        var timestampPath: String?
        let systemID = options.mavlinkSystemID ?? section?.systemID ?? 1
        configuration.identity = LinkIdentity(systemID: systemID, componentID: 1)
        configuration.vehicleUID = loaded.vehicleID.rawValue
        if let path = options.signingKeyPath ?? section?.signingKeyFile {
            do { configuration.signingKey = try SigningKeyFile.load(path: path) } catch {
                throw FlightDaemonError("mavlink: \(error.description)")
            }
            timestampPath = options.signingTimestampPath
                ?? options.logDirectory.map { $0 + "/mavlink-signing-timestamp" }
            if let timestampPath {
                do {
                    if let stored = try SigningTimestampFile.load(path: timestampPath) {
                        configuration.signingTimestampFloor = SigningTimestampFile.startingFloor(afterStored: stored)
                    }
                } catch {
                    throw FlightDaemonError("mavlink: \(error.description)")
                }
            }
        }
        var transports: [any LinkTransport] = []
        for endpoint in endpoints {
            do { transports.append(try UDPTransport(endpoint: endpoint)) } catch {
                throw FlightDaemonError("mavlink \(endpoint): \(error)")
            }
        }
        log("mavlink: system \(systemID), \(endpoints.map(\.description).joined(separator: ", "))"
            + (configuration.signingKey == nil ? ", unsigned" : ", signed"))
        var setup = GroundLinkSetup(configuration: configuration, transports: transports, endpoints: endpoints)
        setup.signingTimestampPath = timestampPath
        return setup
    }

    /// The thread body of `kestrel fly`: polls on the wall clock until the real-time loop has ended, then once more
    /// so the last state goes out.
    func run(done: () -> Bool) {
        let clock = SystemMonotonicClock()
        var next = clock.nowUs()
        repeat {
            poll(nowUs: clock.nowUs(), unixTimeUs: WallTime.unixMicroseconds())
            saveSigningTimestamp(nowUs: clock.nowUs())
            next &+= Self.pollPeriodUs
            let now = clock.nowUs()
            if next > now { clock.sleep(untilUs: next) } else { next = now }
        } while !done()
        poll(nowUs: clock.nowUs(), unixTimeUs: WallTime.unixMicroseconds())
        saveSigningTimestamp(nowUs: clock.nowUs(), force: true)
        cpuUs = ThreadCPUTime.nowUs()
    }

    /// One poll: what the real-time side published, then the link's traffic at `nowUs` (the host's monotonic time),
    /// with outgoing signatures dated `unixTimeUs`.
    public func poll(nowUs: UInt64, unixTimeUs: UInt64) {
        model.collect()
        if let link {
            link.poll(nowUs: nowUs, unixTimeUs: unixTimeUs)
            if let age = link.timeSinceAnyGCSHeartbeatUs(nowUs: nowUs) {
                channels.lastGroundContactUs.store(nowUs &- age, ordering: .relaxed)
            }
        } else {
            // Nobody to tell: texts (refusals of replies nobody waited for) do not pile up.
            while model.nextStatusText() != nil {}
        }
        polls &+= 1
    }

    /// For the exit report.
    var summary: String {
        guard let link else { return "no ground link, \(polls) polls, CPU \(cpuUs / 1000) ms" }
        let c = link.counters
        return "\(endpoints.map(\.description).joined(separator: ", ")), \(polls) polls, CPU \(cpuUs / 1000) ms, "
            + "\(c.framesReceived) frames in, \(c.commandsAccepted) commands accepted, \(c.commandsRefused) refused, "
            + "\(model.repliesTimedOut) unanswered"
            + (signingTimestampFailure.map { ", \($0)" } ?? "")
    }
}
