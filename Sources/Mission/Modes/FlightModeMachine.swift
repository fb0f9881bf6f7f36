import FlightMath
import Guidance

/// The vehicle's flight modes as an explicit state machine: operator commands and mission ticks in, the mode and
/// the navigation command out, every transition recorded with its reason. The terminal phase is reachable only
/// through the `TerminalGate` it owns: the machine asks the gate, and acts on the gate's decisions, never around
/// them. Time is injected; nothing here does I/O.
public struct FlightModeMachine<Entropy: NonceSource> {
    public private(set) var mode: FlightMode = .disarmed
    public private(set) var navigation: NavigationCommand = .none
    public private(set) var gate: TerminalGate<Entropy>
    public private(set) var transitions = ModeTransitionLog()
    /// The approval request to send to the operator, while one is pending.
    public private(set) var pendingRequest: ApprovalRequest?
    public private(set) var lastArmingRefusal: ArmingRefusal?

    public let plan: MissionPlan
    public let frame: LocalFrame
    public let geofence: Geofence?
    /// The volume around the designation that only the approved terminal phase may enter; nil without one.
    public let exclusion: ExclusionVolume?
    public let policy: FailsafePolicy
    public let launchHeightM: Double
    /// The heading of the launch climb: the vehicle's yaw on the launcher (see `setLaunchHeading`).
    public private(set) var launchHeadingRad: Double

    private var activeFailures = GateFailureSet()
    /// The gate's clock (UTC) as of the latest inputs; nil until the vehicle has one.
    private var gateTimeUs: UInt64?
    /// The orbit the vehicle returns to after a wave-off: the loiter it requested the terminal phase from.
    private var returnOrbit: LoiterOrbit?
    private var approach: ApproachGeometry?
    private var approachStartNEDM: Vector3?
    private let designationNEDM: Vector3?
    private let designationPoint: DesignatedPoint?
    /// The vehicle is inside the exclusion volume because the terminal phase took it there (it stays allowed until
    /// it leaves, so the climb back after a wave-off, a hold or an RTL out of the approach is no breach).
    private var insideExclusionByApproval = false
    /// This tick's geofence failure is the exclusion volume alone (for the transition's reason).
    private var exclusionIsTheBreach = false
    /// Height above the exclusion volume's top at which a hold that would pass through it is flown instead.
    static var exclusionClearanceM: Double { 10 }

    public init(plan: MissionPlan, geofence: Geofence?, policy: FailsafePolicy, gate: TerminalGate<Entropy>,
                launchHeadingRad: Double) {
        self.plan = plan
        self.frame = LocalFrame(origin: plan.home)
        self.geofence = geofence
        self.policy = policy
        self.gate = gate
        self.launchHeadingRad = launchHeadingRad
        if case .launch(let h)? = plan.items.first { launchHeightM = h } else { launchHeightM = 50 }
        if let d = plan.designation {
            let ned = d.position.ned(in: LocalFrame(origin: plan.home))
            designationNEDM = ned
            designationPoint = try? DesignatedPoint(geodetic: d.position.geodetic(home: plan.home))
            exclusion = policy.terminalExclusion.volume(aroundNED: ned)
        } else {
            designationNEDM = nil
            designationPoint = nil
            exclusion = nil
        }
    }

    /// Takes the launcher heading again, while disarmed (a machine built ahead of time, off the real-time thread,
    /// gets the heading the vehicle has when it is installed).
    public mutating func setLaunchHeading(_ headingRad: Double) {
        guard mode == .disarmed else { return }
        launchHeadingRad = headingRad
    }

    public var isArmed: Bool { mode != .disarmed }
    public var isAirborne: Bool { mode != .disarmed && mode != .standby }

    // MARK: - Operator commands

