import DeviceIO

/// Brings a u-blox receiver from whatever state it is in (factory default: 9600 baud, NMEA only, 1 Hz, "portable"
/// model) to the board's: its speed, one protocol, the measurement rate, NAV-PVT once per epoch on UART1 and an
/// airborne dynamic model. Runs once at start, before the real-time loop: it blocks, on the injected clock, with
/// every wait bounded and the whole cut to `settings.budgetUs`.
///
/// 1. Autobaud: at each speed (the board's first, then the factory default and the usual ones) poll UBX-MON-VER
///    and listen for a checksum-valid frame. The answer gives the speed and the generation: protocol 27+ (M9, M10)
///    takes configuration keys (CFG-VALSET), older ones (M8) the CFG-RATE/MSG/NAV5/PRT messages.
/// 2. At the found speed, everything but the port, each message acknowledged (ACK-NAK is an error naming it).
/// 3. The port last (speed and protocol masks): its acknowledgement may come at either speed, so the host follows
///    the receiver to the new speed and success is judged by what arrives there.
/// 4. Verify: two NAV-PVT (their time stamps give the rate), or an NMEA sentence for an NMEA board.
public final class UBloxConfigurator {
    public let port: any SerialPort
    public let portName: String
    public let clock: any MonotonicClock
    public let settings: UBloxSetupSettings

    /// Between empty reads: short against the shortest frame time, long enough not to spin a core.
    public static let pollIntervalUs: UInt64 = 2_000
    public static let acknowledgementTimeoutUs: UInt64 = 600_000
    static let attempts = 2
    /// A receiver switches speed once its acknowledgement is out; give it this long before following.
    static let speedChangeSettleUs: UInt64 = 100_000

    private var scanner = GPSFrameScanner()
    private var buffer = [UInt8](repeating: 0, count: 256)
    private var startUs: UInt64 = 0
    private var deadlineUs: UInt64 = 0

    public init(port: any SerialPort, portName: String, clock: any MonotonicClock, settings: UBloxSetupSettings) {
        self.port = port
        self.portName = portName
        self.clock = clock
        self.settings = settings
    }

    /// How long to wait for MON-VER's answer at `baudRate`: the poll out, up to ~400 bytes of NMEA already queued
    /// ahead of it plus the answer back (10 bit times a byte), and 150 ms for the receiver.
    public static func probeWindowUs(baudRate: Int) -> UInt64 {
        150_000 + 4_000_000_000 / UInt64(max(baudRate, 1))
    }

    public func run() throws(GPSSetupError) -> UBloxSetupReport {
        startUs = clock.nowUs()
        deadlineUs = startUs &+ settings.budgetUs
        let (detected, version) = try detect()
        guard settings.protocolKind == .nmea || version.hasNavPVT else {
            throw .unsupportedReceiver(port: portName, version: version.summary,
                                       reason: "it has no UBX-NAV-PVT (u-blox 7 or later needed); use protocol = \"nmea\"")
        }
        let method: String
        if version.usesConfigurationKeys {
            method = "CFG-VALSET"
            try configureWithKeys(atBaud: detected)
        } else {
            method = "CFG-PRT/RATE/MSG/NAV5"
            try configureWithMessages(atBaud: detected)
        }
        let rate = try verifyOutput()
        return UBloxSetupReport(port: portName, detectedBaudRate: detected, baudRate: settings.baudRate,
                                version: version, protocolKind: settings.protocolKind,
                                dynamicModel: settings.dynamicModel, method: method, navigationRateHz: rate,
                                elapsedUs: clock.nowUs() &- startUs)
    }

    // MARK: Autobaud

    private func detect() throws(GPSSetupError) -> (baudRate: Int, version: UBloxVersion) {
        var tried: [Int] = []
        var heardPerBaud: [String] = []
        for baud in settings.baudRatesToTry {
            guard clock.nowUs() < deadlineUs else { break }
            tried.append(baud)
            try setHostBaud(baud)
            scanner = GPSFrameScanner()
            try send(UBXConfigMessages.monVerPoll(), step: "polling UBX-MON-VER at \(baud) baud")
            if let version = try listenForVersion(untilUs: clock.nowUs() &+ Self.probeWindowUs(baudRate: baud)) {
                return (baud, version)
            }
            if scanner.ubxFrames + scanner.nmeaSentences > 0 {
                // Something valid at this speed, but no MON-VER yet (its answer can queue behind a burst of
                // output): poll again before concluding it is not a u-blox.
                for _ in 0..<2 {
                    try send(UBXConfigMessages.monVerPoll(), step: "polling UBX-MON-VER at \(baud) baud")
                    if let version = try listenForVersion(untilUs: clock.nowUs() &+ 600_000) { return (baud, version) }
                }
                throw .notUBlox(port: portName, baudRate: baud, heard: heardText())
            }
            heardPerBaud.append("\(baud): " + (scanner.bytes == 0 ? "silent" : "\(scanner.bytes) bytes of garbage"))
        }
        throw .noReceiver(port: portName, baudRatesTried: tried, heard: heardPerBaud.joined(separator: "; "))
    }

