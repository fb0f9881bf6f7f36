// libFuzzer entry point: the input is the text of a scenario file, decoded by `ScenarioFile` exactly as the loader does;
// see ConfigFuzz.check for the invariant.
import ConfigFiles
import ConfigFuzzSupport
import FuzzSupport
import Simulation

@_cdecl("fuzz_scenario_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzScenario)
}

let fuzzScenario: FuzzCallback = { data, size in
    ConfigFuzz.check(ScenarioFile.self, data, size, sectionsReadElsewhere: ScenarioFile.sectionsReadElsewhere)
    return 0
}