    /// Applies an operator command. Returns why when the command is not allowed now.
    @discardableResult
    public mutating func handle(_ command: OperatorCommand, inputs: ModeInputs, nowUs: UInt64) -> CommandRefusal? {
        gateTimeUs = inputs.utcTimeUs
        switch command {
        case .arm:
            guard mode == .disarmed else { return .arming(.notDisarmed) }
            if let refusal = ArmingChecks.refusal(inputs: inputs, policy: policy, hasGeofence: geofence != nil,
                                                  hasMission: true) {
                lastArmingRefusal = refusal
                return .arming(refusal)
            }
            lastArmingRefusal = nil
            transition(to: .standby, .armed, nowUs)
            navigation = .none
            return nil
        case .disarm:
            guard !isAirborne else { return .disarmWhileFlying }
            transition(to: .disarmed, .disarmed, nowUs)
            navigation = .none
            return nil
        case .startMission:
            // As PX4 and ArduPilot take a switch to their mission mode: from a hold or a return it resumes the plan;
            // where the vehicle is already bound for it (on the ground, armed on the launcher, in the launch climb,
            // which hands over to the mission) or flying it, it changes nothing and is accepted. Not while the gate
            // owns the flight (approval pending, terminal, wave-off) nor in the failsafe orbit (no position).
            switch mode {
            case .loiter, .returnToLaunch:
                transition(to: .mission, .missionStarted, nowUs)
                return nil
            case .disarmed, .standby, .launch, .mission:
                return nil
            case .approvalPending, .terminal, .waveOff, .failsafe:
                return .missionStart(in: mode)
            }
        case .holdHere:
            guard isAirborne else { return .holdNotFlying }
            guard leaveTerminalAllowed(inputs: inputs, nowUs: nowUs) else {
                return .holdCommitted
            }
            let orbit = LoiterOrbit(centerNEDM: inputs.positionNEDM, radiusM: policy.holdRadiusM)
            navigation = .loiter(itemIndex: -1, orbit: clearOfExclusion(orbit))
            transition(to: .loiter, .operatorHold, nowUs)
            return nil
        case .holdAt(let center, let radius):
            guard isAirborne else { return .repositionNotFlying }
            guard leaveTerminalAllowed(inputs: inputs, nowUs: nowUs) else {
                return .repositionCommitted
            }
            let radiusM = radius ?? policy.holdRadiusM
            let limits = PlanLimits()
            guard center.x.isFinite, center.y.isFinite, center.z.isFinite, radiusM.isFinite,
                  radiusM >= limits.minimumLoiterRadiusM, -center.z >= limits.minimumAltitudeM else {
                return .repositionNotFlyable(minimumRadiusM: Int(limits.minimumLoiterRadiusM),
                                             minimumHeightM: Int(limits.minimumAltitudeM))
            }
            guard radiusM <= policy.maximumHoldRadiusM else {
                return .repositionRadiusTooLarge(maximumRadiusM: Int(policy.maximumHoldRadiusM))
            }
            // The whole orbit, not only its centre: a circle of the radius around a centre that far inside the
            // polygon lies inside it.
            if let fence = geofence {
                if let breach = fence.breach(atNED: center) { return .repositionOutsideFence(breach) }
                let marginM = fence.distanceToBoundary(north: center.x, east: center.y)
                if marginM < radiusM {
                    return .repositionOrbitOutsideFence(radiusM: Int(radiusM.rounded()),
                                                        centreInsideM: Int(marginM.rounded()))
                }
            }
            if let volume = exclusion, volume.orbitEnters(centerNEDM: center, orbitRadiusM: radiusM) {
                return .repositionInsideExclusion(
                    radiusM: Int(volume.radiusM.rounded()),
                    heightAboveDesignationM: Int((volume.topHeightM + volume.designationNEDM.z).rounded()))
            }
            navigation = .loiter(itemIndex: -1, orbit: LoiterOrbit(centerNEDM: center, radiusM: radiusM))
            transition(to: .loiter, .operatorHold, nowUs)
            return nil
        case .returnToLaunch:
            guard isAirborne else { return .returnToLaunchNotFlying }
            guard leaveTerminalAllowed(inputs: inputs, nowUs: nowUs) else {
                return .returnToLaunchCommitted
            }
            enterRTL(.operatorReturnToLaunch, nowUs)
            return nil
        case .requestTerminal:
            return requestTerminal(inputs: inputs, nowUs: nowUs)
        case .approval(let approval):
            let decision = gateHandle(.approvalReceived(approval), nowUs)
            apply(decision, keyID: approval.keyID, inputs: inputs, nowUs: nowUs)
            if case .reject(let why) = decision {
                return approval.decision == .approve ? .approvalRejected(why) : .waveOffRejected(why)
            }
            return nil
        }
    }

