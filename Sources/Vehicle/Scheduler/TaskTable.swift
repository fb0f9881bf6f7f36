/// One entry of the flight task table: what runs, how often, and how long it may take.
public struct TaskSpec: Sendable, Hashable {
    public var name: String
    /// Rate in Hz; must divide the base rate so the task runs on a fixed subset of ticks.
    public var rateHz: Int
    /// Execution time above which a run counts as a task overrun.
    public var budgetUs: UInt64

    public init(name: String, rateHz: Int, budgetUs: UInt64) {
        self.name = name; self.rateHz = rateHz; self.budgetUs = budgetUs
    }
}

public enum TaskTableError: Error, CustomStringConvertible, Equatable {
    case baseRateOutOfRange(hz: Int)
    case rateDoesNotDivideBase(task: String, rateHz: Int, baseHz: Int)
    case budgetExceedsPeriod(task: String, budgetUs: UInt64, periodUs: UInt64)
    case empty
    case tooManyTasks(count: Int, limit: Int)

    public var description: String {
        switch self {
        case .baseRateOutOfRange(let hz):
            return "base rate \(hz) Hz is outside 50…1000 Hz"
        case .rateDoesNotDivideBase(let task, let rate, let base):
            return "task '\(task)': rate \(rate) Hz does not divide the base rate \(base) Hz"
        case .budgetExceedsPeriod(let task, let budget, let period):
            return "task '\(task)': budget \(budget) µs exceeds the base period \(period) µs"
        case .empty:
            return "the task table is empty"
        case .tooManyTasks(let count, let limit):
            return "the task table has \(count) tasks; at most \(limit) are supported"
        }
    }
}

/// A validated task table: tasks in priority order (first runs first within a tick), each with its tick divider.
public struct TaskTable: Sendable {
    public static let maximumTasks = 32
    public let baseRateHz: Int
    public let periodUs: UInt64
    public let tasks: [TaskSpec]
    /// Task i runs on ticks where `tickIndex % dividers[i] == 0`.
    public let dividers: [UInt64]

    public init(baseRateHz: Int, tasks: [TaskSpec]) throws(TaskTableError) {
        guard (50...1000).contains(baseRateHz) else { throw .baseRateOutOfRange(hz: baseRateHz) }
        guard !tasks.isEmpty else { throw .empty }
        guard tasks.count <= Self.maximumTasks else { throw .tooManyTasks(count: tasks.count, limit: Self.maximumTasks) }
        let period = UInt64(1_000_000 / baseRateHz)
        var dividers: [UInt64] = []
        for t in tasks {
            guard t.rateHz > 0, t.rateHz <= baseRateHz, baseRateHz % t.rateHz == 0 else {
                throw .rateDoesNotDivideBase(task: t.name, rateHz: t.rateHz, baseHz: baseRateHz)
            }
            guard t.budgetUs <= period else {
                throw .budgetExceedsPeriod(task: t.name, budgetUs: t.budgetUs, periodUs: period)
            }
            dividers.append(UInt64(baseRateHz / t.rateHz))
        }
        self.baseRateHz = baseRateHz
        self.periodUs = period
        self.tasks = tasks
        self.dividers = dividers
    }
}
