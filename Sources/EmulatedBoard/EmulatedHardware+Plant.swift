import FlightMath
import Simulation

extension EmulatedHardware {
    /// Hands a plant step's sensor readings to the emulators of the sensors that step sampled. The boards have no
    /// magnetometer chip: whoever runs the plant hands the simulated one to the sensor path itself.
    /// A stuck sensor (`stuckSensors`) is fed its held value at the new sample's time instead.
    public func feed(_ updates: SensorUpdates, readings r: SensorReadings) {
        if updates.contains(.imu), let s = r.imu {
            if stuckSensors.contains(.imu), let held = heldIMU {
                imu.feed(IMUSample(timestampUs: s.timestampUs, accelFRDMps2: held.accelFRDMps2,
                                   gyroFRDRadps: held.gyroFRDRadps, temperatureC: held.temperatureC))
            } else {
                heldIMU = s
                imu.feed(s, vibration: r.imuVibration)
            }
        }
        if updates.contains(.baro), let s = r.baro {
            if stuckSensors.contains(.barometer), let held = heldBaro {
                barometer.feed(BaroSample(timestampUs: s.timestampUs, pressurePa: held.pressurePa,
                                          temperatureC: held.temperatureC))
            } else {
                heldBaro = s
                barometer.feed(s)
            }
        }
        if updates.contains(.airspeed), let s = r.airspeed {
            if stuckSensors.contains(.airspeed), let held = heldAirspeed {
                var frozen = held
                frozen.timestampUs = s.timestampUs
                airspeed?.feed(frozen)
            } else {
                heldAirspeed = s
                airspeed?.feed(s)
            }
        }
        if updates.contains(.gps), let s = r.gps { gps.feed(s) }
    }

    /// Hands the plant's battery (pack voltage, current out of it) to the battery monitor, if the board has one.
    public func feedBattery(voltageV: Double, currentA: Double) {
        batteryMonitor?.feed(voltageV: voltageV, currentA: currentA)
    }
}