    private func listenForVersion(untilUs endUs: UInt64) throws(GPSSetupError) -> UBloxVersion? {
        let frame = try listen(untilUs: endUs) { frame in
            if case .ubx(.monVER, let payload) = frame { return UBloxVersion(monVerPayload: payload) != nil }
            return false
        }
        if case .ubx(_, let payload)? = frame { return UBloxVersion(monVerPayload: payload) }
        return nil
    }

    // MARK: Configuration

    private func configureWithMessages(atBaud baud: Int) throws(GPSSetupError) {
        try transact(UBXConfigMessages.cfgRATE(measurementPeriodMs: settings.measurementPeriodMs), .cfgRATE,
                     baud: baud)
        try transact(UBXConfigMessages.cfgMSG(.navPVT, uart1Rate: settings.protocolKind == .ubx ? 1 : 0), .cfgMSG,
                     baud: baud)
        try transact(UBXConfigMessages.cfgNAV5(dynamicModel: settings.dynamicModel), .cfgNAV5, baud: baud)
        // UBX stays on both ways even on an NMEA board (where NAV-PVT is off, so only the rare ACK or MON-VER is UBX,
        // which the NMEA parser skips): the next start must be able to poll MON-VER and configure it again.
        let output: UBXPortProtocols = settings.protocolKind == .ubx ? .ubx : [.ubx, .nmea]
        try changePort(UBXConfigMessages.cfgPRT(uart1BaudRate: settings.baudRate, input: .ubx, output: output),
                       .cfgPRT, fromBaud: baud)
    }

    private func configureWithKeys(atBaud baud: Int) throws(GPSSetupError) {
        let ubx = settings.protocolKind == .ubx
        try transact(UBXConfigMessages.cfgVALSET([
            UBXConfigItem(.rateMeasurementMs, UInt64(settings.measurementPeriodMs)),
            UBXConfigItem(.rateNavigationCycles, 1),
            UBXConfigItem(.navPVTOnUART1, ubx ? 1 : 0),
            UBXConfigItem(.dynamicModel, UInt64(settings.dynamicModel.rawValue)),
        ]), .cfgVALSET, baud: baud)
        try changePort(UBXConfigMessages.cfgVALSET([
            UBXConfigItem(.uart1BaudRate, UInt64(settings.baudRate)),
            UBXConfigItem(.uart1OutUBX, 1),  // kept on for the next start's MON-VER, as with CFG-PRT
            UBXConfigItem(.uart1OutNMEA, ubx ? 0 : 1),
        ]), .cfgVALSET, fromBaud: baud)
    }

    /// Sends `frame` and waits for its ACK-ACK; ACK-NAK is an error, silence is retried once.
    private func transact(_ frame: [UInt8], _ message: UBXMessageID, baud: Int) throws(GPSSetupError) {
        for _ in 0..<Self.attempts {
            try send(frame, step: "sending \(message)")
            switch try awaitAcknowledgement(of: message, untilUs: clock.nowUs() &+ Self.acknowledgementTimeoutUs) {
            case true?: return
            case false?: throw .refused(port: portName, message: message.description, baudRate: baud)
            case nil: continue
            }
        }
        guard clock.nowUs() < deadlineUs else {
            throw .timedOut(port: portName, step: "waiting for the acknowledgement of \(message)",
                            budgetMs: Int(settings.budgetUs / 1000))
        }
        throw .noAcknowledgement(port: portName, message: message.description, baudRate: baud,
                                 attempts: Self.attempts)
    }

    /// The speed/protocol change: a NAK at the old speed is an error; an ACK or nothing is not (the receiver may
    /// answer at the new speed). Then the host follows.
    private func changePort(_ frame: [UInt8], _ message: UBXMessageID, fromBaud baud: Int) throws(GPSSetupError) {
        if baud == settings.baudRate {
            // No speed change: the acknowledgement comes back at this speed and must.
            try transact(frame, message, baud: baud)
            return
        }
        try send(frame, step: "sending \(message)")
        if try awaitAcknowledgement(of: message, untilUs: clock.nowUs() &+ Self.speedChangeSettleUs) == false {
            throw .refused(port: portName, message: message.description, baudRate: baud)
        }
        try setHostBaud(settings.baudRate)
    }

