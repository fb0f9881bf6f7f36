/// Where a ground link talks, in MAVProxy's endpoint notation:
///
///     udpin:0.0.0.0:14550         bind and listen; answer every ground station heard on the socket
///     udpout:127.0.0.1:14550      send to one fixed peer (and listen on an ephemeral port for its answers)
///     serial:/dev/ttyUSB0:57600   a serial port (opened by the autopilot, which owns the device layer)
///
/// Hosts are IPv4 literals or `localhost`; names are not resolved, so start-up never waits on DNS.
public enum LinkEndpoint: Equatable, Sendable, CustomStringConvertible {
    case udpIn(host: IPv4Address, port: UInt16)
    case udpOut(host: IPv4Address, port: UInt16)
    case serial(path: String, baudRate: Int)

    /// Baud rates a serial endpoint may name (what Linux termios offers for telemetry radios and USB adapters).
    public static let serialBaudRates: [Int] = [
        1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 500000, 921600, 1_000_000, 1_500_000,
        2_000_000, 3_000_000,
    ]

    /// Parses one endpoint string; errors name the string and what is wrong with it.
    public init(parsing text: String) throws(LinkEndpointError) {
        guard let colon = text.firstIndex(of: ":") else { throw .missingScheme(endpoint: text) }
        let scheme = String(text[..<colon])
        let rest = String(text[text.index(after: colon)...])
        switch scheme {
        case "udpin", "udpout":
            guard let portColon = rest.lastIndex(of: ":") else { throw .missingPort(endpoint: text) }
            let hostText = String(rest[..<portColon])
            let portText = String(rest[rest.index(after: portColon)...])
            guard let host = IPv4Address(parsing: hostText) else { throw .badHost(endpoint: text, host: hostText) }
            guard let port = UInt16(portText), port != 0 else { throw .badPort(endpoint: text, port: portText) }
            if scheme == "udpout", host == .any { throw .badHost(endpoint: text, host: hostText) }
            self = scheme == "udpin" ? .udpIn(host: host, port: port) : .udpOut(host: host, port: port)
        case "serial":
            guard let baudColon = rest.lastIndex(of: ":") else { throw .missingBaudRate(endpoint: text) }
            let path = String(rest[..<baudColon])
            let baudText = String(rest[rest.index(after: baudColon)...])
            guard path.hasPrefix("/") else { throw .badSerialPath(endpoint: text, path: path) }
            guard let baud = Int(baudText), Self.serialBaudRates.contains(baud) else {
                throw .badBaudRate(endpoint: text, baudRate: baudText)
            }
            self = .serial(path: path, baudRate: baud)
        default:
            throw .unknownScheme(endpoint: text, scheme: scheme)
        }
    }

    /// Parses a comma-separated list (`udpin:0.0.0.0:14550,udpout:10.0.0.2:14550`).
    public static func parseList(_ text: String) throws(LinkEndpointError) -> [LinkEndpoint] {
        var endpoints: [LinkEndpoint] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = part.trimmingSpaces
            guard !trimmed.isEmpty else { throw .emptyEntry(list: text) }
            endpoints.append(try LinkEndpoint(parsing: trimmed))
        }
        return endpoints
    }

    public var description: String {
        switch self {
        case let .udpIn(host, port): "udpin:\(host):\(port)"
        case let .udpOut(host, port): "udpout:\(host):\(port)"
        case let .serial(path, baud): "serial:\(path):\(baud)"
        }
    }
}

/// Why an endpoint string was refused.
public enum LinkEndpointError: Error, Equatable, Sendable, CustomStringConvertible {
    case missingScheme(endpoint: String)
    case unknownScheme(endpoint: String, scheme: String)
    case missingPort(endpoint: String)
    case badHost(endpoint: String, host: String)
    case badPort(endpoint: String, port: String)
    case missingBaudRate(endpoint: String)
    case badSerialPath(endpoint: String, path: String)
    case badBaudRate(endpoint: String, baudRate: String)
    case emptyEntry(list: String)

    public var description: String {
        switch self {
        case let .missingScheme(e): "link endpoint '\(e)': expected udpin:HOST:PORT, udpout:HOST:PORT or serial:PATH:BAUD"
        case let .unknownScheme(e, s): "link endpoint '\(e)': unknown kind '\(s)' (udpin, udpout or serial)"
        case let .missingPort(e): "link endpoint '\(e)': no port (expected HOST:PORT)"
        case let .badHost(e, h):
            "link endpoint '\(e)': host '\(h)' is not an IPv4 address or localhost (udpout needs a real peer)"
        case let .badPort(e, p): "link endpoint '\(e)': port '\(p)' is not a number in 1...65535"
        case let .missingBaudRate(e): "link endpoint '\(e)': no baud rate (expected serial:PATH:BAUD)"
        case let .badSerialPath(e, p): "link endpoint '\(e)': serial path '\(p)' is not absolute"
        case let .badBaudRate(e, b):
            "link endpoint '\(e)': baud rate '\(b)' is not one of \(LinkEndpoint.serialBaudRates.map(String.init).joined(separator: ", "))"
        case let .emptyEntry(l): "link endpoint list '\(l)': empty entry"
        }
    }
}

extension Substring {
    var trimmingSpaces: String {
        var s = self
        while let first = s.first, first == " " || first == "\t" { s.removeFirst() }
        while let last = s.last, last == " " || last == "\t" { s.removeLast() }
        return String(s)
    }
}
