import DeviceIO
import Drivers

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The MPU-6050 driver against i2c-stub while `ChipPlayer` (another process) plays the chip: the reset bit clears,
/// the data registers move.
struct MPUChecks {
    let checks: Checks
    let busNumber: Int

    func run() {
        let clock = SystemMonotonicClock()
        do throws(DeviceError) {
            let bus = try LinuxI2CBus(busNumber: busNumber)
            do throws(DriverError) {
                let imu = try MPU6000(bus: bus, address: 0x68, clock: clock)
                checks.check("mpu6050: starts once the player clears DEVICE_RESET", imu.variant == .mpu6000or6050,
                             "\(imu.variant)")
                let powerManagement = try? bus.readByte(address: 0x68, register: 0x6B)
                checks.check("mpu6050: woken on the X-gyro PLL (PWR_MGMT_1 = 0x01)", powerManagement == 0x01,
                             "\(String(describing: powerManagement))")
                let first = try imu.read(timestampUs: clock.nowUs())
                sleepMs(200)
                let second = try imu.read(timestampUs: clock.nowUs())
                checks.check("mpu6050: data registers move between reads", first.gyroFRDRadps != second.gyroFRDRadps,
                             "\(first.gyroFRDRadps) then \(second.gyroFRDRadps)")
                // The player holds TEMP_OUT at 0: the MPU-6050 datasheet's 36.53 °C.
                checks.check("mpu6050: TEMP_OUT 0 -> 36.53 °C", abs(second.temperatureC - 36.53) < 0.01,
                             "\(second.temperatureC) °C")
                // Accel Z held at +1 g in the chip frame; the default axis mapping decides the body-frame sign.
                let norm = (second.accelFRDMps2.x * second.accelFRDMps2.x + second.accelFRDMps2.y * second.accelFRDMps2.y
                    + second.accelFRDMps2.z * second.accelFRDMps2.z).squareRoot()
                checks.check("mpu6050: 1 g in counts -> 9.81 m/s²", abs(norm - 9.80665) < 0.05, "|a| = \(norm)")
            } catch {
                checks.fail("mpu6050: start and read with the chip player", "\(error)")
            }
        } catch {
            checks.fail("mpu6050: open /dev/i2c-\(busNumber)", "\(error)")
        }
    }
}

/// Plays the dynamic part of an MPU-6050 on i2c-stub from a second process: clears DEVICE_RESET shortly after it is
/// set, raises DATA_RDY, holds +1 g on Z (in counts for the configured range) and moves the gyro words, every 5 ms
/// until killed.
struct ChipPlayer {
    let busNumber: Int

    func run() -> Never {
        let clock = SystemMonotonicClock()
        guard let bus = try? LinuxI2CBus(busNumber: busNumber) else {
            print("FAIL chip-player: cannot open /dev/i2c-\(busNumber)")
            exit(1)
        }
        var tick: UInt16 = 0
        while true {
            if let power = try? bus.readByte(address: 0x68, register: 0x6B), power & 0x80 != 0 {
                _ = try? bus.writeByte(address: 0x68, register: 0x6B, value: power & 0x7F)
            }
            // AFS_SEL in ACCEL_CONFIG bits 4:3: 16384 counts per g at ±2 g, halved per step.
            let range = ((try? bus.readByte(address: 0x68, register: 0x1C)) ?? 0) >> 3 & 0x03
            let oneG = UInt16(16384 >> range)
            tick &+= 1
            let gyro = tick & 0x00FF
            let burst: [UInt8] = [0, 0, 0, 0, UInt8(oneG >> 8), UInt8(oneG & 0xFF), 0, 0,
                                  UInt8(gyro >> 8), UInt8(gyro & 0xFF), 0, 1, 0, 2]
            _ = writeBlock(bus, 0x68, 0x3B, burst)
            _ = try? bus.writeByte(address: 0x68, register: 0x3A, value: 0x01)
            clock.sleep(durationUs: 5_000)
        }
    }
}
