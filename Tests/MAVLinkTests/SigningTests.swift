import Crypto
import Testing
@testable import MAVLink

@Suite struct SigningTests {
    let key = SigningKey(bytes: Array(0..<32))!
    let otherKey = SigningKey(bytes: Array(1...32))!

    @Test func timestampEpochIs2015InTenMicrosecondUnits() {
        #expect(SignatureTimestamp.from(unixTimeUs: 1_420_070_400_000_000) == 0)
        #expect(SignatureTimestamp.from(unixTimeUs: 1_420_070_401_000_000) == 100_000)
        #expect(SignatureTimestamp.from(unixTimeUs: 0) == 0)
        #expect(SignatureTimestamp.from(unixTimeUs: .max) == SignatureTimestamp.max)
    }

    @Test func signedFrameMatchesPymavlink() throws {
        // pymavlink 2.4.50: key bytes 0..31, link id 2, timestamp 0x0123456789AB, seq 0, sys/comp 1/1,
        // COMMAND_LONG(target 1/1, command 400, confirmation 0, param1 1.0).
        var encoder = FrameEncoder(
            systemID: 1, componentID: 1, signing: OutgoingSigning(key: key, linkID: 2, lastTimestamp: 0x0123_4567_89AA))
        let message = CommandLong(targetSystem: 1, targetComponent: 1, command: .componentArmDisarm, param1: 1)
        let expected = hexBytes(
            "fd2001000001014c00000000803f00000000000000000000000000000000000000000000000090010101ec6d"
                + "02ab8967452301c708fd202760")
        #expect(try encodeFrame(message, with: &encoder) == expected)
    }

    @Test func signatureIsTheSHA256PrefixOverKeyFrameLinkAndTimestamp() throws {
        var encoder = FrameEncoder(
            systemID: 9, componentID: 1, signing: OutgoingSigning(key: key, linkID: 7, lastTimestamp: 41))
        let frame = try encodeFrame(Ping(timeUsec: 5, seq: 6), with: &encoder)
        #expect(frame[2] == FrameLayout.incompatFlagSigned)
        let block = Array(frame[(frame.count - 13)...])
        #expect(block[0] == 7)
        #expect(Array(block[1..<7]) == [42, 0, 0, 0, 0, 0])
        // Independent recomputation with swift-crypto over the documented byte string.
        let digest = Array(SHA256.hash(data: Array(0..<32) + frame[0..<(frame.count - 6)]))
        #expect(Array(block[7..<13]) == Array(digest[0..<6]))
    }

    @Test func sendTimestampsStrictlyIncrease() {
        var signing = OutgoingSigning(key: key, linkID: 0)
        let first = signing.nextTimestamp(unixTimeUs: testNowUnixUs)
        let second = signing.nextTimestamp(unixTimeUs: testNowUnixUs)  // same clock reading
        let third = signing.nextTimestamp(unixTimeUs: testNowUnixUs - 5_000_000)  // clock stepped back
        let fourth = signing.nextTimestamp(unixTimeUs: testNowUnixUs + 1_000_000)
        #expect(first == SignatureTimestamp.from(unixTimeUs: testNowUnixUs))
        #expect(second == first + 1 && third == first + 2)
        #expect(fourth == first + 100_000)
    }

    private func signedFrames(count: Int, linkID: UInt8 = 0, systemID: UInt8 = 1, at unixTimeUs: UInt64) throws
        -> [[UInt8]]
    {
        var encoder = FrameEncoder(
            systemID: systemID, componentID: 1, signing: OutgoingSigning(key: key, linkID: linkID))
        return try (0..<count).map { index in
            try encodeFrame(Heartbeat(customMode: UInt32(index)), with: &encoder, unixTimeUs: unixTimeUs)
        }
    }

    @Test func verifiedFramesAreMarkedWithTheirLink() throws {
        let frames = try signedFrames(count: 3, linkID: 4, at: testNowUnixUs)
        let parser = FrameParser(verifier: SignatureVerifier(key: key))
        let received = parseAll(parser, frames.flatMap { $0 }, unixTimeUs: testNowUnixUs)
        #expect(received.map(\.authentication) == Array(repeating: .verified(linkID: 4), count: 3))
        #expect(parser.counters.signatureFailures == 0)
    }

    @Test func wrongKeyOrTamperedFrameIsRejected() throws {
        let frame = try signedFrames(count: 1, at: testNowUnixUs)[0]
        let wrongKeyParser = FrameParser(verifier: SignatureVerifier(key: otherKey))
        #expect(parseAll(wrongKeyParser, frame, unixTimeUs: testNowUnixUs).isEmpty)
        #expect(wrongKeyParser.counters.signatureBad == 1)

        // Change the payload and repair the CRC: only the signature can catch it.
        var tampered = frame
        tampered[10] ^= 0x01
        var crc = CRC16MCRF4XX()
        for byte in tampered[1..<(10 + Int(tampered[1]))] { crc.update(byte) }
        crc.update(Heartbeat.crcExtra)
        tampered[10 + Int(tampered[1])] = UInt8(crc.value & 0xFF)
        tampered[11 + Int(tampered[1])] = UInt8(crc.value >> 8)
        let parser = FrameParser(verifier: SignatureVerifier(key: key))
        #expect(parseAll(parser, tampered + frame, unixTimeUs: testNowUnixUs).map(\.bytes) == [frame])
        #expect(parser.counters.signatureBad == 1 && parser.counters.badCRC == 0)
    }

