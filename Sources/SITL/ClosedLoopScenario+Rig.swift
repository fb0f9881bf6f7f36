import Board
import Simulation

/// What a rig that flies the scenario's plant behind a real flight daemon needs from it: the plant bench
/// (`kestrel fly --plant`) and the HIL simulator (`kestrel sim --hil-serve`) wire and launch it the same way.
extension ClosedLoopScenario {
    /// The plant's servos wired to `board`'s output channels, through the scenario's mixer.
    func servoLinkage(board: BoardConfig) throws(ClosedLoopScenarioError) -> ServoLinkage {
        do {
            return try ServoLinkage(airframe: prepared.airframe, mixer: settings.control.mixer, board: board)
        } catch {
            throw .setup(file: prepared.airframePath, reason: error.description)
        }
    }

    /// The catapult the scenario launches from: its own launch, else the airframe's, with the scenario's stroke.
    var catapult: Catapult {
        Catapult(launch: prepared.scenario.launch ?? prepared.airframe.launch, strokeS: mission.catapultStrokeS ?? 0.3)
    }
}
