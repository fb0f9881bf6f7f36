import Vehicle

/// The flight stack as the real-time loop runs it: after each tick its output is published, then the exchange with
/// the other sides runs.
struct FlightTasks: RealtimeTasks {
    var stack: FlightStack
    /// Nil: no telemetry or log threads (the loop alone).
    var exchange: RealtimeExchange?

    mutating func afterTick(_ timing: TickTiming, scheduler: borrowing RateScheduler) {
        // The exchange publishes the output itself, after taking the ground's requests.
        if exchange == nil {
            stack.publishOutput(nowUs: timing.wakeUs)
        } else {
            exchange?.afterTick(stack: &stack, timing: timing, scheduler: scheduler)
        }
    }

    mutating func run(taskIndex: Int, nowUs: UInt64) {
        stack.run(taskIndex: taskIndex, nowUs: nowUs)
    }
}
