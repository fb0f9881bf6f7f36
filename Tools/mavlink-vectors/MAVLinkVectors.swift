// mavlink-vectors: emits and consumes hex MAVLink frames of the generated test patterns, so the pymavlink interop
// tests (Tests/Interop/test_mavlink_codec.py) can check this codec against pymavlink in both directions.
//
//   mavlink-vectors catalog
//       "id name crc_extra min_length max_length" for every generated message
//   mavlink-vectors encode [--v1] [--sysid N] [--compid N] [--seq N] [--key HEX64 --link N --timestamp T]
//       one "NAME HEX" line per test pattern (MAVLink 2, or MAVLink 1 for ids <= 255); signed when --key is given,
//       the first frame with signature timestamp T (10 µs units since 2015), then T+1, …
//   mavlink-vectors decode [--key HEX64 --time-us T]
//       reads hex (last token of each stdin line) as one byte stream; prints "NAME AUTH match|mismatch" per frame
//       and a final "counters …" line. AUTH is unsigned, unchecked or verified:LINK.
import MAVLink

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

struct UsageError: Error, CustomStringConvertible {
    let description: String
}

@main
enum MAVLinkVectors {
    static func main() {
        do {
            try run(Array(CommandLine.arguments.dropFirst()))
        } catch {
            let message = "mavlink-vectors: \(error)\n"
            _ = message.withCString { write(2, $0, strlen($0)) }
            exit(2)
        }
    }

    static func run(_ arguments: [String]) throws {
        guard let command = arguments.first else { throw UsageError(description: "usage: catalog|encode|decode …") }
        var options: [String: String] = [:]
        var flags: Set<String> = []
        var index = 1
        while index < arguments.count {
            let name = arguments[index]
            if name == "--v1" {
                flags.insert(name)
                index += 1
            } else if index + 1 < arguments.count, name.hasPrefix("--") {
                options[name] = arguments[index + 1]
                index += 2
            } else {
                throw UsageError(description: "unexpected argument \(name)")
            }
        }
        func number(_ name: String, _ fallback: UInt64) throws -> UInt64 {
            guard let text = options[name] else { return fallback }
            guard let value = UInt64(text) else { throw UsageError(description: "\(name) \(text) is not a number") }
            return value
        }
        func key() throws -> SigningKey? {
            guard let text = options["--key"] else { return nil }
            do {
                return try SigningKeyFile.parse(Array(text.utf8), path: "--key")
            } catch {
                throw UsageError(description: "\(error)")
            }
        }

        switch command {
        case "catalog":
            for type in MessageCatalog.messageTypes {
                print("\(type.messageID) \(type.messageName) \(type.crcExtra) \(type.minPayloadLength) \(type.maxPayloadLength)")
            }
        case "encode":
            var encoder = FrameEncoder(
                systemID: UInt8(truncatingIfNeeded: try number("--sysid", 1)),
                componentID: UInt8(truncatingIfNeeded: try number("--compid", 1)))
            encoder.sequence = UInt8(truncatingIfNeeded: try number("--seq", 0))
            if let key = try key() {
                let first = try number("--timestamp", 1)
                encoder.signing = OutgoingSigning(
                    key: key, linkID: UInt8(truncatingIfNeeded: try number("--link", 0)),
                    lastTimestamp: first &- 1)
            }
            let v1 = flags.contains("--v1")
            for pattern in MessageCatalog.testPatterns {
                if let line = try encodeLine(pattern, encoder: &encoder, v1: v1) { print(line) }
            }
        case "decode":
            let verifier = try key().map { SignatureVerifier(key: $0) }
            let parser = FrameParser(verifier: verifier)
            let now = try number("--time-us", 0)
            while let line = readLine() {
                guard let token = line.split(separator: " ").last, let bytes = hexBytes(token) else { continue }
                parser.parse(bytes, unixTimeUs: now) { frame in
                    print(describe(frame))
                }
            }
            let c = parser.counters
            print(
                "counters accepted=\(c.framesAccepted) discarded=\(c.bytesDiscarded) badCRC=\(c.badCRC) "
                    + "unknown=\(c.unknownMessage) signatureFailures=\(c.signatureFailures) "
                    + "bad=\(c.signatureBad) replayed=\(c.signatureReplayed) tooOld=\(c.signatureTooOld)")
        default:
            throw UsageError(description: "unknown command \(command)")
        }
    }

    static func encodeLine<M: MAVLinkMessage>(_ message: M, encoder: inout FrameEncoder, v1: Bool) throws -> String? {
        if v1, M.messageID > 255 { return nil }
        var buffer = [UInt8](repeating: 0, count: FrameLayout.maxFrameLength)
        let length = try buffer.withUnsafeMutableBytes { raw throws(EncodeError) in
            v1 ? try encoder.encodeV1(message, into: raw) : try encoder.encode(message, into: raw)
        }
        return "\(M.messageName) " + hex(buffer[0..<length])
    }

    static func describe(_ frame: ReceivedFrame) -> String {
        var name = "UNKNOWN"
        var verdict = "nopattern"
        for pattern in MessageCatalog.testPatterns {
            if let result = compare(pattern, frame) {
                name = result.name
                verdict = result.matches ? "match" : "mismatch"
                break
            }
        }
        let auth: String
        switch frame.authentication {
        case .unsigned: auth = "unsigned"
        case .signedNotChecked: auth = "unchecked"
        case let .verified(linkID): auth = "verified:\(linkID)"
        }
        return "\(name) \(auth) \(verdict)"
    }

    static func compare<M: MAVLinkMessage>(_ pattern: M, _ frame: ReceivedFrame) -> (name: String, matches: Bool)? {
        guard let decoded = frame.decode(M.self) else { return nil }
        return ("\(M.messageName)", decoded == pattern)
    }

    static func hex(_ bytes: ArraySlice<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hexBytes(_ text: Substring) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var index = 0
        while index < utf8.count {
            guard let byte = UInt8(String(decoding: utf8[index..<(index + 2)], as: UTF8.self), radix: 16) else {
                return nil
            }
            bytes.append(byte)
            index += 2
        }
        return bytes
    }
}
