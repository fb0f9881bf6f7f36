import FlightMath
import RealModule

/// The SITL plant: one airframe flying in the standard atmosphere and a modelled wind, with its sensors.
/// `step(controls:)` advances it by one fixed step (RK4); it allocates nothing, and for a given seed the trajectory
/// is the same bit for bit on every run.
public struct SimulatedVehicle: Sendable {
    public let airframe: AirframeFile
    public let frame: LocalFrame
    public let options: PlantOptions
    public let stepUs: UInt64
    public let dtS: Double
    let mass: MassProperties
    let aerodynamics: AerodynamicModel
    public private(set) var actuators: ActuatorModel
    public private(set) var propulsion: PropulsionModel
    public private(set) var battery: BatteryModel
    public private(set) var ground: GroundContact
    public private(set) var wind: WindModel
    public private(set) var sensors: SensorSuite
    public private(set) var state: RigidBodyState
    public private(set) var stepCount: UInt64 = 0
    public private(set) var firstTouchdown: TouchdownEvent?
    public private(set) var lastTouchdown: TouchdownEvent?
    public private(set) var touchdownCount = 0
    private var airData: AirData
    private var specificForceFRDMps2: Vector3
    private var thrustN = 0.0

    /// Builds the plant with the airframe released at `launch` from the origin (the ground), with the surfaces and
    /// throttle already at `initialControls`.
    public init(airframe: AirframeFile, origin: Geodetic, launch: LaunchSection, wind: WindModel, seed: UInt64,
                gpsOutages: [GPSOutage] = [], initialControls: PlantControls = PlantControls(),
                initialStateOfCharge: Double = 1, options: PlantOptions = PlantOptions()) throws(PlantSetupError) {
        guard options.stepRateHz >= 400, options.stepRateHz <= 100_000, 1_000_000 % options.stepRateHz == 0 else {
            throw PlantSetupError("step rate \(options.stepRateHz) Hz: needs ≥ 400 Hz and a divisor of 1 000 000")
        }
        guard let mass = airframe.mass.massProperties else {
            throw PlantSetupError("inertia of '\(airframe.airframe.name)' is not positive definite")
        }
        guard origin.isFinite else { throw PlantSetupError("origin is not a finite position") }
        self.airframe = airframe
        self.frame = LocalFrame(origin: origin)
        self.options = options
        self.stepUs = UInt64(1_000_000 / options.stepRateHz)
        self.dtS = Double(stepUs) * 1e-6
        self.mass = mass
        self.aerodynamics = AerodynamicModel(coefficients: airframe.aerodynamics, geometry: airframe.geometry)
        self.actuators = ActuatorModel(section: airframe.actuators, seed: seed)
        self.propulsion = PropulsionModel(parameters: airframe.propulsion)
        self.battery = BatteryModel(parameters: airframe.battery, stateOfCharge: initialStateOfCharge)
        self.wind = wind
        self.sensors = SensorSuite(section: airframe.sensors, frame: frame, gpsOutages: gpsOutages, seed: seed)
        self.state = Self.launchState(launch)
        let restingHeight = airframe.groundContact.restingHeightM
        self.ground = GroundContact(parameters: airframe.groundContact.parameters,
                                    startsOnGround: launch.heightM <= restingHeight)
        if launch.heightM < restingHeight { state.positionNEDM.z = -restingHeight }
        actuators.reset(commands: initialControls.surfaces)
        propulsion.reset(throttle: options.propulsionEnabled ? initialControls.throttle : 0)
        airData = AirData(airVelocityFRDMps: state.attitude.inverseRotate(state.velocityNEDMps - wind.currentNEDMps))
        specificForceFRDMps2 = state.attitude.inverseRotate(-RigidBodyIntegrator.gravityNEDMps2)
    }

    /// On the rail: velocity along the body x axis (α = β = 0), pitched by the climb angle, wings level.
    public static func launchState(_ l: LaunchSection) -> RigidBodyState {
        let gamma = Angle.radians(fromDegrees: l.climbAngleDeg), psi = Angle.radians(fromDegrees: l.headingDeg)
        let attitude = Quaternion(euler: EulerAngles(rollRad: 0, pitchRad: gamma, yawRad: psi))
        return RigidBodyState(positionNEDM: Vector3(0, 0, -l.heightM),
                              velocityNEDMps: attitude.rotate(Vector3(l.speedMps, 0, 0)),
                              attitude: attitude, bodyRateFRDRadps: .zero)
    }

