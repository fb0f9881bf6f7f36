import DeviceIO
import Drivers
import FlightMath
import Testing
@testable import Simulation

/// The start-up receiver set-up (issue 14) against the emulated u-blox: autobaud from a factory-default receiver,
/// both configuration interfaces, refusals, silence, and the bound on how long it may block.
@Suite struct UBloxConfiguratorTests {
    static let port = "/dev/ttyAMA0"

    func configure(_ gps: any SerialPort, clock: ManualClock, _ settings: UBloxSetupSettings)
        throws(GPSSetupError) -> UBloxSetupReport
    {
        try UBloxConfigurator(port: gps, portName: Self.port, clock: clock, settings: settings).run()
    }

    /// Reads the port for `seconds` on the clock, returning the fixes the board's parser decodes.
    func fixes(_ port: any SerialPort, clock: ManualClock, seconds: Double, protocol kind: GPSProtocol) -> [GPSFix] {
        var parser = GPSStreamParser(protocol: kind)
        var buffer = [UInt8](repeating: 0, count: 256)
        var out: [GPSFix] = []
        let end = clock.nowUs() + UInt64(seconds * 1e6)
        while clock.nowUs() < end {
            clock.advance(byUs: 2_500)
            if let fix = try? buffer.withUnsafeMutableBytes({ try parser.poll(port, buffer: $0, nowUs: clock.nowUs()) }) {
                out.append(fix)
            }
        }
        return out
    }

    /// The issue's case: a factory-default M8 (9600 baud, NMEA only) on a 115200-baud UBX board.
    @Test func factoryDefaultM8IsFoundAt9600AndMovedToTheBoardsSettings() throws {
        let clock = ManualClock()
        let gps = EmulatedGPS(config: .factoryDefault(generation: .m8), clock: clock)
        try gps.setBaudRate(115_200)  // the board opens its UART at its own speed
        // Before: the UBX board reads nothing from it.
        #expect(fixes(gps, clock: clock, seconds: 2, protocol: .ubx).isEmpty)

        let report = try configure(gps, clock: clock, UBloxSetupSettings(baudRate: 115_200))
        #expect(report.detectedBaudRate == 9600 && report.baudRate == 115_200)
        #expect(report.method == "CFG-PRT/RATE/MSG/NAV5")
        #expect(report.version.module == "NEO-M8N-0" && report.version.protocolVersion == 18)
        #expect(report.navigationRateHz == 5)
        #expect(report.elapsedUs < 3_000_000)
        #expect(gps.receiverBaudRate == 115_200 && gps.hostBaudRate == 115_200)
        #expect(!gps.outputsNMEA && gps.navPVTRate == 1 && gps.measurementPeriodMs == 200 && gps.dynamicModel == 8)
        #expect(gps.acknowledged == ["CFG-RATE", "CFG-MSG", "CFG-NAV5", "CFG-PRT"] && gps.refused.isEmpty)
        #expect(gps.garbledHostBytes > 0)  // the first MON-VER poll went out at 115200 and was noise to it

        gps.feed(GPSEmulatorTests.truth)
        let after = fixes(gps, clock: clock, seconds: 2, protocol: .ubx)
        #expect(after.count >= 9 && after.count <= 10)  // 5 Hz
        #expect(after.last?.fixType == .fix3D)
        #expect(report.summary.contains("found at 9600 baud, set to 115200 baud"))
    }

    @Test func m10TakesConfigurationKeys() throws {
        let clock = ManualClock()
        var config = EmulatedGPSConfig.factoryDefault(generation: .m10)
        config.baudRate = 38_400
        let gps = EmulatedGPS(config: config, clock: clock)
        try gps.setBaudRate(230_400)
        let report = try configure(gps, clock: clock, UBloxSetupSettings(baudRate: 230_400, measurementPeriodMs: 100))
        #expect(report.detectedBaudRate == 38_400 && report.method == "CFG-VALSET")
        #expect(report.navigationRateHz == 10)
        #expect(gps.acknowledged == ["CFG-VALSET", "CFG-VALSET"] && gps.refused.isEmpty)
        #expect(gps.receiverBaudRate == 230_400 && !gps.outputsNMEA && gps.outputsUBX && gps.dynamicModel == 8)
    }

