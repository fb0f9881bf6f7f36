import EmulatedBoard
@testable import Vehicle
@testable import FlightRuntime
import Atomics
import DeviceIO
import FlightMath
import Foundation
import MAVLink
import Mission
import Testing

/// `kestrel fly`'s mission path: built on the telemetry thread (`PreparedMission`), installed by the real-time side
/// without building anything, the replaced mission handed back for release.
@Suite struct MissionHandoffTests {
    static let repo: String = {
        var path = #filePath
        for _ in 0..<3 { path = String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) }
        return path
    }()

    static func load() throws -> FlightDaemonLoad {
        var options = FlightDaemonOptions(boardPath: repo + "/Hardware/boards/sitl.toml",
                                          airframePath: repo + "/Hardware/airframes/kestrel-2m.toml",
                                          missionPath: repo + "/Scenarios/missions/demo-designation.toml")
        options.logDirectory = nil
        return try FlightDaemonLoad(options, hardware: { EmulatedHardware(board: $0, bench: StationaryTruth(seed: 1)) })
    }

    static let home = Geodetic(latitudeDeg: 47.3977419, longitudeDeg: 8.5455938, altitudeM: 488)

    @Test func theRealtimeSideOnlyInstallsWhatTheTelemetrySideBuilt() throws {
        let loaded = try Self.load()
        var stack = loaded.stack
        let file = try #require(loaded.missionFile)
        #expect(!stack.preparesMission)
        // A mission is loaded but nothing is built: arming waits for it.
        #expect(stack.handle(.arm, nowUs: 1_000) == .noNavigationOrigin)
        // Through the link: arming is to be asked again (the origin comes with the GPS fix); a switch to the
        // mission is accepted, as it is once the mission is built (the CI failure of stop 31: DENIED).
        let armReply = OperatorRequestHandling.handle(
            OperatorRequest(sequence: 1, kind: .command(.arm(force: false))), stack: &stack, nowUs: 1_000)
        #expect(armReply.result == .temporarilyRejected && armReply.text == "not ready: navigation has no origin yet")
        let modeReply = OperatorRequestHandling.handle(
            OperatorRequest(sequence: 2, kind: .command(.setMode(.mission))), stack: &stack, nowUs: 1_000)
        #expect(modeReply.result == .accepted && modeReply.text == nil)
        #expect(stack.machine == nil)
        for taskIndex in 0..<FlightStack.Task.allCases.count { stack.run(taskIndex: taskIndex, nowUs: 2_000) }
        #expect(stack.machine == nil)

        let built = PreparedMission.prepare(file: file, source: "m.toml", home: Self.home,
                                            guidance: loaded.parameters.settings.guidance,
                                            setup: loaded.missionSetup, launchHeadingRad: 1)
        #expect(built.isReady && built.error == nil)
        #expect(built.machine?.plan.home == Self.home)
        let box = MissionHandoff(sequence: 9, mission: built)
        let reply = OperatorRequestHandling.handle(box, stack: &stack)
        #expect(reply.sequence == 9 && reply.result == .accepted && reply.note == nil)
        #expect(stack.machine?.plan.home == Self.home)
        // The launch heading is the vehicle's at installation (at rest: 0), not the builder's guess.
        #expect(stack.machine?.launchHeadingRad == stack.navigation.euler.yawRad)
        // What it replaced (the unbuilt file) went back in the box, to be released by the telemetry thread.
        #expect(box.mission.file != nil && !box.mission.isReady)
        // Now arming runs the pre-arm checks (the bench vehicle has no GPS fix).
        guard case .arming = stack.handle(.arm, nowUs: 3_000) else {
            Issue.record("expected a pre-arm refusal")
            return
        }

        let clear = MissionHandoff(sequence: 10, mission: .none)
        #expect(OperatorRequestHandling.handle(clear, stack: &stack).result == .accepted)
        #expect(clear.mission.isReady)  // the built one came back
        #expect(stack.handle(.arm, nowUs: 4_000) == .noMissionLoaded)
        #expect(OperatorRequestHandling.handle(
            OperatorRequest(sequence: 11, kind: .command(.arm(force: false))), stack: &stack, nowUs: 5_000).text
            == "no mission loaded")
    }

    @Test func aMissionThatCannotBeBuiltIsKeptWithItsErrorAndRefusesArming() throws {
        let loaded = try Self.load()
        var stack = loaded.stack
        let file = try #require(loaded.missionFile)
        // Home 500 km away: the plan's points are out of range of it.
        let far = Geodetic(latitudeDeg: 52, longitudeDeg: 13, altitudeM: 50)
        var built = PreparedMission.prepare(file: file, source: "m.toml", home: far,
                                            guidance: loaded.parameters.settings.guidance,
                                            setup: loaded.missionSetup, launchHeadingRad: 0)
        let error = try #require(built.error)
        #expect(!built.isReady && error.description.hasPrefix("m.toml"))
        #expect(stack.installMission(&built) == nil)
        #expect(stack.missionError == error.description)
        #expect(stack.handle(.arm, nowUs: 1_000) == .arming(.noValidMission))
    }

    @Test func theTelemetrySideBuildsOnceTheSnapshotShowsTheOrigin() throws {
        let loaded = try Self.load()
        let channels = RuntimeChannels()
        let clock = SystemMonotonicClock()
        let link = FlightVehicleLink(channels: channels, policy: loaded.policy, baseRateHz: 400,
                                     airframe: loaded.parameters, missionFile: loaded.missionFile,
                                     missionSource: "m.toml", missionSetup: loaded.missionSetup,
                                     sleepUs: { clock.sleep(durationUs: $0) })
        channels.snapshots.push(VehicleSnapshot())
        link.collect()
        #expect(channels.missions.pop() == nil && link.missionsBuilt == 0)
        var snapshot = VehicleSnapshot()
        snapshot.navigationOrigin = Self.home
        channels.snapshots.push(snapshot)
        link.collect()
        let box = try #require(channels.missions.pop())
        defer { box.release() }
        #expect(box.takeUnretainedValue().mission.isReady)
        #expect(box.takeUnretainedValue().mission.machine?.plan.home == Self.home)
        // Built once: later snapshots do not build it again.
        channels.snapshots.push(snapshot)
        link.collect()
        #expect(channels.missions.pop() == nil && link.missionsBuilt == 1)
    }
}
