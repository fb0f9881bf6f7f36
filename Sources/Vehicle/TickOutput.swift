import Control
import Estimation
import FlightMath
import Mission

/// What one tick of the flight stack did, as one value: what was sensed, what the filter estimated, what the mode
/// machine decided, what guidance and control commanded, what went to the servos, and the events the tick raised.
/// The flight log, the ground link's snapshot and the SITL metrics read this, never the stack's working fields.
/// Published after every tick (`FlightStack.publishOutput`); fixed size and free of references, so building it
/// allocates nothing and it crosses threads by copy.
public struct TickOutput: Sendable {
    /// The tick's time on the vehicle clock, µs.
    public var timeUs: UInt64 = 0

    // Sensed
    /// The latest sensor poll (nil fields: nothing new then), its time and the number of polls so far.
    public var poll = SensorPoll()
    public var pollUs: UInt64 = 0
    public var pollCount: UInt64 = 0
    /// Sensor read failures and what the IMU FIFO and barometer reads took, skipped and dropped.
    public var sensorCounters = SensorReadCounters()
    /// The sensors the board has, and those of them working at this tick (see `SensorSuite.working`).
    public var sensorsFitted: SensorSuite = []
    public var sensorsWorking: SensorSuite = []
    /// The receiver's latest solution, as the drivers parsed it.
    public var gpsFix: GPSFix?
    /// From a power monitor; NaN when the board has none.
    public var batteryVoltageV = Double.nan
    /// UTC at `timeUs` from the GPS-disciplined clock, µs since the Unix epoch; nil until a fix has given the time.
    public var utcTimeUs: UInt64?

    // Estimated
    public var navigation = NavigationState()
    /// The filter's health (innovations, test ratios, validity), as of the last mission task (10 Hz).
    public var health: NavigationHealth?
    /// Filtered true airspeed from the pitot, m/s.
    public var airspeedMps = 0.0

    // Decided
    public var mode: FlightMode = .disarmed
    /// The mode machine's arming state: the one the log, the link and the outputs follow.
    public var armed: Bool { mode != .disarmed }
    public var inFlight: Bool { mode != .disarmed && mode != .standby }
    public var command = NavigationCommand.none
    public var progress = GuidanceProgress()
    /// The plan's home, once a mission is built for the navigation origin.
    public var home: Geodetic?
    public var currentMissionItem = 0
    public var lastReachedItem: Int?
    public var planComplete = false
    /// The approval gate as the ground sees it.
    public var gate = GateReport()

    // Commanded
    public var setpoint = NavigationSetpoint.idle
    public var pitchSetpointRad = 0.0
    public var throttleSetpoint = 0.0
    public var tecs = TECSStatus()
    public var actuators = ActuatorCommands.neutral

    // Written
    /// The pulse widths written, per mixer channel.
    public var pulses = OutputPulses(count: 0)
    /// Pulses reach the servos: the safety switch is in ARM and the software is armed.
    public var outputsLive = false
    /// In flight, since when the safety switch has read SAFE while the outputs stay live for the hold; nil otherwise.
    public var safetySwitchHeldSinceUs: UInt64?
    /// In-flight SAFE readings that outlasted the hold and cut the outputs.
    public var safetySwitchCutsAfterHold: UInt32 = 0
    /// This tick's pulses reached the output device (false: it did not answer).
    public var outputsWritten = true
    /// Output writes that failed, and times the device was found reset and configured again, since start.
    public var outputWriteFailures: UInt64 = 0
    public var outputReconfigurations: UInt64 = 0

    // Events
    public var events = TickEvents()

    public init() {}
}

/// The approval gate's reportable state: the current request (or, once it ended, the last one), the latest
/// refusal, the active failures, the request awaiting an operator, and the gate's clock.
public struct GateReport: Sendable {
    public var state: GateStateKind = .idle
    public var lastRejection: GateRejection?
    public var rejectionCount: UInt32 = 0
    public var activeFailures = GateFailureSet()
    /// The current request, or the last one once it ended.
    public var request: ApprovalRequest?
    /// The request an operator can answer now.
    public var pending: ApprovalRequest?
    /// The gate's clock (UTC from GPS), µs; 0 while the vehicle has no UTC at all.
    public var clockUs: UInt64 = 0
    /// The plan's designated point, above the ellipsoid.
    public var designation: Geodetic?

    public init() {}

    /// The report of `gate`, with the request an operator can answer now. Borrowed: an initialiser takes its
    /// arguments owned by default, which copied the whole gate (its log) every mission tick (`borrowing` would forbid
    /// the implicit copies of its fields below).
    public init<Entropy>(gate: __shared TerminalGate<Entropy>, pending: ApprovalRequest? = nil) {
        state = gate.state.kind
        lastRejection = gate.lastRejection
        rejectionCount = gate.rejectionCount
        activeFailures = gate.activeFailures
        request = gate.state.request ?? gate.lastRequest
        self.pending = pending
    }
}

/// The mode transitions and gate decisions of one tick, in order. A tick raises one or two at most; more than the
/// capacity are counted as lost rather than allocated for.
public struct TickEvents: Sendable {
    public static let capacity = 4
    private var transitionStorage = InlineArray<4, ModeTransition>(
        repeating: ModeTransition(timeUs: 0, from: .disarmed, to: .disarmed, reason: .disarmed))
    private var gateStorage = InlineArray<4, GateLogRecord>(repeating: .empty)
    public private(set) var transitionCount = 0
    public private(set) var gateRecordCount = 0
    /// Events of this tick beyond the capacity (still in the mode machine's own logs).
    public private(set) var lost = 0

    public init() {}

    public var isEmpty: Bool { transitionCount == 0 && gateRecordCount == 0 && lost == 0 }
    public func transition(_ i: Int) -> ModeTransition { transitionStorage[i] }
    public func gateRecord(_ i: Int) -> GateLogRecord { gateStorage[i] }

    mutating func removeAll() {
        transitionCount = 0
        gateRecordCount = 0
        lost = 0
    }

    mutating func append(_ t: ModeTransition) {
        guard transitionCount < Self.capacity else { lost += 1; return }
        transitionStorage[transitionCount] = t
        transitionCount += 1
    }

    mutating func append(_ r: GateLogRecord) {
        guard gateRecordCount < Self.capacity else { lost += 1; return }
        gateStorage[gateRecordCount] = r
        gateRecordCount += 1
    }
}
