/// Normalised commands to pulse widths for every configured output. Built once from `MixerConfig`; `mix` runs per
/// tick and allocates nothing (channels live in fixed inline storage).
public struct OutputMixer: Sendable {
    public let surfaceMixer: SurfaceMixer
    private var channels = InlineArray<16, OutputChannel>(repeating: OutputChannel(function: .none))
    public let channelCount: Int

    /// `config` is expected to have been validated by decoding; channels beyond 16 are ignored.
    public init(config: MixerConfig) {
        surfaceMixer = SurfaceMixer(config: config)
        channelCount = min(config.channels.count, OutputPulses.capacity)
        for index in 0..<channelCount {
            channels[index] = config.channels[index]
        }
    }

    public func channel(_ index: Int) -> OutputChannel? {
        guard index >= 0, index < channelCount else { return nil }
        return channels[index]
    }

    /// Disarmed: every output shows its configured safe pulse width and throttle is zero whatever was commanded.
    public func mix(_ commands: ActuatorCommands, armed: Bool) -> OutputPulses {
        var pulses = OutputPulses(count: channelCount)
        // Through a span: subscripting the inline array itself copied all 16 channels (768 bytes) for each channel
        // read, the mixer being borrowed from the output stage's stored property.
        let channels = self.channels.span
        guard armed else {
            for index in 0..<channelCount {
                pulses.setPulseUs(channels[index].disarmedPulseUs, channel: index)
            }
            return pulses
        }
        let deflections = surfaceMixer.deflections(for: commands)
        for index in 0..<channelCount {
            let channel = channels[index]
            pulses.setPulseUs(channel.pulseUs(for: deflections.value(for: channel.function)), channel: index)
        }
        return pulses
    }
}
