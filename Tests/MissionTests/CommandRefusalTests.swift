import FlightMath
@testable import Mission
import Testing

/// The texts operators and tests see: the refusals as values, the event texts written without the heap, each
/// against the literal it must produce (ground stations and the interop tests match these phrases).
@Suite struct CommandRefusalTests {
    @Test func refusalsReadAsBefore() {
        let cases: [(CommandRefusal, String)] = [
            (.noMissionLoaded, "no mission loaded"),
            (.noNavigationOrigin, "not ready: navigation has no origin yet"),
            (.parameterChangeWhileArmed, "armed: disarm first"),
            (.mixerFromAirframeFileOnly, "mixer is set in the airframe file only"),
            (.missionChangeWhileArmed, "armed: disarm before changing the mission"),
            (.outputsNotArmed, "arming refused: outputs could not be armed (safety switch)"),
            (.arming(.armSwitchSafe), "arming refused: the safety switch is in SAFE"),
            (.arming(.notDisarmed), "arming refused: already armed"),
            (.arming(.batteryLow(voltageV: 13.5, minimumV: 14)), "arming refused: battery 13.5 V below 14.0 V"),
            (.disarmWhileFlying, "disarm refused: the vehicle is flying"),
            (.missionStart(in: .approvalPending), "mission start refused in approval-pending"),
            (.holdNotFlying, "hold refused: not flying"),
            (.holdCommitted, "hold refused: below the abort floor, the approach is committed"),
            (.repositionNotFlying, "reposition refused: not flying"),
            (.repositionCommitted, "reposition refused: below the abort floor, the approach is committed"),
            (.repositionNotFlyable(minimumRadiusM: 50, minimumHeightM: 30),
             "reposition refused: not a flyable orbit (radius ≥ 50 m, height ≥ 30 m)"),
            (.repositionOutsideFence(.outsidePolygon(distanceM: 512.4)),
             "reposition refused: target outside the fence polygon by 512 m"),
            (.returnToLaunchNotFlying, "return to launch refused: not flying"),
            (.returnToLaunchCommitted, "return to launch refused: below the abort floor, the approach is committed"),
            (.terminalNoDesignation, "terminal request refused: the plan has no designation"),
            (.terminalRejected(.notLoiteringOverDesignation),
             "terminal request refused: vehicle is not loitering over the designation"),
            (.approvalRejected(.badSignature), "approval rejected: signature does not verify"),
            (.waveOffRejected(.notPending), "wave-off rejected: no request is pending"),
        ]
        for (refusal, text) in cases { #expect(refusal.description == text) }
    }

    @Test func modeAndReasonTextsAreWrittenWithoutTheHeap() {
        let key = OperatorKeyID(rawValue: 0x0123_4567_89AB_CDEF)
        #expect(key.description == "efcdab8967452301")  // hash order: least significant byte first
        #expect(FixedText(key).string == key.description)
        let reasons: [(TransitionReason, String)] = [
            (.armed, "armed"),
            (.operatorHold, "operator: hold"),
            (.approved(key), "approved by operator key efcdab8967452301"),
            (.waveOff(key), "wave-off by operator key efcdab8967452301"),
            (.requestEnded(.failure(.linkLoss)), "approval request ended: link loss"),
            (.requestEnded(.requestExpired), "approval request ended: request expired"),
            (.failsafe(.geofence), "failsafe: geofence breach"),
        ]
        for (reason, text) in reasons {
            #expect(FixedText(reason).string == text)
            #expect(reason.description == text)
        }
        #expect(FixedText(FlightMode.returnToLaunch).string == "rtl")
        #expect(FlightMode.approvalPending.description == "approval-pending")
        #expect(FixedText(GateRejection.noTimeBase).string == GateRejection.noTimeBase.description)
        #expect(GateRejection.replayed.description == "nonce already used by an accepted approval (replay)")
        #expect(FixedText(GateExitReason.loiterLost).string == "left the loiter")
    }

    @Test func gateKindsPrintTheirCaseNames() {
        // The log's gate texts print these as Swift prints the cases.
        for kind in [GateEventKind.requestTerminal, .approval, .waveOff, .tick, .failure, .failureCleared,
                     .designationChanged, .loiterLost, .loiterEstablished, .terminalFinished] {
            #expect(FixedText(kind).string == "\(kind)")
        }
        for outcome in [GateOutcome.none, .requestEmitted, .terminalEntered, .terminalLeft, .requestCancelled,
                        .terminalContinued, .rejected] {
            #expect(FixedText(outcome).string == "\(outcome)")
        }
    }

    @Test func theTransitionLogIsReadByNumberAcrossTheWrap() {
        var log = ModeTransitionLog()
        #expect(log.transition(number: 0) == nil && log.last == nil)
        let total = ModeTransitionLog.capacity + 5
        for i in 0..<total {
            log.append(ModeTransition(timeUs: UInt64(i), from: .loiter, to: .mission, reason: .missionStarted))
        }
        #expect(log.totalCount == total && log.retainedCount == ModeTransitionLog.capacity)
        #expect(log.transition(number: 4) == nil)  // overwritten
        #expect(log.transition(number: 5)?.timeUs == 5)
        #expect(log.transition(number: total - 1)?.timeUs == UInt64(total - 1))
        #expect(log.transition(number: total) == nil)
        #expect(log.last?.timeUs == UInt64(total - 1))
        #expect(log.records.map(\.timeUs) == (5..<total).map { UInt64($0) })
    }
}

@Suite struct LaunchAirspeedCheckTests {
    func inputs(launch: LaunchAirspeedCheck?) -> ModeInputs {
        ModeInputs(attitudeValid: true, positionValid: true, gpsHealthy: true, armSwitchInArm: true, launch: launch)
    }

