import Mission

/// A scripted operator for SITL scenarios: requests the terminal phase, approves or waves off, and misbehaves on
/// purpose (forged, replayed, stale, wrong-designation and late approvals) so the gate can be seen to refuse.
/// Signatures are real Ed25519 signatures by test keys (`OperatorSigningKey.testKey(named:)`); the vehicle's gate
/// verifies them exactly as it would in flight.
///
/// Scenario file section:
///
///     [operator]
///     authorised = ["alice", "bob"]          # the vehicle's key ring for this run (test keys)
///     [[operator.actions]]
///     at_s = 240                             # trigger: absolute simulated time …
///     action = "request_terminal"
///     [[operator.actions]]
///     after_request_s = 5                    # … or seconds after the latest approval request was issued …
///     action = "approve"                     # approve | wave_off | forged | replay | stale | wrong_designation
///     by = "alice"
///     [[operator.actions]]
///     below_height_m = 80                    # … or, in the terminal phase, once below this height above home
///     action = "wave_off"
///     by = "bob"
///     [[operator.link_loss]]                 # the ground link is silent in this window
///     from_s = 300
///     to_s = 400
public struct OperatorScriptFile: Decodable, Sendable, Equatable {
    public var authorised: [String]
    public var actions: [Action]
    public var linkLoss: [Window]

    public struct Window: Decodable, Sendable, Equatable {
        public var fromS: Double
        public var toS: Double
        enum CodingKeys: String, CodingKey { case fromS = "from_s", toS = "to_s" }
    }

    public enum Kind: String, Decodable, Sendable, Equatable {
        case requestTerminal = "request_terminal"
        case approve
        case waveOff = "wave_off"
        case forged
        case replay
        case stale
        case wrongDesignation = "wrong_designation"
        case holdHere = "hold"
        case returnToLaunch = "rtl"
    }

    public struct Action: Decodable, Sendable, Equatable {
        public var kind: Kind
        public var by: String
        public var atS: Double?
        public var afterRequestS: Double?
        public var belowHeightM: Double?

        enum CodingKeys: String, CodingKey {
            case kind = "action", by, atS = "at_s", afterRequestS = "after_request_s", belowHeightM = "below_height_m"
        }

        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            kind = try c.decode(Kind.self, forKey: .kind)
            by = try c.decodeIfPresent(String.self, forKey: .by) ?? "alice"
            atS = try c.decodeIfPresent(Double.self, forKey: .atS)
            afterRequestS = try c.decodeIfPresent(Double.self, forKey: .afterRequestS)
            belowHeightM = try c.decodeIfPresent(Double.self, forKey: .belowHeightM)
            let triggers = [atS, afterRequestS, belowHeightM].compactMap { $0 }
            guard triggers.count == 1, triggers[0].isFinite, triggers[0] >= 0 else {
                throw DecodingError.dataCorrupted(.init(
                    codingPath: c.codingPath,
                    debugDescription: "give exactly one trigger: at_s, after_request_s or below_height_m (≥ 0)"))
            }
        }
    }

    enum CodingKeys: String, CodingKey { case authorised, actions, linkLoss = "link_loss" }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        authorised = try c.decodeIfPresent([String].self, forKey: .authorised) ?? ["alice", "bob"]
        actions = try c.decodeIfPresent([Action].self, forKey: .actions) ?? []
        linkLoss = try c.decodeIfPresent([Window].self, forKey: .linkLoss) ?? []
        guard !authorised.isEmpty else {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath + [CodingKeys.authorised],
                                                   debugDescription: "at least one authorised operator"))
        }
    }

    public init(authorised: [String] = ["alice", "bob"], actions: [Action] = [], linkLoss: [Window] = []) {
        self.authorised = authorised; self.actions = actions; self.linkLoss = linkLoss
    }
}

/// Runs an `OperatorScriptFile` against the vehicle, one poll per mission tick.
public struct ScriptedOperator {
    public let file: OperatorScriptFile
    public let keyRing: OperatorKeyRing
    private var fired: [Bool]
    private var requests: [ApprovalRequest] = []
    /// When each request was first seen, on the poll clock: request times are the gate's (UTC), delays are ours.
    private var requestSeenUs: [UInt64] = []
    private var lastAccepted: Approval?
    public private(set) var lastContactUs: UInt64 = 0

    public init(file: OperatorScriptFile) throws(OperatorKeyRingError) {
        self.file = file
        keyRing = try OperatorKeyRing(keys: file.authorised.map { OperatorSigningKey.testKey(named: $0).authorisedKey })
        fired = Array(repeating: false, count: file.actions.count)
    }

    /// Whether the ground link is up at `nowUs` (heartbeats are heard).
    public func linkUp(nowUs: UInt64) -> Bool {
        let t = Double(nowUs) * 1e-6
        return !file.linkLoss.contains { t >= $0.fromS && t < $0.toS }
    }

    /// Observes the vehicle and returns the commands the operator sends now, in script order. Approvals are only
    /// delivered while the link is up, like heartbeats.
    public mutating func poll(nowUs: UInt64, mode: FlightMode, heightM: Double,
                              pendingRequest: ApprovalRequest?) -> [OperatorCommand] {
        let up = linkUp(nowUs: nowUs)
        if up { lastContactUs = nowUs }
        if let r = pendingRequest, requests.last != r {
            requests.append(r)
            requestSeenUs.append(nowUs)
        }
        guard up else { return [] }
        let t = Double(nowUs) * 1e-6
        var out: [OperatorCommand] = []
        for (i, action) in file.actions.enumerated() where !fired[i] {
            let due: Bool
            if let at = action.atS {
                due = t >= at
            } else if let after = action.afterRequestS {
                due = requestSeenUs.last.map { t >= Double($0) * 1e-6 + after } ?? false
            } else if let below = action.belowHeightM {
                due = mode == .terminal && heightM < below
            } else {
                due = false
            }
            guard due else { continue }
            fired[i] = true
            if let command = command(for: action) { out.append(command) }
        }
        return out
    }

    private mutating func command(for action: OperatorScriptFile.Action) -> OperatorCommand? {
        let key = OperatorSigningKey.testKey(named: action.by)
        switch action.kind {
        case .requestTerminal: return .requestTerminal
        case .holdHere: return .holdHere
        case .returnToLaunch: return .returnToLaunch
        case .approve, .waveOff:
            guard let r = requests.last,
                  let a = try? key.sign(r, decision: action.kind == .approve ? .approve : .waveOff) else { return nil }
            if action.kind == .approve { lastAccepted = a }
            return .approval(a)
        case .forged:
            guard let r = requests.last,
                  let a = try? OperatorSigningKey.testKey(named: "mallory-not-authorised").sign(r, decision: .approve)
            else { return nil }
            return .approval(a)
        case .replay:
            return lastAccepted.map { .approval($0) }
        case .stale:
            // Answers the request before the latest one: the nonce no longer matches.
            guard requests.count >= 2, let a = try? key.sign(requests[requests.count - 2], decision: .approve)
            else { return nil }
            return .approval(a)
        case .wrongDesignation:
            guard var r = requests.last,
                  let moved = try? DesignatedPoint(latitudeE7: r.point.latitudeE7 &+ 1000, longitudeE7: r.point.longitudeE7,
                                                   altitudeMm: r.point.altitudeMm) else { return nil }
            r.point = moved
            return (try? key.sign(r, decision: .approve)).map { .approval($0) }
        }
    }
}
