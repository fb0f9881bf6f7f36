import FlightLog
import FlightMath

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A deterministic, plausible five-minute flight for `Tools/flight-report` and its test: catapult launch, three
/// waypoints, a loiter over the designated point, a refused and a granted approval, a terminal dive that is waved
/// off, a climb back to the loiter and a return to launch. A kinematic point-mass (coordinated turns, first-order
/// roll, pitch and speed responses) flown by simple guidance — enough to give every panel of the report real
/// setpoint-vs-response data, not a flight-dynamics model.
///
/// Every topic the report draws is written: vehicle_local_position, vehicle_global_position,
/// position_setpoint_triplet, tecs_status, airspeed, vehicle_attitude, vehicle_attitude_setpoint, vehicle_status,
/// kestrel_gate_event and estimator_innovations (with a GPS glitch whose test ratio exceeds 1).
enum SampleFlight {
    static let startUs: UInt64 = 1_000_000
    static let rateHz = 50.0
    static let durationS = 300.0
    static let home = Geodetic(latitudeDeg: 47.397742, longitudeDeg: 8.545594, altitudeM: 535.0)
    static let geoidHeightM = 47.0
    static let gravity = WGS84.standardGravityMps2

    /// Waypoints (north, east, height above home) and the designated point the loiter and approach are bound to.
    static let waypoints: [(n: Double, e: Double, h: Double)] = [(500, 100, 100), (700, 600, 120), (300, 950, 120)]
    static let designated = (n: 150.0, e: 650.0)
    static let loiterRadiusM = 120.0
    static let loiterHeightM = 120.0
    static let homeLoiterRadiusM = 80.0

    enum Phase: Equatable { case ground, takeoff, mission(Int), loiter, terminal, climbBack, rtl }

