/// How the emulated u-blox answers the host: MON-VER, and the configuration messages of its generation, each
/// acknowledged (ACK-ACK) or refused (ACK-NAK) as the real receiver would, then applied. A speed change takes effect
/// once the acknowledgement is out, at the old speed.
extension EmulatedGPS {
    func handle(_ command: UBXCommand, atNs replyNs: UInt64) {
        guard acceptsUBX else { return }
        switch (command.messageClass, command.id) {
        case (0x0A, 0x04) where command.payload.isEmpty:
            reply(atNs: replyNs) { $0.ubxMonVer(self.config.generation) }
        case (0x06, _):
            configure(command, atNs: replyNs)
        default:
            break  // other input (polls of messages the emulator does not model) is ignored
        }
    }

    private func reply(atNs ns: UInt64, _ build: (inout FrameWriter) -> Void) {
        // UBX output off on the port: ACKs and MON-VER are UBX messages too.
        guard outputsUBX else { return }
        build(&writer)
        transmit(startNs: ns)
    }

    private func configure(_ command: UBXCommand, atNs ns: UInt64) {
        let name = Self.name(command.id)
        let legacy = config.generation == .m8
        var apply: (() -> Void)?
        if !config.refusedConfigMessageIDs.contains(command.id) {
            switch command.id {
            case 0x00 where legacy: apply = cfgPRT(command.payload)
            case 0x01 where legacy: apply = cfgMSG(command.payload)
            case 0x08 where legacy: apply = cfgRATE(command.payload)
            case 0x24 where legacy: apply = cfgNAV5(command.payload)
            case 0x8A where !legacy: apply = cfgVALSET(command.payload)
            default: apply = nil
            }
        }
        if let apply {
            acknowledged.append(name)
            reply(atNs: ns) { $0.ubxAck(true, messageClass: 0x06, id: command.id) }
            apply()
        } else {
            refused.append(name)
            reply(atNs: ns) { $0.ubxAck(false, messageClass: 0x06, id: command.id) }
        }
    }

    static func name(_ id: UInt8) -> String {
        switch id {
        case 0x00: return "CFG-PRT"
        case 0x01: return "CFG-MSG"
        case 0x08: return "CFG-RATE"
        case 0x24: return "CFG-NAV5"
        case 0x8A: return "CFG-VALSET"
        default: return "CFG 0x" + String(id, radix: 16)
        }
    }

    private static func u16(_ p: [UInt8], _ o: Int) -> UInt64 { UInt64(p[o]) | UInt64(p[o + 1]) << 8 }
    private static func u32(_ p: [UInt8], _ o: Int) -> UInt64 { u16(p, o) | u16(p, o + 2) << 16 }
    static let baudRates: Set<UInt64> = [4800, 9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600]
    static let dynamicModels: Set<UInt64> = [0, 2, 3, 4, 5, 6, 7, 8]

    // Each returns what to apply after the ACK, or nil for a NAK (malformed or out of range: nothing changes).

    private func cfgPRT(_ p: [UInt8]) -> (() -> Void)? {
        guard p.count == 20 else { return nil }
        guard p[0] == 1 else { return {} }  // another port: accepted, nothing to model
        let baud = Self.u32(p, 8)
        let input = Self.u16(p, 12)
        let output = Self.u16(p, 14)
        guard Self.baudRates.contains(baud), Self.u32(p, 4) & 0x0000_08C0 == 0x0000_08C0 else { return nil }
        return {
            self.setReceiverBaud(Int(baud))
            self.acceptsUBX = input & 0x1 != 0
            self.outputsUBX = output & 0x1 != 0
            self.outputsNMEA = output & 0x2 != 0
        }
    }

    private func cfgMSG(_ p: [UInt8]) -> (() -> Void)? {
        // 3 bytes: rate on the port the message came in on (UART1); 8 bytes: per port, UART1 at index 3.
        guard p.count == 3 || p.count == 8 else { return nil }
        let rate = p.count == 3 ? p[2] : p[3]
        guard p[0] == 0x01, p[1] == 0x07 else { return {} }
        return { self.navPVTRate = rate }
    }

    private func cfgRATE(_ p: [UInt8]) -> (() -> Void)? {
        guard p.count == 6 else { return nil }
        let periodMs = Self.u16(p, 0)
        guard periodMs >= 25, Self.u16(p, 2) >= 1 else { return nil }
        return { self.setMeasurementPeriod(ms: periodMs) }
    }

