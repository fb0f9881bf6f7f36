import FlightMath
import RealModule

/// A smooth, analytic fixed-wing flight for testing the filter: at rest on a launcher, a catapult launch, then
/// climbs, coordinated turns and speed changes. Every quantity is a closed-form function of time built from
/// logistic steps (whose integrals are softplus functions), so heading and height are exact; body rates and
/// accelerations are central differences of those functions (error ≈ 1e-9), and only the horizontal position is
/// integrated (Simpson's rule, error far below a millimetre).
struct TruthTrajectory {
    /// A smooth pulse of `value` from `startS` to `endS` with edges of time constant `edgeS`.
    struct Pulse {
        var startS: Double
        var endS: Double
        var value: Double
        var edgeS = 1.5
    }

    var launchS = 20.0
    var initialHeadingRad = Angle.radians(fromDegrees: 40)
    var railPitchRad = 0.12
    var railRollRad = 0.02
    var cruiseSpeedMps = 20.0
    var angleOfAttackRad = 0.05
    /// Constant wind, felt once airborne (the launcher holds the vehicle still before).
    var windNEDMps = Vector3(3, -2, 0)
    /// Turn rates (rad/s), climb rates (m/s, positive up), speed changes (m/s).
    var turns: [Pulse] = []
    var climbs: [Pulse] = []
    var speedChanges: [Pulse] = []

    /// A ten-minute mission-like pattern: climb out, orbit both ways, straight legs, speed changes, descent.
    static func standard(launchS: Double = 20) -> TruthTrajectory {
        var t = TruthTrajectory()
        t.launchS = launchS
        let l = launchS
        t.climbs = [Pulse(startS: l + 10, endS: l + 40, value: 3.0, edgeS: 1.5),
                    Pulse(startS: l + 200, endS: l + 215, value: -2.0, edgeS: 2),
                    Pulse(startS: l + 330, endS: l + 345, value: 2.5, edgeS: 2)]
        t.turns = [Pulse(startS: l + 25, endS: l + 60, value: 0.18),
                   Pulse(startS: l + 90, endS: l + 150, value: -0.25),
                   Pulse(startS: l + 180, endS: l + 190, value: 0.3),
                   Pulse(startS: l + 230, endS: l + 300, value: 0.2),
                   Pulse(startS: l + 360, endS: l + 420, value: -0.15),
                   Pulse(startS: l + 450, endS: l + 470, value: 0.3),
                   Pulse(startS: l + 500, endS: l + 560, value: -0.22)]
        t.speedChanges = [Pulse(startS: l + 70, endS: l + 130, value: 2.0, edgeS: 3),
                          Pulse(startS: l + 260, endS: l + 320, value: -2.0, edgeS: 3)]
        return t
    }

    static func logistic(_ x: Double) -> Double {
        x >= 0 ? 1 / (1 + Double.exp(-x)) : Double.exp(x) / (1 + Double.exp(x))
    }

    static func softplus(_ x: Double) -> Double {
        x > 30 ? x : (x < -30 ? Double.exp(x) : Double.log(1 + Double.exp(x)))
    }

    static func level(_ pulses: [Pulse], _ t: Double) -> Double {
        var s = 0.0
        for p in pulses { s += p.value * (logistic((t - p.startS) / p.edgeS) - logistic((t - p.endS) / p.edgeS)) }
        return s
    }

    /// ∫₀ᵗ of `level`.
    static func integral(_ pulses: [Pulse], _ t: Double) -> Double {
        var s = 0.0
        for p in pulses {
            let e = p.edgeS
            s += p.value * e * ((softplus((t - p.startS) / e) - softplus(-p.startS / e))
                - (softplus((t - p.endS) / e) - softplus(-p.endS / e)))
        }
        return s
    }

    /// 0 on the launcher, 1 once launched (peak acceleration ≈ 5 g over a few tenths of a second).
    func launched(_ t: Double) -> Double { Self.logistic((t - launchS) / 0.1) }

    func airspeedMps(_ t: Double) -> Double {
        (cruiseSpeedMps + Self.level(speedChanges, t)) * launched(t)
    }

