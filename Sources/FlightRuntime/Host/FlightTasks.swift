import Vehicle

/// The flight stack as the real-time loop runs it, with the exchange to the other threads after each tick.
struct FlightTasks: RealtimeTasks {
    var stack: FlightStack
    /// Nil: no telemetry or log threads (the loop alone).
    var exchange: RealtimeExchange?

    mutating func afterTick(_ timing: TickTiming, scheduler: borrowing RateScheduler) {
        exchange?.afterTick(stack: &stack, timing: timing, scheduler: scheduler)
    }

    mutating func run(taskIndex: Int, nowUs: UInt64) {
        stack.run(taskIndex: taskIndex, nowUs: nowUs)
    }
}
