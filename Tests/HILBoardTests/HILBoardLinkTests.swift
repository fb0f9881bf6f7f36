import Board
import FlightMath
import Foundation
import LockFree
import MAVLink
import Testing
@testable import HILBoard

/// A transport that hands out queued datagrams and keeps what is sent.
final class QueuedTransport: LinkTransport {
    let name = "test"
    var counters = TransportCounters()
    var incoming: [[UInt8]] = []
    var sent: [[UInt8]] = []

    func receive(into buffer: UnsafeMutableRawBufferPointer, nowUs: UInt64) -> Int {
        guard !incoming.isEmpty else { return 0 }
        let d = incoming.removeFirst()
        buffer.copyBytes(from: d)
        return d.count
    }

    func send(frame: UnsafeRawBufferPointer, nowUs: UInt64) { sent.append(Array(frame)) }

    func queue<M: MAVLinkMessage>(_ m: M) {
        var encoder = FrameEncoder(systemID: 200, componentID: 1)
        var buffer = [UInt8](repeating: 0, count: 300)
        let n = buffer.withUnsafeMutableBytes { (try? encoder.encode(m, into: $0)) ?? 0 }
        incoming.append(Array(buffer[0..<n]))
    }
}

@Suite struct HILBoardLinkTests {
    /// What crosses to and from the real-time thread holds no references: copying it never retains or releases.
    @Test func theRingValuesAreTriviallyCopyable() {
        #expect(SPSCValueRing<HILSensorFrame>.isTriviallyCopyable)
        #expect(SPSCValueRing<HILGPSFrame>.isTriviallyCopyable)
        #expect(SPSCValueRing<HILOutputFrame>.isTriviallyCopyable)
    }

    static func board() throws -> BoardConfig {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return try BoardConfig.load(fromFile: root.appendingPathComponent("Hardware/boards/sitl.toml").path)
    }

    @Test func acceptedFramesReachTheRingsAndAreAnsweredWithTheBoardsPulses() throws {
        let board = try Self.board()
        let transport = QueuedTransport()
        let link = try HILBoardLink(transport: transport, board: board)
        var nan = restingSensor(timeUs: 2_000)
        nan.xacc = .nan
        transport.queue(restingSensor(timeUs: 1_000))
        transport.queue(nan)
        transport.queue(gpsFix(timeUs: 1_000))
        transport.queue(HilStateQuaternion(timeUsec: 1_000, alt: 500_000))
        var out = HILOutputFrame(boardTimeUs: 1, armed: true)
        out.channelCount = board.pwm.channels.count
        for i in 0..<out.channelCount { out.pulseUs[i] = 1750 }
        link.outputFrames.push(out)
        link.service(nowUs: 10_000)

        #expect(link.sensorFrames.pop()?.simTimeUs == 1_000)
        #expect(link.sensorFrames.pop() == nil)  // the NaN frame was refused
        #expect(link.gpsFrames.pop()?.fixType == .fix3D)
        #expect(link.intake.counters.refusedNonFinite == 1)
        #expect(link.truthFrames == 1)

        #expect(transport.sent.count == 1)
        var reply: HilActuatorControls?
        FrameParser().parse(transport.sent[0]) { reply = $0.decode(HilActuatorControls.self) }
        let controls = try #require(reply)
        #expect(controls.timeUsec == 1_000)
        #expect(controls.mode.contains(.safetyArmed))
        #expect(controls.mode.contains(.hilEnabled))
        for (i, channel) in board.pwm.channels.enumerated() {
            #expect(controls.controls[i] == (channel.function == .throttle ? 0.75 : 0.5))
        }
        #expect(controls.controls[board.pwm.channels.count] == 0)
    }

    @Test func aSilentGPSStreamBecomesNoFix() throws {
        let transport = QueuedTransport()
        let link = try HILBoardLink(transport: transport, board: try Self.board())
        transport.queue(gpsFix(timeUs: 1_000))
        link.service(nowUs: 0)
        #expect(link.gpsFrames.pop()?.fixType == .fix3D)
        link.service(nowUs: HILSensorIntake.gpsTimeoutUs / 2)
        #expect(link.gpsFrames.pop() == nil)
        link.service(nowUs: HILSensorIntake.gpsTimeoutUs + 1)
        let lost = link.gpsFrames.pop()
        #expect(lost?.fixType == FlightMath.GPSFixType.none)
        link.service(nowUs: HILSensorIntake.gpsTimeoutUs + 2)
        #expect(link.gpsFrames.pop() == nil)  // said once
        #expect(transport.sent.isEmpty)  // no sensor frames: nothing to answer
    }
}
