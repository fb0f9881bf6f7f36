import DeviceIO
import MAVLink
import Board

/// The telemetry thread of `kestrel fly`: the MAVLink ground link on non-blocking sockets, polled at 200 Hz, over
/// a `FlightVehicleLink` that reads the real-time thread's snapshots and hands it commands through the rings. It
/// also tells the real-time thread when a ground station was last heard (the link-loss failsafe's input).
final class FlightTelemetry: @unchecked Sendable {
    let link: GroundLink
    let model: FlightVehicleLink
    private let channels: RuntimeChannels
    private let endpoints: [LinkEndpoint]
    private let clock = SystemMonotonicClock()
    private(set) var polls: UInt64 = 0
    private var cpuUs: UInt64 = 0
    static let pollPeriodUs: UInt64 = 5_000

    init(link: GroundLink, model: FlightVehicleLink, channels: RuntimeChannels, endpoints: [LinkEndpoint]) {
        self.link = link
        self.model = model
        self.channels = channels
        self.endpoints = endpoints
    }

    /// Opens the endpoints and the signing key named on the command line or in the board file; nil when there is
    /// no endpoint at all (no telemetry thread then).
    static func make(options: FlightDaemonOptions, board: BoardConfig, loaded: FlightDaemonLoad,
                     channels: RuntimeChannels, baseRateHz: Int,
                     log: @Sendable (String) -> Void) throws(FlightDaemonError) -> FlightTelemetry? {
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
        let systemID = options.mavlinkSystemID ?? section?.systemID ?? 1
        configuration.identity = LinkIdentity(systemID: systemID, componentID: 1)
        configuration.vehicleUID = loaded.vehicleID.rawValue
        if let path = options.signingKeyPath ?? section?.signingKeyFile {
            do { configuration.signingKey = try SigningKeyFile.load(path: path) } catch {
                throw FlightDaemonError("mavlink: \(error.description)")
            }
        }
        var transports: [any LinkTransport] = []
        for endpoint in endpoints {
            do { transports.append(try UDPTransport(endpoint: endpoint)) } catch {
                throw FlightDaemonError("mavlink \(endpoint): \(error)")
            }
        }
        let clock = SystemMonotonicClock()
        let model = FlightVehicleLink(channels: channels, policy: loaded.policy, baseRateHz: baseRateHz,
                                      airframe: loaded.parameters, missionFile: loaded.missionFile,
                                      missionSource: options.missionPath ?? "", missionSetup: loaded.missionSetup,
                                      sleepUs: { clock.sleep(durationUs: $0) })
        let link = GroundLink(configuration: configuration, transports: transports, model: model)
        log("mavlink: system \(systemID), \(endpoints.map(\.description).joined(separator: ", "))"
            + (configuration.signingKey == nil ? ", unsigned" : ", signed"))
        return FlightTelemetry(link: link, model: model, channels: channels, endpoints: endpoints)
    }

    /// The thread body: polls until the real-time loop has ended, then once more so the last state goes out.
    func run(done: () -> Bool) {
        var next = clock.nowUs()
        repeat {
            pollOnce()
            next &+= Self.pollPeriodUs
            let now = clock.nowUs()
            if next > now { clock.sleep(untilUs: next) } else { next = now }
        } while !done()
        pollOnce()
        cpuUs = ThreadCPUTime.nowUs()
    }

    private func pollOnce() {
        model.collect()
        let now = clock.nowUs()
        link.poll(nowUs: now, unixTimeUs: WallTime.unixMicroseconds())
        if let age = link.timeSinceAnyGCSHeartbeatUs(nowUs: now) {
            channels.lastGroundContactUs.store(now &- age, ordering: .relaxed)
        }
        polls &+= 1
    }

    /// For the exit report.
    var summary: String {
        let c = link.counters
        return "\(endpoints.map(\.description).joined(separator: ", ")), \(polls) polls, CPU \(cpuUs / 1000) ms, "
            + "\(c.framesReceived) frames in, \(c.commandsAccepted) commands accepted, \(c.commandsRefused) refused, "
            + "\(model.repliesTimedOut) unanswered"
    }
}
