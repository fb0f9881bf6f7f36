import ConfigFiles
import FlightMath
import Foundation
@testable import Simulation

/// Paths and fixtures shared by the physics tests.
enum Fixture {
    static let repoRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static func airframePath(_ name: String) -> String { "\(repoRoot)/Hardware/airframes/\(name).toml" }

    static func airframe(_ name: String = "kestrel-2m") throws -> AirframeFile {
        try AirframeFile.load(fromFile: airframePath(name))
    }

    static let origin = Geodetic(latitudeDeg: 47.397742, longitudeDeg: 8.545594, altitudeM: 488)

    static func calmWind(seed: UInt64 = 1) -> WindModel {
        WindModel(steadyNEDMps: .zero, turbulence: DrydenTurbulence(intensity: .none, random: RandomSource(seed: seed)),
                  gusts: [])
    }

    /// A plant flying the trim point `trim` at `heightM`, heading north, wings level, controls at trim.
    static func trimmedVehicle(_ airframe: AirframeFile, trim: TrimPoint, heightM: Double,
                               wind: WindModel = calmWind(), seed: UInt64 = 1,
                               options: PlantOptions = PlantOptions()) throws -> SimulatedVehicle {
        var v = try SimulatedVehicle(
            airframe: airframe, origin: origin,
            launch: LaunchSection(speedMps: trim.airspeedMps, climbAngleDeg: 0, headingDeg: 0, heightM: heightM),
            wind: wind, seed: seed, options: options)
        let attitude = Quaternion(euler: EulerAngles(rollRad: 0, pitchRad: trim.pitchRad, yawRad: 0))
        let g = trim.flightPathAngleRad
        v.reset(state: RigidBodyState(
            positionNEDM: Vector3(0, 0, -heightM),
            velocityNEDMps: Vector3(trim.airspeedMps * Double.cos(g), 0, -trim.airspeedMps * Double.sin(g)),
            attitude: attitude, bodyRateFRDRadps: .zero))
        v.resetControls(controls(v, trim: trim))
        return v
    }

    /// The trim's controls (its aileron trim against the propeller's torque included), `aileronRad` more aileron.
    static func controls(_ v: SimulatedVehicle, trim: TrimPoint, aileronRad: Double = 0) -> PlantControls {
        PlantControls(
            surfaces: v.actuators.commands(for: SurfaceDeflections(aileronRad: trim.aileronRad + aileronRad,
                                                                   elevatorRad: trim.elevatorRad, rudderRad: 0)),
            throttle: trim.throttle)
    }
}
