import Foundation
import MAVLink
import Simulation
import Testing
@testable import FlightRuntime
@testable import SITL

private let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// End to end on the emulated board: in flight, the barometer stops acknowledging its address (a loose wire). The
/// ground link's SYS_STATUS keeps it present, drops it from the healthy set once the filter calls it failed, and
/// counts the failed reads in errors_count2; the other sensors stay healthy.
@Suite struct SensorFailureReportTests {
    @Test func aBarometerThatStopsAnsweringIsReportedPresentButNotHealthy() throws {
        let scenario = try ClosedLoopScenario.load(scenarioPath: "\(root)/Scenarios/demo.toml")
        let run = try SITLRun(scenario: scenario)
        run.run(durationS: 40)
        var status = TelemetryMessages.sysStatus(VehicleSnapshot(run.host.output))
        let sensors: MAVSysStatusSensor = [.sensor3dGyro, .sensor3dAccel, .absolutePressure, .differentialPressure,
                                           .gps]
        #expect(status.onboardControlSensorsPresent.isSuperset(of: sensors.union(.mavSysStatusAhrs)))
        #expect(status.onboardControlSensorsHealth.isSuperset(of: sensors.union(.mavSysStatusAhrs)))
        #expect(status.errorsCount2 == 0)

        let bus = try #require(run.emulation.buses[scenario.board.barometer.i2cBus])
        bus.inject(I2CFault(address: scenario.board.barometer.address, effect: .nack))
        run.run(durationS: 5)
        status = TelemetryMessages.sysStatus(VehicleSnapshot(run.host.output))
        #expect(status.onboardControlSensorsPresent.contains(.absolutePressure))
        #expect(!status.onboardControlSensorsHealth.contains(.absolutePressure))
        #expect(status.onboardControlSensorsHealth.isSuperset(of: [.sensor3dGyro, .sensor3dAccel, .gps]))
        // Polled at the board's barometer rate for 5 s: every poll failed.
        #expect(status.errorsCount2 >= 100)
    }
}
