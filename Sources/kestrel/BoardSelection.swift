import ArgumentParser
import Board
import DeviceIO
import EmulatedBoard
import Foundation
import LinuxBoard
import SITL
import Simulation

/// The one place that decides what a board is: the kernel's devices, or the register-level emulators of a vehicle
/// at rest on a bench (`--emulated`, or a board file that says `emulated = true`), or of a plant model flying behind
/// them (`kestrel fly --emulated --plant`). Everything else sees only `BoardHardware`.
struct BoardSelection {
    var emulated: Bool
    var emulatedSwitchArmed: Bool
    /// Seed of the bench vehicle's sensor noise.
    var benchSeed: UInt64 = 1
    /// The plant that flies behind the emulators instead of a vehicle at rest, and how long after the arm its
    /// catapult fires.
    var plant: (scenario: ClosedLoopScenario, launchDelayS: Double)?
    /// Who takes the real board ("kestrel fly", "kestrel check-board"), written in the board lock.
    var program = "kestrel"
    /// The emulated PCA9685's own oscillator (`check-board --emulated --emulated-pca9685-oscillator-hz`).
    var emulatedPCA9685OscillatorHz: Double?

    /// - Parameter clockStartUs: where the emulated clock starts (`kestrel fly` passes CLOCK_MONOTONIC's now, so
    ///   the flight loop's ticks move it forward; the board check starts at 0 and runs on simulated time).
    func hardware(for board: BoardConfig, clockStartUs: UInt64 = 0) throws -> any BoardHardware {
        guard emulated || board.emulated else {
            if emulatedSwitchArmed {
                throw ValidationError("--emulated-switch-armed: board '\(board.name)' is real hardware; only with "
                                      + "emulated devices (--emulated)")
            }
            if plant != nil {
                throw ValidationError("--plant: board '\(board.name)' is real hardware; a plant model flies only "
                                      + "behind emulated devices (--emulated)")
            }
            return try linuxHardware()
        }
        let bench: any EmulatedBench
        if let plant {
            bench = try PlantBench(scenario: plant.scenario, board: board,
                                   launchDelayS: plant.launchDelayS)
        } else {
            bench = StationaryTruth(seed: benchSeed)
        }
        var oscillator = PCA9685Emulator.Config()
        if let hz = emulatedPCA9685OscillatorHz { oscillator.oscillatorHz = hz }
        return EmulatedHardware(board: board, clock: ManualClock(startUs: clockStartUs),
                                switchArmed: emulatedSwitchArmed, bench: bench, pca9685Oscillator: oscillator)
    }

    /// The kernel's devices, with the machine's board lock taken: one owner of the real devices per machine
    /// (`KESTREL_BOARD_LOCK` moves the lock, `KESTREL_SYSFS_PWM_ROOT` the PWM chips: tests).
    func linuxHardware() throws -> LinuxHardware {
        let environment = ProcessInfo.processInfo.environment
        let lockPath = environment["KESTREL_BOARD_LOCK"] ?? BoardLock.defaultPath
        do {
            return LinuxHardware(sysfsPWMRoot: environment["KESTREL_SYSFS_PWM_ROOT"] ?? "/sys/class/pwm",
                                 boardLock: try BoardLock(path: lockPath, program: program))
        } catch {
            throw UserFacingError(error)
        }
    }
}
