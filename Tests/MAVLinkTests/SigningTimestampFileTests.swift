#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation
import Testing
@testable import MAVLink

/// Finding 9b of issue 16: the last signing timestamp survives a restart of a board without a real-time clock.
@Suite struct SigningTimestampFileTests {
    func folder() throws -> String {
        let path = "/tmp/kestrel-ts-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o755])
        return path
    }

    @Test func savedTimestampLoadsBackAndAFreshVehicleHasNone() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/mavlink-signing-timestamp"
        #expect(try SigningTimestampFile.load(path: path) == nil)
        try SigningTimestampFile.save(123_456_789_012, path: path)
        #expect(try SigningTimestampFile.load(path: path) == 123_456_789_012)
        try SigningTimestampFile.save(123_456_789_013, path: path)
        #expect(try SigningTimestampFile.load(path: path) == 123_456_789_013)
        #expect(!FileManager.default.fileExists(atPath: path + ".new"))
        // Up to one save interval of timestamps may have been used after the last save: start two intervals on.
        #expect(SigningTimestampFile.startingFloor(afterStored: 1_000) == 1_000 + 6_000_000)
        #expect(SigningTimestampFile.startingFloor(afterStored: SignatureTimestamp.max) == SignatureTimestamp.max)
    }

    @Test func aMalformedFileIsATypedError() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/ts"
        for text in ["", "12x", "-4", "\(SignatureTimestamp.max + 1)"] {
            try text.write(toFile: path, atomically: false, encoding: .utf8)
            chmod(path, 0o644)
            #expect(throws: SigningTimestampFileError.malformed(path: path)) { try SigningTimestampFile.load(path: path) }
        }
    }
}