    @Test func theAirspeedOffTheRailIsTheLauncherPlusTheWindAlongIt() {
        let l = LaunchAirspeedCheck(launcherSpeedMps: 18, headwindMps: -8, minimumAirspeedMps: 13)
        #expect(l.airspeedOffRailMps == 10 && !l.isSafe && l.largestTailwindMps == 5)
        #expect(LaunchAirspeedCheck(launcherSpeedMps: 18, headwindMps: -5, minimumAirspeedMps: 13).isSafe)
        #expect(LaunchAirspeedCheck(launcherSpeedMps: 18, headwindMps: 6, minimumAirspeedMps: 13).isSafe)
        // Nothing non-finite passes.
        #expect(!LaunchAirspeedCheck(launcherSpeedMps: 18, headwindMps: .nan, minimumAirspeedMps: 13).isSafe)
        #expect(!LaunchAirspeedCheck(launcherSpeedMps: 18, headwindMps: 0, minimumAirspeedMps: .nan).isSafe)
    }

    @Test func armingIsRefusedWithTheNumbersAndWhatToDo() throws {
        let slow = LaunchAirspeedCheck(launcherSpeedMps: 18, headwindMps: -8, minimumAirspeedMps: 13)
        let refusal = try #require(ArmingChecks.refusal(inputs: inputs(launch: slow), policy: FailsafePolicy(),
                                                        hasGeofence: true, hasMission: true))
        #expect(refusal == .launchAirspeedTooLow(slow))
        #expect(refusal.description == "arming refused: airspeed off the launcher would be 10.0 m/s (launcher 18.0 "
                + "m/s, wind along the rail -8.0 m/s), below the 13.0 m/s minimum: turn the launcher into the wind (at "
                + "most 5.0 m/s from behind), and set FLT_LNCH_HWND to the measured wind")
        // Fast enough, or no launcher named: this check does not refuse.
        let fast = LaunchAirspeedCheck(launcherSpeedMps: 18, headwindMps: -4.9, minimumAirspeedMps: 13)
        #expect(ArmingChecks.refusal(inputs: inputs(launch: fast), policy: FailsafePolicy(), hasGeofence: true,
                                     hasMission: true) == nil)
        #expect(ArmingChecks.refusal(inputs: inputs(launch: nil), policy: FailsafePolicy(), hasGeofence: true,
                                     hasMission: true) == nil)
    }

    @Test func tenthsAreWrittenWithoutFoundation() {
        #expect(ArmingRefusal.tenths(-8) == "-8.0" && ArmingRefusal.tenths(13.04) == "13.0")
        #expect(ArmingRefusal.tenths(-0.04) == "0.0" && ArmingRefusal.tenths(4.96) == "5.0")
    }
}
