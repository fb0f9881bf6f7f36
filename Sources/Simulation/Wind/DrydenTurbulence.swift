import FlightMath
import RealModule

/// Dryden turbulence scales at one altitude (MIL-F-8785C, low-altitude form below 1000 ft).
public struct DrydenScales: Hashable, Sendable {
    public var sigmaUMps: Double, sigmaVMps: Double, sigmaWMps: Double
    public var lengthUM: Double, lengthVM: Double, lengthWM: Double

    static let metresPerFoot = 0.3048

    /// Low altitude (h < 1000 ft, clamped below at 10 ft): L_w = h, L_u = L_v = h/(0.177 + 0.000823h)^1.2 (ft);
    /// σ_w = 0.1·W20, σ_u = σ_v = σ_w/(0.177 + 0.000823h)^0.4. At and above 1000 ft the model is isotropic
    /// (σ = 0.1·W20) with scales growing linearly to 1750 ft at 2000 ft and held there — the MIL-HDBK-1797
    /// interpolation between its low- and medium-altitude forms, with the low-altitude intensity kept.
    public init(intensity: TurbulenceIntensity, altitudeAboveGroundM: Double) {
        let hFt = max(10, altitudeAboveGroundM / Self.metresPerFoot)
        let sigmaW = 0.1 * intensity.windSpeedAt20FtMps
        if hFt < 1000 {
            let f = 0.177 + 0.000_823 * hFt
            let lu = hFt / Double.pow(f, 1.2)
            sigmaWMps = sigmaW
            sigmaUMps = sigmaW / Double.pow(f, 0.4)
            sigmaVMps = sigmaUMps
            lengthUM = lu * Self.metresPerFoot
            lengthVM = lengthUM
            lengthWM = hFt * Self.metresPerFoot
        } else {
            let lFt = 1000 + 750 * min(1, (hFt - 1000) / 1000)
            sigmaUMps = sigmaW; sigmaVMps = sigmaW; sigmaWMps = sigmaW
            lengthUM = lFt * Self.metresPerFoot; lengthVM = lengthUM; lengthWM = lengthUM
        }
    }
}

/// Dryden turbulence velocities (translational, body-aligned u, v, w as in Beard & McLain) from shaping filters
/// driven by seeded white noise, discretised at the simulation step.
///
/// u: H_u(s) = σ_u·√(2L_u/πV)·1/(1 + (L_u/V)s), a first-order Gauss–Markov process, discretised exactly.
/// v, w: H(s) = σ·√(L/πV)·(1 + √3(L/V)s)/(1 + (L/V)s)², realised as a first-order process x (variance σ²/2) fed
/// through the lead-lag (1 + √3Ts)/(1 + Ts) = √3 − (√3 − 1)/(1 + Ts); for white input this doubles the variance,
/// so the output has variance σ² — the specification's intensity.
public struct DrydenTurbulence: Sendable {
    public private(set) var intensity: TurbulenceIntensity
    private var random: RandomSource
    private var u = 0.0
    private var vFirst = 0.0, vLag = 0.0
    private var wFirst = 0.0, wLag = 0.0
    public private(set) var velocityBodyMps = Vector3.zero

    public init(intensity: TurbulenceIntensity, random: RandomSource) {
        self.intensity = intensity
        self.random = random
    }

    /// Advances by `dtS` at airspeed `airspeedMps` and height `altitudeAboveGroundM`; returns u, v, w (m/s).
    public mutating func step(dtS: Double, airspeedMps: Double, altitudeAboveGroundM: Double) -> Vector3 {
        guard intensity != .none else { return .zero }
        let scales = DrydenScales(intensity: intensity, altitudeAboveGroundM: altitudeAboveGroundM)
        // Below a few m/s the frozen-field assumption breaks down; keep the filters well conditioned.
        let v = max(airspeedMps, 5)
        let sqrt3 = 3.0.squareRoot()

        let au = Double.exp(-dtS * v / scales.lengthUM)
        u = au * u + scales.sigmaUMps * (1 - au * au).squareRoot() * random.gaussian()

        let av = Double.exp(-dtS * v / scales.lengthVM)
        let sigmaVFirst = scales.sigmaVMps / 2.0.squareRoot()
        vFirst = av * vFirst + sigmaVFirst * (1 - av * av).squareRoot() * random.gaussian()
        vLag = av * vLag + (1 - av) * vFirst
        let vOut = sqrt3 * vFirst - (sqrt3 - 1) * vLag

        let aw = Double.exp(-dtS * v / scales.lengthWM)
        let sigmaWFirst = scales.sigmaWMps / 2.0.squareRoot()
        wFirst = aw * wFirst + sigmaWFirst * (1 - aw * aw).squareRoot() * random.gaussian()
        wLag = aw * wLag + (1 - aw) * wFirst
        let wOut = sqrt3 * wFirst - (sqrt3 - 1) * wLag

        velocityBodyMps = Vector3(u, vOut, wOut)
        return velocityBodyMps
    }
}
