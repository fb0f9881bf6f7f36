import FlightMath

/// Layout of the 17-element error state the covariance describes. The attitude error is a small rotation
/// expressed in the NED frame (true = exp(δθ) ⊗ estimated), which keeps the attitude/gyro-bias block simple and
/// makes the heading error the third component regardless of the vehicle's attitude.
enum ErrorState {
    static let count = 17
    /// δθ, NED-frame attitude error (rad).
    static let attitude = 0
    /// δv, NED velocity error (m/s).
    static let velocity = 3
    /// δp, NED position error (m).
    static let position = 6
    /// δb_g, gyro bias error in FRD (rad/s).
    static let gyroBias = 9
    /// δb_a, accelerometer bias error in FRD (m/s²).
    static let accelBias = 12
    /// δw, wind north and east (m/s).
    static let wind = 15
}

/// A correction to the nominal state, as produced by one scalar measurement update.
struct ErrorVector: Sendable {
    var values = InlineArray<17, Double>(repeating: 0)

    @inline(__always) subscript(i: Int) -> Double {
        get { values[i] }
        set { values[i] = newValue }
    }

    @inline(__always) func vector(at base: Int) -> Vector3 {
        Vector3(values[base], values[base + 1], values[base + 2])
    }

    var isFinite: Bool {
        for i in 0..<ErrorState.count where !values[i].isFinite { return false }
        return true
    }
}
