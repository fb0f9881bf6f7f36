// Real-time cost of logging: encoding a sample into the ring must not allocate. mallocCountTotal must read 0.
import Benchmark
import FlightLog
import FlightMath

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .mallocCountTotal], maxDuration: .seconds(2))

    Benchmark("FlightLog.producer.attitude+outputs") { benchmark in
        var registry = ULogTopicRegistry()
        guard let att = try? registry.register(VehicleAttitude.self),
              let act = try? registry.register(ActuatorOutputs.self),
              let ring = try? SPSCRecordRing(slotCount: 1024, recordCapacityBytes: 256) else { return }
        let producer = ULogProducer(ring: ring)
        var a = VehicleAttitude()
        var o = ActuatorOutputs()
        o.outputCount = 4
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations {
            a.timestampUs = UInt64(i)
            a.qBodyToNED = SIMD4(1, 0, 0, Float(i & 7) * 0.01)
            o.timestampUs = UInt64(i)
            o.output[0] = Float(i & 1023)
            producer.log(a, to: att)
            producer.log(o, to: act)
            // Drain as the log thread would, so the ring never fills.
            ring.drain { blackHole($0.count) }
        }
        benchmark.stopMeasurement()
    }

    Benchmark("FlightLog.producer.string") { benchmark in
        guard let ring = try? SPSCRecordRing(slotCount: 1024, recordCapacityBytes: 256) else { return }
        let producer = ULogProducer(ring: ring)
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations {
            producer.log(.warning, "airspeed sensor timeout", timestampUs: UInt64(i))
            ring.drain { blackHole($0.count) }
        }
        benchmark.stopMeasurement()
    }
}
