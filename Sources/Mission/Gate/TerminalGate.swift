/// The human-approval gate of the terminal phase: a pure state machine. Events go in with the time, a decision comes
/// out, and every event except an uneventful tick is written to `log`. No I/O, no clock, no allocation per event
/// (Ed25519 verification aside).
///
/// The vehicle enters the terminal phase only from `pending`, only on an approval that
/// - carries a non-zero signature by a key of the authorised-operator key ring, valid over the signed message,
/// - names this vehicle, the nonce, designated point and expiry of the pending request, and decision approve,
/// - arrives before the request's expiry, while no failure is active, with a nonce not accepted before.
///
/// Wave-offs need a valid signature by any authorised key on the current request's nonce; they are honoured
/// whenever the vehicle is above the abort floor and are not subject to the request's expiry — aborting is the safe
/// direction. Below the floor the approach is committed and continues (`continueTerminal`), as it does for failures.
/// With no valid altitude the gate treats the vehicle as above the floor.
///
/// Nothing disables the gate: there is no configuration flag for it.
public struct TerminalGate<Entropy: NonceSource> {
    public let configuration: TerminalGateConfiguration
    public let operators: OperatorKeyRing
    public private(set) var state: GateState = .idle
    public private(set) var activeFailures = GateFailureSet()
    public private(set) var log = GateEventLog()
    /// The most recent request issued, kept after it ends so a late approval is reported as `expired`.
    public private(set) var lastRequest: ApprovalRequest?
    /// Last height above ground from `tick`; NaN until known.
    public private(set) var altitudeAGLM = Double.nan
    /// Why the most recent request, approval or wave-off was refused; nil until one is. Kept until the next
    /// refusal, so a ground station that missed the moment still reads the reason (TERMINAL_STATUS.last_rejection).
    public private(set) var lastRejection: GateRejection?
    /// Refusals since start (wrapping): tells a ground station that a new refusal happened even when its reason
    /// repeats the previous one.
    public private(set) var rejectionCount: UInt32 = 0
    /// Latest time seen; the gate's clock never runs backwards even if the injected one does.
    public private(set) var nowUs: UInt64 = 0
    private var vehicleTimeUs: UInt64 = 0
    /// Latest vehicle (monotonic) time seen, kept from running backwards like `nowUs`.
    private var vehicleClockUs: UInt64 = 0
    /// Vehicle time at which `lastRequest` was issued. A request also expires `requestLifetimeUs` after it on the
    /// vehicle's own clock: UTC from GPS can be stepped back or spoofed, and a gate clock held by `max` would then
    /// stand still and keep a request approvable long past its lifetime.
    private var lastRequestIssuedVehicleUs: UInt64 = 0
    private var entropy: Entropy
    private var usedNonces = UsedNonceMemory()
    private var requestCount: UInt32 = 0

    public init(configuration: TerminalGateConfiguration, operators: OperatorKeyRing, entropy: Entropy) {
        self.configuration = configuration
        self.operators = operators
        self.entropy = entropy
    }

    /// Whether a wave-off or failure still ends the approach now.
    public var isAboveAbortFloor: Bool { !(altitudeAGLM <= configuration.abortFloorAGLM) }

    /// Time base of `nowUs` and the vehicle clock alike: for tests and tools where the two are one clock.
    public mutating func handle(_ event: GateEvent, nowUs eventTimeUs: UInt64) -> GateDecision {
        handle(event, gateTimeUs: eventTimeUs, vehicleTimeUs: eventTimeUs)
    }

