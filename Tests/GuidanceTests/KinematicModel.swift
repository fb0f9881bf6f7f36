import FlightMath
import RealModule
@testable import Guidance

/// Kinematic unicycle in a wind: constant airspeed, heading rate g·tanφ/V, bank following the roll setpoint with a
/// first-order lag and a 45° physical limit. The wind is a constant mean plus first-order Gauss–Markov gusts from a
/// seeded `RandomSource`; guidance is given the wind low-passed with a 2 s time constant (what an estimator would deliver), not the truth.
struct Unicycle {
    static let g = 9.80665
    var positionNE: (n: Double, e: Double)
    var headingRad: Double
    var rollRad = 0.0
    var airspeedMps = 16.0
    var heightM = 100.0
    var rollLagS = 0.3
    var meanWindNE: (n: Double, e: Double) = (0, 0)
    var gustSigmaMps = 0.0
    var gustTimeConstantS = 3.0
    private var gustNE: (n: Double, e: Double) = (0, 0)
    private var estimatedWindNE: (n: Double, e: Double) = (0, 0)
    private var random: RandomSource
    private var windPrimed = false
    var windEstimateTauS = 2.0

    init(north: Double, east: Double, headingRad: Double, seed: UInt64 = 1) {
        positionNE = (north, east)
        self.headingRad = headingRad
        random = RandomSource.stream(seed: seed, label: 7)
    }

    var windNE: (n: Double, e: Double) { (meanWindNE.n + gustNE.n, meanWindNE.e + gustNE.e) }
    var groundVelocityNE: (n: Double, e: Double) {
        (airspeedMps * Double.cos(headingRad) + windNE.n, airspeedMps * Double.sin(headingRad) + windNE.e)
    }

    var state: GuidanceState {
        let v = groundVelocityNE
        return GuidanceState(positionNEDM: Vector3(positionNE.n, positionNE.e, -heightM),
                             velocityNEDMps: Vector3(v.n, v.e, 0),
                             windNEDMps: Vector3(estimatedWindNE.n, estimatedWindNE.e, 0), airspeedMps: airspeedMps)
    }

    mutating func step(rollSetpointRad: Double, dtS: Double) {
        let limit = Angle.radians(fromDegrees: 45)
        rollRad += (rollSetpointRad.clamped(to: -limit...limit) - rollRad) / rollLagS * dtS
        headingRad = Angle.wrapPi(headingRad + Self.g * Double.tan(rollRad) / airspeedMps * dtS)
        if gustSigmaMps > 0 {
            // Discrete Gauss–Markov: stationary standard deviation gustSigmaMps.
            let a = Double.exp(-dtS / gustTimeConstantS)
            let b = gustSigmaMps * (1 - a * a).squareRoot()
            gustNE = (a * gustNE.n + b * random.gaussian(), a * gustNE.e + b * random.gaussian())
        }
        let v = groundVelocityNE
        positionNE = (positionNE.n + v.n * dtS, positionNE.e + v.e * dtS)
        if !windPrimed {
            estimatedWindNE = windNE
            windPrimed = true
        } else {
            let k = dtS / (windEstimateTauS + dtS)
            estimatedWindNE = (estimatedWindNE.n + k * (windNE.n - estimatedWindNE.n),
                               estimatedWindNE.e + k * (windNE.e - estimatedWindNE.e))
        }
    }
}

/// Root mean square and maximum absolute value of a series.
struct ErrorStats {
    private var sumSquares = 0.0
    private(set) var count = 0
    private(set) var maxAbs = 0.0

    mutating func add(_ x: Double) {
        sumSquares += x * x
        count += 1
        maxAbs = max(maxAbs, abs(x))
    }

    var rms: Double { count > 0 ? (sumSquares / Double(count)).squareRoot() : .nan }
}

func windNE(speedMps: Double, fromDeg: Double) -> (n: Double, e: Double) {
    // "From" direction, as wind is reported: wind from the east (90°) blows toward the west.
    let to = Angle.radians(fromDegrees: fromDeg + 180)
    return (speedMps * Double.cos(to), speedMps * Double.sin(to))
}
