import EmulatedBoard
@testable import FlightRuntime
import Atomics
import DeviceIO
import MAVLink
import Mission
import Testing

/// The telemetry side of the command/snapshot plumbing, against a stand-in real-time thread.
@Suite struct FlightVehicleLinkTests {
    private func link(_ channels: RuntimeChannels, timeoutUs: UInt64 = 200_000) -> FlightVehicleLink {
        let clock = SystemMonotonicClock()
        return FlightVehicleLink(channels: channels, policy: FailsafePolicy(), baseRateHz: 400,
                                 replyTimeoutUs: timeoutUs, sleepUs: { clock.sleep(durationUs: $0) })
    }

    @Test func aCommandIsAnsweredWithTheRealtimeSidesVerdict() throws {
        let channels = RuntimeChannels()
        let model = link(channels)
        let stop = ManagedAtomic(false)
        let seen = ManagedAtomic<Int>(0)
        // Stand-in for the real-time thread: refuses arming with a reason, accepts RTL.
        let rt = LaunchedThread(name: "test-rt") {
            while !stop.load(ordering: .relaxed) {
                while let r = channels.requests.pop() {
                    seen.wrappingIncrement(ordering: .relaxed)
                    if case .command(.arm) = r.kind {
                        channels.replies.push(OperatorReply(sequence: r.sequence, result: .denied,
                                                            note: .refused(.arming(.armSwitchSafe))))
                    } else {
                        channels.replies.push(OperatorReply(sequence: r.sequence, result: .accepted))
                    }
                }
                SystemMonotonicClock().sleep(durationUs: 500)
            }
        }
        #expect(rt.start() == 0)
        #expect(model.perform(.arm(force: false), nowUs: 0) == .denied)
        #expect(model.nextStatusText()?.text == MAVArray(text: "arming refused: the safety switch is in SAFE"))
        #expect(model.perform(.returnToLaunch, nowUs: 0) == .accepted)
        #expect(model.nextStatusText() == nil)
        stop.store(true, ordering: .relaxed)
        rt.join()
        #expect(seen.load(ordering: .relaxed) == 2)
        #expect(model.repliesTimedOut == 0)
    }

    /// A chip the real-time side found reset and configured again (a brown-out) is a warning on the link, once per
    /// time it happened; the first snapshot and an unchanged count say nothing.
    @Test func aChipFoundResetIsAWarning() {
        let channels = RuntimeChannels()
        let model = link(channels)
        var s = VehicleSnapshot()
        s.vehicleTimeUs = 1_000
        channels.snapshots.push(s)
        model.collect()
        #expect(model.nextStatusText() == nil)
        s.vehicleTimeUs = 2_000
        s.outputReconfigurations = 1
        s.imuReconfigurations = 1
        channels.snapshots.push(s)
        model.collect()
        let first = model.nextStatusText(), second = model.nextStatusText()
        #expect(first?.text == MAVArray(text: "IMU reset, configured again: check power"))
        #expect(first?.severity == .warning)
        #expect(second?.text == MAVArray(text: "servo board reset, configured again: check power"))
        s.vehicleTimeUs = 3_000
        channels.snapshots.push(s)
        model.collect()
        #expect(model.nextStatusText() == nil)
    }

    /// An approval waits for the gate's verdict, and the state right after it (a wave-off lasts one tick) is what
    /// the link reports at once; an older state never replaces a newer one.
    @Test func anApprovalsReplyCarriesTheStateRightAfterIt() throws {
        let channels = RuntimeChannels()
        let model = link(channels, timeoutUs: 50_000)
        var periodic = VehicleSnapshot()
        periodic.vehicleTimeUs = 1_000
        periodic.gate.state = .terminal
        channels.snapshots.push(periodic)
        model.collect()
        // The stand-in real-time side answers the approval during the link's wait.
        model.sleepUs = { _ in
            guard let r = channels.takeOperatorRequests().0 else { return }
            var after = VehicleSnapshot()
            after.vehicleTimeUs = 3_500
            after.gate.state = .wavingOff
            channels.replies.push(OperatorReply(sequence: r.sequence, result: .accepted, after: after))
        }
        model.receive(LinkApproval(message: TerminalApproval(targetSystem: 1, targetComponent: 1, decision: .waveOff),
                                   senderSystemID: 255), nowUs: 0)
        #expect(model.snapshot(nowUs: 0).gate.state == .wavingOff)
        #expect(model.repliesTimedOut == 0)
        // A periodic snapshot from before the reply does not undo it; a later one does.
        periodic.vehicleTimeUs = 2_500
        channels.snapshots.push(periodic)
        model.collect()
        #expect(model.snapshot(nowUs: 0).gate.state == .wavingOff)
        periodic.vehicleTimeUs = 5_000
        periodic.gate.state = .idle
        channels.snapshots.push(periodic)
        model.collect()
        #expect(model.snapshot(nowUs: 0).gate.state == .idle)
    }

