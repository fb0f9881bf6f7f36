/// A second way to put an output bank at its safe pulses, for the supervisor thread: it owns its own handles (its
/// own file descriptors on the same kernel devices), so it never shares an object with the real-time thread that
/// drives the bank. The kernel serialises the two at the device.
public protocol SafePulseWriter: AnyObject {
    /// Commands every output of the bank to its safe pulse width.
    func writeSafePulses() throws(DeviceError)
}
