import FlightMath
import Testing
@testable import Simulation

@Test func exploreDemo() throws {
    let p = try PreparedScenario.load(scenarioPath: "\(Fixture.repoRoot)/Scenarios/demo-open-loop.toml")
    var v = try p.makeVehicle()
    var idx = 0
    for i in 0..<Int(p.scenario.durationS * 400) {
        let t = Double(i) / 400
        while idx + 1 < p.schedule.count && p.schedule[idx + 1].timeS <= t { idx += 1 }
        v.step(controls: p.schedule[idx].controls)
        if i % 4000 == 0 {
            let tr = v.truth
            print(String(format: "t %.0f h %.1f V %.2f roll %.1f pitch %.1f yaw %.1f batt %.2f alpha %.1f", tr.timeS, tr.heightM, tr.air.airspeedMps, tr.euler.rollRad*57.3, tr.euler.pitchRad*57.3, tr.euler.yawRad*57.3, tr.batteryVoltageV, tr.air.alphaRad*57.3))
        }
    }
    print(v.firstTouchdown as Any)
}
