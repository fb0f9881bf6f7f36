import DeviceIO
import FlightMath
import PropertyBased
import Testing
@testable import Drivers
#if canImport(Glibc)
import Glibc
#endif

func feed(_ parser: inout GPSStreamParser, _ text: String, atUs: UInt64 = 0) -> [GPSFix] {
    feed(&parser, Array(text.utf8), atUs: atUs)
}

func feed(_ parser: inout GPSStreamParser, _ bytes: [UInt8], atUs: UInt64 = 0) -> [GPSFix] {
    var fixes: [GPSFix] = []
    bytes.withUnsafeBytes { parser.consume($0, receivedAtUs: atUs) { fixes.append($0) } }
    return fixes
}

let degree = Double.pi / 180

@Suite struct NMEAParserTests {
    @Test func referenceEpochGivesTheDocumentedFix() throws {
        var parser = GPSStreamParser(protocol: .nmea)
        #expect(feed(&parser, GPSFixtures.referenceRMC).isEmpty)
        #expect(feed(&parser, GPSFixtures.referenceGSA).isEmpty)
        let fixes = feed(&parser, GPSFixtures.referenceGGA, atUs: 5_000_000)
        let fix = try #require(fixes.first)
        #expect(fixes.count == 1)
        #expect(fix.timestampUs == 5_000_000)
        #expect(fix.fixType == .fix3D)
        #expect(abs(fix.position.latitudeRad / degree - (48 + 7.038 / 60)) < 1e-12)  // 48.1173° N
        #expect(abs(fix.position.longitudeRad / degree - (11 + 31.0 / 60)) < 1e-12)  // 11.516667° E
        #expect(abs(fix.position.altitudeM - 592.3) < 1e-9)  // 545.4 m MSL + 46.9 m geoid separation
        #expect(fix.satellitesUsed == 8)
        #expect(abs(fix.horizontalAccuracyM - 0.9 * 3) < 1e-12)  // HDOP 0.9 × UERE 3 m
        #expect(abs(fix.verticalAccuracyM - 2.1 * 3) < 1e-12)  // VDOP 2.1 from GSA
        // RMC of the same second: 22.4 kn on 84.4° true.
        let speed = 22.4 * 1852 / 3600
        #expect(abs(fix.velocityNEDMps.x - speed * cos(84.4 * degree)) < 1e-9)
        #expect(abs(fix.velocityNEDMps.y - speed * sin(84.4 * degree)) < 1e-9)
        #expect(fix.velocityNEDMps.z == 0)
        #expect(parser.nmea.statistics.sentences == 3)
        #expect(parser.nmea.statistics.checksumFailures == 0)
    }

    @Test func ubloxMultiConstellationEpoch() throws {
        var parser = GPSStreamParser(protocol: .nmea)
        let fixes = feed(&parser, GPSFixtures.ubloxEpoch)
        let fix = try #require(fixes.first)
        #expect(abs(fix.position.latitudeRad / degree - 47.397741833333335) < 1e-12)
        #expect(abs(fix.position.longitudeRad / degree - 8.545593833333333) < 1e-12)
        #expect(abs(fix.position.altitudeM - 488.1) < 1e-9)
        #expect(fix.satellitesUsed == 14)
        // 24.123 kn on 345.5° (values from Python's math module).
        #expect(abs(fix.velocityNEDMps.x - 12.014657355392695) < 1e-9)
        #expect(abs(fix.velocityNEDMps.y - -3.1072016621153944) < 1e-9)
        #expect(fix.speedAccuracyMps == 0.5)
    }

    @Test func southWestAndDGPSFromGlonassTalker() throws {
        var parser = GPSStreamParser(protocol: .nmea)
        let fix = try #require(feed(&parser, GPSFixtures.glonassDGPS).first)
        #expect(abs(fix.position.latitudeRad / degree - -33.8520575) < 1e-12)
        #expect(abs(fix.position.longitudeRad / degree - -151.2090535) < 1e-12)
        #expect(abs(fix.position.altitudeM - 8.5) < 1e-9)
        #expect(fix.fixType == .fix3D)
        #expect(fix.speedAccuracyMps == .infinity)  // no RMC/VTG this epoch: velocity unknown
    }

