// libFuzzer entry point: the input is the text of an airframe file, decoded by `AirframeFile` exactly as the loader does;
// see ConfigFuzz.check for the invariant.
import ConfigFiles
import ConfigFuzzSupport
import FuzzSupport
import Simulation

@_cdecl("fuzz_airframe_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzAirframe)
}

let fuzzAirframe: FuzzCallback = { data, size in
    ConfigFuzz.check(AirframeFile.self, data, size, sectionsReadElsewhere: AirframeFile.sectionsReadElsewhere)
    return 0
}
