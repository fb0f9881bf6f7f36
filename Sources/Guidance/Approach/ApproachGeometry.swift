import FlightMath
import RealModule

/// Why an approach cannot be built from the given points.
public enum ApproachGeometryError: Error, CustomStringConvertible, Equatable {
    case notFinite
    case flightPathAngleOutOfRange(degrees: Double)
    case abortFloorOutOfRange(heightM: Double)
    case targetBelowStartRequired(startHeightM: Double, targetHeightM: Double)
    /// The glide from the start height needs more horizontal distance than there is to the target.
    case tooShort(requiredM: Double, availableM: Double)

    public var description: String {
        switch self {
        case .notFinite:
            return "approach: a start, target or parameter is not a finite number"
        case .flightPathAngleOutOfRange(let d):
            return "approach: flight-path angle \(d)° is outside the accepted 1…45°"
        case .abortFloorOutOfRange(let h):
            return "approach: abort floor \(h) m must be above the target and below the start"
        case .targetBelowStartRequired(let s, let t):
            return "approach: target height \(t) m is not below the start height \(s) m"
        case .tooShort(let required, let available):
            return "approach: the glide needs \(required) m horizontally but the target is \(available) m away"
        }
    }
}

/// A terminal approach to a 3-D point at a fixed flight-path angle, starting where the vehicle leaves its orbit:
/// a level line-up leg on the horizontal line from the start to the target, then a descent along the glide line
/// that passes through the target at angle γ below the horizontal. Geometry only: which phase one is in, the height
/// setpoint at a position, and the abort floor (a height above the target, and where the glide line crosses it).
public struct ApproachGeometry: Sendable, Equatable {
    public let startNEDM: Vector3
    public let targetNEDM: Vector3
    public let flightPathAngleRad: Double
    /// Abort floor height above the target.
    public let abortFloorAboveTargetM: Double

    public enum Phase: UInt8, Sendable {
        case lineUp = 0
        case descent = 1
        /// Abeam of the target or beyond.
        case passedTarget = 2
    }

    public init(startNEDM: Vector3, targetNEDM: Vector3, flightPathAngleRad: Double,
                abortFloorAboveTargetM: Double) throws(ApproachGeometryError) {
        guard startNEDM.isFinite, targetNEDM.isFinite, flightPathAngleRad.isFinite, abortFloorAboveTargetM.isFinite
        else { throw .notFinite }
        let degrees = Angle.degrees(fromRadians: flightPathAngleRad)
        guard (1...45).contains(degrees) else { throw .flightPathAngleOutOfRange(degrees: degrees) }
        let startHeight = -startNEDM.z, targetHeight = -targetNEDM.z
        guard targetHeight < startHeight else {
            throw .targetBelowStartRequired(startHeightM: startHeight, targetHeightM: targetHeight)
        }
        guard abortFloorAboveTargetM > 0, abortFloorAboveTargetM < startHeight - targetHeight else {
            throw .abortFloorOutOfRange(heightM: abortFloorAboveTargetM)
        }
        self.startNEDM = startNEDM
        self.targetNEDM = targetNEDM
        self.flightPathAngleRad = flightPathAngleRad
        self.abortFloorAboveTargetM = abortFloorAboveTargetM
        let available = (NE(targetNEDM) - NE(startNEDM)).norm
        guard descentLengthM <= available else { throw .tooShort(requiredM: descentLengthM, availableM: available) }
    }

    public var startHeightM: Double { -startNEDM.z }
    public var targetHeightM: Double { -targetNEDM.z }
    /// Horizontal length of the descent from the start height to the target.
    public var descentLengthM: Double { (startHeightM - targetHeightM) / Double.tan(flightPathAngleRad) }
    /// Horizontal length of the level line-up leg.
    public var lineUpLengthM: Double { (NE(targetNEDM) - NE(startNEDM)).norm - descentLengthM }
    /// Where the descent begins (at the start height).
    public var descentStartNEDM: Vector3 {
        let d = direction
        return Vector3(targetNEDM.x - d.north * descentLengthM, targetNEDM.y - d.east * descentLengthM, startNEDM.z)
    }
    public var abortFloorHeightM: Double { targetHeightM + abortFloorAboveTargetM }
    /// Horizontal distance before the target at which the glide line reaches the abort floor.
    public var abortFloorDistanceM: Double { abortFloorAboveTargetM / Double.tan(flightPathAngleRad) }
    /// Course of the approach (from north, clockwise).
    public var courseRad: Double { direction.bearingRad }

    var direction: NE { (NE(targetNEDM) - NE(startNEDM)).normalized }

    /// Horizontal distance still to fly to the target, measured along the approach line (negative once past it).
    public func distanceToTargetM(positionNEDM: Vector3) -> Double {
        (NE(targetNEDM) - NE(positionNEDM)).dot(direction)
    }

    public func phase(positionNEDM: Vector3) -> Phase {
        let toGo = distanceToTargetM(positionNEDM: positionNEDM)
        if toGo <= 0 { return .passedTarget }
        return toGo > descentLengthM ? .lineUp : .descent
    }

    /// Height on the approach profile abeam `positionNEDM`: the start height on the line-up leg, the glide line
    /// during the descent, the target height at and past the target.
    public func heightSetpointM(positionNEDM: Vector3) -> Double {
        let toGo = max(distanceToTargetM(positionNEDM: positionNEDM), 0)
        return min(startHeightM, targetHeightM + toGo * Double.tan(flightPathAngleRad))
    }

    /// The abort floor query: true when `heightM` is below the floor (a wave-off is then no longer possible).
    public func isBelowAbortFloor(heightM: Double) -> Bool {
        !(heightM >= abortFloorHeightM)
    }
}