    @Test func noFixQualityReportsNoFix() throws {
        var parser = GPSStreamParser(protocol: .nmea)
        let fix = try #require(feed(&parser, GPSFixtures.noFixGGA).first)
        #expect(fix.fixType == .none)
        #expect(fix.horizontalAccuracyM == .infinity)
    }

    @Test func corruptedChecksumAndUnknownTalkersAreRejected() {
        var parser = GPSStreamParser(protocol: .nmea)
        var corrupted = Array(GPSFixtures.referenceGGA.utf8)
        corrupted[20] = UInt8(ascii: "9")  // one digit of the latitude
        #expect(feed(&parser, corrupted).isEmpty)
        #expect(parser.nmea.statistics.checksumFailures == 1)
        // Same sentence without the checksum is not trusted either.
        #expect(feed(&parser, "$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,\r\n").isEmpty)
        #expect(feed(&parser, GPSFixtures.nmeaSentence("BDGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,")).isEmpty)
        #expect(parser.nmea.statistics.ignored == 1)
    }

    @Test func splitAcrossReadsAndByteAtATime() throws {
        var parser = GPSStreamParser(protocol: .nmea)
        let bytes = Array((GPSFixtures.referenceRMC + GPSFixtures.referenceGGA).utf8)
        var fixes: [GPSFix] = []
        for byte in bytes {
            if let fix = parser.consume(byte, receivedAtUs: 0) { fixes.append(fix) }
        }
        #expect(fixes.count == 1)
        var parser2 = GPSStreamParser(protocol: .nmea)
        #expect(feed(&parser2, Array(bytes[0..<37])).isEmpty)
        #expect(feed(&parser2, Array(bytes[37...])) == fixes)
    }

    @Test func truncatedSentenceDoesNotSwallowTheNext() throws {
        var parser = GPSStreamParser(protocol: .nmea)
        let truncated = String(GPSFixtures.referenceGGA.prefix(30))
        let fixes = feed(&parser, truncated + GPSFixtures.referenceGGA)
        #expect(fixes.count == 1)
        #expect(parser.nmea.statistics.malformed == 1)
    }

    @Test func builderMatchesPublishedChecksums() {
        #expect(GPSFixtures.nmeaSentence("GPVTG,054.7,T,034.4,M,005.5,N,010.2,K") == Array(GPSFixtures.referenceVTG.utf8))
        #expect(GPSFixtures.nmeaSentence("GPGSA,A,3,04,05,,09,12,,,24,,,,,2.5,1.3,2.1") == Array(GPSFixtures.referenceGSA.utf8))
    }
}

@Suite struct UBXParserTests {
    @Test func navPVTFixtureDecodes() throws {
        var parser = GPSStreamParser(protocol: .ubx)
        let fixes = feed(&parser, GPSFixtures.navPVT, atUs: 77)
        let fix = try #require(fixes.first)
        #expect(fixes.count == 1)
        #expect(fix.timestampUs == 77)
        #expect(fix.fixType == .fix3D)
        #expect(abs(fix.position.latitudeRad / degree - 47.3977419) < 1e-12)
        #expect(abs(fix.position.longitudeRad / degree - 8.5455938) < 1e-12)
        #expect(abs(fix.position.altitudeM - 488.123) < 1e-9)  // height above ellipsoid, not hMSL
        #expect(fix.horizontalAccuracyM == 1.5)
        #expect(fix.verticalAccuracyM == 2.2)
        #expect(abs(fix.velocityNEDMps.x - 12.345) < 1e-12)
        #expect(abs(fix.velocityNEDMps.y - -3.210) < 1e-12)
        #expect(abs(fix.velocityNEDMps.z - 0.5) < 1e-12)
        #expect(abs(fix.speedAccuracyMps - 0.35) < 1e-12)
        #expect(fix.satellitesUsed == 14)
    }

