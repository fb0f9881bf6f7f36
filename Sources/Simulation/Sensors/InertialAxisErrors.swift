import FlightMath
import RealModule

/// Error parameters of one kind of inertial sensor (accelerometer or gyroscope), the same for its three axes.
public struct InertialErrorParameters: Hashable, Sendable {
    public var noiseDensityPerRtHz: Double
    public var biasInstability: Double
    public var biasCorrelationTimeS: Double
    public var randomWalkPerRtHz: Double
    public var turnOnBiasSigma: Double
    public var scaleFactorSigma: Double
    /// 1σ of the per-axis bias temperature coefficient (per °C away from 25 °C).
    public var biasPerDegCSigma: Double
}

/// Three axes of an inertial sensor with the classic error budget: turn-on bias and scale factor (drawn once),
/// temperature-dependent bias, bias instability (first-order Gauss–Markov), rate random walk and white noise.
public struct InertialTriadModel: Sendable {
    public let parameters: InertialErrorParameters
    public let sampleIntervalS: Double
    public let turnOnBias: Vector3
    public let scaleFactorError: Vector3
    public let biasPerDegC: Vector3
    public private(set) var instabilityBias = Vector3.zero
    public private(set) var randomWalkBias = Vector3.zero
    private var random: RandomSource
    private let noiseSigma: Double
    private let instabilityDecay: Double
    private let instabilityDrive: Double
    private let walkStep: Double

    public init(parameters p: InertialErrorParameters, rateHz: Double, random: RandomSource) {
        parameters = p
        sampleIntervalS = 1 / rateHz
        var r = random
        turnOnBias = r.gaussianVector(standardDeviation: p.turnOnBiasSigma)
        scaleFactorError = r.gaussianVector(standardDeviation: p.scaleFactorSigma)
        biasPerDegC = r.gaussianVector(standardDeviation: p.biasPerDegCSigma)
        self.random = r
        // Discrete white noise of a continuous density: σ = density·√(sample rate).
        noiseSigma = p.noiseDensityPerRtHz * rateHz.squareRoot()
        instabilityDecay = Double.exp(-sampleIntervalS / p.biasCorrelationTimeS)
        instabilityDrive = p.biasInstability * (1 - instabilityDecay * instabilityDecay).squareRoot()
        walkStep = p.randomWalkPerRtHz * sampleIntervalS.squareRoot()
        instabilityBias = self.random.gaussianVector(standardDeviation: p.biasInstability)
    }

    public var totalBias: Vector3 { turnOnBias + instabilityBias + randomWalkBias }

    /// One sample of `truth` at die temperature `temperatureC`.
    public mutating func measure(_ truth: Vector3, temperatureC: Double) -> Vector3 {
        instabilityBias = instabilityBias * instabilityDecay + random.gaussianVector(standardDeviation: instabilityDrive)
        randomWalkBias += random.gaussianVector(standardDeviation: walkStep)
        let thermal = biasPerDegC * (temperatureC - 25)
        let scaled = truth + truth.scaled(by: scaleFactorError)
        return scaled + totalBias + thermal + random.gaussianVector(standardDeviation: noiseSigma)
    }
}
