/// Mechanical play between a servo horn and its surface (gear lash, clevis and horn holes): the classic backlash,
/// or hysteresis, element. The surface stays put while the horn moves inside the gap and is dragged along once the
/// horn reaches either side of it, so on a reversal the surface waits until the horn has crossed the whole gap.
struct Backlash: Hashable, Sendable {
    /// Total play, from one side of the gap to the other.
    let gapRad: Double
    private(set) var outputRad: Double

    init(gapRad: Double, positionRad: Double = 0) {
        self.gapRad = max(0, gapRad)
        outputRad = positionRad
    }

    /// Centres the gap on `positionRad` (initial conditions: the surface where the horn is).
    mutating func reset(positionRad: Double) { outputRad = positionRad }

    /// The surface position for horn position `inputRad`.
    mutating func follow(_ inputRad: Double) -> Double {
        let half = gapRad / 2
        if inputRad - outputRad > half {
            outputRad = inputRad - half
        } else if outputRad - inputRad > half {
            outputRad = inputRad + half
        }
        return outputRad
    }
}
