import DeviceIO

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Plays an MPU-6050 at rest on a level launcher for the flight daemon (`kestrel fly`) on i2c-stub, through the FIFO
/// the daemon reads: FIFO_COUNT always holds one 14-byte sample, and the sample sits in the registers from FIFO_R_W
/// (0x74) on, because i2c-stub answers a block read of 0x74 with 0x74, 0x75, … rather than with the same register
/// again. One g on the chip's Z axis (up, for the virtual board's `down = "-z"`), a few counts of noise on every axis
/// (a stuck sensor would read the same words), a new sample every 5 ms.
///
/// The sample's second byte overwrites WHO_AM_I (0x75). Accel X's low byte is therefore always 0x68, the chip's
/// identity, so a daemon restarted by an upgrade still finds an MPU-6050: a constant +104 counts (0.025 g at ±8 g),
/// a nose-up tilt of 1.5° the filter takes as the launcher's.
///
/// When the file LAUNCH-FILE appears, the player plays a catapult stroke: 3 g forward for 0.3 s (above the airframe's
/// launch detection, 15 m/s² held 0.04 s), then removes the file so that whoever asked sees it was played.
struct IMUAtRestPlayer {
    let busNumber: Int
    let launchFile: String

    private static let address: UInt8 = 0x68
    private static let whoAmI: UInt8 = 0x68
    private static let strokeUs: UInt64 = 300_000

    func run() -> Never {
        let clock = SystemMonotonicClock()
        guard let bus = try? LinuxI2CBus(busNumber: busNumber) else {
            print("FAIL imu-player: cannot open /dev/i2c-\(busNumber)")
            exit(1)
        }
        var noise = NoiseCounts(seed: 0x4B45_5354)
        var strokeEndsUs: UInt64?
        while true {
            let nowUs = clock.nowUs()
            if let power = try? bus.readByte(address: Self.address, register: 0x6B), power & 0x80 != 0 {
                _ = try? bus.writeByte(address: Self.address, register: 0x6B, value: power & 0x7F)
            }
            if strokeEndsUs == nil, access(launchFile, F_OK) == 0 { strokeEndsUs = nowUs + Self.strokeUs }
            if let end = strokeEndsUs, nowUs >= end {
                strokeEndsUs = nil
                unlink(launchFile)
            }
            // AFS_SEL in ACCEL_CONFIG bits 4:3: 16384 counts per g at ±2 g, halved per step.
            let range = ((try? bus.readByte(address: Self.address, register: 0x1C)) ?? 0) >> 3 & 0x03
            let oneG = Int(16384 >> range)
            let forward = strokeEndsUs == nil ? 0 : 3 * oneG
            let accelX = UInt16(truncatingIfNeeded: forward) & 0xFF00 | UInt16(Self.whoAmI)
            let words: [UInt16] = [
                accelX, noise.next(around: 0), noise.next(around: oneG), 0,
                noise.next(around: 0), noise.next(around: 0), noise.next(around: 0),
            ]
            let sample = words.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
            _ = writeBlock(bus, Self.address, 0x74, sample)
            _ = writeBlock(bus, Self.address, 0x72, [0x00, UInt8(sample.count)])
            _ = writeBlock(bus, Self.address, 0x3B, sample)
            _ = try? bus.writeByte(address: Self.address, register: 0x3A, value: 0x01)
            clock.sleep(durationUs: 5_000)
        }
    }
}

/// ±2 counts of deterministic noise around a value, as 16-bit two's-complement register words.
private struct NoiseCounts {
    private var state: UInt32

    init(seed: UInt32) { state = seed }

    mutating func next(around value: Int) -> UInt16 {
        state = state &* 1_664_525 &+ 1_013_904_223
        return UInt16(truncatingIfNeeded: value + Int(state >> 29) % 5 - 2)
    }
}
