import Simulation

extension EmulatedHardware {
    /// Hands a plant step's sensor readings to the emulators of the sensors that step sampled. The boards have no
    /// magnetometer chip: whoever runs the plant hands the simulated one to the sensor path itself.
    public func feed(_ updates: SensorUpdates, readings r: SensorReadings) {
        if updates.contains(.imu), let s = r.imu { imu.feed(s, vibration: r.imuVibration) }
        if updates.contains(.baro), let s = r.baro { barometer.feed(s) }
        if updates.contains(.airspeed), let s = r.airspeed { airspeed?.feed(s) }
        if updates.contains(.gps), let s = r.gps { gps.feed(s) }
    }

    /// Hands the plant's battery (pack voltage, current out of it) to the battery monitor, if the board has one.
    public func feedBattery(voltageV: Double, currentA: Double) {
        batteryMonitor?.feed(voltageV: voltageV, currentA: currentA)
    }
}