    @Test func builderReproducesThePythonFrame() {
        let frame = GPSFixtures.navPVT
        let rebuilt = GPSFixtures.ubxFrame(messageClass: 0x01, id: 0x07, payload: Array(frame[6..<98]))
        #expect(rebuilt == frame)
    }

    @Test func badChecksumOtherMessagesAndNoFixFlag() {
        var parser = GPSStreamParser(protocol: .ubx)
        var frame = GPSFixtures.navPVT
        frame[40] ^= 0x01
        #expect(feed(&parser, frame).isEmpty)
        #expect(parser.ubx.statistics.checksumFailures == 1)
        // NAV-STATUS (0x01 0x03) is valid UBX but not a fix.
        #expect(feed(&parser, GPSFixtures.ubxFrame(messageClass: 0x01, id: 0x03, payload: Array(repeating: 0, count: 16))).isEmpty)
        #expect(parser.ubx.statistics.ignored == 1)
        // gnssFixOK cleared: reported, but as no fix.
        var payload = Array(GPSFixtures.navPVT[6..<98])
        payload[21] = 0
        let fix = feed(&parser, GPSFixtures.ubxFrame(messageClass: 0x01, id: 0x07, payload: payload)).first
        #expect(fix?.fixType == GPSFixType.none)
        // An absurd length does not make the parser wait for 60 kB: the following frame still decodes.
        let bogus: [UInt8] = [0xB5, 0x62, 0x01, 0x07, 0x60, 0xEA]
        #expect(feed(&parser, bogus + GPSFixtures.navPVT).count == 1)
    }

    @Test func mixedStreamIsReadInTheBoardsProtocolOnly() {
        let stream = Array(GPSFixtures.ubloxEpoch.utf8) + GPSFixtures.navPVT + Array(GPSFixtures.referenceGGA.utf8)
        var ubx = GPSStreamParser(protocol: .ubx)
        #expect(feed(&ubx, stream).map(\.satellitesUsed) == [14])
        var nmea = GPSStreamParser(protocol: .nmea)
        #expect(feed(&nmea, stream).map(\.satellitesUsed) == [14, 8])
    }

    /// Issue 14: a receiver left emitting both protocols reports each epoch as NAV-PVT and as GGA/RMC; reading
    /// both fused every epoch twice. One protocol per board: one fix per epoch, whichever protocol the board names.
    @Test func anEpochInBothProtocolsIsOneFix() throws {
        let position = Geodetic(latitudeDeg: 47.3977, longitudeDeg: 8.5456, altitudeM: 488)
        let epoch = GPSFixtures.epoch(index: 0, position: position)
        #expect(epoch.contains(0xB5) && epoch.contains(UInt8(ascii: "$")))  // the fixture carries both
        for kind in GPSProtocol.allCases {
            var parser = GPSStreamParser(protocol: kind)
            let fixes = feed(&parser, epoch)
            #expect(fixes.count == 1, "\(kind): \(fixes.count) fixes from one epoch")
            let fix = try #require(fixes.first)
            #expect(LocalFrame(origin: position).ned(of: fix.position).norm < 1)
        }
    }

    @Test func pollDrainsASerialPort() throws {
        final class ScriptedPort: SerialPort {
            var chunks: [[UInt8]]
            init(_ chunks: [[UInt8]]) { self.chunks = chunks }
            func read(into buffer: UnsafeMutableRawBufferPointer) throws(DeviceError) -> Int {
                guard !chunks.isEmpty else { return 0 }
                let chunk = chunks.removeFirst()
                for (i, b) in chunk.enumerated() { buffer[i] = b }
                return chunk.count
            }
            func write(_ bytes: UnsafeRawBufferPointer) throws(DeviceError) -> Int { bytes.count }
            var baudRate: Int { 115_200 }
            func setBaudRate(_ baudRate: Int) throws(DeviceError) {}
        }
        let frame = GPSFixtures.navPVT
        let port = ScriptedPort([Array(frame[0..<64]), Array(frame[64...])])
        var parser = GPSStreamParser(protocol: .ubx)
        var buffer = [UInt8](repeating: 0, count: 64)
        let fix = try buffer.withUnsafeMutableBytes { try parser.poll(port, buffer: $0, nowUs: 9) }
        #expect(fix?.satellitesUsed == 14)
    }
}