    @Test func nmeaBoardLeavesNMEAOnlyAndNoNavPVT() throws {
        let clock = ManualClock()
        let gps = EmulatedGPS(config: .factoryDefault(generation: .m9), clock: clock)
        try gps.setBaudRate(38_400)
        let report = try configure(gps, clock: clock, UBloxSetupSettings(baudRate: 38_400, protocolKind: .nmea))
        #expect(report.navigationRateHz == nil)
        #expect(gps.outputsNMEA && gps.navPVTRate == 0 && gps.receiverBaudRate == 38_400)
        gps.feed(GPSEmulatorTests.truth)
        #expect(fixes(gps, clock: clock, seconds: 1.1, protocol: .nmea).count >= 4)
    }

    /// The next start finds the receiver as the last one left it (UBX kept on for MON-VER), for either protocol and
    /// either generation.
    @Test func aConfiguredReceiverCanBeConfiguredAgainAtTheNextStart() throws {
        for generation in [EmulatedGPSConfig.Generation.m8, .m10] {
            for kind in GPSProtocol.allCases {
                let clock = ManualClock()
                let gps = EmulatedGPS(config: .factoryDefault(generation: generation), clock: clock)
                try gps.setBaudRate(57_600)
                let settings = UBloxSetupSettings(baudRate: 57_600, protocolKind: kind)
                _ = try configure(gps, clock: clock, settings)
                let again = try configure(gps, clock: clock, settings)
                #expect(again.detectedBaudRate == 57_600, "\(generation) \(kind)")
            }
        }
    }

    @Test func alreadyConfiguredReceiverIsFoundAtTheBoardsSpeedFirst() throws {
        let clock = ManualClock()
        let gps = EmulatedGPS(config: EmulatedGPSConfig(output: .ubx, rateHz: 5, baudRate: 115_200), clock: clock)
        let report = try configure(gps, clock: clock, UBloxSetupSettings(baudRate: 115_200))
        #expect(report.detectedBaudRate == 115_200)
        #expect(gps.garbledHostBytes == 0)
        #expect(report.elapsedUs < 1_500_000)
    }

