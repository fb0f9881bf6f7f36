import CFuzzerDriver

/// What libFuzzer calls with each input.
public typealias FuzzCallback = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt

/// Hands control to libFuzzer's driver. SwiftPM links each executable with `main` renamed to `<module>_main`, so
/// every harness exports that symbol with `@_cdecl` and calls this from it.
public func runFuzzer(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ callback: FuzzCallback
) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, callback)
}

/// An invariant of the input family was broken: a finding. Traps so libFuzzer saves the input.
public func violated(_ message: @autoclosure () -> String) -> Never {
    fatalError("fuzz invariant violated: \(message())")
}
