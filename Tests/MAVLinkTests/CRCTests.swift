import Testing
@testable import MAVLink

@Suite struct CRCTests {
    @Test func checkValueOfTheCRCCatalogue() {
        // CRC-16/MCRF4XX check value (reveng CRC catalogue): CRC of ASCII "123456789".
        #expect(CRC16MCRF4XX.checksum(Array("123456789".utf8)) == 0x6F91)
    }

    @Test func emptyInputLeavesTheInitialValue() {
        #expect(CRC16MCRF4XX.checksum([UInt8]()) == 0xFFFF)
    }

    @Test func crcExtraOfWellKnownMessages() {
        // Values published in the MAVLink C headers / pymavlink for common.xml.
        #expect(Heartbeat.crcExtra == 50)
        #expect(SysStatus.crcExtra == 124)
        #expect(Attitude.crcExtra == 39)
        #expect(GlobalPositionInt.crcExtra == 104)
        #expect(CommandLong.crcExtra == 152)
        #expect(CommandAck.crcExtra == 143)
        #expect(Statustext.crcExtra == 83)
        #expect(ParamValue.crcExtra == 220)
        #expect(MissionItemInt.crcExtra == 38)
        #expect(SetupSigning.crcExtra == 71)
    }

    @Test func heartbeatFrameMatchesPymavlink() throws {
        // pymavlink 2.4.50: HEARTBEAT(type=1, autopilot=3, base_mode=0x51, custom_mode=0x12345678,
        // system_status=4, mavlink_version=3) packed by MAVLink(srcSystem=1, srcComponent=1), seq 0.
        var encoder = FrameEncoder(systemID: 1, componentID: 1)
        let message = Heartbeat(
            type: .fixedWing, autopilot: MAVAutopilot(rawValue: 3), baseMode: MAVModeFlag(rawValue: 0x51),
            customMode: 0x1234_5678, systemStatus: .active, mavlinkVersion: 3)
        #expect(try encodeFrame(message, with: &encoder) == hexBytes("fd090000000101000000785634120103510403e390"))
    }

    @Test func globalPositionFrameMatchesPymavlink() throws {
        // pymavlink 2.4.50, seq 7: GLOBAL_POSITION_INT(123456, 473977418, 85455939, 488000, 100000, -150, 20, 0, 9000).
        var encoder = FrameEncoder(systemID: 1, componentID: 1)
        encoder.sequence = 7
        let message = GlobalPositionInt(
            timeBootMs: 123_456, lat: 473_977_418, lon: 85_455_939, alt: 488_000, relativeAlt: 100_000, vx: -150,
            vy: 20, vz: 0, hdg: 9000)
        #expect(
            try encodeFrame(message, with: &encoder)
                == hexBytes("fd1c000007010121000040e201004a52401c43f4170540720700a08601006aff140000002823058e"))
    }

    @Test func mavlink1HeartbeatMatchesPymavlink() throws {
        // pymavlink 2.4.50 force_mavlink1, srcSystem 255, srcComponent 190.
        var encoder = FrameEncoder(systemID: 255, componentID: 190)
        let message = Heartbeat(
            type: .fixedWing, autopilot: MAVAutopilot(rawValue: 3), baseMode: MAVModeFlag(rawValue: 0x51),
            customMode: 0x1234_5678, systemStatus: .active, mavlinkVersion: 3)
        #expect(try encodeFrameV1(message, with: &encoder) == hexBytes("fe0900ffbe00785634120103510403a031"))
    }
}