    /// ACK-NAK is an error naming the message, the port and the speed.
    @Test func refusedSettingIsNamed() throws {
        let clock = ManualClock()
        var config = EmulatedGPSConfig.factoryDefault(generation: .m8)
        config.refusedConfigMessageIDs = [0x24]
        let gps = EmulatedGPS(config: config, clock: clock)
        try gps.setBaudRate(115_200)
        #expect(throws: GPSSetupError.refused(port: Self.port, message: "UBX-CFG-NAV5", baudRate: 9600)) {
            _ = try configure(gps, clock: clock, UBloxSetupSettings(baudRate: 115_200))
        }
        // The speed and protocol were not touched after the refusal.
        #expect(gps.receiverBaudRate == 9600 && gps.outputsNMEA)
    }

    /// Nothing on the line: every speed is tried once, the error lists them, and it ends well inside the budget.
    @Test func silentLineListsTheSpeedsTriedWithinTheBudget() throws {
        let clock = ManualClock()
        let port = ScriptedReceiverPort(clock: clock, talk: .silent)
        let start = clock.nowUs()
        let error = #expect(throws: GPSSetupError.self) {
            _ = try configure(port, clock: clock, UBloxSetupSettings(baudRate: 115_200))
        }
        guard case .noReceiver(let name, let bauds, let heard)? = error else {
            Issue.record("expected noReceiver, got \(String(describing: error))")
            return
        }
        #expect(name == Self.port && bauds == [115_200, 9600, 38_400, 57_600, 230_400, 460_800])
        #expect(heard.contains("9600: silent"))
        #expect(error?.description.hasPrefix("no u-blox answered on /dev/ttyAMA0 at 115200, 9600, 38400") == true)
        #expect(clock.nowUs() - start < 2_500_000)
    }

    @Test func endlessGarbageCannotHoldTheSetUpPastItsBudget() throws {
        let clock = ManualClock()
        let port = ScriptedReceiverPort(clock: clock, talk: .garbage)
        let budgetUs: UInt64 = 1_000_000
        let start = clock.nowUs()
        let error = #expect(throws: GPSSetupError.self) {
            _ = try configure(port, clock: clock, UBloxSetupSettings(baudRate: 115_200, budgetUs: budgetUs))
        }
        #expect(clock.nowUs() - start <= budgetUs + UBloxConfigurator.pollIntervalUs)
        guard case .noReceiver(_, let bauds, let heard)? = error else {
            Issue.record("expected noReceiver, got \(String(describing: error))")
            return
        }
        #expect(bauds.count < 6)  // the budget ran out before every speed was tried
        #expect(heard.contains("bytes of garbage"))
    }

    @Test func nmeaOnlyReceiverIsNotMistakenForAUBlox() throws {
        let clock = ManualClock()
        let port = ScriptedReceiverPort(clock: clock, talk: .nmeaOnly(baudRate: 9600))
        let error = #expect(throws: GPSSetupError.self) {
            _ = try configure(port, clock: clock, UBloxSetupSettings(baudRate: 115_200))
        }
        guard case .notUBlox(let name, let baud, let heard)? = error else {
            Issue.record("expected notUBlox, got \(String(describing: error))")
            return
        }
        #expect(name == Self.port && baud == 9600 && heard.contains("$GPGGA"))
        #expect(error?.description.contains("configure = false") == true)
    }

    @Test func unacknowledgedConfigurationIsRetriedOnceThenNamed() throws {
        let clock = ManualClock()
        let gps = EmulatedGPS(config: .factoryDefault(generation: .m8), clock: clock)
        let port = VersionOnlyPort(gps)
        let start = clock.nowUs()
        #expect(throws: GPSSetupError.noAcknowledgement(port: Self.port, message: "UBX-CFG-RATE", baudRate: 9600,
                                                        attempts: 2)) {
            _ = try configure(port, clock: clock, UBloxSetupSettings(baudRate: 9600))
        }
        #expect(clock.nowUs() - start < 2 * UBloxConfigurator.acknowledgementTimeoutUs + 1_000_000)
    }

    @Test func stalledTransmitterTimesOutAtTheBudget() throws {
        let clock = ManualClock()
        let port = ScriptedReceiverPort(clock: clock, talk: .silent, acceptsWrites: false)
        #expect(throws: GPSSetupError.timedOut(port: Self.port, step: "polling UBX-MON-VER at 115200 baud",
                                               budgetMs: 300)) {
            _ = try configure(port, clock: clock, UBloxSetupSettings(baudRate: 115_200, budgetUs: 300_000))
        }
        #expect(clock.nowUs() <= 300_000 + UBloxConfigurator.pollIntervalUs)
    }

    /// The emulated line models speed: bytes read at another speed never form a frame, and a command written at
    /// another speed is never understood.
    @Test func wrongSpeedOnEitherSideIsNoise() throws {
        let clock = ManualClock()
        let gps = EmulatedGPS(config: EmulatedGPSConfig(output: .nmeaAndUBX, rateHz: 1, baudRate: 9600), clock: clock)
        gps.feed(GPSEmulatorTests.truth)
        try gps.setBaudRate(57_600)
        var scanner = GPSFrameScanner()
        var buffer = [UInt8](repeating: 0, count: 256)
        _ = try UBXConfigMessages.monVerPoll().withUnsafeBytes { try gps.write($0) }
        for _ in 0..<800 {
            clock.advance(byUs: 2_500)
            let n = try buffer.withUnsafeMutableBytes { try gps.read(into: $0) }
            for b in buffer[0..<n] { #expect(scanner.consume(b) == nil) }
        }
        #expect(scanner.bytes > 300)  // the 1 s epoch, all of it noise
        #expect(gps.garbledHostBytes == 8)
        // At the receiver's speed the same stream is frames, and the poll is answered.
        try gps.setBaudRate(9600)
        _ = try UBXConfigMessages.monVerPoll().withUnsafeBytes { try gps.write($0) }
        var sawVersion = false
        for _ in 0..<400 {
            clock.advance(byUs: 2_500)
            let n = try buffer.withUnsafeMutableBytes { try gps.read(into: $0) }
            for b in buffer[0..<n] {
                if case .ubx(.monVER, _)? = scanner.consume(b) { sawVersion = true }
            }
        }
        #expect(sawVersion && scanner.nmeaSentences > 0)
    }

    /// The same epoch as NAV-PVT and as NMEA (a receiver left emitting both): the board's parser gives one fix.
    @Test func receiverEmittingBothProtocolsGivesOneFixPerEpoch() {
        for kind in GPSProtocol.allCases {
            let clock = ManualClock()
            let gps = EmulatedGPS(config: EmulatedGPSConfig(output: .nmeaAndUBX, rateHz: 5), clock: clock)
            gps.feed(GPSEmulatorTests.truth)
            let got = fixes(gps, clock: clock, seconds: 2.1, protocol: kind)
            #expect(got.count == 10, "\(kind): \(got.count) fixes from 10 epochs")
        }
    }
}

