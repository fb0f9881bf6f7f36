/// The jitter and overrun report printed at exit and sent in telemetry.
public struct SchedulerReport: Sendable, Equatable {
    public struct Percentiles: Sendable, Equatable {
        public var p50: UInt64, p99: UInt64, p999: UInt64, max: UInt64
    }

    public var baseRateHz: Int
    public var ticks: UInt64
    public var tickOverruns: UInt64
    public var skippedTicks: UInt64
    public var wakeJitterUs: Percentiles
    public var tickExecutionUs: Percentiles
    public var tasks: [(name: String, rateHz: Int, budgetUs: UInt64, stats: SchedulerStatistics.TaskStats)]

    public static func == (a: Self, b: Self) -> Bool {
        a.ticks == b.ticks && a.tickOverruns == b.tickOverruns && a.skippedTicks == b.skippedTicks
            && a.wakeJitterUs == b.wakeJitterUs && a.tickExecutionUs == b.tickExecutionUs
            && a.tasks.map(\.name) == b.tasks.map(\.name) && a.tasks.map(\.stats) == b.tasks.map(\.stats)
    }

    public init(scheduler s: RateScheduler) {
        func percentiles(_ h: Histogram<UInt64>) -> Percentiles {
            h.totalCount == 0
                ? Percentiles(p50: 0, p99: 0, p999: 0, max: 0)
                : Percentiles(p50: h.valueAtPercentile(50), p99: h.valueAtPercentile(99),
                              p999: h.valueAtPercentile(99.9), max: h.max)
        }
        baseRateHz = s.table.baseRateHz
        ticks = s.stats.ticks
        tickOverruns = s.stats.tickOverruns
        skippedTicks = s.stats.skippedTicks
        wakeJitterUs = percentiles(s.stats.wakeJitterUs)
        tickExecutionUs = percentiles(s.stats.tickExecutionUs)
        tasks = s.table.tasks.enumerated().map { i, t in (t.name, t.rateHz, t.budgetUs, s.stats.tasks[i]) }
    }

    /// A plain-text table, one line per task.
    public var text: String {
        var out = "scheduler: \(ticks) ticks at \(baseRateHz) Hz, \(tickOverruns) tick overruns, \(skippedTicks) ticks skipped\n"
        out += "  wake-up jitter µs   p50 \(wakeJitterUs.p50)  p99 \(wakeJitterUs.p99)  p99.9 \(wakeJitterUs.p999)  max \(wakeJitterUs.max)\n"
        out += "  tick execution µs   p50 \(tickExecutionUs.p50)  p99 \(tickExecutionUs.p99)  p99.9 \(tickExecutionUs.p999)  max \(tickExecutionUs.max)\n"
        out += "  task                 rate Hz  budget µs      runs  overruns  mean µs   max µs\n"
        for t in tasks {
            let name = t.name.padding(toLength: 20)
            out += "  \(name) \(pad(t.rateHz, 8)) \(pad(t.budgetUs, 10)) \(pad(t.stats.runs, 9)) \(pad(t.stats.overruns, 9))"
            out += " \(pad(Double(t.stats.meanExecutionNs) / 1000, 8)) \(pad(Double(t.stats.maxExecutionNs) / 1000, 8))\n"
        }
        return out
    }
}

import Histogram

private func pad<T: CustomStringConvertible>(_ v: T, _ width: Int) -> String {
    let s: String
    if let d = v as? Double {
        let tenths = (d * 10).rounded()
        s = "\(Int(tenths) / 10).\(abs(Int(tenths)) % 10)"
    } else {
        s = v.description
    }
    return String(repeating: " ", count: max(0, width - s.count)) + s
}

extension String {
    fileprivate func padding(toLength n: Int) -> String {
        count >= n ? String(prefix(n)) : self + String(repeating: " ", count: n - count)
    }
}
