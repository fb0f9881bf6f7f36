import Estimation
import EstimatorRig
import FlightMath
import Foundation
import Simulation
import SITL

// Runs a fixed number of flight ticks (or lockstep SITL ticks) of the demo scenario inside one function, so
// `valgrind --tool=callgrind --toggle-collect=*kestrelCounted*` counts the instructions of exactly those ticks.
// Tools/count-instructions runs it and divides; instruction counts do not move with the machine's load as timings do.
//
//   tick-instructions flight|sitl TICKS [SCENARIO]
//   tick-instructions predict|baro|gps UPDATES    one estimator update (EstimatorUpdates.swift, on Tools/estimator-rig)

let arguments = CommandLine.arguments
guard arguments.count >= 3, let ticks = Int(arguments[2]), ticks > 0,
      ["flight", "sitl", "predict", "baro", "gps"].contains(arguments[1]) else {
    FileHandle.standardError.write(Data("usage: tick-instructions flight|sitl|predict|baro|gps COUNT [SCENARIO]\n".utf8))
    exit(2)
}
if let update = EstimatorUpdate(rawValue: arguments[1]) {
    var rig = EstimatorRig()
    kestrelCountedEstimatorUpdates(&rig, update, ticks)
    print("estimator \(update.rawValue) updates: \(ticks), height \(rig.filter.state.positionNEDM.z) m")
    exit(0)
}
let path = arguments.count > 3 ? arguments[3] : "Scenarios/closed-loop-demo.toml"
let scenario: ClosedLoopScenario
let recorder: SITLRun
let replay: SITLRun
do {
    scenario = try ClosedLoopScenario.load(scenarioPath: path)
    recorder = try SITLRun(scenario: scenario)
    replay = try SITLRun(scenario: scenario)
} catch {
    FileHandle.standardError.write(Data("tick-instructions: \(error)\n".utf8))
    exit(1)
}

// The same instant as the FlightTick benchmark: 40 s in, in mission flight.
let warmUpS = 40.0
recorder.run(durationS: warmUpS)

@inline(never)
func kestrelCountedSITLTicks(_ run: SITLRun, _ ticks: Int) {
    for _ in 0..<ticks { run.step() }
}

@inline(never)
func kestrelCountedFlightTicks(_ run: SITLRun, _ tape: [(SensorUpdates, SensorReadings, UInt64)]) {
    for (updates, readings, timeUs) in tape { run.replayTick(updates: updates, readings: readings, timeUs: timeUs) }
}

if arguments[1] == "sitl" {
    kestrelCountedSITLTicks(recorder, ticks)
    print("sitl ticks: \(ticks) at \(recorder.timeS) s")
} else {
    replay.run(durationS: warmUpS)
    var tape: [(SensorUpdates, SensorReadings, UInt64)] = []
    tape.reserveCapacity(ticks)
    for _ in 0..<ticks {
        recorder.step()
        tape.append((recorder.lastUpdates, recorder.vehicle.readings, recorder.vehicle.timeUs))
    }
    kestrelCountedFlightTicks(replay, tape)
    print("flight ticks: \(ticks) at \(replay.timeS) s")
}
