/// Where microservices put the messages they send. `GroundLink` encodes them into frames for its transports; tests
/// record them. Generic, so a concrete outbox is called without boxing or allocation.
public protocol MessageOutbox {
    mutating func send<M: MAVLinkMessage>(_ message: M, route: LinkRoute)
}

/// Which links a message goes out on.
public enum LinkRoute: Equatable, Sendable {
    /// Every link (telemetry, broadcasts such as PARAM_VALUE after a set).
    case all
    /// The link (index into `GroundLink`'s transports) a request came in on.
    case link(Int)
}

/// The sender of a request: who to address the answer to and where to send it.
public struct GCSPeer: Equatable, Sendable {
    public var systemID: UInt8
    public var componentID: UInt8
    public var link: Int

    public init(systemID: UInt8, componentID: UInt8, link: Int) {
        self.systemID = systemID
        self.componentID = componentID
        self.link = link
    }
}

/// This vehicle's MAVLink address; requests are accepted when addressed to it or broadcast (target 0).
public struct LinkIdentity: Equatable, Sendable {
    public var systemID: UInt8
    public var componentID: UInt8

    public init(systemID: UInt8, componentID: UInt8) {
        self.systemID = systemID
        self.componentID = componentID
    }

    public func accepts(targetSystem: UInt8, targetComponent: UInt8) -> Bool {
        (targetSystem == 0 || targetSystem == systemID) && (targetComponent == 0 || targetComponent == componentID)
    }
}
