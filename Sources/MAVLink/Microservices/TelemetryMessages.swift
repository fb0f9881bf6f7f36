import FlightMath

/// Builds telemetry messages from a `VehicleSnapshot`. Out-of-range or non-finite values saturate (or read as the
/// field's "unknown" value) instead of trapping.
public enum TelemetryMessages {
    public static func heartbeat(_ s: VehicleSnapshot) -> Heartbeat {
        var mode: MAVModeFlag = .customModeEnabled
        if s.armed { mode.insert(.safetyArmed) }
        switch s.flightMode {
        case .preflight: break
        case .launch, .mission, .returnToLaunch, .terminal, .waveOff: mode.formUnion([.stabilizeEnabled, .autoEnabled])
        case .loiter: mode.formUnion([.stabilizeEnabled, .guidedEnabled])
        default: break
        }
        return Heartbeat(
            type: .fixedWing, autopilot: .generic, baseMode: mode, customMode: s.flightMode.rawValue,
            systemStatus: s.systemState)
    }

    /// errors_count1…4 are the autopilot-specific counters: failed reads of the IMU, the barometer, the airspeed
    /// sensor and the GPS since start, saturating at 65535 (the whole counts are in the log's
    /// `kestrel_sensor_counters`).
    public static func sysStatus(_ s: VehicleSnapshot) -> SysStatus {
        SysStatus(
            onboardControlSensorsPresent: s.sensorsPresent, onboardControlSensorsEnabled: s.sensorsEnabled,
            onboardControlSensorsHealth: s.sensorsHealthy, load: saturating(s.loadFraction * 1000),
            voltageBattery: s.batteryVoltageV.map { saturating($0 * 1000) } ?? .max,
            currentBattery: s.batteryCurrentA.map { saturating($0 * 100) } ?? -1,
            batteryRemaining: s.batteryRemainingFraction.map { saturating($0 * 100) } ?? -1,
            errorsCount1: UInt16(clamping: s.imuReadFailures), errorsCount2: UInt16(clamping: s.baroReadFailures),
            errorsCount3: UInt16(clamping: s.airspeedReadFailures), errorsCount4: UInt16(clamping: s.gpsReadFailures))
    }

    public static func attitude(_ s: VehicleSnapshot, nowUs: UInt64) -> Attitude {
        Attitude(
            timeBootMs: bootMs(nowUs), roll: Float(s.attitude.rollRad), pitch: Float(s.attitude.pitchRad),
            yaw: Float(s.attitude.yawRad), rollspeed: Float(s.bodyRatesFRDRadps.x),
            pitchspeed: Float(s.bodyRatesFRDRadps.y), yawspeed: Float(s.bodyRatesFRDRadps.z))
    }

    /// Nil without a position.
    public static func globalPosition(_ s: VehicleSnapshot, nowUs: UInt64) -> GlobalPositionInt? {
        guard let p = s.position else { return nil }
        let relative = s.home.map { p.altitudeM - $0.altitudeM } ?? 0
        return GlobalPositionInt(
            timeBootMs: bootMs(nowUs), lat: degE7(p.latitudeDeg), lon: degE7(p.longitudeDeg),
            alt: saturating((p.altitudeM - s.geoidHeightM) * 1000), relativeAlt: saturating(relative * 1000),
            vx: saturating(s.velocityNEDMps.x * 100), vy: saturating(s.velocityNEDMps.y * 100),
            vz: saturating(s.velocityNEDMps.z * 100), hdg: centidegrees(s.attitude.yawRad))
    }

    public static func gpsRaw(_ s: VehicleSnapshot, nowUs: UInt64) -> GPSRawInt {
        var message = GPSRawInt(
            timeUsec: nowUs, fixType: s.gpsFixType, eph: .max, epv: .max,
            vel: saturating(s.gpsGroundSpeedMps * 100), cog: centidegrees(s.gpsCourseRad),
            satellitesVisible: saturating(Double(s.gpsSatellitesUsed)))
        if let p = s.gpsPosition {
            message.lat = degE7(p.latitudeDeg)
            message.lon = degE7(p.longitudeDeg)
            message.alt = saturating((p.altitudeM - s.geoidHeightM) * 1000)
            message.altEllipsoid = saturating(p.altitudeM * 1000)
        }
        message.hAcc = s.gpsHorizontalAccuracyM.map { saturating($0 * 1000) } ?? 0
        message.vAcc = s.gpsVerticalAccuracyM.map { saturating($0 * 1000) } ?? 0
        return message
    }

