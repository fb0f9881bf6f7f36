import FlightMath
import RealModule

/// A flight-test input on fixed controls, for comparing the plant with another flight-dynamics engine (JSBSim):
/// the airframe starts in wings-level trim, calm air, and one control moves from its trim value at `startS`.
public enum OpenLoopInput: String, CaseIterable, Sendable {
    /// Nothing moves: the trim must hold.
    case none
    /// +amplitude for `pulseS`, then −amplitude for `pulseS`, then trim (deflections in radians, positive as the
    /// airframe file's sign convention: trailing edge down on the elevator).
    case elevatorDoublet = "elevator-doublet"
    case aileronDoublet = "aileron-doublet"
    case rudderDoublet = "rudder-doublet"
    /// Throttle trim + amplitude (a fraction, 0…1) from `startS` on.
    case throttleStep = "throttle-step"
    /// Throttle 0 from `startS` on: the glide.
    case engineOff = "engine-off"

    /// A pulse about half the period of the mode each input excites on these airframes (short period ≈ 10 rad/s,
    /// Dutch roll 3–4.6 rad/s, roll subsidence).
    public var defaultPulseS: Double {
        switch self {
        case .elevatorDoublet: 0.3
        case .aileronDoublet: 0.5
        case .rudderDoublet: 0.7
        case .none, .throttleStep, .engineOff: 0
        }
    }
}

/// One sample of an open-loop response: body rates FRD, Euler angles, air data, height above the start point.
public struct OpenLoopSample: Sendable, Equatable {
    public var timeS: Double
    public var airspeedMps: Double
    public var alphaRad: Double
    public var betaRad: Double
    public var bodyRateFRDRadps: Vector3
    public var euler: EulerAngles
    public var heightM: Double
    public var elevatorRad: Double
    public var aileronRad: Double
    public var rudderRad: Double
    public var throttle: Double

    public static let csvHeader = "time_s,airspeed_mps,alpha_rad,beta_rad,p_radps,q_radps,r_radps,roll_rad,pitch_rad,"
        + "yaw_rad,height_m,elevator_rad,aileron_rad,rudder_rad,throttle"

    public var csvLine: String {
        [timeS, airspeedMps, alphaRad, betaRad, bodyRateFRDRadps.x, bodyRateFRDRadps.y, bodyRateFRDRadps.z,
         euler.rollRad, euler.pitchRad, euler.yawRad, heightM, elevatorRad, aileronRad, rudderRad, throttle]
            .map { "\($0)" }.joined(separator: ",")
    }
}

public struct OpenLoopResponseError: Error, CustomStringConvertible, Equatable {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// Flies `input` on the plant from trim, without the autopilot, and samples it.
public enum OpenLoopResponse {
    public static let origin = Geodetic(latitudeDeg: 47.397742, longitudeDeg: 8.545594, altitudeM: 488)

    /// Wings-level powered trim at `airspeedMps` and `heightM` above `origin` in the standard atmosphere, with the
    /// battery at `voltageRatio` of its full voltage (1: the propulsion section's own figures, as another engine
    /// without a battery model flies it).
    public static func trim(_ airframe: AirframeFile, airspeedMps: Double, heightM: Double, voltageRatio: Double = 1)
        throws(OpenLoopResponseError) -> TrimPoint
    {
        guard airspeedMps.isFinite, airspeedMps >= 5, airspeedMps <= 80 else {
            throw OpenLoopResponseError("airspeed must be 5…80 m/s, got \(airspeedMps)")
        }
        guard heightM.isFinite, heightM >= 0, heightM <= 5000 else {
            throw OpenLoopResponseError("height must be 0…5000 m, got \(heightM)")
        }
        guard let solver = TrimSolver(airframe: airframe) else {
            throw OpenLoopResponseError("the airframe's mass section gives no valid inertia")
        }
        let density = StandardAtmosphere.air(altitudeM: origin.altitudeM + heightM).densityKgpm3
        guard let trim = solver.powered(airspeedMps: airspeedMps, densityKgpm3: density, voltageRatio: voltageRatio)
        else {
            throw OpenLoopResponseError("no powered level trim at \(airspeedMps) m/s (beyond the throttle or the "
                                        + "elevator's range)")
        }
        return trim
    }

