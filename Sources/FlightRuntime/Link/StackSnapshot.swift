import FlightMath
import MAVLink
import Mission
import Vehicle

extension VehicleSnapshot {
    /// What a ground link reports of the vehicle, from what the flight stack itself knows (no plant truth, as
    /// aboard a real vehicle): one builder for the SITL link and for `kestrel fly`'s real-time thread, where it runs
    /// at the snapshot rate. Holds no references, so it crosses threads by value; allocation-free.
    ///
    /// - Parameter loadFraction: share of the tick period the last tick used, when the caller measures it.
    package init(_ output: TickOutput, loadFraction: Double = 0) {
        self.init()
        vehicleTimeUs = output.timeUs
        utcTimeUs = output.utcTimeUs
        let n = output.navigation
        flightMode = Self.linkMode(output.mode)
        armed = output.armed
        systemState = output.inFlight ? .active : .standby
        landedState = output.inFlight ? .inAir : .onGround
        attitude = n.euler
        bodyRatesFRDRadps = n.angularRateFRDRadps
        positionNEDM = n.positionNEDM
        positionFrame = n.frame
        velocityNEDMps = n.velocityNEDMps
        airspeedMps = output.airspeedMps
        throttleFraction = output.throttleSetpoint
        // A receiver is fitted, so "no fix" rather than "no GPS" until it has delivered one.
        gpsFixType = .noFix
        if let fix = output.gpsFix {
            gpsFixType = switch fix.fixType {
            case .none: .noFix
            case .fix2D: .type2dFix
            case .fix3D: .type3dFix
            }
            gpsPosition = fix.position
            gpsHorizontalAccuracyM = fix.horizontalAccuracyM
            gpsVerticalAccuracyM = fix.verticalAccuracyM
            let v = fix.velocityNEDMps
            gpsGroundSpeedMps = (v.x * v.x + v.y * v.y).squareRoot()
            gpsCourseRad = Double.atan2(y: v.y, x: v.x)
            gpsSatellitesUsed = fix.satellitesUsed
        }
        if output.batteryVoltageV.isFinite { batteryVoltageV = output.batteryVoltageV }
        self.loadFraction = min(max(loadFraction, 0), 1)
        sensorsPresent = Self.sysStatusBits(output.sensorsFitted).union([.mavSysStatusAhrs, .motorOutputs])
        sensorsEnabled = sensorsPresent
        sensorsHealthy = Self.sysStatusBits(output.sensorsWorking)
        if output.health?.attitudeValid == true { sensorsHealthy.insert(.mavSysStatusAhrs) }
        // The servo outputs: unhealthy while the output device does not answer (the pulses it holds are stale).
        if output.outputsWritten { sensorsHealthy.insert(.motorOutputs) }
        imuReadFailures = output.sensorCounters.imuFailures
        imuReconfigurations = output.sensorCounters.imuReconfigurations
        baroReconfigurations = output.sensorCounters.baroReconfigurations
        outputReconfigurations = output.outputReconfigurations
        baroReadFailures = output.sensorCounters.baroFailures
        airspeedReadFailures = output.sensorCounters.airspeedFailures
        gpsReadFailures = output.sensorCounters.gpsFailures
        home = output.home
        if n.phase == .navigating { navigationOrigin = n.origin }
        currentMissionItem = output.currentMissionItem
        lastReachedMissionItem = output.lastReachedItem
        gate = LinkGateStatus(output.gate)
        pendingApprovalRequest = output.gate.pending.map(LinkApprovalRequest.init)
        gateClockUs = output.gate.clockUs
    }

    /// SYS_STATUS sensor bits of a set of sensors (an IMU is a gyro and an accelerometer).
    static func sysStatusBits(_ sensors: SensorSuite) -> MAVSysStatusSensor {
        var bits: MAVSysStatusSensor = []
        if sensors.contains(.imu) { bits.formUnion([.sensor3dGyro, .sensor3dAccel]) }
        if sensors.contains(.barometer) { bits.insert(.absolutePressure) }
        if sensors.contains(.airspeed) { bits.insert(.differentialPressure) }
        if sensors.contains(.gps) { bits.insert(.gps) }
        if sensors.contains(.magnetometer) { bits.insert(.sensor3dMag) }
        return bits
    }

    /// The dialect's modes are coarser than the mode machine's: standby (armed on the launcher) reports preflight
    /// with the armed flag, approval-pending and the no-position failsafe orbit report loiter.
    static func linkMode(_ mode: FlightMode) -> KestrelFlightMode {
        switch mode {
        case .disarmed, .standby: .preflight
        case .launch: .launch
        case .mission: .mission
        case .loiter, .approvalPending, .failsafe: .loiter
        case .terminal: .terminal
        case .waveOff: .waveOff
        case .returnToLaunch: .returnToLaunch
        }
    }
}
