import ConfigFiles
import Foundation
import Mission
import Simulation

/// Why a closed-loop scenario could not be loaded.
public enum ClosedLoopScenarioError: Error, CustomStringConvertible {
    case scenario(ScenarioError)
    case notClosedLoop(file: String)
    case file(ConfigFileError)
    case boardNotEmulated(file: String)
    case setup(file: String, reason: String)

    public var description: String {
        switch self {
        case .scenario(let e): return e.description
        case .notClosedLoop(let file): return "\(file): no [mission] section: not a closed-loop scenario"
        case .file(let e): return e.description
        case .boardNotEmulated(let file):
            return "\(file): board is not emulated (emulated = true); SITL drives emulators only"
        case .setup(let file, let reason): return "\(file): \(reason)"
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
    /// Variants (a magnetometer switched on, other tuning) are set on a loaded scenario before the run.
    public var settings: AirframeSettings
    /// The scripted operator, geofence and failsafe policy of the scenario.
    public let sections: ScenarioMissionSections
    public let fence: MissionSetup.Fence?

    public static func load(scenarioPath: String) throws(ClosedLoopScenarioError) -> ClosedLoopScenario {
        let prepared: PreparedScenario
        do { prepared = try PreparedScenario.load(scenarioPath: scenarioPath) } catch { throw .scenario(error) }
        return try ClosedLoopScenario(prepared: prepared)
    }

    public init(prepared: PreparedScenario) throws(ClosedLoopScenarioError) {
        guard let mission = prepared.scenario.mission else { throw .notClosedLoop(file: prepared.scenarioPath) }
        self.prepared = prepared
        self.mission = mission
        missionPath = Self.resolve(mission.file, relativeTo: prepared.scenarioPath)
        boardPath = Self.resolve(mission.board, relativeTo: prepared.scenarioPath)
        do {
            missionFile = try ConfigFile.load(MissionFile.self, fromFile: missionPath)
            board = try BoardConfig.load(fromFile: boardPath)
            settings = try AirframeSettings.load(fromFile: prepared.airframePath)
            sections = try ConfigFile.load(ScenarioMissionSections.self, fromFile: prepared.scenarioPath,
                                           sectionsReadElsewhere: ScenarioFile.ownKeys)
        } catch {
            throw .file(error)
        }
        do {
            fence = try sections.geofence?.fence()
        } catch {
            throw .setup(file: prepared.scenarioPath, reason: error.description)
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