@Suite struct GPSParserPropertyTests {
    @Test func randomBytesNeverProduceAFix() async {
        await propertyCheck(count: 300, input: Gen.uint8().array(of: 0...3000)) { bytes in
            for kind in GPSProtocol.allCases {
                var parser = GPSStreamParser(protocol: kind)
                #expect(feed(&parser, bytes).isEmpty)
            }
        }
    }

    @Test func randomBytesBiasedTowardsFramingCharactersNeverProduceAFix() async {
        // Plenty of '$', ',', '*', digits, sync bytes: exercises every parser state.
        let alphabet: [UInt8] = Array("$GPGGA,*0123456789.NSEW\r\n".utf8) + [0xB5, 0x62, 0x01, 0x07, 0x5C, 0x00]
        await propertyCheck(count: 300, input: Gen.int(in: 0...(alphabet.count - 1)).array(of: 0...3000)) { indices in
            for kind in GPSProtocol.allCases {
                var parser = GPSStreamParser(protocol: kind)
                #expect(feed(&parser, indices.map { alphabet[$0] }).isEmpty)
            }
        }
    }

    static let positions: [Geodetic] = (0..<6).map {
        Geodetic(latitudeDeg: 47.0 + 0.01 * Double($0), longitudeDeg: 8.0 - 0.02 * Double($0), altitudeM: 400 + 50 * Double($0))
    }

    /// Sentences and frames cut short (a dropout loses the rest of the unit), garbage between units and arbitrary
    /// read boundaries: every fix that comes out is one of the transmitted positions (no invented fix), and the
    /// untouched last epochs are always recovered.
    @Test func truncatedSplicedAndSplitStreamsNeverInventAFix() async {
        await propertyCheck(
            count: 200, input: Gen.int(in: 0...10_000).array(of: 1...8), Gen.uint8().array(of: 0...40),
            Gen.int(in: 1...97)
        ) { cuts, garbage, chunkSize in
            // Split the first five epochs into units (each '$' sentence, each UBX frame).
            var units: [[UInt8]] = []
            for index in 0..<5 {
                let epoch = GPSFixtures.epoch(index: index, position: Self.positions[index])
                let ubxStart = epoch.firstIndex(of: 0xB5) ?? epoch.count
                var sentence: [UInt8] = []
                for byte in epoch[0..<ubxStart] {
                    sentence.append(byte)
                    if byte == 0x0A { units.append(sentence); sentence = [] }
                }
                units.append(Array(epoch[ubxStart...]))
            }
            for cut in cuts {
                let unit = cut % units.count
                units[unit] = Array(units[unit].prefix(cut % max(1, units[unit].count)))
            }
            units.insert(garbage, at: cuts[0] % (units.count + 1))
            let stream = units.flatMap { $0 } + GPSFixtures.epoch(index: 5, position: Self.positions[5])
                + GPSFixtures.epoch(index: 6, position: Self.positions[5])

            for kind in GPSProtocol.allCases {
                var parser = GPSStreamParser(protocol: kind)
                var fixes: [GPSFix] = []
                var offset = 0
                while offset < stream.count {
                    let end = min(stream.count, offset + chunkSize)
                    fixes += feed(&parser, Array(stream[offset..<end]))
                    offset = end
                }
                for fix in fixes {
                    let nearest = Self.positions.map { p in
                        LocalFrame(origin: p).ned(of: fix.position).norm
                    }.min() ?? .infinity
                    #expect(nearest < 1.0, "fix at \(fix.position) matches no transmitted position")
                    #expect(fix.fixType == .fix3D)
                }
                let recovered = fixes.suffix(2).allSatisfy { LocalFrame(origin: Self.positions[5]).ned(of: $0.position).norm < 1 }
                #expect(fixes.count >= 2 && recovered)
            }
        }
    }
}
