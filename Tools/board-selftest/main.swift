// Kernel-level checks of the device layer and chip drivers, run inside the virtual flight board (Tools/vm): a QEMU
// guest with the kernel's i2c-stub and gpio-sim. One `PASS`/`FAIL` line per check, then a SUMMARY line.
//
//   board-selftest i2c BUS                     LinuxI2CBus, BMP280, PCA9685 against i2c-stub on /dev/i2c-BUS
//   board-selftest mpu BUS                     the MPU-6050 driver while `play-mpu` runs
//   board-selftest play-mpu BUS                plays the MPU-6050's reset bit and data registers until killed
//   board-selftest play-imu-at-rest BUS LAUNCH-FILE
//                                              plays an MPU-6050 at rest through its FIFO for the flight daemon;
//                                              a catapult stroke when LAUNCH-FILE appears
//   board-selftest gpio CHIP SYSFS-CHIP-DIR    LinuxGPIOInput/Output on gpio-sim lines 0...3
//   board-selftest pwm PWMCHIP BUS ADDRESS FIRST-CHANNEL
//                                              SysfsPWMOutputs on /sys/class/pwm/pwmchipPWMCHIP channels FIRST...+2,
//                                              the kernel's pwm-pca9685 on the i2c-stub chip at ADDRESS
// Exit status 1 when a check failed, 2 on a usage error.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

let arguments = Array(CommandLine.arguments.dropFirst())
func usage() -> Never {
    let text = "usage: board-selftest i2c BUS | mpu BUS | play-mpu BUS | play-imu-at-rest BUS LAUNCH-FILE | gpio CHIP SYSFS-CHIP-DIR | pwm PWMCHIP BUS ADDRESS FIRST-CHANNEL\n"
    _ = text.withCString { write(2, $0, strlen($0)) }
    exit(2)
}

let checks = Checks()
switch (arguments.first, arguments.count) {
case ("i2c", 2):
    guard let bus = Int(arguments[1]) else { usage() }
    I2CChecks(checks: checks, busNumber: bus).run()
    checks.summary("i2c")
case ("mpu", 2):
    guard let bus = Int(arguments[1]) else { usage() }
    MPUChecks(checks: checks, busNumber: bus).run()
    checks.summary("mpu")
case ("play-mpu", 2):
    guard let bus = Int(arguments[1]) else { usage() }
    ChipPlayer(busNumber: bus).run()
case ("play-imu-at-rest", 3):
    guard let bus = Int(arguments[1]) else { usage() }
    IMUAtRestPlayer(busNumber: bus, launchFile: arguments[2]).run()
case ("gpio", 3):
    GPIOChecks(checks: checks, chip: arguments[1], sysfsChip: arguments[2]).run()
    checks.summary("gpio")
case ("pwm", 5):
    guard let chip = Int(arguments[1]), let bus = Int(arguments[2]),
          let address = UInt8(arguments[3].hasPrefix("0x") ? String(arguments[3].dropFirst(2)) : arguments[3], radix: 16),
          let first = Int(arguments[4]), (0...13).contains(first)
    else { usage() }
    PWMChecks(checks: checks, chip: chip, busNumber: bus, address: address, first: first).run()
    checks.summary("pwm")
default:
    usage()
}
exit(checks.failed == 0 ? 0 : 1)
