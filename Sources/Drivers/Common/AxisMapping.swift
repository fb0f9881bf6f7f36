import FlightMath

/// A sensor axis with sign, as printed on the chip's package.
public enum SensorAxis: Hashable, Sendable, CaseIterable {
    case plusX, minusX, plusY, minusY, plusZ, minusZ

    var index: Int {
        switch self {
        case .plusX, .minusX: return 0
        case .plusY, .minusY: return 1
        case .plusZ, .minusZ: return 2
        }
    }

    var sign: Double {
        switch self {
        case .plusX, .plusY, .plusZ: return 1
        case .minusX, .minusY, .minusZ: return -1
        }
    }

    var unitVector: Vector3 {
        var v = Vector3.zero
        v[index] = sign
        return v
    }
}

/// How the chip is mounted: which signed chip axis points forward, right and down in the body frame (FRD).
/// Only proper rotations are accepted; a mirrored mapping is a wiring-table mistake and is refused.
public struct AxisMapping: Hashable, Sendable {
    public let forward: SensorAxis
    public let right: SensorAxis
    public let down: SensorAxis

    public enum Invalid: Error, Hashable, Sendable, CustomStringConvertible {
        case notARotation(forward: SensorAxis, right: SensorAxis, down: SensorAxis)

        public var description: String {
            switch self {
            case let .notARotation(forward, right, down):
                return "axis mapping forward=\(forward) right=\(right) down=\(down) is not a rotation "
                    + "(each chip axis must be used once, right-handed)"
            }
        }
    }

    public init(forward: SensorAxis, right: SensorAxis, down: SensorAxis) throws(Invalid) {
        // Right-handed and orthonormal exactly when forward × right = down.
        guard forward.unitVector.cross(right.unitVector) == down.unitVector else {
            throw .notARotation(forward: forward, right: right, down: down)
        }
        self.forward = forward
        self.right = right
        self.down = down
    }

    private init(unchecked forward: SensorAxis, _ right: SensorAxis, _ down: SensorAxis) {
        self.forward = forward
        self.right = right
        self.down = down
    }

    /// Chip x forward, y right, z down.
    public static let identity = AxisMapping(unchecked: .plusX, .plusY, .plusZ)
    /// Chip lying component side up with x forward (z up): the usual breakout-board mounting.
    public static let zUpXForward = AxisMapping(unchecked: .plusX, .minusY, .minusZ)

    /// Body FRD vector from a chip-frame vector.
    @inlinable public func apply(_ chip: Vector3) -> Vector3 {
        Vector3(component(chip, forward), component(chip, right), component(chip, down))
    }

    @usableFromInline func component(_ chip: Vector3, _ axis: SensorAxis) -> Double {
        chip[axis.index] * axis.sign
    }
}
