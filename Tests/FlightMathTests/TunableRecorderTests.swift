import FlightMath
import Foundation
import Testing

private struct Gains: Decodable {
    let kp: Double
    let enabled: Bool
    let inner: Inner

    struct Inner: Decodable {
        let tc: Double
        enum CodingKeys: String, CodingKey { case tc = "tc_s" }
        init(from decoder: any Decoder) throws {
            tc = try decoder.container(keyedBy: CodingKeys.self).tunable(.tc, default: 2, in: 0...10, unit: "s")
        }
    }

    enum CodingKeys: String, CodingKey { case kp, enabled, inner }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kp = try c.tunable(.kp, default: 0.5, in: 0...5)
        enabled = try c.tunable(.enabled, default: true)
        inner = try c.decode(Inner.self, forKey: .inner)
    }
}

@Suite struct TunableRecorderTests {
    static let json = Data(#"{"kp": 1.5, "inner": {}}"#.utf8)

    @Test func recordsThroughTheDecodersUserInfo() throws {
        let (gains, entries) = try TunableRecorder.recording { userInfo in
            let decoder = JSONDecoder()
            decoder.userInfo = userInfo
            return try decoder.decode(Gains.self, from: Self.json)
        }
        #expect(gains.kp == 1.5 && gains.enabled && gains.inner.tc == 2)
        #expect(entries.map(\.path) == [["kp"], ["enabled"], ["inner", "tc_s"]])
        #expect(entries.map(\.value) == [1.5, 1, 2])
        #expect(entries.map(\.kind) == [.real, .flag, .real])
        #expect(entries[2].unit == "s" && entries[2].range == 0...10)
    }

    @Test func decodingWithoutARecorderRecordsNothingAndStillDecodes() throws {
        let (_, entries) = try TunableRecorder.recording { _ in
            try JSONDecoder().decode(Gains.self, from: Self.json)
        }
        #expect(entries.isEmpty)
    }
}