/// A line with something other than a u-blox on it: nothing, endless noise, or an NMEA-only receiver at one speed.
final class ScriptedReceiverPort: SerialPort {
    enum Talk { case silent, garbage, nmeaOnly(baudRate: Int) }
    let clock: ManualClock
    let talk: Talk
    let acceptsWrites: Bool
    private(set) var baudRate = 115_200
    private var lastSentenceUs: UInt64 = 0

    init(clock: ManualClock, talk: Talk, acceptsWrites: Bool = true) {
        self.clock = clock
        self.talk = talk
        self.acceptsWrites = acceptsWrites
    }

    func setBaudRate(_ baudRate: Int) throws(DeviceError) { self.baudRate = baudRate }
    func write(_ bytes: UnsafeRawBufferPointer) throws(DeviceError) -> Int { acceptsWrites ? bytes.count : 0 }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(DeviceError) -> Int {
        switch talk {
        case .silent:
            return 0
        case .garbage:
            // Always a full buffer: a port that never runs dry.
            for i in 0..<buffer.count { buffer[i] = UInt8(truncatingIfNeeded: i &* 37 &+ 0x81) | 0x80 }
            return buffer.count
        case .nmeaOnly(let speed):
            guard clock.nowUs() >= lastSentenceUs + 250_000 else { return 0 }
            lastSentenceUs = clock.nowUs()
            let sentence = Array("$GPGGA,120000.00,,,,,0,00,99.99,,,,,,*65\r\n".utf8)
            for (i, b) in sentence.enumerated() where i < buffer.count {
                buffer[i] = baudRate == speed ? b : 0x80 | (b >> 1)
            }
            return min(sentence.count, buffer.count)
        }
    }
}

/// A u-blox that answers MON-VER but never hears a configuration message (a receiver whose UBX input was cut off
/// after the poll, or a wire fault).
final class VersionOnlyPort: SerialPort {
    let gps: EmulatedGPS
    init(_ gps: EmulatedGPS) { self.gps = gps }
    var baudRate: Int { gps.baudRate }
    func setBaudRate(_ baudRate: Int) throws(DeviceError) { try gps.setBaudRate(baudRate) }
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(DeviceError) -> Int { try gps.read(into: buffer) }
    func write(_ bytes: UnsafeRawBufferPointer) throws(DeviceError) -> Int {
        if Array(bytes) == UBXConfigMessages.monVerPoll() { return try gps.write(bytes) }
        return bytes.count
    }
}