    @Test func replayedFrameIsRejected() throws {
        let frames = try signedFrames(count: 2, at: testNowUnixUs)
        let parser = FrameParser(verifier: SignatureVerifier(key: key))
        let received = parseAll(parser, frames[0] + frames[1] + frames[0] + frames[1], unixTimeUs: testNowUnixUs)
        #expect(received.map(\.bytes) == frames)
        #expect(parser.counters.signatureReplayed == 2)
    }

    @Test func olderFrameOfAKnownStreamIsRejectedEvenIfRecent() throws {
        let frames = try signedFrames(count: 2, at: testNowUnixUs)
        let parser = FrameParser(verifier: SignatureVerifier(key: key))
        #expect(parseAll(parser, frames[1] + frames[0], unixTimeUs: testNowUnixUs).map(\.bytes) == [frames[1]])
        #expect(parser.counters.signatureReplayed == 1)
    }

    @Test func newStreamMoreThanAMinuteOldIsRejected() throws {
        let old = try signedFrames(count: 1, at: testNowUnixUs - 61_000_000)[0]
        let recent = try signedFrames(count: 1, systemID: 2, at: testNowUnixUs - 59_000_000)[0]
        let parser = FrameParser(verifier: SignatureVerifier(key: key))
        #expect(parseAll(parser, old + recent, unixTimeUs: testNowUnixUs).map(\.bytes) == [recent])
        #expect(parser.counters.signatureTooOld == 1)
    }

    @Test func withoutAClockTheNewestAcceptedTimestampIsTheReference() throws {
        // A vehicle without a real-time clock (now = 0) learns the time from the first valid frame.
        let fresh = try signedFrames(count: 1, linkID: 1, at: testNowUnixUs)[0]
        let recorded = try signedFrames(count: 1, linkID: 2, at: testNowUnixUs - 120_000_000)[0]
        let parser = FrameParser(verifier: SignatureVerifier(key: key))
        #expect(parseAll(parser, fresh + recorded, unixTimeUs: 0).map(\.bytes) == [fresh])
        #expect(parser.counters.signatureTooOld == 1)
    }

    /// Finding 9c of issue 16: after 32 streams new stations were refused for good. The least recently used
    /// stream now gives way, and a recording of it stays a replay.
    @Test func aFullStreamTableAgesOutTheLeastRecentlyUsedStream() throws {
        let parser = FrameParser(verifier: SignatureVerifier(key: key))
        var accepted = 0
        var firstOfLink: [[UInt8]] = []
        for link in 0..<(SignatureVerifier.streamCapacity + 3) {
            let frames = try signedFrames(count: 2, linkID: UInt8(link), at: testNowUnixUs + UInt64(link) * 10)
            firstOfLink.append(frames[0])
            accepted += parseAll(parser, frames[0], unixTimeUs: testNowUnixUs).count
        }
        #expect(accepted == SignatureVerifier.streamCapacity + 3)
        #expect(parser.verifier?.streamsEvicted == 3)
        // Streams 0…2 were evicted: their recorded frames are replays still (not newer than the evicted floor).
        #expect(parseAll(parser, firstOfLink[1], unixTimeUs: testNowUnixUs).isEmpty)
        #expect(parser.counters.signatureTooOld == 1)
        // A known stream keeps working, and a new station still gets in.
        var encoder = FrameEncoder(
            systemID: 1, componentID: 1,
            signing: OutgoingSigning(key: key, linkID: 34, lastTimestamp: SignatureTimestamp.from(unixTimeUs: testNowUnixUs + 400)))
        let next = try encodeFrame(Heartbeat(), with: &encoder, unixTimeUs: testNowUnixUs)
        #expect(parseAll(parser, next, unixTimeUs: testNowUnixUs).count == 1)
        let newcomer = try signedFrames(count: 1, linkID: 0, systemID: 77, at: testNowUnixUs + 1_000_000)[0]
        #expect(parseAll(parser, newcomer, unixTimeUs: testNowUnixUs + 1_000_000).count == 1)
    }