    @Test func noAnswerIsATemporaryRejectionAndALateReplyIsNotLost() throws {
        let channels = RuntimeChannels()
        let model = link(channels, timeoutUs: 5_000)
        #expect(model.perform(.disarm(force: false), nowUs: 0) == .temporarilyRejected)
        #expect(model.repliesTimedOut == 1)
        #expect(model.nextStatusText()?.text == MAVArray(text: "command: no answer from the flight loop"))
        // The real-time side answers late with a refusal: it still reaches the operator as STATUSTEXT.
        let request = try #require(channels.requests.pop())
        channels.replies.push(OperatorReply(sequence: request.sequence, result: .denied,
                                            note: .refused(.disarmWhileFlying)))
        model.collect()
        #expect(model.nextStatusText()?.text == MAVArray(text: "disarm refused: the vehicle is flying"))
    }

    @Test func aFullCommandQueueRefusesAtOnce() throws {
        let channels = RuntimeChannels()
        let model = link(channels, timeoutUs: 1_000)
        for _ in 0..<channels.requests.capacity { _ = model.perform(.returnToLaunch, nowUs: 0) }
        #expect(model.perform(.returnToLaunch, nowUs: 0) == .temporarilyRejected)
        #expect(channels.requests.overflows == 1)
    }

    @Test func snapshotsAndTimingComeFromTheRings() throws {
        let channels = RuntimeChannels()
        let model = link(channels)
        var a = VehicleSnapshot()
        a.airspeedMps = 11
        var b = VehicleSnapshot()
        b.airspeedMps = 22
        b.armed = true
        channels.snapshots.push(a)
        channels.snapshots.push(b)
        var t = RuntimeTimingSample()
        t.jitterP50Us = 14
        channels.timing.push(t)
        model.collect()
        let s = model.snapshot(nowUs: 0)
        #expect(s.airspeedMps == 22 && s.armed)
        #expect(model.lastTiming?.jitterP50Us == 14)
        #expect(model.nextStatusText()?.text == MAVArray(text: t.statusText))
    }

    @Test func parametersAreReadOnlyAndNamed() throws {
        let model = link(RuntimeChannels())
        let id = try #require(ParameterID("LOOP_RATE_HZ"))
        let index = try #require(model.parameterIndex(of: id))
        #expect(model.parameter(at: index)?.value == 400)
        let rtlID = try #require(ParameterID("RTL_ALT_M"))
        let rtl = try #require(model.parameterIndex(of: rtlID))
        #expect(model.parameter(at: rtl)?.value == FailsafePolicy().rtlHeightM)
        if case .accepted = model.setParameter(at: index, to: 200) { Issue.record("a read-only parameter was set") }
    }
}

/// The real-time side: requests against a real flight stack on the emulated SITL board.
@Suite struct OperatorRequestHandlingTests {
    private static let repo: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) }
        return path
    }()

    @Test func armingBeforeNavigationIsRefusedWithTheStacksReason() throws {
        var options = FlightDaemonOptions(boardPath: Self.repo + "/Hardware/boards/sitl.toml",
                                          airframePath: Self.repo + "/Hardware/airframes/kestrel-2m.toml")
        options.logDirectory = nil
        let loaded = try FlightDaemonLoad(options, hardware: { EmulatedHardware(board: $0, bench: StationaryTruth(seed: 1)) })
        var stack = loaded.stack
        let reply = OperatorRequestHandling.handle(
            OperatorRequest(sequence: 7, kind: .command(.arm(force: false))), stack: &stack, nowUs: 1_000)
        #expect(reply.sequence == 7)
        #expect(reply.result == .denied)
        #expect(reply.note == .refused(.noMissionLoaded))  // no --mission given
        #expect(reply.text == "no mission loaded")
        let mode = OperatorRequestHandling.handle(
            OperatorRequest(sequence: 8, kind: .command(.setMode(.terminal))), stack: &stack, nowUs: 1_000)
        #expect(mode.result == .unsupported)
        #expect(stack.mode == .disarmed)
    }
}
