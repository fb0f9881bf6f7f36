/// The vehicle side of the MAVLink parameter protocol, through the model's parameter table.
///
/// Every parameter goes on the wire as MAV_PARAM_TYPE_REAL32 holding its value (an integer parameter 5 is sent as
/// 5.0). Ground stations disagree on how typed integers travel in the float field (ArduPilot-style C cast versus
/// PX4-style bytewise; MAVSDK 4.1 assumes bytewise for every autopilot but ArduPilot), but every one of them reads a
/// REAL32 parameter the same way. The model's declared type is still enforced: a PARAM_SET of 2.5 for an INT32
/// parameter is refused. Integer parameters are exact up to 2²⁴.
///
/// PARAM_REQUEST_LIST is answered over the following polls at `valuesPerSecond`, so a long table does not
/// overrun a radio; PARAM_REQUEST_READ and PARAM_SET are answered at once. After a set, PARAM_VALUE goes to every
/// link (other ground stations see the change).
public struct ParameterService {
    public struct Counters: Equatable, Sendable {
        public var listsSent = 0
        public var valuesSent = 0
        public var setsAccepted = 0
        public var setsRefused = 0
        /// Reads and sets naming a parameter the vehicle does not have.
        public var unknownParameters = 0
        public init() {}
    }

    public let identity: LinkIdentity
    public var valuesPerSecond: Int
    public private(set) var counters = Counters()

    private var listNext = 0
    private var listRoute: LinkRoute?
    private var lastListSendUs: UInt64 = 0
    private var sendCredit = 0

    public init(identity: LinkIdentity, valuesPerSecond: Int = 200) {
        self.identity = identity
        self.valuesPerSecond = max(valuesPerSecond, 1)
    }

    public var isListing: Bool { listRoute != nil }

    public mutating func handle(_ message: ParamRequestList, from peer: GCSPeer, nowUs: UInt64) {
        guard identity.accepts(targetSystem: message.targetSystem, targetComponent: message.targetComponent) else {
            return
        }
        // A second request restarts the list (the GCS lost track); one list at a time, on the latest link.
        listNext = 0
        listRoute = .link(peer.link)
        lastListSendUs = nowUs
        sendCredit = 1
        counters.listsSent += 1
    }

    public mutating func handle(
        _ message: ParamRequestRead, from peer: GCSPeer, model: any VehicleLinkModel, outbox: inout some MessageOutbox
    ) {
        guard identity.accepts(targetSystem: message.targetSystem, targetComponent: message.targetComponent) else {
            return
        }
        let index: Int?
        if message.paramIndex >= 0 {
            index = Int(message.paramIndex) < model.parameterCount ? Int(message.paramIndex) : nil
        } else {
            index = model.parameterIndex(of: ParameterID(bytes: message.paramId))
        }
        guard let index else {
            counters.unknownParameters += 1
            return
        }
        sendValue(index: index, model: model, route: .link(peer.link), outbox: &outbox)
    }

    public mutating func handle(
        _ message: ParamSet, from peer: GCSPeer, model: any VehicleLinkModel, outbox: inout some MessageOutbox
    ) {
        guard identity.accepts(targetSystem: message.targetSystem, targetComponent: message.targetComponent) else {
            return
        }
        let id = ParameterID(bytes: message.paramId)
        guard let index = model.parameterIndex(of: id), let current = model.parameter(at: index) else {
            counters.unknownParameters += 1
            outbox.send(statusText(.warning, "no parameter \(id)"), route: .link(peer.link))
            return
        }
        let refusal: String?
        switch Self.decode(wireValue: message.paramValue, as: current.type) {
        case let .success(value):
            switch model.setParameter(at: index, to: value) {
            case .accepted: refusal = nil
            case let .refused(reason): refusal = reason
            }
        case let .failure(problem):
            refusal = problem.description
        }
        if let refusal {
            counters.setsRefused += 1
            outbox.send(statusText(.warning, "\(id): \(refusal)"), route: .link(peer.link))
            // The unchanged value goes back to the requester only, which tells it the set did not take.
            sendValue(index: index, model: model, route: .link(peer.link), outbox: &outbox)
        } else {
            counters.setsAccepted += 1
            sendValue(index: index, model: model, route: .all, outbox: &outbox)
        }
    }

    /// Sends the next values of a running list, within the rate budget.
    public mutating func tick(nowUs: UInt64, model: any VehicleLinkModel, outbox: inout some MessageOutbox) {
        guard let route = listRoute else { return }
        if nowUs > lastListSendUs {
            let elapsed = nowUs - lastListSendUs
            let earned = Int(min(elapsed, 10_000_000) * UInt64(valuesPerSecond) / 1_000_000)
            if earned > 0 {
                sendCredit = min(sendCredit + earned, max(valuesPerSecond / 10, 1))
                lastListSendUs = nowUs
            }
        }
        while sendCredit > 0, listNext < model.parameterCount {
            sendValue(index: listNext, model: model, route: route, outbox: &outbox)
            listNext += 1
            sendCredit -= 1
        }
        if listNext >= model.parameterCount { listRoute = nil }
    }

    private mutating func sendValue(
        index: Int, model: any VehicleLinkModel, route: LinkRoute, outbox: inout some MessageOutbox
    ) {
        guard let parameter = model.parameter(at: index) else { return }
        counters.valuesSent += 1
        outbox.send(
            ParamValue(
                paramId: parameter.id.bytes, paramValue: Float(parameter.value), paramType: .real32,
                paramCount: UInt16(clamping: model.parameterCount), paramIndex: UInt16(clamping: index)),
            route: route)
    }

    /// The value a PARAM_SET float means for a parameter of `type`, or why it cannot be one.
    public static func decode(wireValue: Float, as type: MAVParamType) -> Result<Double, ParameterValueProblem> {
        guard wireValue.isFinite else { return .failure(ParameterValueProblem(description: "value is not finite")) }
        let value = Double(wireValue)
        let range: ClosedRange<Double>
        switch type {
        case .real32, .real64: return .success(value)
        case .uint8: range = 0...255
        case .int8: range = -128...127
        case .uint16: range = 0...65535
        case .int16: range = -32768...32767
        case .uint32: range = 0...4_294_967_295
        case .int32: range = -2_147_483_648...2_147_483_647
        default:
            return .failure(ParameterValueProblem(description: "parameter type \(type.rawValue) is not settable"))
        }
        guard value.rounded() == value else {
            return .failure(ParameterValueProblem(description: "\(value) is not an integer"))
        }
        guard range.contains(value) else {
            return .failure(ParameterValueProblem(description: "\(value) does not fit the parameter's type"))
        }
        return .success(value)
    }
}

public struct ParameterValueProblem: Error, Equatable, Sendable, CustomStringConvertible {
    public var description: String
}