    public static func run(_ airframe: AirframeFile, airspeedMps: Double, heightM: Double, input: OpenLoopInput,
                           amplitude: Double, startS: Double = 1, pulseS: Double? = nil, durationS: Double,
                           sampleRateHz: Double = 50) throws(OpenLoopResponseError) -> [OpenLoopSample] {
        guard amplitude.isFinite, abs(amplitude) <= 1 else {
            throw OpenLoopResponseError("amplitude must be within ±1 (rad, or throttle fraction), got \(amplitude)")
        }
        guard durationS.isFinite, durationS > 0, durationS <= 600 else {
            throw OpenLoopResponseError("duration must be 0…600 s, got \(durationS)")
        }
        guard sampleRateHz.isFinite, sampleRateHz > 0, sampleRateHz <= 400 else {
            throw OpenLoopResponseError("sample rate must be 0…400 Hz, got \(sampleRateHz)")
        }
        let pulse = pulseS ?? input.defaultPulseS
        guard pulse.isFinite, pulse >= 0, pulse <= 60, startS.isFinite, startS >= 0 else {
            throw OpenLoopResponseError("pulse must be 0…60 s and start ≥ 0 s")
        }
        var v: SimulatedVehicle
        do {
            v = try SimulatedVehicle(
                airframe: airframe, origin: origin,
                launch: LaunchSection(speedMps: airspeedMps, climbAngleDeg: 0, headingDeg: 0, heightM: heightM),
                wind: WindModel(steadyNEDMps: .zero,
                                turbulence: DrydenTurbulence(intensity: .none, random: RandomSource(seed: 1)), gusts: []),
                seed: 1)
        } catch {
            throw OpenLoopResponseError("\(error)")
        }

        // The plant's battery sags under the trim current: trim again at the voltage the trim throttle leaves, so
        // the start holds (three rounds settle it to well under 0.1 % of throttle).
        var trim = try trim(airframe, airspeedMps: airspeedMps, heightM: heightM)
        var trimSurfaces = SurfaceDeflections(aileronRad: trim.aileronRad, elevatorRad: trim.elevatorRad, rudderRad: 0)
        func start() {
            v.reset(state: RigidBodyState(
                positionNEDM: Vector3(0, 0, -heightM), velocityNEDMps: Vector3(airspeedMps, 0, 0),
                attitude: Quaternion(euler: EulerAngles(rollRad: 0, pitchRad: trim.pitchRad, yawRad: 0)),
                bodyRateFRDRadps: .zero))
            trimSurfaces = SurfaceDeflections(aileronRad: trim.aileronRad, elevatorRad: trim.elevatorRad, rudderRad: 0)
            v.resetControls(PlantControls(surfaces: v.actuators.commands(for: trimSurfaces), throttle: trim.throttle))
        }
        for _ in 0..<3 {
            start()
            _ = v.step(controls: PlantControls(surfaces: v.actuators.commands(for: trimSurfaces), throttle: trim.throttle))
            trim = try Self.trim(airframe, airspeedMps: airspeedMps, heightM: heightM,
                                 voltageRatio: v.battery.voltageV / v.battery.fullVoltageV)
        }
        start()
        // Every servo reads its pulse at t = 0, 20 ms, …: the inputs switch on frame boundaries (1 s, pulses of
        // 0.3/0.5/0.7 s), so the response has no frame-phase latency another engine would have to draw the same.
        v.alignServoFrames(phases: SurfaceChannels())

        var samples: [OpenLoopSample] = []
        let steps = Int((durationS / v.dtS).rounded())
        let sampleEvery = max(1, Int((1 / (sampleRateHz * v.dtS)).rounded()))
        for i in 0...steps {
            let t = Double(i) * v.dtS
            // +1, −1 or 0 of the doublet at t.
            let phase = t < startS ? 0.0 : t < startS + pulse ? 1.0 : t < startS + 2 * pulse ? -1.0 : 0.0
            var surfaces = trimSurfaces
            var throttle = trim.throttle
            switch input {
            case .none: break
            case .elevatorDoublet: surfaces.elevatorRad += amplitude * phase
            case .aileronDoublet: surfaces.aileronRad += amplitude * phase
            case .rudderDoublet: surfaces.rudderRad += amplitude * phase
            case .throttleStep: if t >= startS { throttle = min(max(trim.throttle + amplitude, 0), 1) }
            case .engineOff:
                // The aileron trim against the propeller torque goes with the torque (else it rolls the glide away).
                if t >= startS { throttle = 0; surfaces.aileronRad = 0 }
            }
            if i % sampleEvery == 0 {
                let truth = v.truth
                samples.append(OpenLoopSample(
                    timeS: t, airspeedMps: truth.air.airspeedMps, alphaRad: truth.air.alphaRad,
                    betaRad: truth.air.betaRad, bodyRateFRDRadps: truth.body.bodyRateFRDRadps, euler: truth.euler,
                    heightM: truth.heightM, elevatorRad: truth.surfaces.elevatorRad,
                    aileronRad: truth.surfaces.aileronRad, rudderRad: truth.surfaces.rudderRad,
                    throttle: truth.throttle))
            }
            if i < steps {
                _ = v.step(controls: PlantControls(surfaces: v.actuators.commands(for: surfaces), throttle: throttle))
            }
        }
        return samples
    }
}
