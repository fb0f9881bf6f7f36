import FlightMath
import Testing
@testable import MAVLink

/// The snapshot carries the navigation position as the filter holds it (NED in its local frame) and converts it to
/// latitude, longitude and altitude only when the link reads it: what GLOBAL_POSITION_INT and VFR_HUD report must be
/// the conversion of that NED position.
@Suite struct SnapshotPositionTests {
    let home = Geodetic(latitudeDeg: 47.397742, longitudeDeg: 8.545594, altitudeM: 488)

    @Test func aLocalPositionIsReportedAsItsFrameConvertsIt() throws {
        var s = VehicleSnapshot()
        #expect(!s.hasPosition)
        #expect(TelemetryMessages.globalPosition(s, nowUs: 0) == nil)
        let frame = LocalFrame(origin: home)
        let ned = Vector3(x: 812.5, y: -1_240.25, z: -96.75)
        s.positionFrame = frame
        s.positionNEDM = ned
        s.home = home
        #expect(s.hasPosition)
        let expected = frame.geodetic(ofNED: ned)
        #expect(s.position == expected)
        let message = try #require(TelemetryMessages.globalPosition(s, nowUs: 1_000_000))
        #expect(message.lat == Int32((expected.latitudeDeg * 1e7).rounded()))
        #expect(message.lon == Int32((expected.longitudeDeg * 1e7).rounded()))
        #expect(message.relativeAlt == Int32((expected.altitudeM - home.altitudeM) * 1000))
        #expect(abs(TelemetryMessages.vfrHud(s).alt - Float(expected.altitudeM)) < 0.01)
    }
}
