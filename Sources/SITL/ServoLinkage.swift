import Control
import Simulation
import Board
import Vehicle
import EmulatedBoard

/// The SITL stand-in for pushrods and ESC: reads the pulse each plant surface's servo receives (from the emulated
/// output bank, on the board channel wired to that surface's function) and turns it into the plant's normalised
/// command. The linkage is set up so that the mixer channel's min/trim/max pulses are the surface's full throws
/// (a reversed channel is a mirrored servo). Signs then change convention: the mixer's positive deflections are
/// aileron roll-right, elevator nose-up, rudder nose-right and elevons trailing-edge-up; the plant's
/// (`AerodynamicsSection`) are δa roll-right, δe trailing-edge-down, δr nose-left and elevons trailing-edge-down.
public struct ServoLinkage: Sendable {
    struct Link: Sendable {
        var bankIndex: Int
        var channel: OutputChannel
        var sign: Double
    }

    private var surfaces = InlineArray<4, Link?>(repeating: nil)
    private var throttle: Link?

    /// Every plant surface needs a mixer channel and a board channel with its function; so does the throttle.
    public init(airframe: AirframeFile, mixer: MixerConfig, board: BoardConfig) throws(OutputSetupError) {
        func link(_ function: OutputFunction, sign: Double) throws(OutputSetupError) -> Link {
            guard let channel = mixer.channels.first(where: { $0.function == function }) else {
                throw OutputSetupError("airframe '\(airframe.airframe.name)' has a \(function.rawValue) but no "
                                       + "[[control.mixer.channels]] entry drives it")
            }
            guard let bank = board.pwm.channels.firstIndex(where: { $0.function == function }) else {
                throw OutputSetupError("board '\(board.name)' has no output wired to \(function.rawValue)")
            }
            return Link(bankIndex: bank, channel: channel, sign: sign)
        }
        for (index, surface) in airframe.actuators.surfaces.enumerated() where index < SurfaceChannels.capacity {
            switch surface.function {
            case .aileron: surfaces[index] = try link(.aileron, sign: 1)
            case .elevator: surfaces[index] = try link(.elevator, sign: -1)
            case .rudder: surfaces[index] = try link(.rudder, sign: -1)
            case .elevonLeft: surfaces[index] = try link(.elevonLeft, sign: -1)
            case .elevonRight: surfaces[index] = try link(.elevonRight, sign: -1)
            }
        }
        throttle = try link(.throttle, sign: 1)
    }

    /// The plant commands for the pulses on the board's outputs now.
    public func controls(board: EmulatedHardware, config: BoardConfig) -> PlantControls {
        controls { board.observedPulseUs(bankIndex: $0, board: config) ?? 0 }
    }

    /// The plant commands for the pulses `pulseUs(bankIndex)` gives (0: no pulse), e.g. those a HIL board reported.
    public func controls(pulseUs: (Int) -> Double) -> PlantControls {
        var out = PlantControls()
        for index in 0..<SurfaceChannels.capacity {
            guard let l = surfaces[index] else { continue }
            let pulse = pulseUs(l.bankIndex)
            out.surfaces[index] = l.sign * Self.deflection(pulseUs: pulse, channel: l.channel)
        }
        if let t = throttle {
            let pulse = pulseUs(t.bankIndex)
            let c = t.channel
            // No pulses (0 µs) or below min: the ESC holds the motor off.
            out.throttle = pulse < c.minUs ? 0 : min((pulse - c.minUs) / (c.maxUs - c.minUs), 1)
        }
        return out
    }

    /// Normalised deflection −1…1 of a surface channel at `pulseUs` (the inverse of the mixer's mapping); no
    /// pulses leaves the surface at neutral.
    static func deflection(pulseUs: Double, channel c: OutputChannel) -> Double {
        guard pulseUs > 0, pulseUs.isFinite else { return 0 }
        let v = pulseUs >= c.trimUs
            ? (c.maxUs > c.trimUs ? (pulseUs - c.trimUs) / (c.maxUs - c.trimUs) : 0)
            : (c.trimUs > c.minUs ? (pulseUs - c.trimUs) / (c.trimUs - c.minUs) : 0)
        let limited = min(max(v, -1), 1)
        return c.reversed ? -limited : limited
    }
}
