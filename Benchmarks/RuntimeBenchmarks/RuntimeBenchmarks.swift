import LockFree
import Benchmark
import MAVLink
import Mission
import FlightRuntime
import SITL

/// The real-time thread's side of the runtime rings: pushing a vehicle snapshot and a timing sample, popping an
/// operator request and pushing its reply. Allocations per iteration must be 0 (mallocCountTotal).
let benchmarks: @Sendable () -> Void = {
    ringBenchmarks()
    eventBenchmarks()
    approvalBenchmarks()
}

/// The gate's signature check of an operator's approval (Ed25519, swift-crypto), which runs on the real-time thread
/// when an approval or wave-off arrives: one valid and one forged signature per iteration.
let approvalBenchmarks: @Sendable () -> Void = {
    let operatorKey = OperatorSigningKey.testKey(named: "bench-operator")
    let authorised = operatorKey.authorisedKey
    let approval: Approval
    do {
        guard let nonce = ApprovalNonce(bytes: Array(UInt8(0x10)...UInt8(0x1F))) else { fatalError("nonce") }
        let request = ApprovalRequest(
            nonce: nonce, vehicleID: VehicleID(0x4B45_5354_0000_0001),
            point: try DesignatedPoint(latitudeE7: 473_977_419, longitudeE7: 85_455_938, altitudeMm: 488_000),
            issuedUs: 1_000_000, expiresUs: 61_000_000, sequence: 1)
        approval = try operatorKey.sign(request, decision: .approve)
    } catch {
        fatalError("\(error)")  // benchmark set-up only
    }
    var forged = approval
    forged.expiresUs &+= 1

    Benchmark("RealtimeEvents.ApprovalSignatureCheck",
              configuration: .init(metrics: [.wallClock, .mallocCountTotal], scalingFactor: .one,
                                   maxDuration: .seconds(3))) { benchmark in
        for _ in benchmark.scaledIterations {
            guard authorised.hasSigned(approval), !authorised.hasSigned(forged) else { fatalError("signature check") }
        }
    }
}

/// The rings alone.
let ringBenchmarks: @Sendable () -> Void = {
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

/// The real-time thread's event path on a stack whose mission was prepared before (SITL, in mission flight):
/// operator commands refused (arm while armed, disarm while flying, a terminal request the gate rejects) and
/// accepted (hold, mission start: two mode transitions), each answer as the reply the ring carries, then
/// `FlightLogger.record` writing the transitions' and the gate's text messages into the log ring (drained by the
/// log side, outside the measured path's allocations: draining only reads). Allocations per iteration must be 0.
let eventBenchmarks: @Sendable () -> Void = {
    let root = String(#filePath.prefix(upTo: #filePath.range(of: "/Benchmarks/")?.lowerBound ?? #filePath.endIndex))
    let run: SITLRun
    let logger: FlightLogger
    do {
        run = try SITLRun(scenario: try ClosedLoopScenario.load(scenarioPath: "\(root)/Scenarios/demo.toml"))
        run.run(durationS: 30)
        logger = try FlightLogger(
            setup: FlightLoggerSetup(directory: "\(root)/.build/benchmark-logs", softwareVersion: "bench",
                                     vehicleId: "1", board: "sitl", airframe: "bench", startUnixSeconds: 0,
                                     maxLogCount: 2),
            startUs: run.vehicle.timeUs)
    } catch {
        fatalError("\(error)")  // benchmark set-up only
    }
    logger.pumpsOnRecord = false
    nonisolated(unsafe) var stack = run.stack
    nonisolated(unsafe) var nowUs = run.vehicle.timeUs
    let replies: SPSCValueRing<OperatorReply>
    do { replies = try SPSCValueRing(capacity: 16) } catch { fatalError("\(error)") }
    stack.publishOutput(nowUs: nowUs)
    logger.record(stack.output)
    logger.drainQueued { _ in }

    Benchmark("RealtimeEvents.CommandsTransitionsLogText",
              configuration: .init(metrics: [.wallClock, .mallocCountTotal], scalingFactor: .kilo,
                                   maxDuration: .seconds(5))) { benchmark in
        for _ in benchmark.scaledIterations {
            nowUs &+= 2_500
            func answer(_ command: OperatorCommand, _ sequence: UInt32) {
                let refusal = stack.handle(command, nowUs: nowUs)
                replies.push(OperatorReply(sequence: sequence, result: refusal == nil ? .accepted : .denied,
                                           note: refusal.map { .refused($0) }))
                Benchmark.blackHole(replies.pop())
            }
            answer(.arm, 1)
            answer(.disarm, 2)
            answer(.requestTerminal, 3)
            answer(.holdHere, 4)
            answer(.startMission, 5)
            stack.publishOutput(nowUs: nowUs)
            logger.record(stack.output)
            logger.drainQueued { Benchmark.blackHole($0.count) }
        }
        Benchmark.blackHole(stack.mode)
    }
}
