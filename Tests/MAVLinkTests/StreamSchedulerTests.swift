import Testing
@testable import MAVLink

@Suite struct StreamSchedulerTests {
    func due(_ s: inout StreamScheduler, from startUs: UInt64, to endUs: UInt64, stepUs: UInt64) -> [UInt32: Int] {
        var counts: [UInt32: Int] = [:]
        var now = startUs
        while now < endUs {
            while let id = s.nextDue(nowUs: now) { counts[id, default: 0] += 1 }
            now += stepUs
        }
        return counts
    }

    @Test func defaultRatesOverTenSimulatedSeconds() {
        var s = StreamScheduler()
        let counts = due(&s, from: 0, to: 10_000_000, stepUs: 5_000)
        #expect(counts[Heartbeat.messageID] == 10)
        #expect(counts[Attitude.messageID] == 100)
        #expect(counts[GlobalPositionInt.messageID] == 50)
        #expect(counts[VFRHUD.messageID] == 40)
        #expect(counts[HomePosition.messageID] == 2)
        #expect(counts[TerminalStatus.messageID] == 10)
        #expect(counts[AutopilotVersion.messageID] == nil)  // on request only
    }

    @Test func setIntervalChangesStopsAndRestores() {
        var s = StreamScheduler()
        #expect(s.setInterval(messageID: Attitude.messageID, intervalUs: 20_000, nowUs: 0) == .accepted)
        #expect(due(&s, from: 0, to: 1_000_000, stepUs: 1_000)[Attitude.messageID] == 50)
        #expect(s.setInterval(messageID: Attitude.messageID, intervalUs: -1, nowUs: 1_000_000) == .accepted)
        #expect(due(&s, from: 1_000_000, to: 2_000_000, stepUs: 1_000)[Attitude.messageID] == nil)
        #expect(s.setInterval(messageID: Attitude.messageID, intervalUs: 0, nowUs: 2_000_000) == .accepted)
        #expect(s.intervalUs(of: Attitude.messageID) == 100_000)
        // Faster than 50 Hz is limited to 50 Hz.
        #expect(s.setInterval(messageID: Attitude.messageID, intervalUs: 1, nowUs: 2_000_000) == .accepted)
        #expect(s.intervalUs(of: Attitude.messageID) == 20_000)
        #expect(s.setInterval(messageID: Heartbeat.messageID, intervalUs: -1, nowUs: 0) == .denied)
        #expect(s.setInterval(messageID: 9999, intervalUs: 100, nowUs: 0) == .unsupported)
    }

    @Test func aStallDoesNotCauseABurst() {
        var s = StreamScheduler(streams: [(Attitude.messageID, 100_000)])
        _ = due(&s, from: 0, to: 1_000_000, stepUs: 10_000)
        // Three seconds without polls: one message, then the normal rate again.
        #expect(due(&s, from: 4_000_000, to: 4_000_001, stepUs: 1)[Attitude.messageID] == 1)
        #expect(due(&s, from: 4_000_001, to: 5_010_001, stepUs: 10_000)[Attitude.messageID] == 10)  // 4.1 … 5.0 s
    }

    @Test func requestSendsOnceEvenWhenTheStreamIsOff() {
        var s = StreamScheduler(streams: [(AutopilotVersion.messageID, 0), (Attitude.messageID, 0)])
        #expect(s.nextDue(nowUs: 0) == nil)
        let known = s.request(messageID: AutopilotVersion.messageID)
        #expect(known)
        #expect(s.nextDue(nowUs: 5) == AutopilotVersion.messageID)
        #expect(s.nextDue(nowUs: 5) == nil)
        let unknown = s.request(messageID: 12345)
        #expect(!unknown)
    }
}
