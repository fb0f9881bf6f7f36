/// The order in which a sysfs PWM channel is set up, as a plan of attribute writes.
///
/// The kernel applies every write to `period`, `duty_cycle` or `enable` as a whole new state and refuses
/// (EINVAL) a state whose period is 0 or whose duty cycle exceeds its period, whatever `enable` says
/// (`pwm_apply_state`). A channel the Raspberry Pi's driver has just exported has period 0, so its period must be
/// written first; a channel left with a long period and duty must have its duty lowered before a shorter period is
/// accepted. The plan starts from what the channel holds now and never passes through a refused state.
enum SysfsPWMSetup {
    enum Attribute: Equatable, Sendable { case period, dutyCycle, enable }

    struct Write: Equatable, Sendable {
        var attribute: Attribute
        var value: UInt64
    }

    /// The writes that take a channel at (`currentPeriodNs`, `currentDutyNs`) to `periodNs` with `safeDutyNs`,
    /// output disabled. `safeDutyNs` must not exceed `periodNs`.
    static func plan(currentPeriodNs: UInt64, currentDutyNs: UInt64, periodNs: UInt64, safeDutyNs: UInt64)
        -> [Write] {
        var writes: [Write] = []
        if currentPeriodNs == 0 || currentDutyNs > periodNs {
            // Fresh channel: nothing else is accepted before a period. Otherwise a duty above the new period must
            // come down first, which the current period allows (0 ≤ any period).
            if currentPeriodNs != 0 { writes.append(Write(attribute: .dutyCycle, value: 0)) }
            writes.append(Write(attribute: .period, value: periodNs))
        } else {
            writes.append(Write(attribute: .period, value: periodNs))
        }
        writes.append(Write(attribute: .enable, value: 0))
        writes.append(Write(attribute: .dutyCycle, value: safeDutyNs))
        return writes
    }
}
