import DeviceIO

/// The drivers' clock protocol under a name of its own, so modules that also have a CLOCK_MONOTONIC helper called
/// `MonotonicClock` (the `kestrel` command) read unambiguously.
public typealias DeviceClock = DeviceIO.MonotonicClock
