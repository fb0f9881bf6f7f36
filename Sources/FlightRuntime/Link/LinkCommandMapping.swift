import FlightMath
import MAVLink
import Mission
import Vehicle

/// A ground link's command as the mode machine's operator command, on whatever thread holds the flight stack:
/// one mapping for the SITL link and for `kestrel fly`'s real-time side. Allocation-free.
package enum LinkCommandMapping {
    package enum Outcome {
        case command(OperatorCommand)
        /// The COMMAND_ACK result and a reason (a literal: no allocation) for a command the vehicle cannot take.
        case refused(MAVResult, StaticString)
    }

    /// `heightNote` is set when a reposition target's altitude could not be used (not relative to home, or not
    /// given) and the orbit keeps the vehicle's height.
    package static func operatorCommand(_ command: VehicleCommand, stack: FlightStack, heightNote: inout Bool) -> Outcome {
        switch command {
        case .arm: return .command(.arm)
        case .disarm: return .command(.disarm)
        case .returnToLaunch: return .command(.returnToLaunch)
        case .requestTerminal: return .command(.requestTerminal)
        case .reposition(let target, let radius):
            guard let frame = stack.machine?.frame else { return .refused(.temporarilyRejected, "reposition: no home yet") }
            // Relative altitudes are heights above home; without a geoid model an AMSL altitude cannot be, so
            // the orbit keeps the vehicle's height, as it does when the altitude is not given.
            var heightM = target.altitudeM
            if target.altitudeFrame != .relativeToHome || !heightM.isFinite {
                heightM = -stack.navigation.positionNEDM.z
                heightNote = true
            }
            let ned = frame.ned(of: Geodetic(latitudeDeg: target.latitudeDeg, longitudeDeg: target.longitudeDeg,
                                             altitudeM: frame.origin.altitudeM))
            return .command(.holdAt(centerNEDM: Vector3(ned.x, ned.y, -heightM), radiusM: radius))
        case .setMode(let mode):
            switch mode {
            case .mission: return .command(.startMission)
            case .loiter: return .command(.holdHere)
            case .returnToLaunch: return .command(.returnToLaunch)
            default: return .refused(.unsupported, "mode not settable")
            }
        }
    }
}
