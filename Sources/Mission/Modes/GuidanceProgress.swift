import FlightMath

/// What guidance reports back each step about the command it is flying, for the plan sequencer and the mode
/// machine. Produced by the vehicle's navigation executor; plain values, no allocation.
public struct GuidanceProgress: Sendable, Equatable {
    /// Plan item the command being flown belongs to (−1 for commands that are not plan items).
    public var itemIndex: Int
    /// The current item is done: waypoint reached (acceptance radius or passed abeam), launch climb-out height
    /// reached, or a loiter's exit condition met.
    public var itemReached: Bool
    /// On an orbit: the vehicle came within the capture distance of the circle.
    public var loiterCaptured: Bool
    /// On an orbit: its exit condition (turns or time) is met; never for an unlimited orbit.
    public var loiterExitReached: Bool
    /// Signed distance from the path (positive right of it), m.
    public var crossTrackErrorM: Double
    /// Horizontal distance to the end of the leg, m; 0 on an orbit.
    public var distanceToGoM: Double
    /// Estimated position in the local NED frame of home, for where legs start.
    public var positionNEDM: Vector3

    public init(itemIndex: Int = -1, itemReached: Bool = false, loiterCaptured: Bool = false,
                loiterExitReached: Bool = false, crossTrackErrorM: Double = 0, distanceToGoM: Double = 0,
                positionNEDM: Vector3 = .zero) {
        self.itemIndex = itemIndex; self.itemReached = itemReached; self.loiterCaptured = loiterCaptured
        self.loiterExitReached = loiterExitReached; self.crossTrackErrorM = crossTrackErrorM
        self.distanceToGoM = distanceToGoM; self.positionNEDM = positionNEDM
    }
}
