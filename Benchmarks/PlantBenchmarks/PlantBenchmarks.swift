import Benchmark
import FlightMath
import Foundation
import Simulation

/// Plant step cost and allocations (must be 0 per step) for the 2 m airframe in light turbulence with all sensors.
let benchmarks: @Sendable () -> Void = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    let airframe: AirframeFile
    do {
        airframe = try AirframeFile.load(fromFile: "\(root)/Hardware/airframes/kestrel-2m.toml")
    } catch {
        fatalError("\(error)")  // benchmark set-up only, never on a flight path
    }
    let origin = Geodetic(latitudeDeg: 47.397742, longitudeDeg: 8.545594, altitudeM: 488)

    func makeVehicle() -> SimulatedVehicle? {
        let wind = WindModel(
            steadyNEDMps: Vector3(1.5, -1, 0),
            turbulence: DrydenTurbulence(intensity: .light, random: .stream(seed: 1, label: SensorStreamLabel.turbulence)),
            gusts: [DiscreteGust(startS: 1, durationS: 2, peakNEDMps: Vector3(0, 3, -1))])
        return try? SimulatedVehicle(airframe: airframe, origin: origin, launch: airframe.launch, wind: wind, seed: 1,
                                     gpsOutages: [GPSOutage(startS: 2, durationS: 1)])
    }
    let controls = PlantControls(surfaces: SurfaceChannels(0, -0.1, 0), throttle: 0.95)

    Benchmark("PlantStep",
              configuration: .init(metrics: [.wallClock, .mallocCountTotal], scalingFactor: .kilo,
                                   maxDuration: .seconds(5), maxIterations: 2_000)) { benchmark in
        guard var vehicle = makeVehicle() else { return }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            Benchmark.blackHole(vehicle.step(controls: controls))
        }
        benchmark.stopMeasurement()
        Benchmark.blackHole(vehicle.state)
    }

    // The whole 10-minute open-loop demo in fast time, trajectory CSV at 10 Hz included: sim-time/wall-time ratio
    // = 600 s / this wall-clock time.
    let demo = "\(root)/Scenarios/demo-open-loop.toml"
    let csv = FileManager.default.temporaryDirectory.appendingPathComponent("kestrel-bench-demo.csv").path
    Benchmark("DemoOpenLoop600s",
              configuration: .init(metrics: [.wallClock], scalingFactor: .one, maxDuration: .seconds(10),
                                   maxIterations: 5)) { _ in
        Benchmark.blackHole(try? ScriptedRun.run(scenarioPath: demo, trajectoryCSVPath: csv, csvRateHz: 10))
    }

    Benchmark("DemoOpenLoop600sNoCSV",
              configuration: .init(metrics: [.wallClock], scalingFactor: .one, maxDuration: .seconds(10),
                                   maxIterations: 5)) { _ in
        Benchmark.blackHole(try? ScriptedRun.run(scenarioPath: demo))
    }
}