    func climbRateMps(_ t: Double) -> Double { Self.level(climbs, t) }
    func heightM(_ t: Double) -> Double { Self.integral(climbs, t) }
    func headingRad(_ t: Double) -> Double { initialHeadingRad + Self.integral(turns, t) }
    func turnRateRadps(_ t: Double) -> Double { Self.level(turns, t) }

    func windMps(_ t: Double) -> Vector3 { windNEDMps * launched(t) }

    func airVelocityNEDMps(_ t: Double) -> Vector3 {
        let v = airspeedMps(t)
        let climb = climbRateMps(t)
        let horizontal = (Swift.max(v * v - climb * climb, 0)).squareRoot()
        let psi = headingRad(t)
        return Vector3(horizontal * Double.cos(psi), horizontal * Double.sin(psi), -climb)
    }

    func velocityNEDMps(_ t: Double) -> Vector3 { airVelocityNEDMps(t) + windMps(t) }

    func euler(_ t: Double) -> EulerAngles {
        let l = launched(t)
        let v = airspeedMps(t)
        let gamma = v > 1 ? Double.asin((climbRateMps(t) / v).clamped(to: -1...1)) : 0
        // Coordinated turn: bank so that lift supplies the centripetal force.
        let bank = Double.atan(v * turnRateRadps(t) / WGS84.standardGravityMps2)
        return EulerAngles(rollRad: railRollRad * (1 - l) + bank * l,
                           pitchRad: railPitchRad * (1 - l) + (gamma + angleOfAttackRad) * l,
                           yawRad: headingRad(t))
    }

    func attitude(_ t: Double) -> Quaternion { Quaternion(euler: euler(t)) }

    static let h = 1e-4

    func accelerationNEDMps2(_ t: Double) -> Vector3 {
        (velocityNEDMps(t + Self.h) - velocityNEDMps(t - Self.h)) / (2 * Self.h)
    }

    /// Body rates from the Euler-angle rates (ZYX kinematics).
    func bodyRateFRDRadps(_ t: Double) -> Vector3 {
        let e = euler(t)
        let a = euler(t + Self.h), b = euler(t - Self.h)
        let rollRate = (a.rollRad - b.rollRad) / (2 * Self.h)
        let pitchRate = (a.pitchRad - b.pitchRad) / (2 * Self.h)
        let yawRate = Angle.wrapPi(a.yawRad - b.yawRad) / (2 * Self.h)
        let sr = Double.sin(e.rollRad), cr = Double.cos(e.rollRad)
        let sp = Double.sin(e.pitchRad), cp = Double.cos(e.pitchRad)
        return Vector3(rollRate - yawRate * sp,
                       pitchRate * cr + yawRate * sr * cp,
                       -pitchRate * sr + yawRate * cr * cp)
    }

    /// What a perfect accelerometer reads: Rᵀ (a − g).
    func specificForceFRDMps2(_ t: Double) -> Vector3 {
        attitude(t).inverseRotate(accelerationNEDMps2(t) - Vector3(0, 0, WGS84.standardGravityMps2))
    }
}

/// Walks a trajectory forward in fixed steps, integrating the horizontal position.
struct TruthWalker {
    let trajectory: TruthTrajectory
    private(set) var timeS = 0.0
    private(set) var positionNEDM = Vector3.zero

    init(_ trajectory: TruthTrajectory) {
        self.trajectory = trajectory
        positionNEDM = Vector3(0, 0, -trajectory.heightM(0))
    }

    mutating func advance(by dt: Double) {
        let t = timeS
        let v0 = trajectory.velocityNEDMps(t)
        let vm = trajectory.velocityNEDMps(t + dt / 2)
        let v1 = trajectory.velocityNEDMps(t + dt)
        positionNEDM += (v0 + vm * 4 + v1) * (dt / 6)
        timeS = t + dt
        // Height is exact in closed form; use it rather than the integral.
        positionNEDM.z = -trajectory.heightM(timeS)
    }
}
