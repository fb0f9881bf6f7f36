// Writes a deterministic ULog through the real pipeline (producer -> ring -> session -> file) for the pyulog
// interop tests, and prints the reader's info/CSV text so the tests can compare Kestrel's reader with pyulog.
//
//   flightlog-sample write DIR      -> prints "path=<file>" and "dropped=<n>" lines
//   flightlog-sample info FILE
//   flightlog-sample csv FILE TOPIC
//   flightlog-sample flight DIR     -> a five-minute synthetic flight for Tools/flight-report; prints "path=<file>"
import FlightLog
import FlightMath

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

enum SampleLog {
    static let startUs: UInt64 = 1_000_000
    static let tickUs: UInt64 = 2_500
    static let ticks = 400

    static func write(directory: String) throws {
        var registry = ULogTopicRegistry()
        for t in KestrelTopicCatalog.all where t != SensorCombined.self && t != VehicleAttitude.self
            && t != ActuatorOutputs.self && t != VehicleGPSPosition.self && t != KestrelGateEvent.self
            && t != KestrelScheduler.self && t != VehicleStatus.self {
            try registry.register(any: t)
        }
        let imu = try registry.register(SensorCombined.self)
        let att = try registry.register(VehicleAttitude.self)
        let act = try registry.register(ActuatorOutputs.self)
        let gps = try registry.register(VehicleGPSPosition.self)
        let gate = try registry.register(KestrelGateEvent.self)
        let sched = try registry.register(KestrelScheduler.self)
        let status = try registry.register(VehicleStatus.self)

        let definitions = ULogDefinitions(
            startTimestampUs: startUs,
            info: ULogDefinitions.kestrelInfo(softwareVersion: "0.1.0-sample", vehicleId: "KST-0001",
                                              board: "sitl", airframe: "kestrel-wing-1"),
            multiInfo: [("boot_note", .string("sample generator"))],
            parameters: [("FW_AIRSPD_TRIM", .float(15.0)), ("KST_LOG_RATE", .int32(400))],
            registry: registry)
        let ring = try SPSCRecordRing(slotCount: 64, recordCapacityBytes: 256)
        let producer = ULogProducer(ring: ring)
        let session = try ULogSession(
            configuration: FlightLogConfiguration(directory: directory, maxLogCount: 5, blockBytes: 4096),
            naming: .sequential, definitions: definitions, rings: [ring])

        for i in 0..<ticks {
            let t = startUs + UInt64(i) * tickUs
            let d = Double(i)
            producer.log(SensorCombined(
                IMUSample(timestampUs: t, accelFRDMps2: Vector3(0, 0, -WGS84.standardGravityMps2),
                          gyroFRDRadps: Vector3(0.001 * d, -0.002 * d, 0.5), temperatureC: 30),
                integralDtUs: UInt32(tickUs)), to: imu)
            if i % 4 == 0 {
                let q = Quaternion(euler: EulerAngles(rollRad: 0, pitchRad: 0, yawRad: 0.01 * d))
                producer.log(VehicleAttitude(timestampUs: t, timestampSampleUs: t - 500, attitude: q), to: att)
            }
            if i % 8 == 0 {
                var a = ActuatorOutputs()
                a.timestampUs = t
                a.outputCount = 4
                for k in 0..<4 { a.output[k] = Float(1500 + 10 * k + i) }
                producer.log(a, to: act)
            }
            if i % 80 == 0 {
                let fix = GPSFix(timestampUs: t - 100_000, fixType: .fix3D,
                                 position: Geodetic(latitudeDeg: 47.397742 + d * 1e-6, longitudeDeg: 8.545594,
                                                    altitudeM: 535.0),
                                 velocityNEDMps: Vector3(15, 0, -1), horizontalAccuracyM: 1.5,
                                 verticalAccuracyM: 2.5, speedAccuracyMps: 0.3, satellitesUsed: 12)
                producer.log(VehicleGPSPosition(timestampUs: t, fix: fix, geoidHeightM: 47.0), to: gps)
            }
            if i == 0 || i == 200 {
                var s = VehicleStatus()
                s.timestampUs = t
                s.armingState = (i == 0 ? VehicleStatus.ArmingState.disarmed : .armed).rawValue
                s.navState = (i == 0 ? VehicleStatus.NavState.manual : .autoLoiter).rawValue
                producer.log(s, to: status)
            }
            if i == 200 {
                var g = KestrelGateEvent()
                g.timestampUs = t
                g.event = KestrelGateEvent.Event.approval.rawValue
                g.reasonCode = 0
                g.requestSequence = 3
                for k in 0..<8 { g.operatorKeyId[k] = UInt8(k + 1); g.noncePrefix[k] = UInt8(0xA0 + k) }
                g.designationLatitudeDeg = 47.4
                g.designationLongitudeDeg = 8.55
                g.designationAltitudeM = 500
                producer.log(g, to: gate)
            }
            if i % 100 == 0 {
                var s = KestrelScheduler()
                s.timestampUs = t
                s.setTaskName("rate_loop")
                s.rateHz = 400
                s.budgetUs = 1000
                s.lastDurationUs = UInt32(100 + i)
                s.maxDurationUs = 900
                s.runs = UInt32(i)
                producer.log(s, to: sched)
            }
            if i == 100 { producer.log(.info, "sample: takeoff", timestampUs: t) }
            if i == 150 { producer.log(.warning, "sample: tagged warning", timestampUs: t, tag: 7) }
            if i == 320 { producer.logParameterChange(name: "FW_AIRSPD_TRIM", value: .float(16.5), nowUs: t) }
            // The log thread stalls between ticks 250 and 300, so the ring overflows and records are dropped.
            if i % 8 == 7, !(250..<300).contains(i) { try session.pump(nowUs: t) }
        }
        try session.finish(nowUs: startUs + UInt64(ticks) * tickUs)
        print("path=\(session.path)")
        print("dropped=\(ring.droppedWhenFull)")
        print("dropouts=\(producer.dropoutMessagesQueued)")
    }
}

let args = CommandLine.arguments
do {
    switch (args.count, args.count > 1 ? args[1] : "") {
    case (3, "write"):
        try SampleLog.write(directory: args[2])
    case (3, "info"):
        print(try FlightLogCommandText.info(path: args[2], verbose: true), terminator: "")
    case (3, "flight"):
        print("path=\(try SampleFlight.write(directory: args[2]))")
    case (4, "csv"):
        print(try FlightLogCommandText.csv(path: args[2], topic: args[3]), terminator: "")
    default:
        print("usage: flightlog-sample write DIR | flight DIR | info FILE | csv FILE TOPIC")
        exit(2)
    }
} catch {
    print("error: \(error)")
    exit(1)
}