    // MARK: - Mission tick

    public mutating func update(inputs: ModeInputs, nowUs: UInt64) {
        gateTimeUs = inputs.utcTimeUs
        if isAirborne { checkFailures(inputs: inputs, nowUs: nowUs) }
        if let d = designationNEDM {
            // Height above the designated point: the abort floor is measured from there.
            let decision = gateHandle(.tick(altitudeAGLM: inputs.heightM - (-d.z)), nowUs)
            apply(decision, keyID: .none, inputs: inputs, nowUs: nowUs)
        }
        switch mode {
        case .disarmed:
            navigation = .none
        case .standby:
            if inputs.launchDetected {
                transition(to: .launch, .launchDetected, nowUs)
                navigation = .launch(headingRad: launchHeadingRad, climbToHeightM: launchHeightM)
            }
        case .launch:
            // The plan sequencer flies the launch item itself; once it has moved past it (or the launch height is
            // reached without a sequencer) the mission proper begins.
            if case .launch = inputs.missionCommand {
                navigation = inputs.missionCommand
            } else if inputs.heightM >= launchHeightM - 2 || inputs.missionCommand != .none {
                transition(to: .mission, .launchHeightReached, nowUs)
                navigation = inputs.missionCommand
            } else {
                navigation = .launch(headingRad: launchHeadingRad, climbToHeightM: launchHeightM)
            }
        case .mission:
            navigation = inputs.missionCommand
            if inputs.missionComplete, case .none = inputs.missionCommand {
                enterRTL(.missionComplete, nowUs)
            }
        case .loiter, .approvalPending, .returnToLaunch, .failsafe:
            break
        case .terminal:
            updateTerminal(inputs: inputs, nowUs: nowUs)
        case .waveOff:
            if case .loiter(_, let orbit) = navigation, inputs.loiterCaptured,
               abs(inputs.heightM - (-orbit.centerNEDM.z)) < 10 {
                apply(gateHandle(.loiterEstablished, nowUs), keyID: .none, inputs: inputs, nowUs: nowUs)
                transition(to: .loiter, .loiterReestablished, nowUs)
            }
        }
    }

    // MARK: - Terminal phase

    /// Whether the vehicle orbits over the designation, captured: where a request for the terminal phase can be made.
    public func isLoiteringOverDesignation(inputs: ModeInputs) -> Bool { loiterOverDesignation(inputs: inputs) != nil }

    /// The loiter the vehicle is in, if it is over the designation (centre within one radius of it) and captured.
    private func loiterOverDesignation(inputs: ModeInputs) -> LoiterOrbit? {
        guard let d = designationNEDM, inputs.loiterCaptured, case .loiter(_, let orbit) = navigation else { return nil }
        let dx = orbit.centerNEDM.x - d.x, dy = orbit.centerNEDM.y - d.y
        return (dx * dx + dy * dy).squareRoot() <= orbit.radiusM ? orbit : nil
    }

    private mutating func requestTerminal(inputs: ModeInputs, nowUs: UInt64) -> CommandRefusal? {
        guard let point = designationPoint else { return .terminalNoDesignation }
        let orbit = loiterOverDesignation(inputs: inputs)
        let decision = gateHandle(.requestTerminal(designation: point, loiteringOverDesignation: orbit != nil), nowUs)
        if case .emitRequest = decision { returnOrbit = orbit }
        apply(decision, keyID: .none, inputs: inputs, nowUs: nowUs)
        if case .reject(let why) = decision { return .terminalRejected(why) }
        return nil
    }

