import ArgumentParser
import Foundation
import Mission

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `kestrel approve`: the operator's side of the terminal approval gate.
///
/// Clock: `OperatorTool.sign` judges expiry in "the request's time base". The only time base a vehicle and a ground
/// computer can share is UTC, so requests carry UTC µs since the Unix epoch and this tool compares them with
/// CLOCK_REALTIME. The vehicle must therefore feed its `TerminalGate` UTC µs (GPS-derived), not its boot clock; a
/// request stamped with a boot clock looks decades expired here and is refused, never wrongly accepted. Key generation, the authorised-key list,
/// signing a request file and checking request/approval files. The file formats and the signed bytes are documented
/// in Sources/Mission/Approval (RequestFile.swift, SignedApprovalMessage.swift).
///
/// `kestrel approve link` (ApproveLinkCommand.swift) does the same over MAVLink: it receives the request from the
/// vehicle and sends the signed approval back, judging expiry by the gate clock the vehicle reports.
struct ApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Operator side of the terminal approval gate: keys, signing and checking approvals.",
        discussion: """
            Times in request and approval files are UTC microseconds since the Unix epoch. The vehicle's gate \
            clock must be UTC too (from GPS with the leap-second offset applied, as NMEA and UBX report it), so an \
            expiry means the same instant on the vehicle and here. This tool reads the computer's UTC clock; keep \
            it synchronised (NTP or GPS).
            """,
        subcommands: [Keygen.self, List.self, Sign.self, Show.self, OverLink.self])

    struct Keygen: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an operator key pair: DIR/NAME (private, mode 0600) and DIR/NAME.pub (public line).",
            discussion: "Never overwrites: if either file exists nothing is written.")

        @Option(help: "Path of the new private key, e.g. keys/alice. The public key line goes to <path>.pub.")
        var out: String

        @Option(help: "Operator name in the key files (1-32 letters, digits, '.', '_', '-'; default: file name of --out).")
        var name: String?

        func run() throws {
            let publicPath = out + ".pub"
            let operatorName = name ?? (out as NSString).lastPathComponent
            // Checked up front so that a leftover .pub does not leave a fresh private key behind with no public half;
            // the creation itself still refuses to replace a file that appears in between.
            for path in [out, publicPath] where FileStatus.exists(path) {
                throw UserFacingError("\(path): already exists; refusing to overwrite")
            }
            let generated: OperatorTool.GeneratedKey
            do {
                generated = try OperatorTool.generateKeyPair(
                    name: operatorName, privateKeyPath: out, publicKeyPath: publicPath)
            } catch {
                if case .invalidName = error, name == nil {
                    throw UserFacingError("\(error) (taken from the file name of --out; choose one with --name)")
                }
                throw UserFacingError(error)
            }
            print("private key: \(out) (mode 0600; keep it secret)")
            print("public key:  \(publicPath)")
            print("operator:    \(generated.name)")
            print("key id:      \(generated.keyID)")
            print("Add this line to the vehicle's authorised operator key file:")
            print(generated.authorisedKeyLine)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the operators of an authorised operator key file, with their key ids.")

        @Option(help: "Authorised operator key file (lines '<name> ed25519 <public key>').")
        var keys: String

        func run() throws {
            let ring: OperatorKeyRing
            do { ring = try AuthorisedKeyFile.load(path: keys) } catch { throw UserFacingError(error) }
            let width = max(8, ring.keys.map(\.name.count).max() ?? 0)
            print("operator".padding(toLength: width, withPad: " ", startingAt: 0) + "  key id")
            for k in ring.keys {
                print(k.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  \(k.keyID)")
            }
        }
    }

    enum DecisionArgument: String, ExpressibleByArgument, CaseIterable {
        case approve
        case waveOff = "wave-off"

        var decision: ApprovalDecision { self == .approve ? .approve : .waveOff }
    }

    struct Sign: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign an approval or wave-off for a request file.",
            discussion: """
                An approval is refused for a request that has expired by this computer's UTC clock; a wave-off is \
                always signed, because the vehicle honours wave-offs after the request's expiry. Without --out the \
                approval file is written to standard output.
                """)

        @Option(help: "Request file from the vehicle (format kestrel-terminal-request-v1).")
        var request: String

        @Option(help: "Operator private key file (mode 0600).")
        var key: String

        @Option(help: "approve or wave-off.")
        var decision: DecisionArgument

        @Option(help: "Refuse unless the request comes from this vehicle id.")
        var vehicle: UInt64?

        @Option(help: "Refuse unless the signing key is in this authorised operator key file (the vehicle's copy).")
        var keys: String?

        @Option(help: "Write the approval file here (never overwrites) instead of to standard output.")
        var out: String?

        func run() throws {
            let nowUs = try UTCClock.nowUs()
            let approval: Approval
            do {
                approval = try OperatorTool.sign(
                    requestPath: request, privateKeyPath: key, decision: decision.decision, nowUs: nowUs,
                    expectedVehicle: vehicle.map { VehicleID($0) })
            } catch {
                throw UserFacingError(error)
            }
            var operatorName = "key \(approval.keyID)"
            if let keys {
                let ring: OperatorKeyRing
                do { ring = try AuthorisedKeyFile.load(path: keys) } catch { throw UserFacingError(error) }
                guard let authorised = ring.key(for: approval.keyID), authorised.hasSigned(approval) else {
                    throw UserFacingError(
                        "\(key): key id \(approval.keyID) is not in authorised key file \(keys); the vehicle would reject it")
                }
                operatorName = "operator '\(authorised.name)' (key \(approval.keyID))"
            }
            if approval.expiresUs > nowUs,
                approval.expiresUs - nowUs > TerminalGateConfiguration.maximumRequestLifetimeUs
            {
                warn(
                    "request expires in \(Show.seconds(approval.expiresUs - nowUs)) s, longer than any gate allows "
                        + "(\(TerminalGateConfiguration.maximumRequestLifetimeUs / 1_000_000) s): this computer's "
                        + "clock may be behind the vehicle's")
            }
            let summary =
                "signed \(approval.decision) for vehicle \(approval.vehicleID), nonce \(approval.nonce), with "
                + "\(operatorName); request \(Show.expiry(approval.expiresUs, nowUs: nowUs))"
            if let out {
                do { try OperatorTool.writeApproval(approval, to: out) } catch { throw UserFacingError(error) }
                print("\(summary) -> \(out)")
            } else {
                print(ApprovalFile.text(for: approval), terminator: "")
                warn(summary)
            }
        }

        private func warn(_ line: String) {
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a request or approval file in readable form; with --keys, verify the approval.",
            discussion: """
                With both --request and --approval, also checks that the approval answers that request. \
                Exit status 1 if a file is unreadable or malformed, the approval's key is not authorised, its \
                signature does not verify, or it answers another request.
                """)

        @Option(help: "Request file (format kestrel-terminal-request-v1).")
        var request: String?

        @Option(help: "Approval file (format kestrel-terminal-approval-v1).")
        var approval: String?

        @Option(help: "Authorised operator key file to verify the approval's signature against.")
        var keys: String?

        func validate() throws {
            guard request != nil || approval != nil else { throw ValidationError("give --request FILE or --approval FILE") }
            guard keys == nil || approval != nil else { throw ValidationError("--keys verifies an approval: add --approval FILE") }
        }

        func run() throws {
            let nowUs = try UTCClock.nowUs()
            var loadedRequest: ApprovalRequest?
            if let request {
                let r: ApprovalRequest
                do { r = try RequestFile.load(path: request) } catch { throw UserFacingError(error) }
                loadedRequest = r
                print(Self.describe(r, path: request, nowUs: nowUs))
            }
            guard let approval else { return }
            let a: Approval
            do { a = try ApprovalFile.load(path: approval) } catch {
                throw UserFacingError(error)
            }
            // The key ring is read before anything is printed about the approval, so a bad key file is the only line.
            var ring: OperatorKeyRing?
            if let keys {
                do { ring = try AuthorisedKeyFile.load(path: keys) } catch { throw UserFacingError(error) }
            }
            if loadedRequest != nil { print("") }
            print(Self.describe(a, path: approval, nowUs: nowUs))
            if let r = loadedRequest, let mismatch = Self.mismatch(a, answering: r) {
                throw UserFacingError("\(approval): answers another request: \(mismatch) differs from \(request ?? "")")
            }
            guard let ring, let keys else { return }
            guard !a.signature.isZero else { throw UserFacingError("\(approval): unsigned (all-zero signature)") }
            guard let authorised = ring.key(for: a.keyID) else {
                throw UserFacingError(
                    "\(approval): key id \(a.keyID) is not in authorised key file \(keys); the vehicle would reject it")
            }
            guard authorised.hasSigned(a) else {
                throw UserFacingError(
                    "\(approval): signature does not verify with operator '\(authorised.name)' (key \(a.keyID)); "
                        + "the file was altered or signed over other fields")
            }
            print("  verified:   valid signature by authorised operator '\(authorised.name)' (\(keys))")
        }

        static func describe(_ r: ApprovalRequest, path: String, nowUs: UInt64) -> String {
            """
            request \(path)
              vehicle:    \(r.vehicleID)
              sequence:   \(r.sequence)
              nonce:      \(r.nonce)
              designated: \(point(r.point))
              issued:     \(UTCClock.text(r.issuedUs)) (issued_us \(r.issuedUs))
              expires:    \(UTCClock.text(r.expiresUs)) (expires_us \(r.expiresUs)), \(expiry(r.expiresUs, nowUs: nowUs))
              lifetime:   \(seconds(r.expiresUs - r.issuedUs)) s
            """
        }

        static func describe(_ a: Approval, path: String, nowUs: UInt64) -> String {
            var expires = "\(UTCClock.text(a.expiresUs)) (expires_us \(a.expiresUs)), \(expiry(a.expiresUs, nowUs: nowUs))"
            if nowUs >= a.expiresUs { expires += a.decision == .approve ? "; the vehicle refuses it" : "; a wave-off still counts" }
            return """
                approval \(path)
                  decision:   \(a.decision)
                  vehicle:    \(a.vehicleID)
                  nonce:      \(a.nonce)
                  designated: \(point(a.point))
                  expires:    \(expires)
                  key id:     \(a.keyID)
                  signature:  \(a.signature)
                  signed bytes (\(SignedApprovalMessage.byteCount)): \(hex(SignedApprovalMessage.bytes(of: a)))
                """
        }

        /// Which signed field of `a` differs from the request it claims to answer, or nil.
        static func mismatch(_ a: Approval, answering r: ApprovalRequest) -> String? {
            if a.vehicleID != r.vehicleID { return "vehicle_id" }
            if a.nonce != r.nonce { return "nonce" }
            if a.point != r.point { return "designated point" }
            if a.expiresUs != r.expiresUs { return "expires_us" }
            return nil
        }

        static func point(_ p: DesignatedPoint) -> String {
            let lat = Double(p.latitudeE7) * 1e-7, lon = Double(p.longitudeE7) * 1e-7
            return String(
                format: "%.7f° %@, %.7f° %@, %.3f m above the WGS-84 ellipsoid", abs(lat), lat < 0 ? "S" : "N",
                abs(lon), lon < 0 ? "W" : "E", Double(p.altitudeMm) * 1e-3)
        }

        static func expiry(_ expiresUs: UInt64, nowUs: UInt64) -> String {
            nowUs < expiresUs
                ? "expires in \(seconds(expiresUs - nowUs)) s" : "expired \(seconds(nowUs - expiresUs)) s ago"
        }

        static func seconds(_ us: UInt64) -> String { String(format: "%.1f", Double(us) / 1e6) }

        static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
    }
}

/// The operator's clock: UTC µs since the Unix epoch, the time base of request expiry.
enum UTCClock {
    static func nowUs() throws -> UInt64 {
        var ts = timespec()
        guard clock_gettime(CLOCK_REALTIME, &ts) == 0, ts.tv_sec > 0, ts.tv_nsec >= 0 else {
            throw UserFacingError("cannot read the system's UTC clock")
        }
        return UInt64(ts.tv_sec) * 1_000_000 + UInt64(ts.tv_nsec / 1000)
    }

    /// ISO 8601 UTC with microseconds.
    static func text(_ us: UInt64) -> String {
        let seconds = us / 1_000_000
        guard seconds <= 253_402_300_799 else { return "after the year 9999" }
        var t = time_t(seconds)
        var parts = tm()
        guard gmtime_r(&t, &parts) != nil else { return "\(us) µs" }
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
            Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(us % 1_000_000))
    }
}

enum FileStatus {
    /// Whether anything (file, directory, dangling link) is at `path`.
    static func exists(_ path: String) -> Bool {
        var st = stat()
        return lstat(path, &st) == 0
    }
}
