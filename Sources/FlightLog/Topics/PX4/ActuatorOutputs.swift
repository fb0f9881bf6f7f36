/// `actuator_outputs`: what was written to the output channels (pulse widths in µs for PWM outputs).
public struct ActuatorOutputs: ULogTopic, Hashable {
    public static let topicName = "actuator_outputs"
    public static let channelCount = 16
    public var timestampUs: UInt64 = 0
    /// Number of channels in use; the rest of `output` is zero.
    public var outputCount: UInt32 = 0
    public var output = SIMD16<Float>()

    public init() {}

    public func encodeFields<V: ULogFieldVisitor>(into v: inout V) {
        v.scalar("noutputs", outputCount)
        v.array("output", count: Self.channelCount) { output[$0] }
    }
}
