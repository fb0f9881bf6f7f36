import DeviceIO

/// A switch or data-ready line as a `DigitalInput`: its logical level follows a script of timestamped changes
/// on the emulator's clock (bounces included if the script has them), and `nextEdge` hands out each change
/// with its own timestamp, debounced as `LinuxGPIOInput` does with the same `DigitalInputConfig.debounceUs`.
public final class EmulatedSwitch: DigitalInput {
    public struct Change: Hashable, Sendable {
        public var atUs: UInt64
        /// Logical level after the change (`true` = active, e.g. ARM).
        public var isActive: Bool

        public init(atUs: UInt64, isActive: Bool) {
            self.atUs = atUs
            self.isActive = isActive
        }
    }

    public let config: DigitalInputConfig
    private let clock: MonotonicClock
    private var script: [Change]
    private var nextScripted = 0
    private var level: Bool
    private var debouncer: EdgeDebouncer
    /// Reads and edge polls fail with this error while set (line released, chip gone).
    public var failure: DeviceError?

    /// - Parameter script: changes in time order; those already due at start apply to the initial level.
    public init(initiallyActive: Bool, script: [Change] = [], config: DigitalInputConfig = DigitalInputConfig(),
                clock: MonotonicClock)
    {
        self.config = config
        self.clock = clock
        self.script = script.sorted { $0.atUs < $1.atUs }
        level = initiallyActive
        debouncer = EdgeDebouncer(debounceUs: config.debounceUs, initialLevel: initiallyActive)
    }

    /// Moves the switch now (a test's or an operator's hand).
    public func set(active: Bool) {
        schedule(Change(atUs: clock.nowUs(), isActive: active))
    }

    /// Adds a change to the script (at or after the changes already handed out).
    public func schedule(_ change: Change) {
        var insertAt = script.count
        while insertAt > nextScripted && script[insertAt - 1].atUs > change.atUs { insertAt -= 1 }
        script.insert(change, at: insertAt)
    }

    public func readLevel() throws(DeviceError) -> Bool {
        if let failure { throw failure }
        let now = clock.nowUs()
        var l = level
        var i = nextScripted
        while i < script.count, script[i].atUs <= now {
            l = script[i].isActive
            i += 1
        }
        return l
    }

    public func nextEdge() throws(DeviceError) -> EdgeEvent? {
        if let failure { throw failure }
        let now = clock.nowUs()
        while nextScripted < script.count, script[nextScripted].atUs <= now {
            let change = script[nextScripted]
            nextScripted += 1
            guard change.isActive != level else { continue }  // no electrical edge
            level = change.isActive
            if let accepted = debouncer.ingest(EdgeEvent(timestampUs: change.atUs, isActive: change.isActive)) {
                return accepted
            }
        }
        return debouncer.settle(nowUs: now)
    }
}
