/// Why an operator command (or a mission or parameter change) was refused. Built on the real-time thread, so its
/// cases carry only values; the text is made at the edge (STATUSTEXT, CLI, run report) from `description`.
public enum CommandRefusal: Equatable, Sendable, CustomStringConvertible {
    case arming(ArmingRefusal)
    /// The mode machine armed but the output stage would not (the safety switch went to SAFE in between).
    case outputsNotArmed
    case noMissionLoaded
    /// A mission is loaded but not yet built: it is checked against home, the navigation origin.
    case noNavigationOrigin
    case parameterChangeWhileArmed
    case mixerFromAirframeFileOnly
    case missionChangeWhileArmed
    case disarmWhileFlying
    case missionStart(in: FlightMode)
    case holdNotFlying
    case holdCommitted
    case repositionNotFlying
    case repositionCommitted
    case repositionNotFlyable(minimumRadiusM: Int, minimumHeightM: Int)
    case repositionOutsideFence(Geofence.Breach)
    case repositionRadiusTooLarge(maximumRadiusM: Int)
    /// The centre is inside the fence, but less than the orbit's radius from its edge.
    case repositionOrbitOutsideFence(radiusM: Int, centreInsideM: Int)
    case repositionInsideExclusion(radiusM: Int, heightAboveDesignationM: Int)
    case returnToLaunchNotFlying
    case returnToLaunchCommitted
    case terminalNoDesignation
    case terminalRejected(GateRejection)
    case approvalRejected(GateRejection)
    case waveOffRejected(GateRejection)

    /// A refusal that goes away on its own (the vehicle is still starting up): a ground station may ask again,
    /// so the link answers MAV_RESULT_TEMPORARILY_REJECTED rather than DENIED.
    public var isTemporary: Bool {
        if case .noNavigationOrigin = self { return true }
        return false
    }

    public var description: String {
        let committed = "below the abort floor, the approach is committed"
        switch self {
        case .arming(let why): return why.description
        case .outputsNotArmed: return "arming refused: outputs could not be armed (safety switch)"
        case .noMissionLoaded: return "no mission loaded"
        case .noNavigationOrigin: return "not ready: navigation has no origin yet"
        case .parameterChangeWhileArmed: return "armed: disarm first"
        case .mixerFromAirframeFileOnly: return "mixer is set in the airframe file only"
        case .missionChangeWhileArmed: return "armed: disarm before changing the mission"
        case .disarmWhileFlying: return "disarm refused: the vehicle is flying"
        case .missionStart(let mode): return "mission start refused in \(mode)"
        case .holdNotFlying: return "hold refused: not flying"
        case .holdCommitted: return "hold refused: \(committed)"
        case .repositionNotFlying: return "reposition refused: not flying"
        case .repositionCommitted: return "reposition refused: \(committed)"
        case .repositionNotFlyable(let radiusM, let heightM):
            return "reposition refused: not a flyable orbit (radius ≥ \(radiusM) m, height ≥ \(heightM) m)"
        case .repositionOutsideFence(let breach): return "reposition refused: target \(breach)"
        case .repositionRadiusTooLarge(let maximumM):
            return "reposition refused: orbit radius above the \(maximumM) m maximum"
        case .repositionOrbitOutsideFence(let radiusM, let insideM):
            return "reposition refused: a \(radiusM) m orbit leaves the fence (its centre is \(insideM) m inside)"
        case .repositionInsideExclusion(let radiusM, let heightM):
            return "reposition refused: the orbit enters the designation's exclusion volume (within \(radiusM) m, "
                + "below \(heightM) m above it); only an approved terminal phase may go there"
        case .returnToLaunchNotFlying: return "return to launch refused: not flying"
        case .returnToLaunchCommitted: return "return to launch refused: \(committed)"
        case .terminalNoDesignation: return "terminal request refused: the plan has no designation"
        case .terminalRejected(let why): return "terminal request refused: \(why)"
        case .approvalRejected(let why): return "approval rejected: \(why)"
        case .waveOffRejected(let why): return "wave-off rejected: \(why)"
        }
    }
}