    static func write(directory: String) throws -> String {
        var registry = ULogTopicRegistry()
        let local = try registry.register(VehicleLocalPosition.self)
        let global = try registry.register(VehicleGlobalPosition.self)
        let triplet = try registry.register(PositionSetpointTriplet.self)
        let tecs = try registry.register(TECSStatus.self)
        let airspeedTopic = try registry.register(Airspeed.self)
        let attitude = try registry.register(VehicleAttitude.self)
        let attitudeSetpoint = try registry.register(VehicleAttitudeSetpoint.self)
        let status = try registry.register(VehicleStatus.self)
        let gate = try registry.register(KestrelGateEvent.self)
        let innovations = try registry.register(EstimatorInnovations.self)

        let definitions = ULogDefinitions(
            startTimestampUs: startUs,
            info: ULogDefinitions.kestrelInfo(softwareVersion: "0.1.0-sample", vehicleId: "KST-0001",
                                              board: "sitl", airframe: "kestrel-wing-1"),
            multiInfo: [("boot_note", .string("sample flight"))],
            parameters: [("FW_AIRSPD_TRIM", .float(18.0))],
            registry: registry)
        let ring = try SPSCRecordRing(slotCount: 256, recordCapacityBytes: 256)
        let producer = ULogProducer(ring: ring)
        let session = try ULogSession(
            configuration: FlightLogConfiguration(directory: directory, maxLogCount: 5, blockBytes: 16384),
            naming: .sequential, definitions: definitions, rings: [ring])

        let frame = LocalFrame(origin: home)
        let homeAMSLM = home.altitudeM - geoidHeightM
        var random = RandomSource.stream(seed: 7, label: 0x464C_4947_4854)  // "FLIGHT"

        // Vehicle state (NED metres, radians, m/s).
        var n = 0.0, e = 0.0, h = 0.0
        var yaw = 0.35, roll = 0.0, pitch = 0.0, speed = 0.0, climbRate = 0.0
        var phase = Phase.ground
        var phaseStartS = 0.0
        var loiterEntries = 0
        var navState = VehicleStatus.NavState.manual
        var requestSequence: UInt32 = 0
        var reportedStatus = false
        let ticks = Int(durationS * rateHz)
        let dt = 1 / rateHz

        func gateEvent(_ event: KestrelGateEvent.Event, _ t: UInt64, reason: UInt16 = 0, expiryUs: UInt64 = 0) {
            var g = KestrelGateEvent()
            g.timestampUs = t
            g.event = event.rawValue
            g.reasonCode = reason
            g.requestSequence = requestSequence
            if event != .request { for k in 0..<8 { g.operatorKeyId[k] = UInt8(0x30 + k) } }
            for k in 0..<8 { g.noncePrefix[k] = UInt8(truncatingIfNeeded: 0x51 * Int(requestSequence) + k) }
            let point = frame.geodetic(ofNED: Vector3(designated.n, designated.e, 0))
            g.designationLatitudeDeg = point.latitudeDeg
            g.designationLongitudeDeg = point.longitudeDeg
            g.designationAltitudeM = Float(homeAMSLM)
            g.approvalExpiryUs = expiryUs
            producer.log(g, to: gate)
        }

        for i in 0..<ticks {
            let s = Double(i) * dt
            let t = startUs + UInt64(i) * UInt64(1_000_000 / rateHz)
            let inPhaseS = s - phaseStartS
            var next = phase

            // Guidance: where to go, how high, how fast.
            var courseSetpoint = yaw
            var heightSetpoint = h
            var speedSetpoint = 18.0
            var turnFeedForward = 0.0
            switch phase {
            case .ground:
                if s >= 5 { next = .takeoff }
            case .takeoff:
                heightSetpoint = 60
                speedSetpoint = 16
                if h > 45 { next = .mission(0) }
            case .mission(let k):
                let wp = waypoints[k]
                courseSetpoint = atan2(wp.e - e, wp.n - n)
                heightSetpoint = wp.h
                if ((wp.n - n) * (wp.n - n) + (wp.e - e) * (wp.e - e)).squareRoot() < 35 {
                    next = k + 1 < waypoints.count ? .mission(k + 1) : .loiter
                }
            case .loiter, .climbBack:
                (courseSetpoint, turnFeedForward) = orbit(n: n, e: e, centre: designated, radiusM: loiterRadiusM,
                                                          speedMps: speed)
                heightSetpoint = loiterHeightM
                speedSetpoint = 16
                if phase == .climbBack, h > loiterHeightM - 5 { next = .loiter }
                if phase == .loiter, loiterEntries >= 2, inPhaseS > 40 { next = .rtl }
            case .terminal:
                courseSetpoint = atan2(designated.e - e, designated.n - n)
                let distance = ((designated.n - n) * (designated.n - n) + (designated.e - e) * (designated.e - e))
                    .squareRoot()
                heightSetpoint = max(25, min(loiterHeightM, distance * 0.35))
                speedSetpoint = 22
                if inPhaseS >= 6 { next = .climbBack }
            case .rtl:
                (courseSetpoint, turnFeedForward) = orbit(n: n, e: e, centre: (0, 0), radiusM: homeLoiterRadiusM,
                                                          speedMps: speed)
                heightSetpoint = 80
                speedSetpoint = 18
            }

            // Gate events while loitering over the designation: a request that expires unanswered (refused when the
            // late approval arrives), a second request that is approved, then a wave-off during the dive.
            if phase == .loiter, loiterEntries == 1 {
                let step = Int((inPhaseS * rateHz).rounded())
                if step == Int(12 * rateHz) {
                    requestSequence = 1
                    gateEvent(.request, t, expiryUs: t + 30_000_000)
                    producer.log(.info, "gate: approval request 1 sent", timestampUs: t)
                }
                if step == Int(45 * rateHz) {
                    gateEvent(.rejection, t, reason: 10)
                    producer.log(.warning, "gate: approval for request 1 refused: arrived after expiry", timestampUs: t)
                }
                if step == Int(50 * rateHz) {
                    requestSequence = 2
                    gateEvent(.request, t, expiryUs: t + 30_000_000)
                }
                if step == Int(62 * rateHz) {
                    gateEvent(.approval, t, expiryUs: t + 18_000_000)
                    producer.log(.info, "gate: request 2 approved, entering terminal phase", timestampUs: t)
                    next = .terminal
                }
            }
            if phase == .terminal, next == .climbBack {
                gateEvent(.waveOff, t)
                producer.log(.warning, "gate: wave-off, climbing back to the loiter", timestampUs: t)
            }

            // Control: coordinated-turn roll, TECS-like climb and speed, first-order responses.
            let rollLimit = 35.0 * .pi / 180
            var rollSetpoint = 0.0
            var pitchSetpoint = 0.0
            var climbSetpoint = 0.0
            if phase != .ground {
                let courseError = Angle.wrapPi(courseSetpoint - yaw)
                rollSetpoint = min(rollLimit, max(-rollLimit,
                    atan(speed * 0.45 * courseError / gravity) + turnFeedForward))
                climbSetpoint = min(5, max(-6, 0.35 * (heightSetpoint - h)))
                pitchSetpoint = asin(min(0.5, max(-0.5, climbSetpoint / max(speed, 8)))) + 0.04
                roll += (rollSetpoint - roll) * dt / 0.35
                pitch += (pitchSetpoint - pitch) * dt / 0.6
                let gust = 0.6 * sin(0.7 * s) + 0.3 * random.gaussian()
                speed += (speedSetpoint + gust - speed) * dt / (phase == .takeoff && inPhaseS < 0.5 ? 0.05 : 2.5)
                climbRate = speed * sin(pitch - 0.04)
                yaw = Angle.wrapPi(yaw + gravity * tan(roll) / max(speed, 8) * dt)
                n += speed * cos(pitch) * cos(yaw) * dt
                e += speed * cos(pitch) * sin(yaw) * dt
                h = max(0, h + climbRate * dt)
            }

            if next != phase {
                if next == .loiter { loiterEntries += 1 }
                phase = next
                phaseStartS = s
            }
            let newNav: VehicleStatus.NavState =
                switch phase {
                case .ground: .manual
                case .takeoff: .autoTakeoff
                case .mission, .terminal: .autoMission
                case .loiter, .climbBack: .autoLoiter
                case .rtl: .autoRTL
                }

            // Logging at PX4-like rates: attitude 50 Hz, navigation and TECS 10 Hz, innovations 5 Hz, status 1 Hz.
            let q = Quaternion(euler: EulerAngles(rollRad: roll, pitchRad: pitch, yawRad: yaw))
            producer.log(VehicleAttitude(timestampUs: t, timestampSampleUs: t - 1_000, attitude: q), to: attitude)
            var sp = VehicleAttitudeSetpoint()
            sp.timestampUs = t
            sp.rollBodyRad = Float(rollSetpoint)
            sp.pitchBodyRad = Float(pitchSetpoint)
            sp.yawBodyRad = Float(courseSetpoint)
            let qd = Quaternion(euler: EulerAngles(rollRad: rollSetpoint, pitchRad: pitchSetpoint, yawRad: courseSetpoint))
            sp.qDesired = SIMD4(Float(qd.w), Float(qd.x), Float(qd.y), Float(qd.z))
            sp.thrustBody = SIMD3(Float(phase == .ground ? 0 : 0.55), 0, 0)
            producer.log(sp, to: attitudeSetpoint)

            if i % 5 == 0 {
                var lp = VehicleLocalPosition()
                lp.timestampUs = t
                lp.timestampSampleUs = t - 2_000
                (lp.xyValid, lp.zValid, lp.vxyValid, lp.vzValid, lp.xyGlobal, lp.zGlobal) = (true, true, true, true, true, true)
                lp.positionNEDM = SIMD3(Float(n), Float(e), Float(-h))
                lp.velocityNEDMps = SIMD3(Float(speed * cos(yaw)), Float(speed * sin(yaw)), Float(-climbRate))
                lp.headingRad = Float(yaw)
                lp.refTimestampUs = startUs
                lp.refLatitudeDeg = home.latitudeDeg
                lp.refLongitudeDeg = home.longitudeDeg
                lp.refAltitudeM = Float(homeAMSLM)
                (lp.ephM, lp.epvM, lp.evhMps, lp.evvMps) = (1.2, 1.8, 0.2, 0.3)
                producer.log(lp, to: local)

                let position = frame.geodetic(ofNED: Vector3(n, e, -h))
                producer.log(VehicleGlobalPosition(timestampUs: t, timestampSampleUs: t - 2_000, position: position,
                                                   geoidHeightM: geoidHeightM, ephM: 1.2, epvM: 1.8), to: global)

                var ts = TECSStatus()
                ts.timestampUs = t
                ts.altitudeSetpointM = Float(homeAMSLM + heightSetpoint)
                ts.altitudeReferenceM = Float(homeAMSLM + h + climbSetpoint * 2)
                ts.heightRateSetpointMps = Float(climbSetpoint)
                ts.heightRateMps = Float(climbRate)
                ts.equivalentAirspeedSetpointMps = Float(speedSetpoint)
                ts.trueAirspeedSetpointMps = Float(speedSetpoint * 1.03)
                ts.trueAirspeedFilteredMps = Float(speed * 1.03)
                ts.throttleSetpoint = Float(phase == .ground ? 0 : min(1, max(0, 0.5 + 0.08 * climbSetpoint)))
                ts.pitchSetpointRad = Float(pitchSetpoint)
                producer.log(ts, to: tecs)

                var a = Airspeed()
                a.timestampUs = t
                a.timestampSampleUs = t - 2_000
                a.indicatedAirspeedMps = Float(speed)
                a.trueAirspeedMps = Float(speed * 1.03)
                a.airTemperatureC = 15
                a.confidence = phase == .ground ? 0 : 1
                producer.log(a, to: airspeedTopic)
            }

            if i % 10 == 0, phase != .ground {
                // A 3 s GPS position glitch at 200 s pushes the horizontal position test ratio past 1 (rejected).
                let glitch = s >= 200 && s < 203 ? 14.0 : 0
                var inn = EstimatorInnovations()
                inn.timestampUs = t
                inn.timestampSampleUs = t - 100_000
                let hpos = SIMD2(Float(0.8 * random.gaussian() + glitch), Float(0.8 * random.gaussian() - glitch * 0.4))
                let hvel = SIMD2(Float(0.15 * random.gaussian()), Float(0.15 * random.gaussian()))
                inn.gpsHorizontalPositionM = hpos
                inn.gpsVerticalPositionM = Float(1.2 * random.gaussian())
                inn.gpsHorizontalVelocityMps = hvel
                inn.gpsVerticalVelocityMps = Float(0.2 * random.gaussian())
                inn.baroVerticalPositionM = Float(0.6 * random.gaussian() + 0.3 * sin(s / 40))
                inn.airspeedMps = Float(0.5 * random.gaussian())
                // Test ratio = innovation² / (gate² · variance), gate 5 σ as in PX4's defaults.
                func ratio(_ innovation: Float, sigma: Double) -> Float { innovation * innovation / Float(25 * sigma * sigma) }
                inn.gpsHorizontalPositionTestRatio = SIMD2(ratio(hpos.x, sigma: 1.0), ratio(hpos.y, sigma: 1.0))
                inn.gpsVerticalPositionTestRatio = ratio(inn.gpsVerticalPositionM, sigma: 1.5)
                inn.gpsHorizontalVelocityTestRatio = SIMD2(ratio(hvel.x, sigma: 0.3), ratio(hvel.y, sigma: 0.3))
                inn.baroVerticalPositionTestRatio = ratio(inn.baroVerticalPositionM, sigma: 0.8)
                inn.airspeedTestRatio = ratio(inn.airspeedMps, sigma: 1.0)
                producer.log(inn, to: innovations)
            }

            if i % 50 == 0 || newNav != navState || !reportedStatus {
                navState = newNav
                reportedStatus = true
                var st = VehicleStatus()
                st.timestampUs = t
                st.armingState = (phase == .ground ? VehicleStatus.ArmingState.disarmed : .armed).rawValue
                st.navState = navState.rawValue
                st.navStateUserIntention = navState.rawValue
                st.armedTimeUs = phase == .ground ? 0 : startUs + 5_000_000
                producer.log(st, to: status)
            }

            if i % 50 == 0 || next != phase || i == 0 {
                producer.log(Self.triplet(phase: phase, frame: frame, homeAMSLM: homeAMSLM, timestampUs: t), to: triplet)
            }
            _ = try session.pump(nowUs: t)
        }
        try session.finish(nowUs: startUs + UInt64(durationS * 1e6))
        guard ring.droppedWhenFull == 0 else { throw SampleFlightError.recordsDropped(Int(ring.droppedWhenFull)) }
        return session.path
    }