    /// Replaces the rigid-body state (tests, trimmed starts).
    public mutating func reset(state newState: RigidBodyState) {
        state = newState
        airData = AirData(airVelocityFRDMps: state.attitude.inverseRotate(state.velocityNEDMps - wind.currentNEDMps))
    }

    /// Puts each servo's first PWM frame boundary at `phases` (fractions of a frame after time zero) instead of where
    /// the seed drew them, the surfaces where they are: rigs that another engine replays step for step.
    public mutating func alignServoFrames(phases: SurfaceChannels) {
        let surfaces = actuators.deflectionsRad
        actuators = ActuatorModel(section: airframe.actuators, framePhases: phases)
        actuators.reset(commands: actuators.commands(forChannelDeflections: surfaces))
    }

    /// Sets the surfaces and throttle to `controls` at once, without servo or motor lag (trimmed starts).
    public mutating func resetControls(_ controls: PlantControls) {
        actuators.reset(commands: controls.surfaces)
        propulsion.reset(throttle: options.propulsionEnabled ? controls.throttle : 0)
    }

    public var timeUs: UInt64 { stepCount &* stepUs }
    public var timeS: Double { Double(timeUs) * 1e-6 }
    public var readings: SensorReadings { sensors.readings }
    public var massProperties: MassProperties { mass }
    public var aerodynamicModel: AerodynamicModel { aerodynamics }
    /// Exact WGS-84 position of the centre of gravity.
    public var geodeticPosition: Geodetic { frame.geodetic(ofNED: state.positionNEDM) }

    /// True airspeed after the last step (cheaper than building `truth`).
    public var airspeedMps: Double { airData.airspeedMps }

    public var truth: VehicleTruth {
        VehicleTruth(
            timeS: timeS, body: state, air: airData, windNEDMps: wind.currentNEDMps,
            specificForceFRDMps2: specificForceFRDMps2, thrustN: thrustN, throttle: propulsion.spooledThrottle,
            surfaces: actuators.equivalentDeflections, batteryVoltageV: battery.voltageV,
            batteryCurrentA: battery.currentA, batteryStateOfCharge: battery.stateOfCharge,
            isOnGround: ground.isOnGround)
    }

    /// Advances time by one step with the airframe held by a launcher (on the catapult rail, or being accelerated
    /// along it): the rigid body takes the given kinematic state instead of integrating forces, the servos, motor,
    /// battery and wind run as usual under `controls`, and the sensors see the held state (at rest the
    /// accelerometer reads −g in body axes; during the stroke the rail's acceleration on top).
    @discardableResult
    public mutating func stepHeld(state held: RigidBodyState, accelerationNEDMps2: Vector3,
                                  controls: PlantControls) -> SensorUpdates {
        advance(controls: controls, motion: .held(held, accelerationNEDMps2: accelerationNEDMps2))
    }

    /// Advances the plant by one step under `controls` (held over the step) and samples the sensors that are due.
    @discardableResult
    public mutating func step(controls: PlantControls) -> SensorUpdates {
        advance(controls: controls, motion: .free)
    }

    /// How the rigid body moves over a step.
    private enum Motion {
        /// Integrated from the forces (RK4), with ground contact.
        case free
        /// Set to a kinematic state by a launcher, with its acceleration for the accelerometer.
        case held(RigidBodyState, accelerationNEDMps2: Vector3)
    }

