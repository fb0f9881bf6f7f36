import FlightMath
import Simulation

/// The launcher rail: the airframe rests on it pitched up by the climb angle on the launch heading until the
/// catapult fires, then accelerates at a constant rate along the rail to the launch speed over the stroke.
struct Catapult: Sendable {
    /// At rest on the rail.
    let railStart: RigidBodyState
    let directionNED: Vector3
    let launchSpeedMps: Double
    let strokeUs: UInt64

    init(launch: LaunchSection, strokeS: Double) {
        var start = SimulatedVehicle.launchState(launch)
        directionNED = start.attitude.rotate(Vector3(1, 0, 0))
        start.velocityNEDMps = .zero
        railStart = start
        launchSpeedMps = launch.speedMps
        strokeUs = UInt64((strokeS.isFinite ? max(strokeS, 0) : 0.3) * 1e6)
    }

    /// Whether the airframe is still held by the rail at `t` (before firing, or within the stroke).
    /// `firedAtUs` = `.max`: not fired.
    func holds(atUs t: UInt64, firedAtUs: UInt64) -> Bool {
        let (end, overflow) = firedAtUs.addingReportingOverflow(strokeUs)
        return overflow || t <= end
    }

    /// Constant acceleration along the rail from `firedAtUs` for the stroke; at rest before.
    func state(atUs t: UInt64, firedAtUs: UInt64) -> RigidBodyState {
        var s = railStart
        guard t > firedAtUs, strokeUs > 0 else { return s }
        let tau = Double(min(t - firedAtUs, strokeUs)) * 1e-6
        let a = launchSpeedMps / (Double(strokeUs) * 1e-6)
        s.velocityNEDMps = directionNED * (a * tau)
        s.positionNEDM = railStart.positionNEDM + directionNED * (0.5 * a * tau * tau)
        return s
    }

    func accelerationNEDMps2(atUs t: UInt64, firedAtUs: UInt64) -> Vector3 {
        guard t > firedAtUs, strokeUs > 0 else { return .zero }
        return directionNED * (launchSpeedMps / (Double(strokeUs) * 1e-6))
    }

    /// One plant step under `controls`: held by the rail while it holds the airframe, free flight after.
    func step(_ vehicle: inout SimulatedVehicle, controls: PlantControls, firedAtUs: UInt64) -> SensorUpdates {
        let t = vehicle.timeUs &+ vehicle.stepUs  // the time this step ends
        guard holds(atUs: t, firedAtUs: firedAtUs) else { return vehicle.step(controls: controls) }
        return vehicle.stepHeld(state: state(atUs: t, firedAtUs: firedAtUs),
                                accelerationNEDMps2: accelerationNEDMps2(atUs: t, firedAtUs: firedAtUs),
                                controls: controls)
    }
}
