// libFuzzer entry point: the input is the text of a board file, decoded by `BoardConfig` exactly as the loader does;
// see ConfigFuzz.check for the invariant.
import ConfigFiles
import ConfigFuzzSupport
import FuzzSupport
import Board

@_cdecl("fuzz_board_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzBoard)
}

let fuzzBoard: FuzzCallback = { data, size in
    ConfigFuzz.check(BoardConfig.self, data, size)
    return 0
}
