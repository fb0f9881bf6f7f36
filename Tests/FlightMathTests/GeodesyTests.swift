import FlightMath
import PropertyBased
import Testing

@Suite struct GeodesyTests {
    @Test func knownECEFPoints() {
        let equator = Geodetic(latitudeDeg: 0, longitudeDeg: 0, altitudeM: 0).ecef
        #expect(close(equator, Vector3(WGS84.semiMajorAxisM, 0, 0), 1e-6))
        let pole = Geodetic(latitudeDeg: 90, longitudeDeg: 0, altitudeM: 0).ecef
        #expect(abs(pole.z - WGS84.semiMinorAxisM) < 1e-6)
        // Reference values computed independently with PROJ (pyproj, EPSG:4979 -> EPSG:4978).
        let zurich = Geodetic(latitudeDeg: 47.3977419, longitudeDeg: 8.5455938, altitudeM: 488).ecef
        #expect(close(zurich, Vector3(4_277_551.179159, 642_764.662499, 4_672_168.678039), 1e-4))
        let sanFrancisco = Geodetic(latitudeDeg: 37.8, longitudeDeg: -122.4, altitudeM: 100).ecef
        #expect(close(sanFrancisco, Vector3(-2_703_859.593313, -4_260_600.967818, 3_887_988.455976), 1e-4))
    }

    @Test func geodeticECEFRoundTrip() async {
        await propertyCheck(
            count: 500, input: Gen.double(in: -90...90), Gen.double(in: -180..<180), Gen.double(in: -500...30_000)
        ) { lat, lon, alt in
            let g = Geodetic(latitudeDeg: lat, longitudeDeg: lon, altitudeM: alt)
            let back = Geodetic(ecef: g.ecef)
            // 1e-10 rad of latitude is 0.6 mm on the ground.
            #expect(abs(back.latitudeRad - g.latitudeRad) < 1e-10)
            #expect(abs(back.altitudeM - alt) < 1e-3)
            #expect(close(back.ecef, g.ecef, 1e-3))
        }
    }

    /// The requirement: the local-frame round trip is better than 1 mm anywhere within 100 km.
    @Test func localFrameRoundTripWithin100km() async {
        await propertyCheck(
            count: 500,
            input: Gen.double(in: -80...80), Gen.double(in: -180..<180),
            Gen.double(in: -100_000...100_000), Gen.double(in: -100_000...100_000)
        ) { lat, lon, north, east in
            let frame = LocalFrame(origin: Geodetic(latitudeDeg: lat, longitudeDeg: lon, altitudeM: 400))
            let ned = Vector3(north, east, -150)
            let g = frame.geodetic(ofNED: ned)
            #expect(close(frame.ned(of: g), ned, 1e-3))
        }
    }

    /// One degree of latitude along the meridian is about 111.1 km at 45°; the exact conversion must place a point
    /// there to within the curvature drop, and far better than flat-earth in the down axis.
    @Test func localFrameMatchesMeridianArc() {
        let origin = Geodetic(latitudeDeg: 45, longitudeDeg: 7, altitudeM: 0)
        let frame = LocalFrame(origin: origin)
        let north = frame.ned(of: Geodetic(latitudeDeg: 45.01, longitudeDeg: 7, altitudeM: 0))
        let arc = WGS84.meridianRadiusM(latitudeRad: origin.latitudeRad) * Angle.radians(fromDegrees: 0.01)
        #expect(abs(north.x - arc) < 0.01)
        #expect(abs(north.y) < 1e-6)
        // Earth curvature: the point on the ellipsoid 1.1 km north is ~0.1 m below the tangent plane.
        #expect(north.z > 0.05 && north.z < 0.15)
    }
}