    /// Two legs: out to a start point far enough from the target for the glide line plus a line-up, then the
    /// approach itself. The start lies on the side of the target where the vehicle is, so the outbound leg is short.
    private mutating func beginTerminal(inputs: ModeInputs, nowUs: UInt64) {
        guard let target = designationNEDM else { return }
        let height = inputs.heightM
        let descent = (height - (-target.z)) / Double.tan(policy.approachFlightPathAngleRad)
        var outward = Vector3(inputs.positionNEDM.x - target.x, inputs.positionNEDM.y - target.y, 0)
        if outward.norm < 1 { outward = Vector3(1, 0, 0) }
        let start = target + outward.normalized * (descent + 300)
        let startNED = Vector3(start.x, start.y, -height)
        approachStartNEDM = startNED
        approach = try? ApproachGeometry(startNEDM: startNED, targetNEDM: target,
                                         flightPathAngleRad: policy.approachFlightPathAngleRad,
                                         abortFloorAboveTargetM: policy.abortFloorAboveTargetM)
        guard approach != nil else {
            // The gate said yes but the geometry cannot be flown from here: end the phase and keep loitering.
            apply(gateHandle(.terminalFinished, nowUs), keyID: .none, inputs: inputs, nowUs: nowUs)
            returnToOrbit(.requestEnded(.terminalFinished), nowUs)
            return
        }
        navigation = .waypoint(itemIndex: -1, fromNEDM: inputs.positionNEDM, toNEDM: startNED, acceptanceRadiusM: 40,
                               nextNEDM: nil)
    }

    private mutating func updateTerminal(inputs: ModeInputs, nowUs: UInt64) {
        guard let geometry = approach else { return }
        if case .waypoint = navigation, let start = approachStartNEDM {
            let dx = inputs.positionNEDM.x - start.x, dy = inputs.positionNEDM.y - start.y
            if (dx * dx + dy * dy).squareRoot() < 40 { navigation = .terminalApproach(geometry) }
        } else if inputs.approachPhase == .passedTarget {
            apply(gateHandle(.terminalFinished, nowUs), keyID: .none, inputs: inputs, nowUs: nowUs)
            returnToOrbit(.requestEnded(.terminalFinished), nowUs)
            applyFailsafesHeldByTheApproach(inputs: inputs, nowUs: nowUs)
        }
    }

    /// A failure raised below the abort floor did not end the committed approach (`continueTerminal`); once the
    /// approach is over, its action applies as it would have above the floor.
    private mutating func applyFailsafesHeldByTheApproach(inputs: ModeInputs, nowUs: UInt64) {
        for failure in GateFailure.checkOrder where activeFailures.contains(failure) {
            failsafeOutsideGate(failure, inputs: inputs, nowUs: nowUs)
            if mode != .loiter { return }
        }
    }

    private func leaveTerminalAllowed(inputs: ModeInputs, nowUs: UInt64) -> Bool {
        mode != .terminal || gate.isAboveAbortFloor
    }

    private mutating func returnToOrbit(_ reason: TransitionReason, _ nowUs: UInt64) {
        let orbit = returnOrbit ?? LoiterOrbit(centerNEDM: designationNEDM.map {
            Vector3($0.x, $0.y, -policy.rtlHeightM) } ?? Vector3(0, 0, -policy.rtlHeightM), radiusM: policy.holdRadiusM)
        navigation = .loiter(itemIndex: -1, orbit: clearOfExclusion(orbit))
        transition(to: .loiter, reason, nowUs)
    }

    // MARK: - Gate decisions

    /// The gate runs on UTC (the time base request expiries share with the operator); mode times stay on the
    /// vehicle's monotonic clock.
    private mutating func gateHandle(_ event: GateEvent, _ nowUs: UInt64) -> GateDecision {
        gate.handle(event, gateTimeUs: gateTimeUs, vehicleTimeUs: nowUs)
    }

    private mutating func apply(_ decision: GateDecision, keyID: OperatorKeyID, inputs: ModeInputs, nowUs: UInt64) {
        switch decision {
        case .none, .continueTerminal:
            break
        case .reject:
            // An approval that arrives after the request's life ends it in the gate (`expired`): keep the orbit.
            if mode == .approvalPending, gate.state.kind != .pending {
                transition(to: .loiter, .requestEnded(.requestExpired), nowUs)
            }
        case .emitRequest(let request):
            pendingRequest = request
            transition(to: .approvalPending, .terminalRequested, nowUs)
        case .enterTerminal:
            pendingRequest = nil
            transition(to: .terminal, .approved(keyID), nowUs)
            beginTerminal(inputs: inputs, nowUs: nowUs)
        case .leaveTerminal(let reason, let then):
            approach = nil
            if case .waveOff = reason, then == .loiter {
                let orbit = returnOrbit ?? LoiterOrbit(centerNEDM: inputs.positionNEDM, radiusM: policy.holdRadiusM)
                navigation = .loiter(itemIndex: -1, orbit: clearOfExclusion(orbit))
                transition(to: .waveOff, .waveOff(keyID), nowUs)
            } else {
                perform(then, reason: reason, inputs: inputs, nowUs: nowUs)
            }
        case .cancelRequest(let reason, let then):
            pendingRequest = nil
            if let then {
                perform(then, reason: reason, inputs: inputs, nowUs: nowUs)
            } else if mode == .approvalPending {
                // Keep the orbit; only the request is gone.
                transition(to: .loiter, .requestEnded(reason), nowUs)
            }
        }
    }

