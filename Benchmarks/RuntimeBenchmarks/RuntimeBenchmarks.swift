import Autopilot
import Benchmark
import MAVLink

/// The real-time thread's side of the runtime rings: pushing a vehicle snapshot and a timing sample, popping an
/// operator request and pushing its reply. Allocations per iteration must be 0 (mallocCountTotal).
let benchmarks: @Sendable () -> Void = {
    let snapshots: SPSCValueRing<VehicleSnapshot>
    let requests: SPSCValueRing<OperatorRequest>
    let replies: SPSCValueRing<OperatorReply>
    let timing: SPSCValueRing<RuntimeTimingSample>
    do {
        snapshots = try SPSCValueRing(capacity: 32)
        requests = try SPSCValueRing(capacity: 16)
        replies = try SPSCValueRing(capacity: 16)
        timing = try SPSCValueRing(capacity: 8)
    } catch {
        fatalError("\(error)")  // benchmark set-up only
    }
    var snapshot = VehicleSnapshot()
    snapshot.airspeedMps = 18
    let command = OperatorRequest(sequence: 1, kind: .command(.returnToLaunch))

    Benchmark("RuntimeRings.RealtimeSide",
              configuration: .init(metrics: [.wallClock, .mallocCountTotal], scalingFactor: .kilo,
                                   maxDuration: .seconds(5))) { benchmark in
        for i in benchmark.scaledIterations {
            // The telemetry thread's half, done inline so the rings neither fill nor run dry.
            requests.push(command)
            snapshot.gateClockUs = UInt64(i)
            // Real-time side: snapshot out, request in, reply out, timing out.
            snapshots.push(snapshot)
            if let r = requests.pop() { replies.push(OperatorReply(sequence: r.sequence, result: .accepted)) }
            var t = RuntimeTimingSample()
            t.ticks = UInt64(i)
            timing.push(t)
            Benchmark.blackHole(snapshots.pop())
            Benchmark.blackHole(replies.pop())
            Benchmark.blackHole(timing.pop())
        }
    }
}
