import FlightMath
import Testing
@testable import Simulation

@Suite struct RigidBodyTests {
    /// With aerodynamics, thrust and ground off only gravity acts: kinetic (translational and rotational) plus
    /// potential energy is constant, and so is the angular momentum in the earth frame (torque-free tumbling with
    /// the full inertia tensor, Ixz included).
    @Test func ballisticFlightConservesEnergyAndAngularMomentum() throws {
        let airframe = try Fixture.airframe()
        var v = try SimulatedVehicle(
            airframe: airframe, origin: Fixture.origin,
            launch: LaunchSection(speedMps: 20, climbAngleDeg: 30, headingDeg: 45, heightM: 1000),
            wind: Fixture.calmWind(), seed: 1,
            options: PlantOptions(aerodynamicsEnabled: false, propulsionEnabled: false, groundContactEnabled: false))
        var s = v.state
        s.bodyRateFRDRadps = Vector3(1.2, -0.7, 2.0)
        v.reset(state: s)
        let mass = v.massProperties
        let e0 = RigidBodyIntegrator.totalEnergyJ(of: v.state, mass: mass)
        func angularMomentumNED(_ s: RigidBodyState) -> Vector3 { s.attitude.rotate(mass.inertiaKgm2 * s.bodyRateFRDRadps) }
        let h0 = angularMomentumNED(v.state)
        let controls = PlantControls(throttle: 1)
        for _ in 0..<(400 * 60) { v.step(controls: controls) }
        let e1 = RigidBodyIntegrator.totalEnergyJ(of: v.state, mass: mass)
        #expect(abs(e1 - e0) / abs(e0) < 1e-6, "energy \(e0) → \(e1)")
        #expect((angularMomentumNED(v.state) - h0).norm / h0.norm < 1e-6)
        // Free fall: 60 s under g from a 10 m/s climb.
        let expectedDown = -1000 - 10 * 60 + 0.5 * WGS84.standardGravityMps2 * 3600
        #expect(abs(v.state.positionNEDM.z - expectedDown) < 1e-6 * abs(expectedDown))
    }

    /// A body at rest on the ground stays there, pressed down with 1 g of specific force up (−g on body z).
    @Test func restsOnTheGround() throws {
        let airframe = try Fixture.airframe()
        var v = try SimulatedVehicle(
            airframe: airframe, origin: Fixture.origin,
            launch: LaunchSection(speedMps: 0, climbAngleDeg: 0, headingDeg: 90, heightM: 0),
            wind: Fixture.calmWind(), seed: 1)
        for _ in 0..<400 { v.step(controls: PlantControls()) }
        #expect(abs(v.state.positionNEDM.z + airframe.groundContact.restingHeightM) < 1e-12)
        #expect(v.state.velocityNEDMps.norm < 1e-12)
        #expect(abs(v.truth.specificForceFRDMps2.z + WGS84.standardGravityMps2) < 1e-9)
        #expect(v.firstTouchdown == nil)
    }

    /// Dropped from 30 m with the motor off and the elevator full down, the airframe hits the ground: a
    /// touchdown is reported with the impact speed, as a crash, and it slides to a stop without going below ground.
    @Test func reportsCrashWithImpactSpeed() throws {
        let airframe = try Fixture.airframe()
        var v = try SimulatedVehicle(
            airframe: airframe, origin: Fixture.origin,
            launch: LaunchSection(speedMps: 15, climbAngleDeg: -60, headingDeg: 0, heightM: 30),
            wind: Fixture.calmWind(), seed: 1)
        var lowest = -Double.infinity
        let elevatorChannel = try #require(airframe.channel(of: .elevator))
        var controls = PlantControls()
        controls.surfaces[elevatorChannel] = 1
        for _ in 0..<(400 * 20) {
            v.step(controls: controls)
            lowest = max(lowest, v.state.positionNEDM.z)
        }
        let event = try #require(v.firstTouchdown)
        #expect(event.isCrash)
        #expect(event.impactSpeedMps > 15)
        #expect(lowest <= -airframe.groundContact.restingHeightM + 1e-12)
        #expect(v.state.velocityNEDMps.norm < 0.01)
    }
}
