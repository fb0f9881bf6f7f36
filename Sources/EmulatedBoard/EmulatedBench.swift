/// What an emulated board senses when no lockstep plant drives it: `kestrel fly --emulated` and
/// `check-board --emulated` hand one to `EmulatedHardware`, which asks it to feed the emulators before every sensor
/// read. `StationaryTruth` is a vehicle at rest; a bench with a plant model (module SITL) flies.
public protocol EmulatedBench {
    /// Feeds every emulator whose next sample is due at `nowUs` (the flight loop's time, on its thread). Must not
    /// block; called at the sensor task's rate.
    mutating func feedDue(_ board: EmulatedHardware, nowUs: UInt64)
    /// The output gate armed or disarmed (see `BoardHardware.outputsArmedChanged`).
    mutating func outputsArmedChanged(_ armed: Bool, board: EmulatedHardware)
}

extension EmulatedBench {
    public mutating func outputsArmedChanged(_ armed: Bool, board: EmulatedHardware) {}
}
