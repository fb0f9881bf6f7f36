/// A digital output line (an output-enable pin, a relay, a status LED). Levels are logical: active-low is applied by
/// the implementation, so `setActive(true)` asserts the function whatever the wiring.
///
/// `setActive` is one kernel call with no allocation, so the real-time loop may call it; `release` returns the line
/// to the kernel (its level afterwards is whatever the chip's default is, so drive it inactive first if that matters).
public protocol DigitalOutput: AnyObject {
    /// Drives the line to its logical level (`true` = active).
    func setActive(_ active: Bool) throws(DeviceError)
    /// Gives the line back. Idempotent; later `setActive` calls throw.
    func release()
}