    /// Finding 9d: a far-future timestamp from an authenticated stream used to lock out every new station ("too
    /// old" against the future local timestamp). With a sane clock, a new stream may lead it by at most 10 minutes,
    /// and no stream moves the local timestamp further.
    @Test func aFarFutureStreamCannotLockOutNewStations() throws {
        let parser = FrameParser(verifier: SignatureVerifier(key: key))
        let tenYears: UInt64 = 10 * 365 * 86_400 * 1_000_000
        let future = try signedFrames(count: 1, linkID: 1, systemID: 9, at: testNowUnixUs + tenYears)[0]
        let ahead = try signedFrames(count: 1, linkID: 2, systemID: 9, at: testNowUnixUs + 5 * 60 * 1_000_000)[0]
        let honest = try signedFrames(count: 1, linkID: 0, systemID: 255, at: testNowUnixUs)[0]
        #expect(parseAll(parser, future, unixTimeUs: testNowUnixUs).isEmpty)
        #expect(parser.counters.signatureTooFarAhead == 1)
        // Five minutes ahead is a clock difference: taken, but the honest station is not locked out by it.
        #expect(parseAll(parser, ahead, unixTimeUs: testNowUnixUs).count == 1)
        #expect(parseAll(parser, honest, unixTimeUs: testNowUnixUs).count == 1)
    }

    /// Finding 9a: the vehicle kept one replay state per transport, so a frame recorded on one link was accepted
    /// again on another. The ground link shares one.
    @Test func aFrameRecordedOnOneTransportIsAReplayOnAnother() throws {
        var configuration = GroundLinkConfiguration()
        configuration.signingKey = key
        let radio = ScriptedTransport(), udp = ScriptedTransport()
        let model = FakeVehicle()
        let link = GroundLink(configuration: configuration, transports: [radio, udp], model: model)
        var station = GroundStation(key: key)
        let arm = station.frame(CommandLong(targetSystem: 1, targetComponent: 1, command: .componentArmDisarm,
                                            param1: 1), unixTimeUs: testNowUnixUs)
        radio.incoming.append(arm)
        link.poll(nowUs: 1_000, unixTimeUs: testNowUnixUs)
        udp.incoming.append(arm)
        link.poll(nowUs: 2_000, unixTimeUs: testNowUnixUs + 1_000)
        #expect(model.commands.count == 1)
        #expect(link.parserCounters(1)?.signatureReplayed == 1)
    }

    /// Finding 9b: a board without a real-time clock (1970) signed with timestamps near 0, which every ground
    /// station rejects as more than a minute old, and after a restart reused timestamps it had already sent. It now
    /// signs above the persisted floor and above the newest valid timestamp it heard.
    @Test func aBoardWithoutAClockSignsAboveWhatItHeardAndWhatItPersisted() throws {
        var configuration = GroundLinkConfiguration()
        configuration.signingKey = key
        let persisted = SignatureTimestamp.from(unixTimeUs: testNowUnixUs - 3_600_000_000)
        configuration.signingTimestampFloor = persisted
        let radio = ScriptedTransport()
        let link = GroundLink(configuration: configuration, transports: [radio], model: FakeVehicle())
        let bootClockUs: UInt64 = 5_000_000  // 1970-01-01 00:00:05
        link.poll(nowUs: 1_000, unixTimeUs: bootClockUs)
        let first = try #require(radio.drain().first)
        #expect(first.signatureTimestamp.map { $0 > persisted } == true)
        // A ground station with a good clock is heard: the vehicle signs at or after its time from then on.
        var station = GroundStation(key: key)
        radio.incoming.append(station.frame(Heartbeat(type: .gcs, autopilot: MAVAutopilot(rawValue: 8)),
                                            unixTimeUs: testNowUnixUs))
        link.poll(nowUs: 1_200_000, unixTimeUs: bootClockUs + 1_200_000)
        let after = radio.drain().compactMap(\.signatureTimestamp)
        #expect(!after.isEmpty && after.allSatisfy { $0 > SignatureTimestamp.from(unixTimeUs: testNowUnixUs) })
        #expect(link.signingTimestamp == after.last)
        // What the vehicle signs verifies at the station: not "too old" against the station's clock.
        let stationParser = FrameParser(verifier: SignatureVerifier(key: key))
        let frames = try signedVehicleFrames(link: link, radio: radio)
        #expect(parseAll(stationParser, frames, unixTimeUs: testNowUnixUs + 1_300_000).count > 0)
        #expect(stationParser.counters.signatureTooOld == 0)
    }

    private func signedVehicleFrames(link: GroundLink, radio: ScriptedTransport) throws -> [UInt8] {
        link.poll(nowUs: 2_500_000, unixTimeUs: 7_500_000)
        return radio.drain().flatMap(\.bytes)
    }

    @Test func signedFramesPassUncheckedWithoutAKey() throws {
        let frame = try signedFrames(count: 1, at: testNowUnixUs)[0]
        #expect(parseAll(FrameParser(), frame).map(\.authentication) == [.signedNotChecked])
    }

    @Test func mavlink1CannotBeSigned() {
        var encoder = FrameEncoder(systemID: 1, componentID: 1, signing: OutgoingSigning(key: key, linkID: 0))
        #expect(throws: EncodeError.signingNeedsV2(message: "HEARTBEAT")) {
            try encodeFrameV1(Heartbeat(), with: &encoder)
        }
    }

    @Test func keyDescriptionHidesTheSecret() {
        #expect(key.description == "SigningKey(32 bytes, redacted)")
        #expect(key != otherKey && key == SigningKey(bytes: Array(0..<32)))
        #expect(SigningKey(bytes: Array(0..<31)) == nil)
    }
}
