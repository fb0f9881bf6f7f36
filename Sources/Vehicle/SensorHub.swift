import Board
import DeviceIO
import Drivers
import FlightMath

/// The samples that arrived in one sensor poll (nil: nothing new from that sensor).
public struct SensorPoll: Sendable {
    public var imu: IMUSample?
    public var baro: BaroSample?
    public var airspeed: AirspeedSample?
    public var battery: BatterySample?
    public var gps: GPSFix?
    /// From a magnetometer handed in through `deliver(magnetometer:)`.
    public var mag: MagSample?
}

/// Read failures per sensor since start-up, for health reporting.
public struct SensorReadCounters: Sendable, Equatable {
    public var imuFailures: UInt64 = 0
    public var baroFailures: UInt64 = 0
    public var airspeedFailures: UInt64 = 0
    public var gpsFailures: UInt64 = 0
    public var gpsFixes: UInt64 = 0
    /// IMU FIFO samples averaged into the polls, polls that found none new, FIFO overflows and samples dropped.
    public var imuSamplesRead: UInt64 = 0
    public var imuEmptyPolls: UInt64 = 0
    public var imuFIFOOverflows: UInt64 = 0
    public var imuSamplesDropped: UInt64 = 0
    /// Times the IMU was found reset (a power loss) and configured again.
    public var imuReconfigurations: UInt64 = 0
    /// Barometer polls that found the conversion already fused (the chip converts at ~26 Hz, polled at 50 Hz).
    public var baroRepeats: UInt64 = 0
    /// Times the barometer was found reset (a power loss) and configured again.
    public var baroReconfigurations: UInt64 = 0
    public var batteryFailures: UInt64 = 0
    /// Times the battery monitor was found reset and configured again.
    public var batteryReconfigurations: UInt64 = 0

    public init() {}
}

/// Polls the board's sensor drivers once per base tick: the IMU's FIFO every tick (every sample the chip made since
/// the last tick, averaged; nothing when none is new), the barometer at its poll rate (only a new conversion
/// counts), the pitot every tick (only fresh conversions count), the battery monitor at its rate and the GPS serial stream through the board's UBX or
/// NMEA parser. Nothing read twice is returned twice.
/// The drivers talk to whatever `BoardHardware` gave `BoardDevices` — Linux devices or register-level emulators —
/// through the same code. Nothing here allocates after init; a failed read is counted and that sample skipped.
public final class SensorHub {
    public let devices: BoardDevices
    private let gpsBuffer: UnsafeMutableRawBufferPointer
    /// Everything a poll changes, in one stored value: the real-time path reaches it through one exclusivity check a
    /// poll (`core.poll`) and one a publication, where a stored property each cost one per access (about fifteen a
    /// tick, some 700 instructions).
    private var core: SensorHubState

    public var counters: SensorReadCounters { core.counters }
    /// The latest poll's samples, its time and the number of polls so far: what the flight logger records.
    public var lastPoll: SensorPoll { core.lastPoll }
    public var lastPollUs: UInt64 { core.lastPollUs }
    public var pollCount: UInt64 { core.pollCount }
    /// The sensors the board has: its drivers, and a magnetometer once a sample has been delivered.
    public var fitted: SensorSuite { core.fitted }