    /// One step of the plant, shared by `step` and `stepHeld`: servos, motor, atmosphere and wind from the state the
    /// step starts in, then the rigid body moves (`motion`), then air data, thrust, battery and sensors at the new
    /// state.
    private mutating func advance(controls: PlantControls, motion: Motion) -> SensorUpdates {
        let dt = dtS
        let t = timeS
        actuators.update(commands: controls.surfaces, dtS: dt)
        propulsion.update(throttle: options.propulsionEnabled ? controls.throttle : 0, dtS: dt)
        let start: RigidBodyState
        if case .held(let held, _) = motion { start = held } else { start = state }
        let heightM = -start.positionNEDM.z
        let air = StandardAtmosphere.air(altitudeM: frame.origin.altitudeM + heightM)
        let windNED = wind.update(timeS: t, dtS: dt, airspeedMps: airData.airspeedMps,
                                  altitudeAboveGroundM: heightM, attitude: start.attitude)
        let voltageRatio = battery.voltageV / battery.fullVoltageV
        let density = air.densityKgpm3

        let next: RigidBodyState
        let accelerationNED: Vector3
        switch motion {
        case .held(let held, let acceleration):
            stepCount &+= 1
            next = held
            accelerationNED = acceleration
        case .free:
            next = integrate(from: start, windNEDMps: windNED, densityKgpm3: density, voltageRatio: voltageRatio)
            accelerationNED = (next.velocityNEDMps - start.velocityNEDMps) / dt
        }
        specificForceFRDMps2 = next.attitude.inverseRotate(accelerationNED - RigidBodyIntegrator.gravityNEDMps2)
        state = next
        let airVelocity = state.attitude.inverseRotate(state.velocityNEDMps - windNED)
        airData = AirData(airVelocityFRDMps: airVelocity)
        let power = options.propulsionEnabled
            ? propulsion.output(axialAirspeedMps: airVelocity.x, densityKgpm3: density, voltageRatio: voltageRatio)
            : PropulsionOutput(thrustN: 0, electricalPowerW: 0, rollTorqueNm: 0, pitchMomentNm: 0)
        thrustN = power.thrustN
        battery.draw(loadPowerW: power.electricalPowerW, dtS: dt)

        let truth = SensorTruth(
            timeUs: timeUs, positionNEDM: state.positionNEDM, velocityNEDMps: state.velocityNEDMps,
            attitude: state.attitude, bodyRateFRDRadps: state.bodyRateFRDRadps,
            specificForceFRDMps2: specificForceFRDMps2, airVelocityFRDMps: airVelocity,
            air: StandardAtmosphere.air(altitudeM: frame.origin.altitudeM - state.positionNEDM.z),
            rotorSpeedFraction: propulsion.rotorSpeedFraction(voltageRatio: voltageRatio))
        return sensors.sample(truth)
    }

    /// Integrates the rigid body over one step from `start` under aerodynamics and thrust (wind, surfaces, throttle
    /// and air density held over the step), counts the step and applies ground contact.
    private mutating func integrate(from start: RigidBodyState, windNEDMps windNED: Vector3,
                                    densityKgpm3 density: Double, voltageRatio: Double) -> RigidBodyState {
        let surfaces = actuators.equivalentDeflections
        let aero = aerodynamics
        let prop = propulsion
        let aeroOn = options.aerodynamicsEnabled
        // Without propulsion there is no propeller at all: not even a windmilling one's drag.
        let propOn = options.propulsionEnabled

        // Forces at a stage state.
        func wrench(_ s: RigidBodyState) -> Wrench {
            let airVelocity = s.attitude.inverseRotate(s.velocityNEDMps - windNED)
            var w = Wrench.zero
            if aeroOn {
                w = aero.wrench(air: AirData(airVelocityFRDMps: airVelocity), densityKgpm3: density,
                                bodyRateFRDRadps: s.bodyRateFRDRadps, surfaces: surfaces)
            }
            guard propOn else { return w }
            let p = prop.output(axialAirspeedMps: airVelocity.x, densityKgpm3: density, voltageRatio: voltageRatio)
            // Thrust (or the windmilling propeller's drag) along body x on the thrust line, and the propeller's
            // reaction torque.
            w.forceFRDN.x += p.thrustN
            w.momentFRDNm.x += p.rollTorqueNm
            w.momentFRDNm.y += p.pitchMomentNm
            return w
        }

        let startWrench = wrench(start)
        var next = RigidBodyIntegrator.step(start, dtS: dtS, mass: mass, firstWrench: startWrench, wrench: wrench)
        stepCount &+= 1
        if options.groundContactEnabled {
            let pressDown = start.attitude.rotate(startWrench.forceFRDN).z / mass.massKg
                + RigidBodyIntegrator.gravityNEDMps2.z
            if let event = ground.constrain(&next, normalSpecificForceMps2: pressDown, dtS: dtS, timeS: timeS) {
                if firstTouchdown == nil { firstTouchdown = event }
                lastTouchdown = event
                touchdownCount += 1
            }
        }
        return next
    }
}