    /// true: ACK-ACK, false: ACK-NAK, nil: neither before `endUs`.
    private func awaitAcknowledgement(of message: UBXMessageID, untilUs endUs: UInt64) throws(GPSSetupError)
        -> Bool?
    {
        let frame = try listen(untilUs: endUs) { frame in
            guard case .ubx(let id, let payload) = frame, id == .ackAck || id == .ackNak, payload.count >= 2 else {
                return false
            }
            return payload[0] == message.messageClass && payload[1] == message.id
        }
        guard case .ubx(let id, _)? = frame else { return nil }
        return id == .ackAck
    }

    // MARK: Verification

    /// Waits for the board's protocol at the board's speed; for UBX returns the rate from two NAV-PVT time stamps.
    private func verifyOutput() throws(GPSSetupError) -> Double? {
        scanner = GPSFrameScanner()
        let periodUs = UInt64(settings.measurementPeriodMs) * 1000
        let waitUs = 3 * periodUs + 600_000
        let endUs = clock.nowUs() &+ waitUs
        var firstTimeOfWeekMs: UInt32?
        var rate: Double?
        let found = try listen(untilUs: endUs) { frame in
            switch (frame, settings.protocolKind) {
            case (.nmea, .nmea):
                return true
            case (.ubx(.navPVT, let payload), .ubx):
                guard payload.count >= 4 else { return false }
                let tow = UInt32(payload[0]) | UInt32(payload[1]) << 8 | UInt32(payload[2]) << 16
                    | UInt32(payload[3]) << 24
                guard let first = firstTimeOfWeekMs else {
                    firstTimeOfWeekMs = tow
                    return false
                }
                guard tow > first else { return false }
                rate = 1000 / Double(tow - first)
                return true
            default:
                return false
            }
        }
        guard found != nil else {
            if clock.nowUs() >= deadlineUs, clock.nowUs() < endUs {
                throw .timedOut(port: portName, step: "waiting for the navigation output",
                                budgetMs: Int(settings.budgetUs / 1000))
            }
            throw .noNavigationOutput(port: portName, baudRate: settings.baudRate,
                                      expected: settings.protocolKind == .ubx ? "two UBX-NAV-PVT" : "NMEA sentence",
                                      waitedMs: Int(waitUs / 1000), heard: heardText())
        }
        return rate
    }

    // MARK: Wire

    private func heardText() -> String {
        if scanner.heard.isEmpty {
            return scanner.bytes == 0 ? "heard nothing" : "heard \(scanner.bytes) bytes of garbage"
        }
        return "heard " + scanner.heard.joined(separator: ", ")
    }

    private func setHostBaud(_ baud: Int) throws(GPSSetupError) {
        do throws(DeviceError) { try port.setBaudRate(baud) } catch { throw .port(error) }
    }

    /// Writes all of `frame`, waiting out a full transmit buffer within the budget.
    private func send(_ frame: [UInt8], step: String) throws(GPSSetupError) {
        var offset = 0
        while offset < frame.count {
            var failure: DeviceError?
            let n = frame.withUnsafeBytes { raw -> Int in
                do throws(DeviceError) { return try port.write(UnsafeRawBufferPointer(rebasing: raw[offset...])) } catch {
                    failure = error
                    return 0
                }
            }
            if let failure { throw .port(failure) }
            offset += n
            if n == 0 {
                guard clock.nowUs() < deadlineUs else {
                    throw .timedOut(port: portName, step: step, budgetMs: Int(settings.budgetUs / 1000))
                }
                clock.sleep(durationUs: Self.pollIntervalUs)
            }
        }
    }

    /// Reads and scans until `matches` accepts a frame (returned) or `endUs` (cut to the budget) passes (nil).
    private func listen(untilUs endUs: UInt64, _ matches: (GPSWireFrame) -> Bool) throws(GPSSetupError)
        -> GPSWireFrame?
    {
        let end = min(endUs, deadlineUs)
        while true {
            var failure: DeviceError?
            let n = buffer.withUnsafeMutableBytes { raw -> Int in
                do throws(DeviceError) { return try port.read(into: raw) } catch {
                    failure = error
                    return 0
                }
            }
            if let failure { throw .port(failure) }
            for i in 0..<n {
                if let frame = scanner.consume(buffer[i]), matches(frame) { return frame }
            }
            // Checked after every read, and every read is followed by a pause, so a port that never stops talking
            // cannot hold the set-up past its end (2 ms is ~90 bytes at 460800 baud: far below the tty's buffer).
            guard clock.nowUs() < end else { return nil }
            clock.sleep(durationUs: Self.pollIntervalUs)
        }
    }
}
