import FlightMath
import RealModule

/// The MPU-6050's digital low-pass filter as DLPF_CFG sets it: a second-order low-pass at the register map's
/// bandwidth for each sensor (table 4.3: accelerometer 260/184/94/44/21/10/5 Hz, gyroscope 256/188/98/42/20/10/5
/// Hz), damped so that its low-frequency delay, 2ζ/ωc, is the register map's delay (gyroscope 0.98/1.9/2.8/4.8/
/// 8.3/13.4/18.6 ms, accelerometer 0/2.0/3.0/4.9/8.5/13.8/19.0 ms). The datasheet's narrow settings delay less
/// than a well-damped filter of their bandwidth could, so ζ is kept within 0.5…1: at 10 Hz the delay is then
/// 19 % long, at 5 Hz 70 % long (settings a flight controller does not use).
///
/// The slowly varying part of a sample is filtered as a sampled signal at the rate the plant feeds the chip. A
/// bandwidth above that rate's Nyquist frequency passes it through (the delay there is under 2 ms). The rotor's
/// tones are filtered exactly, with the continuous filter's gain and phase at their frequency, as the real
/// chip filters the vibration before the output rate ever samples it.
struct MPU6050LowPassFilter {
    private var accel = (Biquad(), Biquad(), Biquad())
    private var gyro = (Biquad(), Biquad(), Biquad())
    private var designedFor: (setting: UInt8, intervalUs: UInt64)?
    private var lastTimestampUs: UInt64?

    /// One sensor's filter at one setting: bandwidth and damping.
    struct Shape: Hashable {
        var cutoffHz: Double
        var damping: Double

        init(cutoffHz: Double, delayMs: Double) {
            self.cutoffHz = cutoffHz
            damping = (delayMs * 1e-3 * 2 * Double.pi * cutoffHz / 2).clamped(to: 0.5...1)
        }

        /// Gain and phase (rad) of the continuous filter at `frequencyHz`.
        func response(atHz frequencyHz: Double) -> (gain: Double, phaseRad: Double) {
            let wc = 2 * Double.pi * cutoffHz, w = 2 * Double.pi * frequencyHz
            let re = wc * wc - w * w, im = 2 * damping * wc * w
            return (wc * wc / (re * re + im * im).squareRoot(), -Double.atan2(y: im, x: re))
        }

        /// The bilinear transform with the cutoff pre-warped; pass-through at or above Nyquist.
        func sampled(rateHz: Double) -> Biquad {
            guard rateHz > 0, cutoffHz < rateHz / 2 else { return Biquad() }
            let k = Double.tan(Double.pi * cutoffHz / rateHz)
            let q = 1 / (2 * damping)
            let norm = 1 / (1 + k / q + k * k)
            let b0 = k * k * norm
            return Biquad(b0: b0, b1: 2 * b0, b2: b0, a1: 2 * (k * k - 1) * norm, a2: (1 - k / q + k * k) * norm)
        }
    }

    static func shapes(setting: UInt8) -> (accel: Shape, gyro: Shape) {
        switch setting & 0x07 {
        case 1: return (Shape(cutoffHz: 184, delayMs: 2.0), Shape(cutoffHz: 188, delayMs: 1.9))
        case 2: return (Shape(cutoffHz: 94, delayMs: 3.0), Shape(cutoffHz: 98, delayMs: 2.8))
        case 3: return (Shape(cutoffHz: 44, delayMs: 4.9), Shape(cutoffHz: 42, delayMs: 4.8))
        case 4: return (Shape(cutoffHz: 21, delayMs: 8.5), Shape(cutoffHz: 20, delayMs: 8.3))
        case 5: return (Shape(cutoffHz: 10, delayMs: 13.8), Shape(cutoffHz: 10, delayMs: 13.4))
        case 6: return (Shape(cutoffHz: 5, delayMs: 19.0), Shape(cutoffHz: 5, delayMs: 18.6))
        default: return (Shape(cutoffHz: 260, delayMs: 0), Shape(cutoffHz: 256, delayMs: 0.98))  // 0, and 7
        }
    }

    /// Forget the history (power-on, reset, wake): the next sample starts the filter in its steady state.
    mutating func restart() {
        designedFor = nil
        lastTimestampUs = nil
    }

    mutating func filter(accelFRDMps2 a: Vector3, gyroFRDRadps g: Vector3, vibration: IMUVibration,
                         timestampUs: UInt64, setting: UInt8) -> (accel: Vector3, gyro: Vector3) {
        let shapes = Self.shapes(setting: setting)
        let intervalUs = lastTimestampUs.map { timestampUs > $0 ? timestampUs - $0 : 0 } ?? 0
        lastTimestampUs = timestampUs
        var fa: Vector3, fg: Vector3
        if let d = designedFor, d.setting == setting & 0x07,
           intervalUs == 0 || Self.sameRate(intervalUs, d.intervalUs) {
            fa = Vector3(accel.0.apply(a.x), accel.1.apply(a.y), accel.2.apply(a.z))
            fg = Vector3(gyro.0.apply(g.x), gyro.1.apply(g.y), gyro.2.apply(g.z))
        } else {
            // First sample, or the setting or the feed rate changed: design for it and start settled.
            let rateHz = intervalUs > 0 ? 1e6 / Double(intervalUs) : 0
            func design(_ shape: Shape, _ x: Double) -> Biquad {
                var b = shape.sampled(rateHz: rateHz)
                b.reset(to: x)
                return b
            }
            accel = (design(shapes.accel, a.x), design(shapes.accel, a.y), design(shapes.accel, a.z))
            gyro = (design(shapes.gyro, g.x), design(shapes.gyro, g.y), design(shapes.gyro, g.z))
            designedFor = intervalUs > 0 ? (setting & 0x07, intervalUs) : nil
            fa = a
            fg = g
        }
        Self.add(vibration.oncePerRev, shapes, &fa, &fg)
        Self.add(vibration.bladePass, shapes, &fa, &fg)
        return (fa, fg)
    }

    /// A feed interval within 20 % of the one designed for keeps the filter (a late step is not a new rate).
    private static func sameRate(_ a: UInt64, _ b: UInt64) -> Bool {
        let (lo, hi) = a < b ? (a, b) : (b, a)
        return hi - lo <= hi / 5
    }

    private static func add(_ tone: VibrationTone, _ shapes: (accel: Shape, gyro: Shape),
                            _ fa: inout Vector3, _ fg: inout Vector3) {
        guard tone.frequencyHz > 0 else { return }
        let ra = shapes.accel.response(atHz: tone.frequencyHz)
        let rg = shapes.gyro.response(atHz: tone.frequencyHz)
        fa += tone.accelAmplitudeFRDMps2 * (ra.gain * Double.sin(tone.phaseRad + ra.phaseRad))
        fg += tone.gyroAmplitudeFRDRadps * (rg.gain * Double.sin(tone.phaseRad + rg.phaseRad))
    }
}