    public init(devices: BoardDevices, gpsLatencyS: Double, baroRateHz: Double) {
        self.devices = devices
        let latencyUs = UInt64(max(gpsLatencyS, 0) * 1e6)
        gpsBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 512, alignment: 8)
        // The board's one protocol: an epoch the receiver reports in both is fused once.
        core = SensorHubState(
            gpsParser: GPSStreamParser(protocol: devices.board.gps.protocolKind,
                                       nmea: NMEAParser(config: .init(latencyUs: latencyUs)),
                                       ubx: UBXParser(latencyUs: latencyUs)),
            baroPeriodUs: UInt64(1e6 / max(baroRateHz, 1)),
            batteryPeriodUs: UInt64(1e6 / max(devices.board.batteryMonitor?.rateHz ?? 10, 1)))
        if devices.imu != nil { core.fitted.insert(.imu) }
        if devices.barometer != nil { core.fitted.insert(.barometer) }
        if devices.airspeed != nil { core.fitted.insert(.airspeed) }
        if devices.gpsPort != nil { core.fitted.insert(.gps) }
    }

    deinit { gpsBuffer.deallocate() }

    /// A magnetometer sample (calibrated or not, FRD, gauss) from a source without a driver on the board — the
    /// simulated magnetometer in SITL. Kept until the next poll; a newer one replaces it.
    public func deliver(magnetometer sample: MagSample) {
        core.pendingMag = sample
        core.fitted.insert(.magnetometer)
    }

    /// Reads every sensor that is due at `nowUs`.
    public func poll(nowUs: UInt64) -> SensorPoll {
        devices.hardware.willReadSensors(atUs: nowUs)
        return core.poll(devices: devices, gpsBuffer: gpsBuffer, nowUs: nowUs)
    }

    /// The latest poll and the hub's state into a tick's output, through one access.
    func publish(into output: inout TickOutput) {
        core.publish(into: &output)
    }
}

/// `SensorHub`'s mutable state and the poll that changes it.
struct SensorHubState {
    var counters = SensorReadCounters()
    var lastPoll = SensorPoll()
    var lastPollUs: UInt64 = 0
    var pollCount: UInt64 = 0
    var gpsParser: GPSStreamParser
    let baroPeriodUs: UInt64
    var nextBaroUs: UInt64 = 0
    let batteryPeriodUs: UInt64
    var nextBatteryUs: UInt64 = 0
    var pendingMag: MagSample?
    var fitted: SensorSuite = []

    init(gpsParser: GPSStreamParser, baroPeriodUs: UInt64, batteryPeriodUs: UInt64) {
        self.gpsParser = gpsParser
        self.baroPeriodUs = baroPeriodUs
        self.batteryPeriodUs = batteryPeriodUs
    }

    /// Mutating only so that the state is passed by address; nothing in it changes.
    mutating func publish(into output: inout TickOutput) {
        output.poll = lastPoll
        output.pollUs = lastPollUs
        output.pollCount = pollCount
        output.sensorCounters = counters
        output.sensorsFitted = fitted
    }

    mutating func poll(devices: BoardDevices, gpsBuffer: UnsafeMutableRawBufferPointer, nowUs: UInt64) -> SensorPoll {
        var out = SensorPoll()
        out.mag = pendingMag
        pendingMag = nil
        if let imu = devices.imu {
            do { out.imu = try imu.readFIFO(timestampUs: nowUs) } catch { counters.imuFailures &+= 1 }
            let fifo = imu.fifoCounters
            counters.imuSamplesRead = fifo.samplesRead
            counters.imuEmptyPolls = fifo.emptyReads
            counters.imuFIFOOverflows = fifo.overflows
            counters.imuSamplesDropped = fifo.samplesDropped
            counters.imuReconfigurations = imu.reconfigurations
        }
        if nowUs >= nextBaroUs, let baro = devices.barometer {
            nextBaroUs = nowUs &+ baroPeriodUs
            do { out.baro = try baro.readNew(timestampUs: nowUs) } catch { counters.baroFailures &+= 1 }
            counters.baroRepeats = baro.repeatedReads
            counters.baroReconfigurations = baro.reconfigurations
        }
        if let pitot = devices.airspeed {
            do {
                if case .fresh(let sample) = try pitot.read(timestampUs: nowUs) { out.airspeed = sample }
            } catch {
                counters.airspeedFailures &+= 1
            }
        }
        if nowUs >= nextBatteryUs, let monitor = devices.batteryMonitor {
            nextBatteryUs = nowUs &+ batteryPeriodUs
            do { out.battery = try monitor.read(timestampUs: nowUs) } catch { counters.batteryFailures &+= 1 }
            counters.batteryReconfigurations = monitor.reconfigurations
        }
        if let port = devices.gpsPort {
            do {
                out.gps = try gpsParser.poll(port, buffer: gpsBuffer, nowUs: nowUs)
                if out.gps != nil { counters.gpsFixes &+= 1 }
            } catch {
                counters.gpsFailures &+= 1
            }
        }
        lastPoll = out
        lastPollUs = nowUs
        pollCount &+= 1
        return out
    }
}
