// mavlink-test-vehicle: runs Kestrel's GroundLink over UDP with an in-memory vehicle (no flight), for the
// pymavlink/MAVSDK interop tests (Tests/Interop/test_mavlink_link.py).
//
//   mavlink-test-vehicle ENDPOINT[,ENDPOINT…] [--sysid N] [--key HEX64] [--duration S] [--approval-request]
//
// Prints "ready" when the sockets are open, and on exit one "counters name=value …" line.
import MAVLink

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

enum StopFlag {
    nonisolated(unsafe) static var requested: sig_atomic_t = 0
}

struct UsageError: Error, CustomStringConvertible {
    let description: String
}

func monotonicUs() -> UInt64 {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return UInt64(t.tv_sec) * 1_000_000 + UInt64(t.tv_nsec) / 1000
}

func unixUs() -> UInt64 {
    var t = timespec()
    clock_gettime(CLOCK_REALTIME, &t)
    return UInt64(t.tv_sec) * 1_000_000 + UInt64(t.tv_nsec) / 1000
}

func parseKey(_ text: String) throws -> SigningKey {
    let bytes = Array(text.utf8)
    do {
        return try SigningKeyFile.parse(bytes, path: "--key")
    } catch {
        throw UsageError(description: "\(error)")
    }
}

func run() throws {
    var arguments = Array(CommandLine.arguments.dropFirst())
    guard let endpointText = arguments.first, !endpointText.hasPrefix("--") else {
        throw UsageError(description: "usage: mavlink-test-vehicle ENDPOINT[,ENDPOINT…] [--sysid N] [--key HEX64] "
            + "[--duration S] [--approval-request]")
    }
    arguments.removeFirst()
    var configuration = GroundLinkConfiguration()
    configuration.vehicleUID = 4242
    var durationS: Double = .infinity
    var approvalRequest = false
    while let option = arguments.first {
        arguments.removeFirst()
        switch option {
        case "--approval-request": approvalRequest = true
        case "--sysid", "--key", "--duration":
            guard let value = arguments.first else { throw UsageError(description: "\(option) needs a value") }
            arguments.removeFirst()
            if option == "--sysid" {
                guard let id = UInt8(value), id > 0 else { throw UsageError(description: "bad --sysid \(value)") }
                configuration.identity.systemID = id
            } else if option == "--key" {
                configuration.signingKey = try parseKey(value)
            } else {
                guard let seconds = Double(value), seconds > 0 else {
                    throw UsageError(description: "bad --duration \(value)")
                }
                durationS = seconds
            }
        default: throw UsageError(description: "unknown option \(option)")
        }
    }
    let endpoints = try LinkEndpoint.parseList(endpointText)
    var transports: [any LinkTransport] = []
    for endpoint in endpoints { transports.append(try UDPTransport(endpoint: endpoint)) }
    let vehicle = InMemoryVehicle()
    let link = GroundLink(configuration: configuration, transports: transports, model: vehicle)

    signal(SIGTERM) { _ in StopFlag.requested = 1 }
    signal(SIGINT) { _ in StopFlag.requested = 1 }
    print("ready")
    fflush(nil)
    let start = monotonicUs()
    if approvalRequest { vehicle.openApprovalRequest(nowUs: start, lifetimeUs: 120_000_000) }
    while StopFlag.requested == 0 {
        let now = monotonicUs()
        if Double(now - start) / 1e6 >= durationS { break }
        link.poll(nowUs: now, unixTimeUs: unixUs())
        usleep(2000)
    }
    let c = link.counters
    print(
        "counters frames=\(c.framesReceived) unsigned_rejected=\(c.unsignedRejected) "
            + "commands_accepted=\(c.commandsAccepted) commands_refused=\(c.commandsRefused) "
            + "uploads_accepted=\(link.mission.counters.uploadsAccepted) item_retries=\(link.mission.counters.itemRetries) "
            + "approvals=\(vehicle.approvalsReceived.count) mission_items=\(vehicle.mission.count) "
            + "gate_state=\(vehicle.gate.state.rawValue) mode=\(vehicle.mode.rawValue) armed=\(vehicle.armed ? 1 : 0)")
    fflush(nil)
}

do {
    try run()
} catch {
    let message = "mavlink-test-vehicle: \(error)\n"
    _ = message.withCString { write(2, $0, strlen($0)) }
    exit(2)
}
