import Benchmark
import MAVLink

/// Unsigned MAVLink 2 encode and parse+decode of the telemetry the vehicle streams most (ATTITUDE,
/// GLOBAL_POSITION_INT): messages per second and allocations per message, which must be 0. Signed frames are not
/// measured for allocations: swift-crypto's SHA-256 allocates once per hash by design.
let benchmarks: @Sendable () -> Void = {
    let attitude = Attitude(timeBootMs: 123_456, roll: 0.1, pitch: -0.05, yaw: 1.2, rollspeed: 0.01,
                            pitchspeed: 0.02, yawspeed: -0.03)
    let position = GlobalPositionInt(timeBootMs: 123_456, lat: 473_977_419, lon: 85_455_938, alt: 588_000,
                                     relativeAlt: 100_000, vx: 1800, vy: -200, vz: 10, hdg: 9000)
    let configuration = Benchmark.Configuration(metrics: [.wallClock, .mallocCountTotal], scalingFactor: .kilo,
                                                maxDuration: .seconds(3), maxIterations: 5_000)

    Benchmark("MAVLink.encode.attitude+position", configuration: configuration) { benchmark in
        var encoder = FrameEncoder(systemID: 1, componentID: 1)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 280, alignment: 8)
        defer { buffer.deallocate() }
        var total = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            total &+= (try? encoder.encode(attitude, into: buffer)) ?? 0
            total &+= (try? encoder.encode(position, into: buffer)) ?? 0
        }
        benchmark.stopMeasurement()
        Benchmark.blackHole(total)
    }

    Benchmark("MAVLink.parse+decode.attitude+position", configuration: configuration) { benchmark in
        var encoder = FrameEncoder(systemID: 1, componentID: 1)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 560, alignment: 8)
        defer { buffer.deallocate() }
        let a = (try? encoder.encode(attitude, into: buffer)) ?? 0
        let b = (try? encoder.encode(position, into: UnsafeMutableRawBufferPointer(rebasing: buffer[a...]))) ?? 0
        let frames = UnsafeRawBufferPointer(rebasing: buffer[0..<(a + b)])
        let parser = FrameParser()
        var decoded = 0
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            parser.parse(frames) { frame in
                if let m = frame.decode(Attitude.self) { decoded &+= Int(m.timeBootMs & 1) + 1 }
                if let m = frame.decode(GlobalPositionInt.self) { decoded &+= Int(m.lat & 1) + 1 }
            }
        }
        benchmark.stopMeasurement()
        Benchmark.blackHole(decoded)
    }
}
