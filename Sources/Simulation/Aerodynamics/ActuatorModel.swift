import FlightMath
import RealModule

/// Servo dynamics of up to four surfaces, in the order a hobby servo and its linkage work:
/// 1. the servo reads its command pulse once per PWM frame and holds it (`ServoFrameSampler`);
/// 2. its position loop ignores errors inside its dead band;
/// 3. outside it the horn follows a first-order lag, then a rate limit, then the mechanical stops;
/// 4. the surface follows the horn through the linkage's play (`Backlash`).
/// Also mixes the physical surfaces into equivalent δa, δe, δr.
public struct ActuatorModel: Hashable, Sendable {
    /// Pulse width of a normalised command of ±1 about the centre: the mixers map −1…1 onto 1000…2000 µs unless
    /// an airframe narrows them, so the servo data sheets' dead band in µs converts at 500 µs per unit command.
    public static let pulseUsPerUnitCommand = 500.0

    struct Channel: Hashable, Sendable {
        var function: SurfaceFunction
        var maxRad: Double
        var rateLimitRadps: Double
        var timeConstantS: Double
        /// Dead band of the position loop, in surface radians.
        var deadbandRad: Double
        var frame: ServoFrameSampler
        var linkage: Backlash
        /// Servo horn position, as surface radians (before the linkage's play).
        var hornRad = 0.0

        /// Advances horn and surface by `dtS` towards `command` (normalised); returns the surface position.
        mutating func advance(command: Double, dtS: Double) -> Double {
            let held = frame.sample(command, dtS: dtS)
            let target = held.clamped(to: -1...1) * maxRad
            let error = target - hornRad
            // Inside the dead band the servo's amplifier does not drive the motor at all.
            if abs(error) > deadbandRad {
                // Exact discretisation of the first-order lag over one step.
                let blend = timeConstantS > 0 ? 1 - Double.exp(-dtS / timeConstantS) : 1
                let maxStep = rateLimitRadps * dtS
                let step = (error * blend).clamped(to: -maxStep...maxStep)
                hornRad = (hornRad + step).clamped(to: -maxRad...maxRad)
            }
            return linkage.follow(hornRad)
        }

        mutating func reset(command: Double) {
            let c = command.clamped(to: -1...1)
            frame.reset(command: c)
            hornRad = c * maxRad
            linkage.reset(positionRad: hornRad)
        }
    }

    // Fixed storage; `count` channels are used.
    private var c0: Channel?, c1: Channel?, c2: Channel?, c3: Channel?
    /// Surface positions (after the linkage's play).
    public private(set) var deflectionsRad = SurfaceChannels()

    /// Every servo's first frame boundary at time zero (unit tests that want the frame timing known).
    public init(section: ActuatorsSection) {
        self.init(section: section, framePhases: SurfaceChannels())
    }

    /// Each servo's frame phase drawn uniformly from its own random stream (`SensorStreamLabel.servoFramePhase`),
    /// so the phases are fixed for a seed and adding them shifted no other model's draws.
    public init(section: ActuatorsSection, seed: UInt64) {
        var random = RandomSource.stream(seed: seed, label: SensorStreamLabel.servoFramePhase)
        var phases = SurfaceChannels()
        for i in 0..<SurfaceChannels.capacity { phases[i] = random.uniform() }
        self.init(section: section, framePhases: phases)
    }

    /// - Parameter framePhases: where each servo's first frame boundary falls, as a fraction 0…1 of its frame.
    public init(section: ActuatorsSection, framePhases: SurfaceChannels) {
        func make(_ i: Int) -> Channel? {
            guard i < section.surfaces.count else { return nil }
            let s = section.surfaces[i]
            let maxRad = Angle.radians(fromDegrees: s.maxDeflectionDeg)
            return Channel(function: s.function, maxRad: maxRad,
                           rateLimitRadps: Angle.radians(fromDegrees: s.rateLimitDps), timeConstantS: s.timeConstantS,
                           deadbandRad: s.deadbandUs / Self.pulseUsPerUnitCommand * maxRad,
                           frame: ServoFrameSampler(frameRateHz: s.frameRateHz, phase: framePhases[i]),
                           linkage: Backlash(gapRad: Angle.radians(fromDegrees: s.backlashDeg)))
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

    private mutating func setChannel(_ i: Int, _ ch: Channel) {
        switch i {
        case 0: c0 = ch
        case 1: c1 = ch
        case 2: c2 = ch
        case 3: c3 = ch
        default: break
        }
    }

    /// Servo horn positions (before the linkage's play), rad at the surface.
    public var hornRad: SurfaceChannels {
        var out = SurfaceChannels()
        for i in 0..<SurfaceChannels.capacity { out[i] = channel(i)?.hornRad ?? 0 }
        return out
    }

    /// Advances the servos by `dtS` towards the normalised commands (held over the step).
    public mutating func update(commands: SurfaceChannels, dtS: Double) {
        for i in 0..<SurfaceChannels.capacity {
            guard var ch = channel(i) else { continue }
            let command = commands[i].isFinite ? commands[i] : 0
            deflectionsRad[i] = ch.advance(command: command, dtS: dtS)
            setChannel(i, ch)
        }
    }

    /// Sets servos and surfaces to a normalised position at once, the play centred (initial condition).
    public mutating func reset(commands: SurfaceChannels) {
        for i in 0..<SurfaceChannels.capacity {
            guard var ch = channel(i) else { continue }
            ch.reset(command: commands[i].isFinite ? commands[i] : 0)
            deflectionsRad[i] = ch.linkage.outputRad
            setChannel(i, ch)
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

    /// The normalised command of each channel that puts it at `deflectionsRad` (channel by channel).
    public func commands(forChannelDeflections deflectionsRad: SurfaceChannels) -> SurfaceChannels {
        var out = SurfaceChannels()
        for i in 0..<SurfaceChannels.capacity {
            guard let ch = channel(i) else { continue }
            out[i] = deflectionsRad[i] / ch.maxRad
        }
        return out
    }
}