    private mutating func perform(_ action: FailsafeAction, reason: GateExitReason, inputs: ModeInputs,
                                  nowUs: UInt64) {
        let why: TransitionReason
        if case .failure(let f) = reason { why = failsafeReason(f) } else { why = .requestEnded(reason) }
        perform(action, why: why, inputs: inputs, nowUs: nowUs)
    }

    private mutating func perform(_ action: FailsafeAction, why: TransitionReason, inputs: ModeInputs,
                                  nowUs: UInt64) {
        switch action {
        case .returnToLaunch:
            enterRTL(why, nowUs)
        case .loiter:
            if inputs.positionValid {
                let orbit = returnOrbit ?? LoiterOrbit(centerNEDM: inputs.positionNEDM, radiusM: policy.holdRadiusM)
                navigation = .loiter(itemIndex: -1, orbit: clearOfExclusion(orbit))
                transition(to: .loiter, why, nowUs)
            } else {
                enterFailsafeOrbit(why, inputs: inputs, nowUs)
            }
        }
    }

    // MARK: - Failsafes

    private mutating func checkFailures(inputs: ModeInputs, nowUs: UInt64) {
        let linkLost = inputs.lastGroundContactUs.map { nowUs > $0 && nowUs - $0 > policy.linkLossTimeoutUs } ?? false
        let outsideFence = inputs.positionValid && geofence.map { $0.breach(atNED: inputs.positionNEDM) != nil } ?? false
        // Entering the designation's exclusion volume without approval counts as a fence breach, with its action.
        let inExclusion = enteredExclusionWithoutApproval(inputs: inputs)
        let fenceBreached = outsideFence || inExclusion
        exclusionIsTheBreach = inExclusion && !outsideFence
        // Walks a static list: a literal array here would be built (and may be allocated) on every tick.
        for failure in GateFailure.checkOrder {
            let active: Bool
            switch failure {
            case .linkLoss: active = linkLost
            case .gps: active = !inputs.gpsHealthy
            case .estimator: active = !inputs.attitudeValid || !inputs.positionValid
            case .geofence: active = fenceBreached
            case .battery: active = inputs.batteryVoltageV < policy.lowBatteryVoltageV
            }
            guard active != activeFailures.contains(failure) else { continue }
            // The launch climb is wings level on the rail heading: it needs neither GPS nor a heading, and a
            // failsafe in the first seconds off the catapult would do more harm than the climb.
            if mode == .launch, failure == .gps || failure == .estimator { continue }
            if active {
                activeFailures.insert(failure)
                let decision = gateHandle(.failure(failure), nowUs)
                switch decision {
                case .none, .reject:
                    // The gate was idle: the failsafe applies to the mode we are in.
                    failsafeOutsideGate(failure, inputs: inputs, nowUs: nowUs)
                default:
                    apply(decision, keyID: .none, inputs: inputs, nowUs: nowUs)
                }
            } else {
                activeFailures.remove(failure)
                _ = gateHandle(.failureCleared(failure), nowUs)
                if (failure == .gps || failure == .estimator), mode == .failsafe, inputs.positionValid {
                    perform(policy.navigationRecoveryAction, why: .navigationRecovered, inputs: inputs, nowUs: nowUs)
                }
            }
        }
    }

