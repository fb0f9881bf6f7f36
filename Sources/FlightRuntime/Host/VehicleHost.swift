import MAVLink
import Mission
import Vehicle

/// The ground side of a vehicle host: a MAVLink link's configuration and open transports.
public struct GroundLinkSetup {
    public var configuration: GroundLinkConfiguration
    public var transports: [any LinkTransport]
    /// As named on the command line or in the board file, for the report.
    public var endpoints: [LinkEndpoint]
    /// Where the link's last signing timestamp is saved now and then (see `SigningTimestampFile`); nil: not kept.
    public var signingTimestampPath: String?

    public init(configuration: GroundLinkConfiguration, transports: [any LinkTransport], endpoints: [LinkEndpoint]) {
        self.configuration = configuration
        self.transports = transports
        self.endpoints = endpoints
    }
}

/// What a vehicle host is built from: the flight stack and what the ground side serves it with.
public struct VehicleHostSetup {
    public var stack: FlightStack
    public var baseRateHz: Int
    public var policy: FailsafePolicy
    /// The airframe's tunables as the vehicle starts with them (listed as parameters, logged).
    public var parameters: AirframeParameters
    /// The mission the vehicle starts with (built for the navigation origin off the real-time side).
    public var missionFile: MissionFile?
    public var missionSource: String
    public var missionSetup: MissionSetup
    public var ground: GroundLinkSetup?

    public init(stack: FlightStack, baseRateHz: Int, policy: FailsafePolicy, parameters: AirframeParameters,
                missionFile: MissionFile?, missionSource: String, missionSetup: MissionSetup,
                ground: GroundLinkSetup?) {
        self.stack = stack; self.baseRateHz = baseRateHz; self.policy = policy; self.parameters = parameters
        self.missionFile = missionFile; self.missionSource = missionSource; self.missionSetup = missionSetup
        self.ground = ground
    }
}

/// The vehicle as `kestrel fly` and `kestrel sim` both run it: the flight stack with the exchange after each tick
/// (the real-time side), the ground link's vehicle model with the link itself (the telemetry side), the flight
/// logs (the log side), and the rings between them. `kestrel fly` runs each side on its own thread against the
/// wall clock; `kestrel sim` steps all three in lockstep on one thread on simulated time. The code between the
/// sides is the same either way: commands, approvals, replies, missions and ground contact cross the rings, so a
/// green SITL test exercises the path that flies. `@unchecked Sendable`: each side is touched by one thread only.
public final class VehicleHost: @unchecked Sendable {
    public let channels: RuntimeChannels
    /// The real-time side. Only the thread that ticks it touches it.
    var tasks: FlightTasks
    /// The telemetry side.
    public let telemetry: FlightTelemetry
    /// The log side, when logging.
    public private(set) var logWriter: FlightLogWriter?

    /// - Parameters:
    ///   - exchange: run the exchange after each tick (false only for a daemon with neither a link nor a log).
    ///   - sleepUs: how a wait for the real-time side's reply passes time (see `FlightVehicleLink.sleepUs`).
    public init(_ setup: VehicleHostSetup, exchange: Bool = true, sleepUs: @escaping (UInt64) -> Void) {
        let channels = RuntimeChannels()
        self.channels = channels
        tasks = FlightTasks(stack: setup.stack,
                            exchange: exchange ? RealtimeExchange(channels: channels, baseRateHz: setup.baseRateHz) : nil)
        let model = FlightVehicleLink(channels: channels, policy: setup.policy, baseRateHz: setup.baseRateHz,
                                      airframe: setup.parameters, missionFile: setup.missionFile,
                                      missionSource: setup.missionSource, missionSetup: setup.missionSetup,
                                      sleepUs: sleepUs)
        model.emitsTimingText = setup.ground != nil
        let link = setup.ground.map {
            GroundLink(configuration: $0.configuration, transports: $0.transports, model: model)
        }
        telemetry = FlightTelemetry(link: link, model: model, channels: channels,
                                    endpoints: setup.ground?.endpoints ?? [],
                                    signingTimestampPath: setup.ground?.signingTimestampPath)
    }

    /// Starts the flight logs: the first is opened now (so an unwritable directory stops start-up).
    public func startLogging(_ writer: FlightLogWriter) throws(FlightDaemonError) {
        try writer.openFirst()
        logWriter = writer
    }

    /// The flight stack between ticks, for the lockstep harness (plant inputs the board has no driver for, the
    /// scripted operator) and for reading its state. Never while a real-time thread runs the host.
    public var stack: FlightStack {
        get { tasks.stack }
        _modify { yield &tasks.stack }
    }

    /// What the last tick did: the value the log, the link and the SITL metrics read (a copy of its 3 kB).
    public var output: TickOutput { tasks.stack.output }

    /// Whether the last tick raised events (mode transitions, gate records): asked every lockstep tick, without
    /// copying the whole output as `output.events` does.
    public var outputHasEvents: Bool { !tasks.stack.output.events.isEmpty }

    /// One tick in lockstep on the caller's thread (`kestrel sim`): the scheduler's due tasks at `nowUs`, then the
    /// exchange, exactly as the real-time loop runs them. `stopwatchNs` is the scheduler's clock (simulated time in
    /// SITL, so host timing never changes which tasks run).
    public func tick(_ scheduler: inout RateScheduler, nowUs: UInt64, stopwatchNs: () -> UInt64) {
        let deadline = scheduler.nextDeadlineUs
        let startNs = stopwatchNs()
        scheduler.runTick(wakeUs: nowUs, tasks: &tasks, stopwatchNs: stopwatchNs)
        tasks.afterTick(TickTiming(deadlineUs: deadline, wakeUs: nowUs, executionNs: stopwatchNs() &- startNs),
                        scheduler: scheduler)
    }
}
