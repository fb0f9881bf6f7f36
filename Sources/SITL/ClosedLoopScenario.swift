import ConfigFiles
import Foundation
import Mission
import Simulation
import Board
import Vehicle

/// Why a closed-loop scenario could not be loaded.
public enum ClosedLoopScenarioError: Error, CustomStringConvertible {
    case scenario(ScenarioError)
    case notClosedLoop(file: String)
    case file(ConfigFileError)
    case boardNotEmulated(file: String)
    case setup(file: String, reason: String)
    case parameters(AirframeParameterError)

    public var description: String {
        switch self {
        case .scenario(let e): return e.description
        case .notClosedLoop(let file): return "\(file): no [mission] section: not a closed-loop scenario"
        case .file(let e): return e.description
        case .boardNotEmulated(let file):
            return "\(file): board is not emulated (emulated = true); SITL drives emulators only"
        case .setup(let file, let reason): return "\(file): \(reason)"
        case .parameters(let e): return e.description
        }
    }
}

/// A closed-loop scenario with everything it names loaded and checked: the plant side (`PreparedScenario`), the
/// autopilot's airframe settings from the same airframe file, the board, and the mission file.
public struct ClosedLoopScenario: Sendable {
    public let prepared: PreparedScenario
    public let mission: MissionSection
    public let missionPath: String
    public let missionFile: MissionFile
    public let boardPath: String
    public let board: BoardConfig
    /// The airframe file's settings with the parameter file's values over them.
    public var settings: AirframeSettings { parameters.settings }
    /// The airframe's tunables as parameters, and where changes to them are persisted (nil: kept for the run).
    /// Variants (a magnetometer switched on, other tuning) are set on a loaded scenario before the run, through
    /// `parameters.set` like a ground station's, so they are validated the same way.
    public var parameters: AirframeParameters
    public let parameterFilePath: String?
    /// Arm by itself once navigation is ready (the scenario's own flight); false waits for an arm command over the
    /// link, with the catapult held until then, so a ground station can upload a mission and set parameters first.
    public var autoArm = true
    /// The scripted operator, geofence and failsafe policy of the scenario.
    public let sections: ScenarioMissionSections
    public let fence: MissionSetup.Fence?

    public static func load(scenarioPath: String, parameterFilePath: String? = nil)
        throws(ClosedLoopScenarioError) -> ClosedLoopScenario
    {
        let prepared: PreparedScenario
        do { prepared = try PreparedScenario.load(scenarioPath: scenarioPath) } catch { throw .scenario(error) }
        return try ClosedLoopScenario(prepared: prepared, parameterFilePath: parameterFilePath)
    }

    /// - Parameter parameterFilePath: parameter values over the airframe file's (`NAME value` lines), also
    ///   where values set over the link are saved; a missing file is created on the first change.
    public init(prepared: PreparedScenario, parameterFilePath: String? = nil) throws(ClosedLoopScenarioError) {
        guard let mission = prepared.scenario.mission else { throw .notClosedLoop(file: prepared.scenarioPath) }
        self.prepared = prepared
        self.mission = mission
        missionPath = Self.resolve(mission.file, relativeTo: prepared.scenarioPath)
        boardPath = Self.resolve(mission.board, relativeTo: prepared.scenarioPath)
        do {
            missionFile = try ConfigFile.load(MissionFile.self, fromFile: missionPath)
            board = try BoardConfig.load(fromFile: boardPath)
            sections = try ConfigFile.load(ScenarioMissionSections.self, fromFile: prepared.scenarioPath,
                                           sectionsReadElsewhere: ScenarioFile.ownKeys)
        } catch {
            throw .file(error)
        }
        do {
            parameters = try AirframeParameters.load(airframePath: prepared.airframePath,
                                                     parameterFilePath: parameterFilePath)
        } catch {
            throw .parameters(error)
        }
        self.parameterFilePath = parameterFilePath
        do {
            fence = try sections.geofence?.fence()
        } catch {
            throw .setup(file: prepared.scenarioPath, reason: error.description)
        }
        if mission.declareLaunchWind ?? true {
            // The crew's measurement: the scenario's steady wind along the launcher's rail, set as a ground station
            // would (so it is range-checked the same way; a wind beyond the parameter's range is clipped to it).
            let launch = prepared.scenario.launch ?? prepared.airframe.launch
            let headingRad = launch.headingDeg * Double.pi / 180
            let wind = prepared.scenario.wind
            // `[wind]` is the air's velocity: air moving along the rail's heading is a wind from behind.
            let headwindMps = -(wind.northMps * cos(headingRad) + wind.eastMps * sin(headingRad))
            do { _ = try parameters.set("FLT_LNCH_HWND", to: min(max(headwindMps, -40), 40)) } catch {
                throw .parameters(error)
            }
        }
        guard board.emulated else { throw .boardNotEmulated(file: boardPath) }
        // The filter's declination must be the field the simulated magnetometer sees (when it is used).
        let simulated = prepared.airframe.sensors.mag.declinationDeg
        let configured = settings.estimation.magDeclinationRad * 180 / Double.pi
        if settings.estimation.useMagnetometer, abs(simulated - configured) > 0.1 {
            throw .setup(file: prepared.airframePath, reason: "[estimation] mag_declination_rad is \(configured)°, "
                         + "but the simulated field has \(simulated)° ([sensors.mag] declination_deg)")
        }
    }

    static func resolve(_ path: String, relativeTo file: String) -> String {
        if path.hasPrefix("/") { return path }
        let directory = (file as NSString).deletingLastPathComponent
        return directory.isEmpty ? path : (directory as NSString).appendingPathComponent(path)
    }
}
