import ConfigFiles
import FlightMath
import Foundation

/// A scenario file with its airframe loaded and checked against each other, ready to build a plant.
public struct PreparedScenario: Sendable {
    public let scenarioPath: String
    public let scenario: ScenarioFile
    public let airframePath: String
    public let airframe: AirframeFile
    /// (start time, commands) in increasing time, commands held until the next entry.
    public let schedule: [(timeS: Double, controls: PlantControls)]

    public static func load(scenarioPath: String) throws(ScenarioError) -> PreparedScenario {
        let scenario: ScenarioFile
        do {
            scenario = try ConfigFile.load(ScenarioFile.self, fromFile: scenarioPath,
                                           sectionsReadElsewhere: ScenarioFile.sectionsReadElsewhere)
        } catch {
            throw .scenarioFile(error)
        }
        let airframePath = resolve(scenario.airframe, relativeTo: scenarioPath)
        let airframe: AirframeFile
        do {
            airframe = try AirframeFile.load(fromFile: airframePath)
        } catch {
            throw .airframeFile(error)
        }
        return try PreparedScenario(scenarioPath: scenarioPath, scenario: scenario, airframePath: airframePath,
                                    airframe: airframe)
    }

    public init(scenarioPath: String, scenario: ScenarioFile, airframePath: String,
                airframe: AirframeFile) throws(ScenarioError) {
        self.scenarioPath = scenarioPath
        self.scenario = scenario
        self.airframePath = airframePath
        self.airframe = airframe
        var schedule: [(timeS: Double, controls: PlantControls)] = []
        let functions = airframe.actuators.surfaces.map(\.function)
        for (i, entry) in scenario.schedule.enumerated() {
            for f in SurfaceFunction.allCases where entry.value(for: f) != nil && !functions.contains(f) {
                throw .mismatch(file: scenarioPath, keyPath: "schedule[\(i)].\(f.rawValue)",
                                reason: "airframe '\(airframe.airframe.name)' has no \(f.rawValue) surface")
            }
            var surfaces = SurfaceChannels()
            for (channel, f) in functions.enumerated() { surfaces[channel] = entry.value(for: f) ?? 0 }
            schedule.append((entry.timeS, PlantControls(surfaces: surfaces, throttle: entry.throttle)))
        }
        self.schedule = schedule
    }

    static func resolve(_ path: String, relativeTo file: String) -> String {
        if path.hasPrefix("/") { return path }
        let directory = (file as NSString).deletingLastPathComponent
        return directory.isEmpty ? path : (directory as NSString).appendingPathComponent(path)
    }

    /// A plant at the scenario's launch point, in its wind, with its faults, seeded with `seed` (the file's seed
    /// unless overridden).
    public func makeVehicle(seed overrideSeed: UInt64? = nil) throws(ScenarioError) -> SimulatedVehicle {
        let seed = overrideSeed ?? scenario.seed
        let o = scenario.origin
        let w = scenario.wind
        let wind = WindModel(
            steadyNEDMps: Vector3(w.northMps, w.eastMps, w.downMps),
            turbulence: DrydenTurbulence(intensity: w.turbulence,
                                         random: .stream(seed: seed, label: SensorStreamLabel.turbulence)),
            gusts: (scenario.gusts ?? []).map {
                DiscreteGust(startS: $0.startS, durationS: $0.durationS,
                             peakNEDMps: Vector3($0.northMps, $0.eastMps, $0.downMps))
            })
        do {
            return try SimulatedVehicle(
                airframe: airframe,
                origin: Geodetic(latitudeDeg: o.latitudeDeg, longitudeDeg: o.longitudeDeg, altitudeM: o.altitudeM),
                launch: scenario.launch ?? airframe.launch, wind: wind, seed: seed,
                gpsOutages: (scenario.gpsOutages ?? []).map { GPSOutage(startS: $0.startS, durationS: $0.durationS) },
                initialControls: schedule.first?.controls ?? PlantControls(),
                initialStateOfCharge: scenario.batteryStateOfCharge ?? 1,
                options: PlantOptions(stepRateHz: scenario.stepRateHz ?? 400))
        } catch {
            throw .setup(file: scenarioPath, error)
        }
    }
}
