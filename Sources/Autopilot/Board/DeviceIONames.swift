import DeviceIO

// Autopilot has its own `MonotonicClock` (the real-time loop's CLOCK_MONOTONIC helper), which shadows the
// DeviceIO protocol of the same name inside this module; these aliases name the DeviceIO types unambiguously.
public typealias DeviceClock = DeviceIO.MonotonicClock
public typealias DeviceIOInputConfig = DeviceIO.DigitalInputConfig
