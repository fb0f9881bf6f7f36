import FlightMath
import RealModule

/// Servo dynamics of up to four surfaces: first-order lag towards the commanded deflection, then a rate limit,
/// then the mechanical stops. Also mixes the physical surfaces into equivalent δa, δe, δr.
public struct ActuatorModel: Hashable, Sendable {
    struct Channel: Hashable, Sendable {
        var function: SurfaceFunction
        var maxRad: Double
        var rateLimitRadps: Double
        var timeConstantS: Double
    }

    // Fixed storage; `count` channels are used.
    private var c0: Channel?, c1: Channel?, c2: Channel?, c3: Channel?
    public private(set) var deflectionsRad = SurfaceChannels()

    public init(section: ActuatorsSection) {
        func make(_ i: Int) -> Channel? {
            guard i < section.surfaces.count else { return nil }
            let s = section.surfaces[i]
            return Channel(function: s.function, maxRad: Angle.radians(fromDegrees: s.maxDeflectionDeg),
                           rateLimitRadps: Angle.radians(fromDegrees: s.rateLimitDps), timeConstantS: s.timeConstantS)
        }
        c0 = make(0); c1 = make(1); c2 = make(2); c3 = make(3)
    }

    private func channel(_ i: Int) -> Channel? {
        switch i {
        case 0: return c0
        case 1: return c1
        case 2: return c2
        case 3: return c3
        default: return nil
        }
    }

    /// Advances the servos by `dtS` towards the normalised commands.
    public mutating func update(commands: SurfaceChannels, dtS: Double) {
        for i in 0..<SurfaceChannels.capacity {
            guard let ch = channel(i) else { continue }
            var command = commands[i]
            if !command.isFinite { command = 0 }
            let target = command.clamped(to: -1...1) * ch.maxRad
            let current = deflectionsRad[i]
            // Exact discretisation of the first-order lag over one step.
            let blend = ch.timeConstantS > 0 ? 1 - Double.exp(-dtS / ch.timeConstantS) : 1
            let maxStep = ch.rateLimitRadps * dtS
            let step = ((target - current) * blend).clamped(to: -maxStep...maxStep)
            deflectionsRad[i] = (current + step).clamped(to: -ch.maxRad...ch.maxRad)
        }
    }

    /// Sets the surfaces to a normalised position at once (initial condition).
    public mutating func reset(commands: SurfaceChannels) {
        for i in 0..<SurfaceChannels.capacity {
            guard let ch = channel(i) else { continue }
            let c = commands[i].isFinite ? commands[i] : 0
            deflectionsRad[i] = c.clamped(to: -1...1) * ch.maxRad
        }
    }

    /// Equivalent δa, δe, δr. Elevons: δe = (left + right)/2, δa = (left − right)/2 (left trailing edge down
    /// rolls right).
    public var equivalentDeflections: SurfaceDeflections {
        var d = SurfaceDeflections.neutral
        for i in 0..<SurfaceChannels.capacity {
            guard let ch = channel(i) else { continue }
            let x = deflectionsRad[i]
            switch ch.function {
            case .aileron: d.aileronRad += x
            case .elevator: d.elevatorRad += x
            case .rudder: d.rudderRad += x
            case .elevonLeft: d.elevatorRad += x / 2; d.aileronRad += x / 2
            case .elevonRight: d.elevatorRad += x / 2; d.aileronRad -= x / 2
            }
        }
        return d
    }

    /// The normalised command that gives `deflections` (rad) on the channels present, for trim and tests.
    public func commands(for d: SurfaceDeflections) -> SurfaceChannels {
        var out = SurfaceChannels()
        for i in 0..<SurfaceChannels.capacity {
            guard let ch = channel(i) else { continue }
            let rad: Double
            switch ch.function {
            case .aileron: rad = d.aileronRad
            case .elevator: rad = d.elevatorRad
            case .rudder: rad = d.rudderRad
            case .elevonLeft: rad = d.elevatorRad + d.aileronRad
            case .elevonRight: rad = d.elevatorRad - d.aileronRad
            }
            out[i] = rad / ch.maxRad
        }
        return out
    }
}