    private func cfgNAV5(_ p: [UInt8]) -> (() -> Void)? {
        guard p.count == 36 else { return nil }
        guard p[0] & 0x01 != 0 else { return {} }
        let model = UInt64(p[2])
        guard Self.dynamicModels.contains(model) else { return nil }
        return { self.dynamicModel = UInt8(model) }
    }

    /// CFG-VALSET version 0: every key known and every value in range, or the whole message is refused.
    private func cfgVALSET(_ p: [UInt8]) -> (() -> Void)? {
        guard p.count >= 4, p[0] == 0 else { return nil }
        var changes: [() -> Void] = []
        var o = 4
        while o < p.count {
            guard o + 4 <= p.count else { return nil }
            let key = UInt32(Self.u32(p, o))
            o += 4
            let size: Int
            switch (key >> 28) & 0x7 {
            case 1, 2: size = 1
            case 3: size = 2
            case 4: size = 4
            case 5: size = 8
            default: return nil
            }
            guard o + size <= p.count else { return nil }
            var value: UInt64 = 0
            for i in 0..<size { value |= UInt64(p[o + i]) << (8 * UInt64(i)) }
            o += size
            switch key {
            case 0x4052_0001:
                guard Self.baudRates.contains(value) else { return nil }
                changes.append { self.setReceiverBaud(Int(value)) }
            case 0x1074_0001: changes.append { self.outputsUBX = value != 0 }
            case 0x1074_0002: changes.append { self.outputsNMEA = value != 0 }
            case 0x3021_0001:
                guard value >= 25 else { return nil }
                changes.append { self.setMeasurementPeriod(ms: value) }
            case 0x3021_0002:
                guard value >= 1 else { return nil }
            case 0x2091_0007: changes.append { self.navPVTRate = UInt8(truncatingIfNeeded: value) }
            case 0x2011_0021:
                guard Self.dynamicModels.contains(value) else { return nil }
                changes.append { self.dynamicModel = UInt8(value) }
            default:
                return nil  // a key this firmware does not have
            }
        }
        return { for change in changes { change() } }
    }

    func setReceiverBaud(_ baud: Int) {
        receiverBaudRate = baud
        byteTimeNs = Self.byteTimeNs(baud)
        commands = UBXCommandReader()
    }

    func setMeasurementPeriod(ms: UInt64) {
        periodUs = ms * 1000
        // The next epoch on the new grid, as the receiver re-aligns to GPS time.
        let now = clock.nowUs()
        nextEpochUs = (now / periodUs + 1) * periodUs
    }
}

extension FrameWriter {
    /// UBX-ACK-ACK (or -NAK) for the message `messageClass`/`id`.
    mutating func ubxAck(_ acknowledged: Bool, messageClass: UInt8, id: UInt8) {
        clear()
        for b: UInt8 in [0xB5, 0x62, 0x05, acknowledged ? 0x01 : 0x00, 0x02, 0x00, messageClass, id] { byte(b) }
        finishUBX()
    }

    /// UBX-MON-VER as the generation's firmware sends it: software, hardware, then 30-character extensions.
    mutating func ubxMonVer(_ generation: EmulatedGPSConfig.Generation) {
        let software: StaticString
        let hardware: StaticString
        let extensions: [StaticString]
        switch generation {
        case .m8:
            software = "ROM CORE 3.01 (107888)"
            hardware = "00080000"
            extensions = ["FWVER=SPG 3.01", "PROTVER=18.00", "MOD=NEO-M8N-0", "GPS;GLO;GAL;BDS"]
        case .m9:
            software = "EXT CORE 4.04 (7f89f7)"
            hardware = "00190000"
            extensions = ["FWVER=SPG 4.04", "PROTVER=32.01", "MOD=NEO-M9N", "GPS;GLO;GAL;BDS"]
        case .m10:
            software = "ROM SPG 5.10 (7b202e)"
            hardware = "000A0000"
            extensions = ["FWVER=SPG 5.10", "PROTVER=34.10", "MOD=MAX-M10S", "GPS;GLO;GAL;BDS"]
        }
        clear()
        let length = 40 + 30 * extensions.count
        for b: UInt8 in [0xB5, 0x62, 0x0A, 0x04, UInt8(length & 0xFF), UInt8(length >> 8)] { byte(b) }
        padded(software, 30)
        padded(hardware, 10)
        for e in extensions { padded(e, 30) }
        finishUBX()
    }

    private mutating func padded(_ s: StaticString, _ width: Int) {
        var n = 0
        s.withUTF8Buffer { for b in $0 where n < width { byte(b); n += 1 } }
        while n < width { byte(0); n += 1 }
    }
}