    public static func vfrHud(_ s: VehicleSnapshot) -> VFRHUD {
        let v = s.velocityNEDMps
        let headingDeg = Angle.degrees(fromRadians: Angle.wrapTwoPi(s.attitude.yawRad))
        return VFRHUD(
            airspeed: Float(s.airspeedMps), groundspeed: Float((v.x * v.x + v.y * v.y).squareRoot()),
            heading: saturating(headingDeg.rounded()), throttle: saturating(s.throttleFraction * 100),
            alt: Float((s.position?.altitudeM ?? 0) - s.geoidHeightM), climb: Float(-v.z))
    }

    public static func batteryStatus(_ s: VehicleSnapshot) -> BatteryStatus {
        var cells = MAVArray<10, UInt16>(repeating: .max)
        // Without per-cell readings the total voltage goes in the first cell (MAVLink's rule for packs).
        if let volts = s.batteryVoltageV { cells[0] = saturating(volts * 1000) }
        return BatteryStatus(
            id: 0, batteryFunction: .all, type: .lipo, temperature: .max, voltages: cells,
            currentBattery: s.batteryCurrentA.map { saturating($0 * 100) } ?? -1,
            currentConsumed: s.batteryConsumedMAh.map { saturating($0) } ?? -1, energyConsumed: -1,
            batteryRemaining: s.batteryRemainingFraction.map { saturating($0 * 100) } ?? -1)
    }

    /// Nil until home is set.
    public static func homePosition(_ s: VehicleSnapshot, nowUs: UInt64) -> HomePosition? {
        guard let home = s.home else { return nil }
        return HomePosition(
            latitude: degE7(home.latitudeDeg), longitude: degE7(home.longitudeDeg),
            altitude: saturating((home.altitudeM - s.geoidHeightM) * 1000), q: MAVArray([1, 0, 0, 0]),
            timeUsec: nowUs)
    }

    public static func extendedSysState(_ s: VehicleSnapshot) -> ExtendedSysState {
        ExtendedSysState(vtolState: .undefined, landedState: s.landedState)
    }

    public static func missionCurrent(_ s: VehicleSnapshot, total: Int) -> MissionCurrent {
        MissionCurrent(
            seq: UInt16(clamping: max(s.currentMissionItem, 0)), total: UInt16(clamping: total),
            missionState: s.missionState, missionMode: s.flightMode == .mission ? 1 : 0)
    }

    /// The vehicle's clocks at link time `nowUs`: UTC carried forward from the snapshot's on the monotonic clock
    /// (0 when the vehicle has none, MAVLink's "unknown"), and time since boot.
    public static func systemTime(_ s: VehicleSnapshot, nowUs: UInt64) -> SystemTime {
        var unixUs: UInt64 = 0
        if let utc = s.utcTimeUs {
            let (later, overflow) = nowUs >= s.vehicleTimeUs
                ? utc.addingReportingOverflow(nowUs - s.vehicleTimeUs)
                : utc.subtractingReportingOverflow(s.vehicleTimeUs - nowUs)
            if !overflow { unixUs = later }
        }
        return SystemTime(timeUnixUsec: unixUs, timeBootMs: bootMs(nowUs))
    }

    static func bootMs(_ nowUs: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: nowUs / 1000) }

    static func degE7(_ degrees: Double) -> Int32 { saturating((degrees * 1e7).rounded()) }

    /// 0…35999 cdeg, UInt16.max when not finite.
    static func centidegrees(_ radians: Double) -> UInt16 {
        guard radians.isFinite else { return .max }
        let cdeg = (Angle.degrees(fromRadians: Angle.wrapTwoPi(radians)) * 100).rounded()
        return cdeg >= 36000 ? 0 : saturating(cdeg)
    }
}

/// Double to a fixed-width integer without trapping: rounds toward zero, saturates, NaN gives 0.
@inlinable func saturating<T: FixedWidthInteger>(_ value: Double) -> T {
    guard value.isFinite else { return value.isNaN ? 0 : (value > 0 ? .max : .min) }
    if value >= Double(T.max) { return .max }
    if value <= Double(T.min) { return .min }
    return T(value)
}
