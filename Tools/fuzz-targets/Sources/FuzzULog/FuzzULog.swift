// libFuzzer entry point: the input is a ULog file as `kestrel log` and `kestrel log replay` read it, parsed by
// `ULogReader` in strict and in salvage mode.
//
// Invariants:
//   * strict and salvage agree: a file strict mode accepts, salvage reads identically with no corruption; a file
//     strict mode refuses after the header, salvage reads up to the same error;
//   * every topic holds whole samples, and every column of every sample lies inside the sample;
//   * what the reader keeps is bounded by what it read (no amplification a small hostile log could turn into an
//     out-of-memory kill).
import FlightLog
import FuzzSupport

@_cdecl("fuzz_ulog_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzULog)
}

/// Samples kept per input byte at most: a data message of a few bytes may stand for a sample whose trailing padding
/// was omitted, so some growth is legitimate, but not without bound.
let maximumGrowth = 64

let fuzzULog: FuzzCallback = { data, size in
    let bytes = Array(FuzzInput(data, size).bytes)
    let salvaged: ULogParsedFile
    do throws(ULogReadError) { salvaged = try ULogReader.parse(bytes, mode: .salvage) } catch {
        // Salvage mode only gives up on a file whose header is not ULog's.
        guard case .notULog = error else { violated("salvage refused a file with a ULog header: \(error)") }
        return 0
    }
    check(salvaged, inputBytes: bytes.count)
    do throws(ULogReadError) {
        let strict = try ULogReader.parse(bytes, mode: .strict)
        guard salvaged.corruption == nil else {
            violated("strict read succeeded where salvage found \(salvaged.corruption!)")
        }
        guard strict.topics.map(\.raw) == salvaged.topics.map(\.raw),
              strict.loggedMessages.count == salvaged.loggedMessages.count,
              strict.initialParameters.count == salvaged.initialParameters.count
        else { violated("strict and salvage reads differ") }
    } catch {
        guard salvaged.corruption == error else {
            violated("strict refused with \(error), salvage found \(String(describing: salvaged.corruption))")
        }
    }
    return 0
}

func check(_ file: ULogParsedFile, inputBytes: Int) {
    var kept = 0
    for topic in file.topics {
        kept += topic.raw.count
        guard topic.sampleBytes > 0 || topic.raw.isEmpty else { violated("\(topic.name): data without sample size") }
        guard topic.sampleBytes == 0 || topic.raw.count % topic.sampleBytes == 0 else {
            violated("\(topic.name): \(topic.raw.count) bytes are not whole samples of \(topic.sampleBytes)")
        }
        for column in topic.columns where column.offset < 0 || column.offset + column.type.sizeBytes > topic.sampleBytes {
            violated("\(topic.name).\(column.name) at \(column.offset) lies outside its \(topic.sampleBytes)-byte sample")
        }
        if topic.sampleCount > 0 {
            for index in topic.columns.indices where topic.value(sample: topic.sampleCount - 1, column: index) == nil {
                violated("\(topic.name): column \(index) of the last sample unreadable")
            }
        }
    }
    guard kept <= maximumGrowth * inputBytes else {
        violated("\(inputBytes) input bytes kept as \(kept) bytes of samples")
    }
}
