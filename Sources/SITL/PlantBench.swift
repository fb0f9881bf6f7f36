import Board
import EmulatedBoard
import FlightMath
import Simulation

/// `kestrel fly --emulated --plant SCENARIO`: the SITL plant flying in real time behind the register-level
/// emulators, so the flight daemon itself (its real-time thread, rings, telemetry and log threads, on the wall
/// clock) flies a mission with the operator in the loop. The plant follows the flight loop's clock: before each
/// sensor read it steps (1/400 s at a time, under the pulses the daemon last wrote) up to the loop's time and feeds
/// the emulators what its sensors sampled. The airframe rests on the catapult until `launchDelayUs` after the
/// vehicle arms, as a launch crew fires it once the operator has armed; a disarm before then stands it down.
///
/// It runs on the real-time thread, inside the sensor task: a stalled loop is not made up by a burst of plant steps
/// (at most `maxCatchUpSteps` per read); the plant skips the rest, and `skippedUs` counts it.
public struct PlantBench: EmulatedBench {
    public private(set) var vehicle: SimulatedVehicle
    public let launchDelayUs: UInt64
    /// Plant time lost to stalls of the flight loop.
    public private(set) var skippedUs: UInt64 = 0
    /// Plant time the catapult fired at; nil until it does.
    public var launchedAtUs: UInt64? { firedAtUs == .max ? nil : firedAtUs }
    public static let maxCatchUpSteps = 40

    private let linkage: ServoLinkage
    private let board: BoardConfig
    private let catapult: Catapult
    /// The flight loop's time at plant time zero; set by the first read.
    private var originUs: UInt64?
    private var firedAtUs = UInt64.max

    /// - Parameters:
    ///   - scenario: the plant's airframe, origin, wind and launch (a closed-loop scenario file, as `kestrel sim`
    ///     reads); its board and mission are not used here.
    ///   - board: the board the daemon flies, whose output channels the plant's servos are wired to.
    public init(scenario: ClosedLoopScenario, board: BoardConfig, seed: UInt64? = nil, launchDelayS: Double)
        throws(ClosedLoopScenarioError) {
        guard launchDelayS.isFinite, launchDelayS >= 0, launchDelayS <= 3600 else {
            throw .setup(file: scenario.prepared.scenarioPath,
                         reason: "launch delay must be 0…3600 s, got \(launchDelayS)")
        }
        guard !scenario.settings.estimation.useMagnetometer else {
            throw .setup(file: scenario.prepared.airframePath, reason: "use_magnetometer = true, but the boards have "
                         + "no magnetometer chip to emulate; the plant bench flies airframes that take their heading "
                         + "from the GPS course")
        }
        do { vehicle = try scenario.prepared.makeVehicle(seed: seed) } catch { throw .scenario(error) }
        let baseRate = board.realtime.baseRateHz
        guard baseRate.isFinite, baseRate > 0, UInt64((1e6 / baseRate).rounded()) == vehicle.stepUs else {
            throw .setup(file: scenario.boardPath, reason: "the board's base rate \(baseRate) Hz differs from the "
                         + "plant's step rate \(vehicle.options.stepRateHz) Hz")
        }
        linkage = try scenario.servoLinkage(board: board)
        self.board = board
        launchDelayUs = UInt64((launchDelayS * 1e6).rounded())
        catapult = scenario.catapult
        vehicle.reset(state: catapult.railStart)
    }

    public mutating func outputsArmedChanged(_ armed: Bool, board: EmulatedHardware) {
        guard launchedAtUs.map({ vehicle.timeUs < $0 }) ?? true else { return }  // already in the air
        firedAtUs = armed ? vehicle.timeUs &+ launchDelayUs : .max
    }

    public mutating func feedDue(_ board: EmulatedHardware, nowUs: UInt64) {
        // The pack, on the rail too: without it the battery monitor reads 0 V and arming is refused.
        let truth = vehicle.truth
        board.feedBattery(voltageV: truth.batteryVoltageV, currentA: truth.batteryCurrentA)
        let origin = originUs ?? nowUs
        originUs = origin
        guard nowUs >= origin else { return }
        let target = nowUs - origin
        var steps = 0
        while vehicle.timeUs &+ vehicle.stepUs <= target {
            guard steps < Self.maxCatchUpSteps else {
                // Whole steps, so plant time stays on the step grid.
                let behind = (target - vehicle.timeUs) / vehicle.stepUs * vehicle.stepUs
                originUs = origin &+ behind
                skippedUs &+= behind
                break
            }
            step(board)
            steps += 1
        }
    }

    private mutating func step(_ hardware: EmulatedHardware) {
        let controls = linkage.controls(board: hardware, config: board)
        let updates = catapult.step(&vehicle, controls: controls, firedAtUs: firedAtUs)
        hardware.feed(updates, readings: vehicle.readings)
    }
}
