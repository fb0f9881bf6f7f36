import Mission

/// The flight stack's mode machine, held by reference so that the mission task, operator commands and the output
/// publication all work on it in place. Stored in the stack as an optional, each use had to move it out and back
/// (`take()`, then a write-back): about six copies of its 16 kB (mostly its logs) every mission tick, 2.5 k of the
/// flight tick's 41.8 k instructions on average. The stack already holds its sensor hub and output stage by
/// reference; a copy of a `FlightStack` shares this slot with them.
final class ModeMachineSlot {
    private(set) var machine: FlightModeMachine<VehicleNonceSource>?
    /// Kept beside the optional so that asking costs no copy of it.
    private(set) var isInstalled = false

    init() {}

    /// Swaps the machine with `other`: a new mission's machine in, the old one out to be released by the caller.
    func swap(with other: inout FlightModeMachine<VehicleNonceSource>?) {
        Swift.swap(&machine, &other)
        isInstalled = machine != nil
    }

    /// Runs `body` on the machine in place; nil when there is none.
    @inline(__always)
    func withMachine<R>(_ body: (inout FlightModeMachine<VehicleNonceSource>) -> R) -> R? {
        guard isInstalled else { return nil }
        return body(&machine!)
    }
}
