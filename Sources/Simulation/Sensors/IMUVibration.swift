import FlightMath
import RealModule

/// One vibration tone at the IMU at a sample instant: `amplitude · sin(phase)` before the chip's filter. The
/// chip sees a continuous signal, so its low-pass filter acts on the tone exactly (gain and phase at the tone's
/// frequency) rather than on a sampled copy that has already aliased.
public struct VibrationTone: Hashable, Sendable {
    public var frequencyHz: Double
    public var phaseRad: Double
    public var accelAmplitudeFRDMps2: Vector3
    public var gyroAmplitudeFRDRadps: Vector3

    public static let silent = VibrationTone(frequencyHz: 0, phaseRad: 0, accelAmplitudeFRDMps2: .zero,
                                             gyroAmplitudeFRDRadps: .zero)
}

/// The propeller's tones at one IMU sample: once per revolution and at the blade-passing frequency.
public struct IMUVibration: Hashable, Sendable {
    public var oncePerRev: VibrationTone
    public var bladePass: VibrationTone

    public static let none = IMUVibration(oncePerRev: .silent, bladePass: .silent)
}

/// Generates the rotor's tones from its speed: the phase is integrated over the speed history (a speed change
/// does not jump the phase), amplitudes grow with the square of the speed (imbalance force ∝ ω²), and the
/// broadband part is white noise scaled the same way.
public struct IMUVibrationModel: Sendable {
    public let section: IMUVibrationSection
    private var rotorPhaseRad: Double
    private var lastTimeUs: UInt64?
    private var random: RandomSource

    public init(section: IMUVibrationSection, random: RandomSource) {
        self.section = section
        var r = random
        rotorPhaseRad = 2 * Double.pi * r.uniform()
        self.random = r
    }

    /// The tones at `timeUs` for a rotor at `speedFraction` of its full speed, and the broadband sample to add
    /// to the accelerometer.
    public mutating func sample(atUs timeUs: UInt64, speedFraction: Double) -> (IMUVibration, broadbandMps2: Vector3) {
        let n = speedFraction.isFinite ? max(0, speedFraction) : 0
        let rotorHz = n * section.rotorRPMAtFull / 60
        if let last = lastTimeUs, timeUs > last {
            let dtS = Double(timeUs - last) * 1e-6
            rotorPhaseRad = (rotorPhaseRad + 2 * Double.pi * rotorHz * dtS)
                .truncatingRemainder(dividingBy: 2 * Double.pi)
        }
        lastTimeUs = timeUs
        let power = n * n
        let blades = Double(section.blades)
        let vibration = IMUVibration(
            oncePerRev: VibrationTone(
                frequencyHz: rotorHz, phaseRad: rotorPhaseRad,
                accelAmplitudeFRDMps2: section.accelOncePerRevMps2.triad * power,
                gyroAmplitudeFRDRadps: section.gyroOncePerRevRadps.triad * power),
            bladePass: VibrationTone(
                frequencyHz: rotorHz * blades,
                phaseRad: (rotorPhaseRad * blades).truncatingRemainder(dividingBy: 2 * Double.pi),
                accelAmplitudeFRDMps2: section.accelBladePassMps2.triad * power,
                gyroAmplitudeFRDRadps: section.gyroBladePassRadps.triad * power))
        let broadband = random.gaussianVector(standardDeviation: section.accelBroadbandMps2 * power)
        return (vibration, broadband)
    }
}
