// libFuzzer entry point for the GPS UART: the input's first byte picks the protocol (bit 0: UBX or NMEA), whether
// the harness repairs the checksums of the frames in the stream (bit 1, so mutated fields get past the checksum and
// reach the field decoders) and the receiver latency; the next eight seed the points at which the stream is split, as a UART hands the driver
// whatever arrived since the last poll; the rest is the byte stream.
//
// Invariants:
//   * the fixes do not depend on where the stream is split: byte by byte, in one chunk and in random chunks give the
//     same fixes (the parser keeps its state across reads);
//   * every fix holds a position on the globe, an altitude and a velocity a receiver can report
//     (GPSFixLimits), finite values (accuracies are ≥ 0 and may be infinite, meaning unknown; never NaN), a time
//     stamp of its chunk minus the latency and, if any, a UTC time within the calendar the parsers accept.
import Drivers
import FlightMath
import FuzzSupport

@_cdecl("fuzz_gps_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzGPS)
}

let fuzzGPS: FuzzCallback = { data, size in
    var input = FuzzInput(data, size)
    let mode = input.byte()
    let kind: GPSProtocol = mode & 1 == 0 ? .nmea : .ubx
    let latencyUs = UInt64(mode >> 2) * 1000
    var splitState = input.integer(UInt64.self) | 1
    var bytes = Array(input.rest())
    if mode & 2 != 0 { ChecksumRepair.repair(&bytes) }
    bytes.withUnsafeBytes { check(kind, latencyUs: latencyUs, splitState: &splitState, stream: $0) }
    return 0
}

func check(_ kind: GPSProtocol, latencyUs: UInt64, splitState: inout UInt64, stream: UnsafeRawBufferPointer) {
    let receivedAtUs: UInt64 = 1_000_000_000

    func parser() -> GPSStreamParser {
        GPSStreamParser(protocol: kind, nmea: NMEAParser(config: NMEAParser.Config(latencyUs: latencyUs)),
                        ubx: UBXParser(latencyUs: latencyUs))
    }

    var whole = parser()
    var wholeFixes: [GPSFix] = []
    whole.consume(stream, receivedAtUs: receivedAtUs) { wholeFixes.append($0) }

    var single = parser()
    var singleFixes: [GPSFix] = []
    for byte in stream {
        if let fix = single.consume(byte, receivedAtUs: receivedAtUs) { singleFixes.append(fix) }
    }

    var chunked = parser()
    var chunkedFixes: [GPSFix] = []
    var offset = 0
    while offset < stream.count {
        // xorshift64: chunk lengths 1…64, as a UART FIFO drained at an uneven rate delivers them.
        splitState ^= splitState << 13
        splitState ^= splitState >> 7
        splitState ^= splitState << 17
        let end = min(stream.count, offset + Int(splitState % 64) + 1)
        chunked.consume(UnsafeRawBufferPointer(rebasing: stream[offset..<end]), receivedAtUs: receivedAtUs) {
            chunkedFixes.append($0)
        }
        offset = end
    }

    guard wholeFixes == singleFixes, wholeFixes == chunkedFixes else {
        violated("fixes depend on how the stream is split: \(wholeFixes.count) whole, \(singleFixes.count) "
                 + "byte by byte, \(chunkedFixes.count) chunked")
    }
    for fix in wholeFixes {
        if let problem = GPSFixCheck.problem(fix, expectedTimestampUs: receivedAtUs - latencyUs) {
            violated("\(kind) fix \(problem): \(fix)")
        }
    }
}

/// Rewrites the checksum of every complete NMEA sentence (`$…*HH`) and UBX frame in the stream.
enum ChecksumRepair {
    static func repair(_ b: inout [UInt8]) {
        let hex = Array("0123456789ABCDEF".utf8)
        var i = 0
        while i < b.count {
            if b[i] == UInt8(ascii: "$") {
                var sum: UInt8 = 0
                var j = i + 1
                while j < b.count, b[j] != UInt8(ascii: "*"), b[j] != UInt8(ascii: "$") { sum ^= b[j]; j += 1 }
                if j + 2 < b.count, b[j] == UInt8(ascii: "*") {
                    b[j + 1] = hex[Int(sum >> 4)]
                    b[j + 2] = hex[Int(sum & 0xF)]
                }
                i = j
            } else if b[i] == 0xB5, i + 5 < b.count, b[i + 1] == 0x62 {
                let length = Int(b[i + 4]) | Int(b[i + 5]) << 8
                let end = i + 6 + length
                if end + 1 < b.count {
                    var a: UInt8 = 0, c: UInt8 = 0
                    for k in (i + 2)..<end { a &+= b[k]; c &+= a }
                    b[end] = a
                    b[end + 1] = c
                    i = end + 2
                } else { i += 2 }
            } else {
                i += 1
            }
        }
    }
}

enum GPSFixCheck {
    static func problem(_ fix: GPSFix, expectedTimestampUs: UInt64) -> String? {
        if fix.timestampUs != expectedTimestampUs { return "time stamp \(fix.timestampUs) µs" }
        let p = fix.position
        guard p.latitudeDeg.isFinite, p.longitudeDeg.isFinite, p.altitudeM.isFinite else { return "non-finite position" }
        guard abs(p.latitudeDeg) <= 90, abs(p.longitudeDeg) <= 180 else { return "position off the globe" }
        guard GPSFixLimits.altitudeM.contains(p.altitudeM) else { return "altitude \(p.altitudeM) m" }
        let v = fix.velocityNEDMps
        guard v.x.isFinite, v.y.isFinite, v.z.isFinite else { return "non-finite velocity" }
        guard v.norm <= GPSFixLimits.maximumSpeedMps else { return "speed \(v.norm) m/s" }
        for (name, a) in [("horizontal", fix.horizontalAccuracyM), ("vertical", fix.verticalAccuracyM),
                          ("speed", fix.speedAccuracyMps)] where a.isNaN || a < 0 {
            return "\(name) accuracy \(a)"
        }
        if fix.satellitesUsed < 0 || fix.satellitesUsed > 255 { return "\(fix.satellitesUsed) satellites" }
        if let utc = fix.utcUnixUs {
            // 1970-01-01 … 9999-12-31, the calendar UTCTime accepts.
            guard utc > 0, utc < 253_402_300_800_000_000 else { return "UTC \(utc) µs" }
        }
        return nil
    }
}
