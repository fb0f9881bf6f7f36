import Mission
import Vehicle

/// New airframe settings from a parameter set on the ground, checked on the telemetry side and handed to the
/// real-time side by reference through `RuntimeChannels.settingsChanges`; the real-time side retunes the flight
/// stack (refused while armed), fills in the verdict, answers through `replies` with the same sequence and hands
/// the box back through `returnedSettings`.
///
/// Only a host whose real-time side runs in lockstep on the telemetry side's thread (`kestrel sim`) sends these:
/// retuning replaces the stack's settings, whose old arrays are released where the swap happens. `kestrel fly`
/// keeps the parameters read-only in flight (`FlightVehicleLink.parameterSaver` is nil there).
final class SettingsHandoff: @unchecked Sendable {
    let sequence: UInt32
    let settings: AirframeSettings
    /// Out: why the stack refused them, or nil; and whether some only apply at the next start.
    var refusal: CommandRefusal?
    var restartNeeded = false

    init(sequence: UInt32, settings: AirframeSettings) {
        self.sequence = sequence
        self.settings = settings
    }
}
