@testable import Board
import ConfigFiles
import Drivers
import Foundation
import Testing

/// `[gps]`: one protocol per board, the receiver set-up switch and its dynamic model.
@Suite struct GPSSettingsTests {
    func sitl() throws -> String { try String(contentsOfFile: boardPath("sitl"), encoding: .utf8) }

    func gps(_ edit: (String) -> String) throws -> GPSSettings {
        try decodeBoard(edit(try sitl())).gps
    }

    @Test func defaultsAreUBXConfiguredAirborne() throws {
        let g = try gps { $0.replacingFirst("protocol = \"ubx\"\n", with: "") }
        #expect(g.protocolKind == .ubx)
        #expect(g.configure)
        #expect(g.dynamicModel == .airborne4g)
        #expect(g.receiverSetup == UBloxSetupSettings(baudRate: 115_200, protocolKind: .ubx, measurementPeriodMs: 200,
                                                      dynamicModel: .airborne4g))
    }

    /// Issue 14: "nmea+ubx" made every epoch arrive twice; it is refused with the reason and the choices.
    @Test func bothProtocolsAtOnceIsRefused() throws {
        let text = try sitl().replacingFirst("protocol = \"ubx\"", with: "protocol = \"nmea+ubx\"")
        let error = #expect(throws: ConfigFileError.self) { _ = try decodeBoard(text) }
        guard case .invalidValue(let path, let reason)? = error?.problem else {
            Issue.record("expected an invalid gps.protocol, got \(String(describing: error))")
            return
        }
        #expect(path == "gps.protocol")
        #expect(reason.contains("twice") && reason.contains("\"ubx\"") && reason.contains("\"nmea\""))
    }

    @Test func configureAndModelAreRead() throws {
        let g = try gps {
            $0.replacingFirst("\nrate_hz = 5", with: "\nrate_hz = 10\nconfigure = false\ndynamic_model = \"airborne_2g\"")
        }
        #expect(!g.configure)
        #expect(g.dynamicModel == .airborne2g)
        #expect(g.receiverSetup.measurementPeriodMs == 100)
    }

    @Test func unknownDynamicModelIsNamed() throws {
        let text = try sitl().replacingFirst("\nrate_hz = 5", with: "\nrate_hz = 5\ndynamic_model = \"airborne\"")
        let error = #expect(throws: ConfigFileError.self) { _ = try decodeBoard(text) }
        #expect(error?.description.contains("gps.dynamic_model") == true)
        #expect(error?.description.contains("airborne_4g") == true)
    }
}