    /// - Parameters:
    ///   - gateTimeUs: the time base requests expire in and operators share (UTC from GPS on a vehicle); nil
    ///     while the vehicle has none, when no request can be issued (`noTimeBase`) and the last known time is
    ///     kept. The gate's clock never runs backwards, so a clock stepped back cannot extend a request's life.
    ///   - vehicleTimeUs: the vehicle's monotonic clock: recorded, and a second clock for request expiry (a request
    ///     expires when either clock says its lifetime is over), so a UTC that stands still or steps back cannot
    ///     keep a request alive.
    public mutating func handle(_ event: GateEvent, gateTimeUs: UInt64?, vehicleTimeUs: UInt64) -> GateDecision {
        if let gateTimeUs { nowUs = max(nowUs, gateTimeUs) }
        self.vehicleTimeUs = vehicleTimeUs
        vehicleClockUs = max(vehicleClockUs, vehicleTimeUs)
        let before = state
        var keyID = OperatorKeyID.none
        var failure: GateFailure?
        let decision: GateDecision
        switch event {
        case .requestTerminal(let designation, let loitering):
            decision = gateTimeUs == nil
                ? .reject(.noTimeBase) : requestTerminal(designation: designation, loitering: loitering)
        case .approvalReceived(let approval):
            keyID = approval.keyID
            decision = approval.decision == .approve ? approve(approval) : waveOff(approval)
        case .tick(let altitude):
            altitudeAGLM = altitude.isFinite ? altitude : .nan
            decision = expireIfDue()
            if decision == .none { return .none }  // uneventful ticks are not logged
        case .failure(let f):
            failure = f
            activeFailures.insert(f)
            decision = failureRaised(f)
        case .failureCleared(let f):
            failure = f
            activeFailures.remove(f)
            decision = .none
        case .designationChanged(let point):
            decision = designationChanged(to: point)
        case .loiterLost:
            if case .pending = state {
                state = .idle
                decision = .cancelRequest(.loiterLost, then: nil)
            } else {
                decision = .none
            }
        case .loiterEstablished:
            if case .wavingOff = state { state = .idle }
            decision = .none
        case .terminalFinished:
            if case .terminal = state { state = .idle }
            decision = .none
        case .leftByModeChange:
            decision = followModeChange()
        }
        if case .reject(let rejection) = decision {
            lastRejection = rejection
            rejectionCount &+= 1
        }
        record(event.kind, decision, before: before, keyID: keyID, failure: failure)
        return decision
    }

    // MARK: - Requests

    private mutating func requestTerminal(designation: DesignatedPoint, loitering: Bool) -> GateDecision {
        switch state {
        case .terminal: return .reject(.terminalInProgress)
        case .wavingOff: return .reject(.climbingBack)
        case .idle, .pending: break
        }
        guard loitering else { return .reject(.notLoiteringOverDesignation) }
        guard activeFailures.isEmpty else { return .reject(.failureActive) }
        guard let nonce = entropy.nextNonce(), nonce != .zero, !usedNonces.contains(nonce),
            nonce != lastRequest?.nonce
        else { return .reject(.noEntropy) }
        requestCount &+= 1
        let (expiry, overflow) = nowUs.addingReportingOverflow(configuration.requestLifetimeUs)
        let request = ApprovalRequest(
            nonce: nonce, vehicleID: configuration.vehicleID, point: designation, issuedUs: nowUs,
            expiresUs: overflow ? UInt64.max : expiry, sequence: requestCount)
        // A new request supersedes a pending one: its nonce no longer matches, so its approval is stale.
        state = .pending(request)
        lastRequest = request
        lastRequestIssuedVehicleUs = vehicleClockUs
        return .emitRequest(request)
    }

    /// Whether `request` (the last one issued) has expired: by its UTC expiry, or by its lifetime on the vehicle's
    /// monotonic clock since issue.
    private func hasExpired(_ request: ApprovalRequest) -> Bool {
        if nowUs >= request.expiresUs { return true }
        guard request.nonce == lastRequest?.nonce else { return false }
        return vehicleClockUs - lastRequestIssuedVehicleUs >= configuration.requestLifetimeUs
    }

    private mutating func expireIfDue() -> GateDecision {
        guard case .pending(let request) = state, hasExpired(request) else { return .none }
        state = .idle
        return .cancelRequest(.requestExpired, then: nil)
    }

    // MARK: - Approvals and wave-offs

    /// Authenticity first, so that unauthenticated input learns nothing about the gate's state.
    private func authenticate(_ approval: Approval) -> GateRejection? {
        if approval.signature.isZero { return .unsigned }
        guard let key = operators.key(for: approval.keyID) else { return .unknownKey }
        guard key.hasSigned(approval) else { return .badSignature }
        guard approval.vehicleID == configuration.vehicleID else { return .otherVehicle }
        return nil
    }

