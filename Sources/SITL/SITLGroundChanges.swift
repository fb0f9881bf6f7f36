import Foundation
import MAVLink
import Mission

/// Why a parameter set was refused: the parameter's rules, or the vehicle's state. The text leaves the name out:
/// the link's reply names the parameter.
public struct ParameterSetRefusal: Error, CustomStringConvertible, Sendable {
    public let description: String
}

extension SITLRun {
    /// Sets an airframe parameter: validated like the airframe file, applied to the flight stack (on the ground
    /// only), then saved to the scenario's parameter file when it has one. Returns the stored value and, for
    /// estimator and sensor settings, a note that they take effect at the next start.
    public func setParameter(_ name: String, to value: Double) throws(ParameterSetRefusal)
        -> (value: Double, note: String?)
    {
        var candidate = parameters
        let stored: Double
        do { stored = try candidate.set(name, to: value) } catch { throw ParameterSetRefusal(description: error.reason) }
        let outcome = stack.retune(candidate.settings)
        if let refusal = outcome.refusal { throw ParameterSetRefusal(description: refusal.description) }
        parameters = candidate
        if let path = scenario.parameterFilePath {
            let text = ParameterFile.format(
                candidate.fileEntries,
                header: "Kestrel parameters over \(scenario.prepared.airframePath); written when one is set.")
            do {
                try text.write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                throw ParameterSetRefusal(description: "\(name) set, but \(path) could not be written: "
                                          + (error as NSError).localizedDescription)
            }
        }
        return (stored, outcome.restartNeeded ? "\(name) takes effect at the next start" : nil)
    }
}

extension SITLRun {
    /// A mission uploaded from the ground replaces the scenario's, while disarmed. Returns a refusal or nil.
    public func replaceMission(_ file: MissionFile) -> String? {
        do { return try stack.replaceMission(file, source: "uploaded mission")?.description } catch { return error.detail }
    }

    public func clearMission() -> String? { stack.clearMission()?.description }

    public func setCurrentMissionItem(_ index: Int) -> Bool { stack.setCurrentMissionItem(index) }
}
