import FlightMath
import MAVLink
import Mission
import Vehicle

/// Operator requests as the flight stack takes them, on the real-time side of the vehicle host (the same code in
/// `kestrel fly` and `kestrel sim`).
enum OperatorRequestHandling {
    /// Installs a mission built on the telemetry thread (see `MissionHandoff`); the mission it replaces goes back
    /// in the box, to be released there.
    static func handle(_ change: MissionHandoff, stack: inout FlightStack) -> OperatorReply {
        let refusal = stack.installMission(&change.mission)
        return OperatorReply(sequence: change.sequence, result: refusal == nil ? .accepted : .denied,
                             note: refusal.map { .refused($0) })
    }

    /// Retunes the stack with settings set from the ground (SITL only, see `SettingsHandoff`).
    static func handle(_ change: SettingsHandoff, stack: inout FlightStack) -> OperatorReply {
        let outcome = stack.retune(change.settings)
        change.refusal = outcome.refusal
        change.restartNeeded = outcome.restartNeeded
        return OperatorReply(sequence: change.sequence, result: outcome.refusal == nil ? .accepted : .denied,
                             note: outcome.refusal.map { .refused($0) })
    }

    static func handle(_ request: OperatorRequest, stack: inout FlightStack, nowUs: UInt64) -> OperatorReply {
        switch request.kind {
        case .command(let command):
            var heightNote = false
            switch LinkCommandMapping.operatorCommand(command, stack: stack, heightNote: &heightNote) {
            case .refused(let result, let reason):
                return OperatorReply(sequence: request.sequence, result: result, note: .link(reason))
            case .command(let operatorCommand):
                guard let refusal = stack.handle(operatorCommand, nowUs: nowUs) else {
                    return OperatorReply(sequence: request.sequence, result: .accepted,
                                         note: heightNote ? .keepingCurrentHeight : nil)
                }
                return OperatorReply(sequence: request.sequence,
                                     result: refusal.isTemporary ? .temporarilyRejected : .denied,
                                     note: .refused(refusal))
            }
        case .setCurrentMissionItem(let index):
            return OperatorReply(sequence: request.sequence,
                                 result: stack.setCurrentMissionItem(index) ? .accepted : .denied)
        case .approval(let approval):
            guard let mapped = try? Approval(link: approval) else {
                return OperatorReply(sequence: request.sequence, result: .denied, note: .approvalPointOutOfRange)
            }
            guard let refusal = stack.handle(.approval(mapped), nowUs: nowUs) else {
                return OperatorReply(sequence: request.sequence, result: .accepted)
            }
            return OperatorReply(sequence: request.sequence, result: .denied, note: .approvalRefused(refusal))
        }
    }
}