    private mutating func failsafeOutsideGate(_ failure: GateFailure, inputs: ModeInputs, nowUs: UInt64) {
        switch mode {
        case .launch, .mission, .loiter, .returnToLaunch, .waveOff:
            break
        default:
            return
        }
        switch failure {
        case .gps, .estimator:
            if !inputs.positionValid { enterFailsafeOrbit(.failsafe(failure), inputs: inputs, nowUs) }
        case .linkLoss:
            if mode != .returnToLaunch { perform(policy.linkLossAction, why: .failsafe(failure), inputs: inputs, nowUs: nowUs) }
        case .battery:
            if mode != .returnToLaunch { perform(policy.lowBatteryAction, why: .failsafe(failure), inputs: inputs, nowUs: nowUs) }
        case .geofence:
            if mode != .returnToLaunch { perform(policy.geofenceAction, why: failsafeReason(failure), inputs: inputs, nowUs: nowUs) }
        }
    }

    /// The reason a failsafe transition records: a geofence failure that is the exclusion volume alone says so.
    private func failsafeReason(_ failure: GateFailure) -> TransitionReason {
        failure == .geofence && exclusionIsTheBreach ? .exclusionEntered : .failsafe(failure)
    }

    /// Whether the vehicle is in the exclusion volume without the terminal phase having taken it there.
    private mutating func enteredExclusionWithoutApproval(inputs: ModeInputs) -> Bool {
        guard inputs.positionValid, let volume = exclusion else { return false }
        guard volume.contains(inputs.positionNEDM) else {
            insideExclusionByApproval = false
            return false
        }
        if mode == .terminal || mode == .waveOff { insideExclusionByApproval = true }
        return !insideExclusionByApproval
    }

    /// `orbit`, lifted above the exclusion volume if it would pass through it: no hold parks the vehicle low over
    /// the designation.
    private func clearOfExclusion(_ orbit: LoiterOrbit) -> LoiterOrbit {
        guard let volume = exclusion, volume.orbitEnters(centerNEDM: orbit.centerNEDM, orbitRadiusM: orbit.radiusM)
        else { return orbit }
        var lifted = orbit
        lifted.centerNEDM.z = -(volume.topHeightM + Self.exclusionClearanceM)
        return lifted
    }

    private mutating func enterFailsafeOrbit(_ reason: TransitionReason, inputs: ModeInputs, _ nowUs: UInt64) {
        navigation = .failsafeOrbit(bankRad: policy.failsafeBankRad, heightM: max(inputs.heightM, policy.rtlHeightM / 2))
        transition(to: .failsafe, reason, nowUs)
    }

    private mutating func enterRTL(_ reason: TransitionReason, _ nowUs: UInt64) {
        navigation = .returnToLaunch(homeNEDM: .zero, heightM: policy.rtlHeightM)
        transition(to: .returnToLaunch, reason, nowUs)
    }

    private mutating func transition(to newMode: FlightMode, _ reason: TransitionReason, _ nowUs: UInt64) {
        guard newMode != mode || reason != transitions.last?.reason else { return }
        transitions.append(ModeTransition(timeUs: nowUs, from: mode, to: newMode, reason: reason))
        mode = newMode
        keepGateInStep(nowUs)
    }

    /// Every transition ends here. The gate's pending, terminal and waving-off states each belong to one mode;
    /// a transition to any other mode (an operator hold, reposition or RTL, a failsafe orbit) tells the gate, which
    /// drops to idle. Without it the gate stayed "terminal" after a hold — ignoring failures as if below the floor,
    /// refusing new requests, and letting a later wave-off drag the vehicle back to the loiter.
    private mutating func keepGateInStep(_ nowUs: UInt64) {
        if !gateAgreesWithMode, gate.state.kind != .idle { _ = gateHandle(.leftByModeChange, nowUs) }
        if gate.state.kind != .pending { pendingRequest = nil }
    }

    /// The invariant of the pair: approval-pending, terminal and wave-off are the modes of the gate's pending,
    /// terminal and waving-off states, one to one.
    public var gateAgreesWithMode: Bool {
        switch (mode, gate.state.kind) {
        case (.approvalPending, .pending), (.terminal, .terminal), (.waveOff, .wavingOff): true
        case (.approvalPending, _), (.terminal, _), (.waveOff, _): false
        case (_, .pending), (_, .terminal), (_, .wavingOff): false
        case (_, .idle): true
        }
    }
}