    private mutating func approve(_ approval: Approval) -> GateDecision {
        if let rejection = authenticate(approval) { return .reject(rejection) }
        if usedNonces.contains(approval.nonce) { return .reject(.replayed) }
        guard case .pending(let request) = state else {
            if let last = lastRequest, last.nonce == approval.nonce, hasExpired(last) {
                return .reject(.expired)
            }
            return .reject(.notPending)
        }
        guard approval.nonce == request.nonce else { return .reject(.otherNonce) }
        guard approval.point == request.point else { return .reject(.otherDesignation) }
        guard approval.expiresUs == request.expiresUs else { return .reject(.otherExpiry) }
        guard !hasExpired(request) else {
            state = .idle
            return .reject(.expired)
        }
        // Pending is dropped whenever a failure is raised, so this only guards against future edits.
        guard activeFailures.isEmpty else { return .reject(.failureActive) }
        usedNonces.insert(request.nonce)
        state = .terminal(request, approvedBy: approval.keyID)
        return .enterTerminal(request)
    }

    private mutating func waveOff(_ approval: Approval) -> GateDecision {
        if let rejection = authenticate(approval) { return .reject(rejection) }
        let active: ApprovalRequest
        switch state {
        case .pending(let r), .terminal(let r, _): active = r
        case .idle, .wavingOff:
            return .reject(usedNonces.contains(approval.nonce) ? .replayed : .notPending)
        }
        guard approval.nonce == active.nonce else {
            return .reject(usedNonces.contains(approval.nonce) ? .replayed : .otherNonce)
        }
        // Below the floor the approach is committed: the operator is told the wave-off was refused, rather than
        // waiting for an outcome that will not come.
        if case .terminal = state, !isAboveAbortFloor { return .reject(.belowAbortFloor) }
        return leave(because: .waveOff, then: .loiter)
    }

    // MARK: - Failures and changes

    /// The vehicle already flies another mode: a pending request is void, and the terminal phase or the climb back
    /// is over. Nothing here leads towards the terminal phase, so the mode machine cannot use it to get round the
    /// gate; below the abort floor it never sends it (it refuses to leave a committed approach).
    private mutating func followModeChange() -> GateDecision {
        switch state {
        case .idle:
            return .none
        case .pending:
            state = .idle
            return .cancelRequest(.modeChanged, then: nil)
        case .terminal, .wavingOff:
            // The mode machine already flies the new mode, so there is nothing for it to do; the log record
            // (event, state before and after) says what happened.
            state = .idle
            return .none
        }
    }

    private mutating func failureRaised(_ failure: GateFailure) -> GateDecision {
        leave(because: .failure(failure), then: configuration.action(for: failure))
    }

    private mutating func designationChanged(to point: DesignatedPoint) -> GateDecision {
        guard let request = state.request, request.point != point else { return .none }
        if case .wavingOff = state { return .none }
        return leave(because: .designationChanged, then: .loiter)
    }

    /// Drops a pending request, or leaves the terminal phase above the floor (climbing back to the loiter or
    /// returning to launch), or notes below the floor that the approach continues.
    private mutating func leave(because reason: GateExitReason, then action: FailsafeAction) -> GateDecision {
        switch state {
        case .idle, .wavingOff:
            return .none
        case .pending:
            state = .idle
            if case .failure = reason { return .cancelRequest(reason, then: action) }
            return .cancelRequest(reason, then: nil)
        case .terminal(let request, _):
            guard isAboveAbortFloor else { return .continueTerminal(reason) }
            state = action == .loiter ? .wavingOff(request) : .idle
            return .leaveTerminal(reason, then: action)
        }
    }

    // MARK: - Log

    private mutating func record(
        _ event: GateEventKind, _ decision: GateDecision, before: GateState, keyID: OperatorKeyID,
        failure: GateFailure?
    ) {
        var r = GateLogRecord.empty
        r.timeUs = nowUs
        r.vehicleTimeUs = vehicleTimeUs
        r.event = event
        r.keyID = keyID
        r.failure = failure
        r.stateBefore = before.kind
        r.stateAfter = state.kind
        r.requestSequence = state.request?.sequence ?? before.request?.sequence ?? 0
        switch decision {
        case .none: r.outcome = .none
        case .emitRequest: r.outcome = .requestEmitted
        case .enterTerminal: r.outcome = .terminalEntered
        case .leaveTerminal(let reason, let action):
            r.outcome = .terminalLeft
            r.exitReason = reason
            r.failsafe = action
        case .cancelRequest(let reason, let action):
            r.outcome = .requestCancelled
            r.exitReason = reason
            r.failsafe = action
        case .continueTerminal(let reason):
            r.outcome = .terminalContinued
            r.exitReason = reason
        case .reject(let rejection):
            r.outcome = .rejected
            r.rejection = rejection
        }
        log.append(r)
    }
}

extension TerminalGate: Sendable where Entropy: Sendable {}
