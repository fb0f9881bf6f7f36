import ConfigFiles
import Testing

/// Reports the `userInfo` marker its own decoder sees, and its child's (nested table, array element).
private struct Probe: Decodable {
    static let key = CodingUserInfoKey(rawValue: "kestrel.test.marker")!
    let seen: String?
    let child: Leaf
    let items: [Leaf]

    struct Leaf: Decodable {
        let seen: String?
        init(from decoder: any Decoder) throws {
            _ = try decoder.container(keyedBy: CodingKeys.self).decodeIfPresent(Double.self, forKey: .x)
            seen = decoder.userInfo[Probe.key] as? String
        }
        enum CodingKeys: String, CodingKey { case x }
    }

    enum CodingKeys: String, CodingKey { case child, items }

    init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        seen = decoder.userInfo[Probe.key] as? String
        child = try c.decode(Leaf.self, forKey: .child)
        items = try c.decode([Leaf].self, forKey: .items)
    }
}

@Suite struct UserInfoTests {
    static let text = "[child]\nx = 1\n[[items]]\nx = 2\n"

    @Test func everyDecoderOfTheTreeReportsTheCallersUserInfo() throws {
        let p = try ConfigFile.decode(Probe.self, fromTOML: Self.text, source: "t", userInfo: [Probe.key: "m"])
        #expect(p.seen == "m" && p.child.seen == "m" && p.items.map(\.seen) == ["m"])
    }

    @Test func withoutUserInfoThereIsNone() throws {
        let p = try ConfigFile.decode(Probe.self, fromTOML: Self.text, source: "t")
        #expect(p.seen == nil && p.child.seen == nil)
    }
}
