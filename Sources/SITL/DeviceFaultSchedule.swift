import Board
import EmulatedBoard
import Simulation

/// The scenario's `[[device_faults]]` on the emulated board: each window injects its fault at the chip's address
/// on its bus when it opens and clears it when it closes, so the real drivers meet a chip that stops answering and
/// comes back; after a power loss it comes back in its power-on state, its configuration gone. A stuck sensor keeps
/// answering with a frozen value (`EmulatedHardware.stuckSensors`). Checked once per lockstep step; allocation-free.
struct DeviceFaultSchedule {
    struct Window {
        let section: DeviceFaultSection
        let bus: Int
        let address: UInt8
        let startUs: UInt64
        let endUs: UInt64
        var active = false
    }

    private(set) var windows: [Window]

    /// Resolves each fault's chip on `board`; a chip the board does not have (no airspeed sensor, a sysfs PWM bank
    /// instead of a servo board) is an error naming the fault.
    init(_ sections: [DeviceFaultSection], board: BoardConfig, scenarioPath: String) throws(ClosedLoopScenarioError) {
        windows = []
        for (index, fault) in sections.enumerated() {
            let chip: (bus: Int, address: UInt8)
            switch fault.device {
            case .imu: chip = (board.imu.i2cBus, board.imu.address)
            case .barometer: chip = (board.barometer.i2cBus, board.barometer.address)
            case .airspeed:
                guard let airspeed = board.airspeed else {
                    throw .setup(file: scenarioPath, reason: "device_faults[\(index)]: device = \"airspeed\", but "
                                 + "board '\(board.name)' has no airspeed sensor")
                }
                chip = (airspeed.i2cBus, airspeed.address)
            case .servoBoard:
                guard case .pca9685(let bus, let address, _) = board.pwm.driver else {
                    throw .setup(file: scenarioPath, reason: "device_faults[\(index)]: device = \"servo_board\", but "
                                 + "board '\(board.name)' drives its servos from sysfs PWM, not an I2C servo board")
                }
                chip = (bus, address)
            }
            let startUs = UInt64((fault.startS * 1e6).rounded())
            windows.append(Window(section: fault, bus: chip.bus, address: chip.address, startUs: startUs,
                                  endUs: startUs &+ UInt64((fault.durationS * 1e6).rounded())))
        }
    }

    /// Opens and closes the windows due at `nowUs` on `board`'s buses.
    mutating func apply(atUs nowUs: UInt64, to board: EmulatedHardware) {
        for index in windows.indices {
            let due = nowUs >= windows[index].startUs && nowUs < windows[index].endUs
            guard due != windows[index].active else { continue }
            windows[index].active = due
            if windows[index].section.effect == .stuck {
                let sensor: StuckSensors
                switch windows[index].section.device {
                case .imu: sensor = .imu
                case .barometer: sensor = .barometer
                case .airspeed: sensor = .airspeed
                case .servoBoard: continue  // refused when the scenario was read
                }
                if due { board.stuckSensors.insert(sensor) } else { board.stuckSensors.remove(sensor) }
                continue
            }
            guard let bus = board.buses[windows[index].bus] else { continue }
            let address = windows[index].address
            if due {
                let effect: I2CFault.Effect = windows[index].section.effect == .timeout ? .timeout : .nack
                bus.inject(I2CFault(address: address, effect: effect))
            } else {
                if windows[index].section.effect == .powerLoss { bus.chip(at: address)?.powerOnReset() }
                bus.clearFaults(address: address)
            }
        }
    }
}
