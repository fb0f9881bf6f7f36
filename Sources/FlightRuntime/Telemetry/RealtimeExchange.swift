import MAVLink
import Vehicle

/// The real-time thread's end of `RuntimeChannels`, run after every tick: takes operator requests, feeds ground
/// contact to the link-loss failsafe, publishes snapshots and timing, samples the flight log and swaps logs at
/// each disarm. Only ring pushes/pops, value copies and the flight logger's own producer side: no locks, no I/O.
struct RealtimeExchange {
    let channels: RuntimeChannels
    /// Ticks between snapshots (400 Hz / 8 = 50 Hz).
    let snapshotDivider: UInt64
    let timingPeriodUs: UInt64
    let periodUs: UInt64
    private var logger: FlightLogger?
    private var wasArmed = false
    private var tick: UInt64 = 0
    /// Mission and settings handoffs not released because the return ring was full (each a small leak, never a free
    /// here).
    private(set) var missionHandoffsKept: UInt64 = 0
    private var window = TickTimingWindow()
    private var nextTimingUs: UInt64 = 0
    private var lastExecutionNs: UInt64 = 0
    /// The replies to this tick's operator requests, sent once the tick's output shows what they changed. Kept here
    /// rather than in locals of `afterTick`: two empty 624-byte optionals made and copied every tick cost more than
    /// the rest of the exchange.
    private var pendingReplies: (OperatorReply?, OperatorReply?) = (nil, nil)
    /// Kept beside the optionals so that asking costs no copy of them.
    private var repliesPending = false

    init(channels: RuntimeChannels, baseRateHz: Int, snapshotRateHz: Int = 50, timingPeriodUs: UInt64 = 1_000_000) {
        self.channels = channels
        snapshotDivider = UInt64(max(1, baseRateHz / max(1, snapshotRateHz)))
        self.timingPeriodUs = timingPeriodUs
        periodUs = UInt64(1_000_000 / max(1, baseRateHz))
    }

    mutating func afterTick(stack: inout FlightStack, timing: TickTiming, scheduler: borrowing RateScheduler) {
        let nowUs = timing.wakeUs
        tick &+= 1
        window.record(timing)
        lastExecutionNs = timing.executionNs

        // At most two requests a tick, bounding its extra work. Requests first, so the tick's output (published
        // next) already shows what they changed; their replies carry that state.
        let requests = channels.takeOperatorRequests()
        if let request = requests.0 {
            pendingReplies.0 = OperatorRequestHandling.handle(request, stack: &stack, nowUs: nowUs)
            repliesPending = true
        }
        if let second = requests.1 {
            pendingReplies.1 = OperatorRequestHandling.handle(second, stack: &stack, nowUs: nowUs)
            repliesPending = true
        }
        if let box = channels.missions.pop() {
            channels.replies.push(OperatorRequestHandling.handle(box.takeUnretainedValue(), stack: &stack))
            // Back to the telemetry thread, which releases it; a full ring keeps it (leaked, counted) rather than
            // freeing it here.
            if !channels.returnedMissions.push(box) { missionHandoffsKept &+= 1 }
        }
        if let box = channels.settingsChanges.pop() {
            channels.replies.push(OperatorRequestHandling.handle(box.takeUnretainedValue(), stack: &stack))
            if !channels.returnedSettings.push(box) { missionHandoffsKept &+= 1 }
        }
        let contact = channels.lastGroundContactUs.load(ordering: .relaxed)
        if contact != 0, contact > (stack.lastGroundContactUs ?? 0) { stack.lastGroundContactUs = contact }

        stack.publishOutput(nowUs: nowUs)
        if repliesPending { sendReplies(stack: &stack) }
        if tick % snapshotDivider == 0 {
            let load = Double(lastExecutionNs) / (Double(periodUs) * 1000)
            channels.snapshots.push(VehicleSnapshot(stack.output, loadFraction: load))
        }
        logFlight(stack: &stack)
        if nowUs >= nextTimingUs {
            if nextTimingUs != 0 { publishTiming(scheduler: scheduler, nowUs: nowUs) }
            nextTimingUs = nowUs &+ timingPeriodUs
        }
    }

    /// The replies kept by this tick's requests, each with the state the tick's output shows.
    private mutating func sendReplies(stack: inout FlightStack) {
        repliesPending = false
        if var reply = pendingReplies.0.take() {
            reply.after = VehicleSnapshot(stack.output)
            channels.replies.push(reply)
        }
        if var reply = pendingReplies.1.take() {
            reply.after = VehicleSnapshot(stack.output)
            channels.replies.push(reply)
        }
    }

    /// The log of this flight: sampled every tick; at a disarm after being armed it is retired to the log thread
    /// (which closes it and opens the next), so each flight, arm to disarm, ends its own file. `stack` is inout only
    /// to be passed by address: given its output by value, the call copied all 3 kB of it every tick. Nothing in it
    /// changes.
    private mutating func logFlight(stack: inout FlightStack) {
        if logger == nil, let fresh = channels.freshLoggers.pop() {
            let next = fresh.takeUnretainedValue()
            next.startAfter(stack.output)
            logger = next
        }
        let armed = stack.output.armed
        defer { wasArmed = armed }
        guard let current = logger else { return }
        current.record(stack.output)
        if wasArmed, !armed {
            // The log thread holds its own reference, so dropping ours never frees the logger here.
            if channels.retiredLoggers.push(Unmanaged.passUnretained(current)) { logger = nil }
        }
    }

    private mutating func publishTiming(scheduler: borrowing RateScheduler, nowUs: UInt64) {
        var sample = RuntimeTimingSample()
        sample.timestampUs = nowUs
        window.close(into: &sample)
        sample.ticks = scheduler.stats.ticks
        sample.tickOverruns = scheduler.stats.tickOverruns
        sample.skippedTicks = scheduler.stats.skippedTicks
        sample.ringOverflows = channels.totalOverflows
        if let logger {
            sample.logRecordsDropped = UInt64(logger.droppedRecords)
            logger.logTiming(sample)
        }
        channels.timing.push(sample)
    }
}
