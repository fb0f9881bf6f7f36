import FlightMath
import MAVLink
import Mission

/// Operator requests as the flight stack takes them, on the real-time thread. The mapping is the one
/// `SITLVehicleLink` uses, so SITL and flight accept and refuse the same commands.
enum OperatorRequestHandling {
    /// Applies a mission change from the ground (see `MissionHandoff`).
    static func handle(_ change: MissionHandoff, stack: inout FlightStack) -> OperatorReply {
        let refusal = change.file.map { stack.replaceMission($0, source: "uploaded mission") } ?? stack.clearMission()
        return OperatorReply(sequence: change.sequence, result: refusal == nil ? .accepted : .denied, refusal: refusal)
    }

    static func handle(_ request: OperatorRequest, stack: inout FlightStack, nowUs: UInt64) -> OperatorReply {
        switch request.kind {
        case .command(let command):
            var heightNote = false
            switch LinkCommandMapping.operatorCommand(command, stack: stack, heightNote: &heightNote) {
            case .refused(let result, let reason):
                return OperatorReply(sequence: request.sequence, result: result, refusal: "\(reason)")
            case .command(let operatorCommand):
                guard let refusal = stack.handle(operatorCommand, nowUs: nowUs) else {
                    return OperatorReply(sequence: request.sequence, result: .accepted,
                                         refusal: heightNote ? "reposition: keeping the current height" : nil)
                }
                return OperatorReply(sequence: request.sequence, result: .denied, refusal: refusal)
            }
        case .setCurrentMissionItem(let index):
            return OperatorReply(sequence: request.sequence,
                                 result: stack.setCurrentMissionItem(index) ? .accepted : .denied)
        case .approval(let approval):
            guard let mapped = try? Approval(link: approval) else {
                return OperatorReply(sequence: request.sequence, result: .denied,
                                     refusal: "approval: designated point out of range")
            }
            guard let refusal = stack.handle(.approval(mapped), nowUs: nowUs) else {
                return OperatorReply(sequence: request.sequence, result: .accepted)
            }
            return OperatorReply(sequence: request.sequence, result: .denied, refusal: "approval: " + refusal)
        }
    }
}
