import MAVLink
import Mission

/// The telemetry thread's screen in front of the terminal gate: it checks TERMINAL_APPROVAL signatures off the
/// real-time thread and forwards at a bounded rate, so a flood on an unsigned link neither costs the real-time thread
/// an Ed25519 check per message nor queues ahead of a wave-off (each forwarded approval also costs this thread a
/// wait for the gate's verdict).
///
/// The gate stays the check of record and the only one that can accept: every forwarded approval is verified again
/// by `TerminalGate.authenticate`, which decides. The screen can only drop, and drops only what the gate would
/// refuse anyway or what exceeds its budget:
/// - an approval identical to one forwarded recently (a ground station's resends, or a replay): dropped at once;
/// - no signature, a key not in the ring, or a point out of range: forwarded within a small budget of their own, so
///   the gate still reports why (TERMINAL_STATUS.last_rejection) while a flood of them costs nothing more;
/// - a key of the ring: an Ed25519 check here within a token bucket, one bucket for approvals and one for wave-offs
///   (a flood of approvals never spends the wave-offs' budget); forwarded only if it verifies. A signature that
///   fails is reported by STATUSTEXT instead of by the gate.
/// The number of Ed25519 checks per second is thus bounded on both threads by the buckets' rates.
struct ApprovalScreen {
    enum Verdict: Equatable {
        case forward
        case drop(Reason)
    }

    enum Reason: Equatable {
        case badSignature, duplicate, rateLimited

        var text: String {
            switch self {
            case .badSignature: "bad signature"
            case .duplicate: "already handed to the gate"
            case .rateLimited: "too many approvals, rate-limited"
            }
        }
    }

    /// Approvals with a ring key: a burst of 4, then one every 250 ms. Wave-offs: a burst of 8, then one every
    /// 125 ms. Approvals the gate refuses without a signature check: a burst of 4, then one every 250 ms.
    static let approveBucket = TokenBucket(capacity: 4, refillIntervalUs: 250_000)
    static let waveOffBucket = TokenBucket(capacity: 8, refillIntervalUs: 125_000)
    static let uncheckedBucket = TokenBucket(capacity: 4, refillIntervalUs: 250_000)
    static let recentCapacity = 8

    /// Nil: no key ring known here (the stack was built elsewhere); every approval is forwarded within the budget
    /// and the gate checks it.
    let operators: OperatorKeyRing?
    private var approvals = Self.approveBucket
    private var waveOffs = Self.waveOffBucket
    private var unchecked = Self.uncheckedBucket
    private var recent: [LinkApproval] = []
    private var nextRecent = 0
    /// Ed25519 checks done here, and approvals dropped, since start.
    private(set) var signatureChecks = 0
    private(set) var dropped = 0

    init(operators: OperatorKeyRing?) {
        self.operators = operators
        recent.reserveCapacity(Self.recentCapacity)
    }

    mutating func judge(_ approval: LinkApproval, nowUs: UInt64) -> Verdict {
        // Who relayed it is not part of what was signed.
        var signed = approval
        signed.senderSystemID = 0
        let verdict = screen(signed, nowUs: nowUs)
        if case .drop = verdict { dropped += 1 } else { remember(signed) }
        return verdict
    }

    private mutating func screen(_ approval: LinkApproval, nowUs: UInt64) -> Verdict {
        if recent.contains(approval) { return .drop(.duplicate) }
        guard let operators, let mapped = try? Approval(link: approval), !mapped.signature.isZero,
              let key = operators.key(for: mapped.keyID)
        else {
            // The gate refuses these without an Ed25519 check (or checks them itself when no ring is known here).
            return unchecked.take(nowUs: nowUs) ? .forward : .drop(.rateLimited)
        }
        let budget = approval.decision == .waveOff ? waveOffs.take(nowUs: nowUs) : approvals.take(nowUs: nowUs)
        guard budget else { return .drop(.rateLimited) }
        signatureChecks += 1
        return key.hasSigned(mapped) ? .forward : .drop(.badSignature)
    }

    private mutating func remember(_ approval: LinkApproval) {
        if recent.count < Self.recentCapacity {
            recent.append(approval)
        } else {
            recent[nextRecent] = approval
        }
        nextRecent = (nextRecent + 1) % Self.recentCapacity
    }
}
