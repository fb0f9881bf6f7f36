import Board
import EmulatedBoard
import FlightMath

/// The real-time side of a HIL board: before each sensor read it feeds the register-level emulators what the link
/// thread accepted since the last read (HIL_SENSOR → IMU, barometer, airspeed chip; HIL_GPS → receiver;
/// BATTERY_STATUS → battery monitor), stamped with the board's clock, and hands the link thread the pulses the flight stack
/// wrote. The real drivers, the sensor health checks and the estimator then see what they would on a board; when
/// the simulator stops, nothing is fed, the IMU FIFO runs dry and the flight stack's own IMU timeout reacts.
/// Runs on the real-time thread: pops and pushes fixed-size values on lock-free rings, never allocates or blocks.
public struct HILBench: EmulatedBench {
    public let link: HILBoardLink
    private var armed = false
    /// Maps the simulator's sample times onto the board's clock (see `boardTimeUs(ofSimTimeUs:nowUs:)`).
    private var simToBoard = SimulatorTimeAnchor()

    public init(link: HILBoardLink) { self.link = link }

    public mutating func feedDue(_ board: EmulatedHardware, nowUs: UInt64) {
        while let f = link.sensorFrames.pop() {
            // A sensor frame's chips filter it at the simulator's sample spacing, not at the spacing of this
            // thread's reads: frames reach the board in bursts whenever the link or the host runs late.
            let sampleUs = simToBoard.boardTimeUs(ofSimTimeUs: f.simTimeUs, nowUs: nowUs)
            board.imu.feed(IMUSample(timestampUs: sampleUs, accelFRDMps2: f.accelFRDMps2, gyroFRDRadps: f.gyroFRDRadps,
                                     temperatureC: f.temperatureC))
            if let p = f.staticPressurePa {
                board.barometer.feed(BaroSample(timestampUs: sampleUs, pressurePa: p, temperatureC: f.temperatureC))
            }
            if let q = f.differentialPressurePa, let airspeed = board.airspeed {
                airspeed.feed(AirspeedSample(timestampUs: sampleUs, differentialPressurePa: q,
                                             temperatureC: f.temperatureC))
            }
        }
        while let b = link.batteryFrames.pop() {
            board.feedBattery(voltageV: b.voltageV, currentA: b.currentA)
        }
        while let g = link.gpsFrames.pop() {
            board.gps.feed(GPSFix(timestampUs: nowUs, fixType: g.fixType, position: g.position,
                                  velocityNEDMps: g.velocityNEDMps, horizontalAccuracyM: g.horizontalAccuracyM,
                                  verticalAccuracyM: g.verticalAccuracyM, speedAccuracyMps: 0.3,
                                  satellitesUsed: g.satellitesUsed))
        }
        var out = HILOutputFrame(boardTimeUs: nowUs, armed: armed)
        let channels = board.board.pwm.channels
        out.channelCount = min(channels.count, HILActuatorScaling.maxChannels)
        for index in 0..<out.channelCount {
            out.pulseUs[index] = board.observedPulseUs(bankIndex: index, board: board.board) ?? 0
        }
        link.outputFrames.push(out)
    }

    public mutating func outputsArmedChanged(_ armed: Bool, board: EmulatedHardware) { self.armed = armed }
}