    /// Course towards a clockwise orbit of `centre` (a vector field that turns into the circle), and the roll that
    /// holds the circle at `speedMps`.
    static func orbit(n: Double, e: Double, centre: (n: Double, e: Double), radiusM: Double, speedMps: Double)
        -> (courseRad: Double, rollFeedForwardRad: Double)
    {
        let dn = n - centre.n, de = e - centre.e
        let distance = (dn * dn + de * de).squareRoot()
        let bearingFromCentre = atan2(de, dn)
        let course = bearingFromCentre + .pi / 2 + atan(2 * (distance - radiusM) / radiusM)
        let feedForward = distance < 2 * radiusM ? atan(speedMps * speedMps / (gravity * radiusM)) : 0
        return (Angle.wrapPi(course), feedForward)
    }

    static func triplet(phase: Phase, frame: LocalFrame, homeAMSLM: Double, timestampUs: UInt64)
        -> PositionSetpointTriplet
    {
        func setpoint(_ n: Double, _ e: Double, _ h: Double, type: PositionSetpointTriplet.SetpointType,
                      radiusM: Double = 0) -> PositionSetpointTriplet.Setpoint {
            let g = frame.geodetic(ofNED: Vector3(n, e, -h))
            var s = PositionSetpointTriplet.Setpoint()
            s.valid = true
            s.type = type.rawValue
            s.latitudeDeg = g.latitudeDeg
            s.longitudeDeg = g.longitudeDeg
            s.altitudeM = Float(homeAMSLM + h)
            s.loiterRadiusM = Float(radiusM)
            s.cruisingSpeedMps = 18
            return s
        }
        var p = PositionSetpointTriplet()
        p.timestampUs = timestampUs
        let loiter = setpoint(designated.n, designated.e, loiterHeightM, type: .loiter, radiusM: loiterRadiusM)
        switch phase {
        case .ground, .takeoff:
            p.current = setpoint(0, 0, 60, type: .takeoff)
            p.next = setpoint(waypoints[0].n, waypoints[0].e, waypoints[0].h, type: .position)
        case .mission(let k):
            let wp = waypoints[k]
            p.previous = k == 0 ? setpoint(0, 0, 60, type: .takeoff)
                : setpoint(waypoints[k - 1].n, waypoints[k - 1].e, waypoints[k - 1].h, type: .position)
            p.current = setpoint(wp.n, wp.e, wp.h, type: .position)
            p.next = k + 1 < waypoints.count
                ? setpoint(waypoints[k + 1].n, waypoints[k + 1].e, waypoints[k + 1].h, type: .position) : loiter
        case .loiter, .climbBack:
            p.current = loiter
        case .terminal:
            p.previous = loiter
            p.current = setpoint(designated.n, designated.e, 0, type: .position)
        case .rtl:
            p.current = setpoint(0, 0, 80, type: .loiter, radiusM: homeLoiterRadiusM)
        }
        return p
    }
}

struct SampleFlightError: Error, CustomStringConvertible {
    let droppedRecords: Int
    static func recordsDropped(_ n: Int) -> SampleFlightError { SampleFlightError(droppedRecords: n) }
    var description: String { "the sample flight lost \(droppedRecords) records in the log ring" }
}
