import Testing
@testable import MAVLink

@Suite struct TruncationTests {
    @Test func allZeroPayloadKeepsOneByte() throws {
        var encoder = FrameEncoder(systemID: 1, componentID: 1)
        let bytes = try encodeFrame(Attitude(), with: &encoder)
        #expect(bytes[1] == 1)
        #expect(bytes.count == 10 + 1 + 2)
        let frame = try #require(parseAll(FrameParser(), bytes).first)
        #expect(frame.decode(Attitude.self) == Attitude())
    }

    @Test func trailingZeroFieldsAreDroppedOnSend() throws {
        var encoder = FrameEncoder(systemID: 1, componentID: 1)
        // ATTITUDE wire order: time_boot_ms, roll, pitch, yaw, rollspeed, pitchspeed, yawspeed (4 bytes each).
        let bytes = try encodeFrame(Attitude(timeBootMs: 5, roll: 0.5), with: &encoder)
        // 0.5f = 0x3F000000 little-endian: 00 00 00 3F, so the payload ends after the roll field's last byte.
        #expect(bytes[1] == 8)
        #expect(Array(bytes[10..<18]) == [5, 0, 0, 0, 0, 0, 0, 0x3F])
    }

    @Test func shortPayloadIsZeroExtendedOnReceive() {
        // SYS_STATUS from a sender without the extension fields (31-byte base payload, as MAVLink 1 or an old
        // MAVLink 2 peer sends it), and a truncated one of 3 bytes.
        var base = [UInt8](repeating: 0, count: 31)
        base[0] = 0x01  // onboard_control_sensors_present = 1
        base[30] = 77  // battery_remaining (int8, last base field)
        let decoded = base.withUnsafeBytes { SysStatus(payload: PayloadReader($0)) }
        #expect(decoded.onboardControlSensorsPresent.rawValue == 1)
        #expect(decoded.batteryRemaining == 77)
        #expect(decoded.onboardControlSensorsPresentExtended.rawValue == 0)
        let short: [UInt8] = [0x10, 0x20, 0x30]
        let partial = short.withUnsafeBytes { SysStatus(payload: PayloadReader($0)) }
        #expect(partial.onboardControlSensorsPresent.rawValue == 0x0030_2010)
        #expect(partial.load == 0 && partial.batteryRemaining == 0)
    }

    @Test func longerPayloadFromANewerPeerIsAccepted() throws {
        // A newer peer may know more extension fields: extra bytes are ignored, CRC_EXTRA is unchanged.
        // SYSTEM_TIME: time_unix_usec (uint64, offset 0), time_boot_ms (uint32, offset 8); 12 bytes + 3 unknown.
        var payload = [UInt8](repeating: 0, count: 12)
        payload[0] = 42
        payload[11] = 9
        payload += [1, 2, 3]
        var frame: [UInt8] = [0xFD, UInt8(payload.count), 0, 0, 0, 1, 1, 2, 0, 0] + payload
        var crc = CRC16MCRF4XX()
        for byte in frame[1...] { crc.update(byte) }
        crc.update(SystemTime.crcExtra)
        frame += [UInt8(crc.value & 0xFF), UInt8(crc.value >> 8)]
        let received = try #require(parseAll(FrameParser(), frame).first)
        let time = try #require(received.decode(SystemTime.self))
        #expect(time.timeUnixUsec == 42)
        #expect(time.timeBootMs == 9 << 24)
    }

    @Test func readerStraddlingTheEndZeroFillsTheMissingBytes() {
        let bytes: [UInt8] = [0x11, 0x22, 0x33]
        bytes.withUnsafeBytes { raw in
            let reader = PayloadReader(raw)
            #expect(reader.read(UInt32.self, at: 0) == 0x0033_2211)
            #expect(reader.read(UInt16.self, at: 2) == 0x0033)
            #expect(reader.read(Int64.self, at: 8) == 0)
            #expect(reader.read(Int16.self, at: -1) == 0x1100)
            #expect(reader.read(Float.self, at: 3) == 0)
        }
    }
}
