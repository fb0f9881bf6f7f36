@testable import SITL
import ConfigFiles
import FlightMath
import Guidance
import Mission
import Testing

/// The scripted operator against the real mode machine and gate: only the genuine approval reaches terminal.
@Suite struct OperatorScriptTests {
    static let home = Geodetic(latitudeDeg: 47.3977419, longitudeDeg: 8.5455938, altitudeM: 488)
    static let frame = LocalFrame(origin: home)

    static func point(_ north: Double, _ alt: Double) -> MissionPoint {
        let g = frame.geodetic(ofNED: Vector3(north, 0, 0))
        return MissionPoint(latitudeDeg: g.latitudeDeg, longitudeDeg: g.longitudeDeg, relativeAltitudeM: alt)
    }

    @Test func misbehavingOperatorNeverGetsTerminalAndTheGenuineOneDoes() throws {
        let script = try ConfigFile.decode(OperatorScriptFile.self, fromTOML: """
            authorised = ["alice", "bob"]
            [[actions]]
            at_s = 10
            action = "request_terminal"
            [[actions]]
            after_request_s = 1
            action = "forged"
            [[actions]]
            after_request_s = 2
            action = "wrong_designation"
            [[actions]]
            at_s = 14
            action = "request_terminal"
            [[actions]]
            at_s = 15.5
            action = "stale"
            [[actions]]
            at_s = 17
            action = "approve"
            by = "bob"
            [[actions]]
            at_s = 18
            action = "replay"
            """, source: "operator.toml")
        var op = try ScriptedOperator(file: script)
        let policy = FailsafePolicy()
        let gate = TerminalGate(configuration: try policy.gateConfiguration(vehicleID: VehicleID(7), requestLifetimeUs: 30_000_000),
                                operators: op.keyRing, entropy: SeededNonceSource(seed: 1))
        let designation = Self.point(1500, 0)
        let plan = try MissionPlan.validated(
            items: [.launch(altitudeM: 60), .loiter(center: Self.point(1500, 150), radiusM: 120, direction: .clockwise, exit: .unlimited)],
            designation: Designation(position: designation), home: Self.home)
        let fence = try Geofence(polygonDeg: [(-5000.0, -5000.0), (-5000, 5000), (5000, 5000), (5000, -5000)].map { n, e in
            let g = Self.frame.geodetic(ofNED: Vector3(n, e, 0))
            return (g.latitudeDeg, g.longitudeDeg)
        }, floorM: -10, ceilingM: 500, frame: Self.frame)
        var m = FlightModeMachine(plan: plan, geofence: fence, policy: policy, gate: gate, launchHeadingRad: 0)
        let orbit = LoiterOrbit(centerNEDM: Vector3(designation.ned(in: Self.frame).x, 0, -150), radiusM: 120)
        func inputs(_ t: UInt64) -> ModeInputs {
            ModeInputs(positionNEDM: orbit.centerNEDM + Vector3(120, 0, 0), attitudeValid: true, positionValid: true,
                       gpsHealthy: true, armSwitchInArm: true, lastGroundContactUs: t, batteryVoltageV: 16,
                       launchDetected: true, missionCommand: .loiter(itemIndex: 1, orbit: orbit), loiterCaptured: true,
                       utcTimeUs: t)
        }
        var rejections: [String] = []
        #expect(m.handle(.arm, inputs: inputs(0), nowUs: 0) == nil)
        var t: UInt64 = 0
        while t < 25_000_000 {
            m.update(inputs: inputs(t), nowUs: t)
            for c in op.poll(nowUs: t, mode: m.mode, heightM: 150, pendingRequest: m.pendingRequest) {
                if let refusal = m.handle(c, inputs: inputs(t), nowUs: t) { rejections.append(refusal.description) }
            }
            if m.mode == .terminal { break }
            t += 100_000
        }
        #expect(m.mode == .terminal)
        try #require(rejections.count == 3)
        #expect(rejections[0].contains("not in the authorised-operator key file"))
        #expect(rejections[1].contains("another designated point"))
        #expect(rejections[2].contains("stale"))
        // Entered on bob's genuine approval, at 14 s + 3 s.
        #expect(m.transitions.last?.reason == .approved(OperatorSigningKey.testKey(named: "bob").keyID))
        #expect(abs(Double(m.transitions.last!.timeUs) * 1e-6 - 17.0) < 0.15)
    }

    @Test func linkLossWindowSilencesTheOperator() throws {
        let op = try ScriptedOperator(file: OperatorScriptFile(linkLoss: [.init(fromS: 5, toS: 8)]))
        #expect(op.linkUp(nowUs: 4_900_000))
        #expect(!op.linkUp(nowUs: 6_000_000))
        #expect(op.linkUp(nowUs: 8_000_000))
    }

    @Test func actionsNeedExactlyOneTrigger() {
        #expect(throws: ConfigFileError.self) {
            _ = try ConfigFile.decode(OperatorScriptFile.self, fromTOML: "[[actions]]\naction = \"approve\"\n", source: "o.toml")
        }
        #expect(throws: ConfigFileError.self) {
            _ = try ConfigFile.decode(OperatorScriptFile.self,
                                      fromTOML: "[[actions]]\nat_s = 1\nbelow_height_m = 3\naction = \"approve\"\n", source: "o.toml")
        }
        #expect(throws: ConfigFileError.self) {
            _ = try ConfigFile.decode(OperatorScriptFile.self, fromTOML: "[[actions]]\nat_s = 1\naction = \"launch_nukes\"\n", source: "o.toml")
        }
    }
}

extension OperatorScriptFile.Window {
    init(fromS: Double, toS: Double) {
        self = try! ConfigFile.decode(Self.self, fromTOML: "from_s = \(fromS)\nto_s = \(toS)\n", source: "w")
    }
}
