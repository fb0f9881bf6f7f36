import Board
import Control

/// How the board's output pulses travel in HIL_ACTUATOR_CONTROLS: `controls[i]` is the board file's PWM channel
/// `i` (its `[[pwm.channels]]` order), normalised as MAVLink defines the field: −1…1 for a surface servo
/// (1000…2000 µs, 1500 µs at 0) and 0…1 for the throttle (1000…2000 µs). The scaling is fixed, not the airframe's
/// trims, so the simulator turns a control back into the exact pulse the board wrote and runs it through its own
/// servo and ESC models; the board needs to know nothing about the airframe. Channels beyond the board's are 0.
public enum HILActuatorScaling {
    public static let maxChannels = 16

    /// The control value of a pulse on a channel with `function`. No pulse (0 µs) is neutral, and motor off.
    public static func control(pulseUs: Double, function: OutputFunction) -> Float {
        guard pulseUs.isFinite, pulseUs > 0 else { return 0 }
        if function == .throttle { return Float(min(max((pulseUs - 1000) / 1000, 0), 1)) }
        return Float(min(max((pulseUs - 1500) / 500, -1), 1))
    }

    /// The pulse a control value stands for on a channel with `function` (the inverse of `control`); a
    /// non-finite value is neutral (motor off).
    public static func pulseUs(control: Float, function: OutputFunction) -> Double {
        let c = Double(control)
        if function == .throttle { return c.isFinite ? 1000 + 1000 * min(max(c, 0), 1) : 1000 }
        return c.isFinite ? 1500 + 500 * min(max(c, -1), 1) : 1500
    }
}
