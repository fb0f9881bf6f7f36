import FlightMath
import PropertyBased
import Testing

@Suite struct RotationTests {
    @Test func compositionMatchesSequentialRotation() async {
        await propertyCheck(count: 300, input: quaternionGen, quaternionGen, vectorGen) { a, b, v in
            let composed = (a * b).rotate(v)
            let sequential = a.rotate(b.rotate(v))
            #expect(close(composed, sequential, 1e-9 * max(1, v.norm)))
            // The DCM product must agree with the quaternion product.
            #expect(close((a.dcm * b.dcm) * v, composed, 1e-9 * max(1, v.norm)))
        }
    }

    @Test func rotationPreservesLengthAndInverts() async {
        await propertyCheck(count: 300, input: quaternionGen, vectorGen) { q, v in
            let r = q.rotate(v)
            #expect(abs(r.norm - v.norm) <= 1e-9 * max(1, v.norm))
            #expect(close(q.inverseRotate(r), v, 1e-9 * max(1, v.norm)))
        }
    }

    @Test func normalisationGivesUnitLength() async {
        await propertyCheck(count: 300, input: Gen.double(in: 1e-6...1e6), quaternionGen) { scale, q in
            let n = (q * scale).normalized
            #expect(abs(n.norm - 1) < 1e-12)
            // Scaling does not change the rotation.
            #expect(n.angleRad(to: q) < 1e-7)
        }
        #expect(Quaternion(w: 0, x: 0, y: 0, z: 0).normalized == .identity)
        #expect(Quaternion(w: .nan, x: 0, y: 0, z: 0).normalized == .identity)
    }

    @Test func eulerRoundTrip() async {
        await propertyCheck(count: 300, input: eulerGen) { e in
            let back = Quaternion(euler: e).euler
            #expect(abs(Angle.wrapPi(back.rollRad - e.rollRad)) < 1e-9)
            #expect(abs(back.pitchRad - e.pitchRad) < 1e-9)
            #expect(abs(Angle.wrapPi(back.yawRad - e.yawRad)) < 1e-9)
        }
    }

    @Test func dcmRoundTrip() async {
        await propertyCheck(count: 300, input: quaternionGen) { q in
            let m = q.dcm
            #expect(abs(m.determinant - 1) < 1e-12)
            #expect(Quaternion(dcm: m).angleRad(to: q) < 1e-9)
            let mmT = m * m.transposed
            #expect(abs(mmT.trace - 3) < 1e-12)
        }
    }

    @Test func rotationVectorRoundTrip() async {
        await propertyCheck(count: 300, input: vectorGen) { v in
            let angle = v.norm
            guard angle < Double.pi - 1e-6 else { return }  // beyond π the representation wraps by design
            let q = Quaternion(rotationVector: v)
            #expect(close(q.rotationVector, v, 1e-9))
        }
    }

    /// Aerospace sign conventions: a positive yaw turns north to east, positive pitch raises the nose (forward
    /// axis gets an up, i.e. negative-down, component), positive roll lowers the right wing.
    @Test func frameConventions() {
        let yaw90 = Quaternion(euler: EulerAngles(rollRad: 0, pitchRad: 0, yawRad: .pi / 2))
        #expect(close(yaw90.rotate(.unitX), Vector3(0, 1, 0), 1e-12))
        let pitchUp = Quaternion(euler: EulerAngles(rollRad: 0, pitchRad: 0.3, yawRad: 0))
        #expect(pitchUp.rotate(.unitX).z < 0)
        let rollRight = Quaternion(euler: EulerAngles(rollRad: 0.3, pitchRad: 0, yawRad: 0))
        #expect(rollRight.rotate(.unitY).z > 0)
    }

    @Test func integrationOfConstantRateMatchesClosedForm() {
        let rate = Vector3(0.1, -0.2, 0.3)
        var q = Quaternion.identity
        let dt = 1.0 / 400
        for _ in 0..<4000 { q = q.integrated(bodyRotation: rate * dt) }
        let expected = Quaternion(rotationVector: rate * 10)
        #expect(q.angleRad(to: expected) < 1e-9)
    }

    @Test func matrixInverse() async {
        await propertyCheck(count: 200, input: quaternionGen, vectorGen) { q, d in
            let m = q.dcm * Matrix3(diagonal: Vector3(abs(d.x) + 1, abs(d.y) + 1, abs(d.z) + 1))
            guard let inv = m.inverse() else { Issue.record("invertible matrix reported singular"); return }
            let product = m * inv
            #expect(abs(product.trace - 3) < 1e-9)
            #expect(abs(product[0, 1]) < 1e-9 && abs(product[2, 0]) < 1e-9)
        }
        #expect(Matrix3.zero.inverse() == nil)
    }

    @Test func angleWrapping() async {
        await propertyCheck(count: 300, input: Gen.double(in: -1000...1000)) { a in
            let w = Angle.wrapPi(a)
            #expect(w >= -Double.pi && w < Double.pi)
            // Same direction: sine and cosine unchanged.
            let k = ((a - w) / (2 * Double.pi)).rounded()
            #expect(abs(a - w - k * 2 * Double.pi) < 1e-9)
            let t = Angle.wrapTwoPi(a)
            #expect(t >= 0 && t < 2 * Double.pi)
        }
        #expect(Angle.wrap180(190) == -170)
        #expect(Angle.wrapPi(.nan).isNaN)
    }
}
