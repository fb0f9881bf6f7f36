import FlightMath
import PropertyBased

/// Random unit quaternions from uniformly drawn Euler angles (pitch kept off the ±90° singularity where the
/// Euler round trip is undefined by construction).
let eulerGen = zip(
    Gen.double(in: -Double.pi..<Double.pi),
    Gen.double(in: -1.55...1.55),
    Gen.double(in: -Double.pi..<Double.pi)
).map { r, p, y in EulerAngles(rollRad: r, pitchRad: p, yawRad: y) }

let quaternionGen = zip(
    Gen.double(in: -1...1), Gen.double(in: -1...1), Gen.double(in: -1...1), Gen.double(in: -1...1)
).map { w, x, y, z in Quaternion(w: w + 1e-3, x: x, y: y, z: z).normalized }

let vectorGen = zip(Gen.double(in: -100...100), Gen.double(in: -100...100), Gen.double(in: -100...100))
    .map { x, y, z in Vector3(x, y, z) }

func close(_ a: Vector3, _ b: Vector3, _ tol: Double) -> Bool { (a - b).norm <= tol }
