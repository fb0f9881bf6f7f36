import Testing
@testable import Drivers

/// The configuration frames against byte strings published for u-blox receivers (u-blox application notes and
/// widely used configuration tables), each checked with an independent Fletcher-8 computation before use here.
@Suite struct UBXConfigMessagesTests {
    @Test func checksumIsFletcher8OverClassToPayload() {
        // MON-VER poll: 0A 04 00 00 → CK_A 0x0E, CK_B 0x34.
        let ck = UBXFrame.checksum([0x0A, 0x04, 0x00, 0x00])
        #expect(ck.a == 0x0E && ck.b == 0x34)
    }

    @Test func monVerPoll() {
        #expect(UBXConfigMessages.monVerPoll() == [0xB5, 0x62, 0x0A, 0x04, 0x00, 0x00, 0x0E, 0x34])
    }

    @Test func cfgRATE5And10Hz() {
        #expect(UBXConfigMessages.cfgRATE(measurementPeriodMs: 200)
            == [0xB5, 0x62, 0x06, 0x08, 0x06, 0x00, 0xC8, 0x00, 0x01, 0x00, 0x01, 0x00, 0xDE, 0x6A])
        #expect(UBXConfigMessages.cfgRATE(measurementPeriodMs: 100)
            == [0xB5, 0x62, 0x06, 0x08, 0x06, 0x00, 0x64, 0x00, 0x01, 0x00, 0x01, 0x00, 0x7A, 0x12])
    }

    @Test func cfgPRTUART1At115200UBXOnly() {
        #expect(UBXConfigMessages.cfgPRT(uart1BaudRate: 115_200, input: .ubx, output: .ubx)
            == [0xB5, 0x62, 0x06, 0x00, 0x14, 0x00, 0x01, 0x00, 0x00, 0x00, 0xD0, 0x08, 0x00, 0x00, 0x00, 0xC2, 0x01,
                0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0xB8, 0x42])
    }

    @Test func cfgMSGNavPVTOnUART1() {
        #expect(UBXConfigMessages.cfgMSG(.navPVT, uart1Rate: 1)
            == [0xB5, 0x62, 0x06, 0x01, 0x08, 0x00, 0x01, 0x07, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x18, 0xE1])
    }

    @Test func cfgNAV5ChangesOnlyTheDynamicModel() {
        let frame = UBXConfigMessages.cfgNAV5(dynamicModel: .airborne4g)
        #expect(frame.count == 8 + 36)
        #expect(Array(frame[0..<6]) == [0xB5, 0x62, 0x06, 0x24, 0x24, 0x00])
        #expect(frame[6] == 0x01 && frame[7] == 0x00)  // mask: dyn only
        #expect(frame[8] == 8)  // airborne <4g
        #expect(frame[9..<42].allSatisfy { $0 == 0 })
        let ck = UBXFrame.checksum(frame[2..<42])
        #expect(frame[42] == ck.a && frame[43] == ck.b)
    }

    @Test func valsetSingleKeysInRAM() {
        #expect(UBXConfigMessages.cfgVALSET([UBXConfigItem(.dynamicModel, 8)])
            == [0xB5, 0x62, 0x06, 0x8A, 0x09, 0x00, 0x00, 0x01, 0x00, 0x00, 0x21, 0x00, 0x11, 0x20, 0x08, 0xF4, 0x51])
        #expect(UBXConfigMessages.cfgVALSET([UBXConfigItem(.navPVTOnUART1, 1)])
            == [0xB5, 0x62, 0x06, 0x8A, 0x09, 0x00, 0x00, 0x01, 0x00, 0x00, 0x07, 0x00, 0x91, 0x20, 0x01, 0x53, 0x48])
        #expect(UBXConfigMessages.cfgVALSET([UBXConfigItem(.rateMeasurementMs, 100)])
            == [0xB5, 0x62, 0x06, 0x8A, 0x0A, 0x00, 0x00, 0x01, 0x00, 0x00, 0x01, 0x00, 0x21, 0x30, 0x64, 0x00, 0x51,
                0xB9])
    }

    @Test func configKeyIDsAndValueSizes() {
        // Ids from the M9/M10 interface descriptions; the size nibble (bits 28…30) gives the value's bytes.
        let keys: [(UBXConfigKey, UInt32, Int)] = [
            (.uart1BaudRate, 0x4052_0001, 4), (.uart1OutUBX, 0x1074_0001, 1), (.uart1OutNMEA, 0x1074_0002, 1),
            (.rateMeasurementMs, 0x3021_0001, 2), (.rateNavigationCycles, 0x3021_0002, 2),
            (.navPVTOnUART1, 0x2091_0007, 1), (.dynamicModel, 0x2011_0021, 1),
        ]
        for (key, id, size) in keys {
            #expect(key.id == id, "\(key)")
            #expect(key.valueBytes == size, "\(key)")
        }
        let baud = UBXConfigMessages.cfgVALSET([UBXConfigItem(.uart1BaudRate, 115_200)])
        #expect(Array(baud[10..<18]) == [0x01, 0x00, 0x52, 0x40, 0x00, 0xC2, 0x01, 0x00])
    }

    @Test func monVerDecodesGenerationAndVersions() throws {
        func payload(_ software: String, _ hardware: String, _ extensions: [String]) -> [UInt8] {
            func padded(_ s: String, _ n: Int) -> [UInt8] { Array(s.utf8) + [UInt8](repeating: 0, count: n - s.utf8.count) }
            return padded(software, 30) + padded(hardware, 10) + extensions.flatMap { padded($0, 30) }
        }
        let m8 = try #require(UBloxVersion(monVerPayload: payload(
            "ROM CORE 3.01 (107888)", "00080000", ["FWVER=SPG 3.01", "PROTVER=18.00", "MOD=NEO-M8N-0"])))
        #expect(m8.software == "ROM CORE 3.01 (107888)" && m8.hardware == "00080000")
        #expect(m8.protocolVersion == 18 && m8.module == "NEO-M8N-0" && m8.firmware == "SPG 3.01")
        #expect(!m8.usesConfigurationKeys && m8.hasNavPVT)
        let m10 = try #require(UBloxVersion(monVerPayload: payload(
            "ROM SPG 5.10 (7b202e)", "000A0000", ["FWVER=SPG 5.10", "PROTVER=34.10", "MOD=MAX-M10S"])))
        #expect(m10.protocolVersion == 34.10 && m10.usesConfigurationKeys)
        let f9 = try #require(UBloxVersion(monVerPayload: payload("EXT CORE 1.00", "00190000", ["PROTVER=27.00"])))
        #expect(f9.usesConfigurationKeys)
        let ublox6 = try #require(UBloxVersion(monVerPayload: payload("7.03 (45969)", "00040007", [])))
        #expect(!ublox6.hasNavPVT && !ublox6.usesConfigurationKeys)
        #expect(UBloxVersion(monVerPayload: [UInt8](repeating: 0x41, count: 39)) == nil)
    }

    @Test func scannerFindsAcknowledgementsAndSentencesAmongGarbage() {
        var scanner = GPSFrameScanner()
        let ack = UBXFrame.encode(.ackAck, payload: [0x06, 0x08])
        let nak = UBXFrame.encode(.ackNak, payload: [0x06, 0x24])
        let sentence = Array("$GNGGA,120000.00,,,,,0,00,99.99,,,,,,*7B\r\n".utf8)
        var corrupt = ack
        corrupt[7] ^= 0x01
        let stream: [UInt8] = [0xB5, 0x00, 0x24, 0xFF] + corrupt + ack + [0x13, 0x37] + sentence + nak
        var frames: [GPSWireFrame] = []
        for b in stream { if let f = scanner.consume(b) { frames.append(f) } }
        #expect(frames == [.ubx(.ackAck, payload: [0x06, 0x08]), .nmea(address: "GNGGA"),
                           .ubx(.ackNak, payload: [0x06, 0x24])])
        #expect(scanner.heard == ["UBX-ACK-ACK", "$GNGGA", "UBX-ACK-NAK"])
    }
}
