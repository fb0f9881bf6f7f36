// swift-tools-version:6.1
// libFuzzer harnesses for every input Kestrel parses (issue 21). A separate package so the main build never links
// libFuzzer: each directory under Sources/ that names a Kestrel target is a symlink to the real target's sources,
// compiled here with coverage instrumentation and AddressSanitizer where it parses outside input. One executable per
// input family; build and run them through Tools/fuzz.
//
// Only the targets a family needs are built: the GPS family pulls Drivers (and DeviceIO below it, whose system
// libraries Tools/setup --build installs); nothing here needs Vehicle, FlightRuntime or SITL.
import PackageDescription

let sanitizers = ["-sanitize=fuzzer,address"]
/// Kestrel targets that parse what the harnesses feed them: instrumented for coverage and checked by ASan.
let instrumented: [SwiftSetting] = [.unsafeFlags(sanitizers)]
let harness: [SwiftSetting] = [.unsafeFlags(sanitizers + ["-parse-as-library"])]
let harnessLink: [LinkerSetting] = [.unsafeFlags(sanitizers + ["-use-ld=lld"])]

let numerics = Target.Dependency.product(name: "RealModule", package: "swift-numerics")

func fuzzer(_ name: String, _ path: String, _ dependencies: [Target.Dependency]) -> Target {
    .executableTarget(
        name: name, dependencies: dependencies + ["CFuzzerDriver", "FuzzSupport"], path: "Sources/\(path)",
        swiftSettings: harness, linkerSettings: harnessLink)
}

let package = Package(
    name: "KestrelFuzz",
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
        .package(url: "https://github.com/apple/swift-numerics", exact: "1.1.1"),
        .package(url: "https://github.com/apple/swift-system", exact: "1.8.1"),
        .package(url: "https://github.com/apple/swift-atomics", exact: "1.3.0"),
    ],
    targets: [
        // The Kestrel targets, as in the main Package.swift (symlinked sources).
        .systemLibrary(name: "CI2C", providers: [.apt(["libi2c-dev"])]),
        .target(name: "CGPIOLine", linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "FlightMath", dependencies: [numerics]),
        .target(name: "LockFree", dependencies: [.product(name: "Atomics", package: "swift-atomics")]),
        .target(name: "TOML", swiftSettings: instrumented),
        .target(name: "ConfigFiles", dependencies: ["TOML"], swiftSettings: instrumented),
        .target(name: "SecretFiles"),
        .target(
            name: "DeviceIO",
            dependencies: ["CI2C", "CGPIOLine", .product(name: "SystemPackage", package: "swift-system")]),
        .target(name: "Drivers", dependencies: ["FlightMath", "DeviceIO"], swiftSettings: instrumented),
        .target(name: "Control", dependencies: ["FlightMath", numerics]),
        .target(name: "Guidance", dependencies: ["FlightMath", numerics], swiftSettings: instrumented),
        .target(
            name: "Board", dependencies: ["FlightMath", "ConfigFiles", "DeviceIO", "Drivers", "Control"],
            swiftSettings: instrumented),
        .target(
            name: "Simulation", dependencies: ["FlightMath", "DeviceIO", "ConfigFiles", numerics],
            swiftSettings: instrumented),
        .target(
            name: "Mission",
            dependencies: [
                "FlightMath", "ConfigFiles", "SecretFiles", "Guidance", numerics,
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: instrumented),
        .target(
            name: "MAVLink",
            dependencies: ["FlightMath", "SecretFiles", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: instrumented),
        .target(
            name: "FlightLog",
            dependencies: ["FlightMath", "LockFree", numerics, .product(name: "Atomics", package: "swift-atomics")],
            swiftSettings: instrumented),

        // The harnesses.
        .target(name: "CFuzzerDriver"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzerDriver"], swiftSettings: harness),
        .target(
            name: "ConfigFuzzSupport", dependencies: ["ConfigFiles", "FuzzSupport"], swiftSettings: harness),
        fuzzer("fuzz-mavlink", "FuzzMAVLink", ["MAVLink"]),
        fuzzer("fuzz-gps", "FuzzGPS", ["Drivers", "FlightMath"]),
        fuzzer("fuzz-board", "FuzzBoard", ["Board", "ConfigFiles", "ConfigFuzzSupport"]),
        fuzzer("fuzz-airframe", "FuzzAirframe", ["Simulation", "ConfigFiles", "ConfigFuzzSupport"]),
        fuzzer("fuzz-scenario", "FuzzScenario", ["Simulation", "ConfigFiles", "ConfigFuzzSupport"]),
        fuzzer("fuzz-mission", "FuzzMission", ["Mission", "ConfigFiles", "FlightMath", "ConfigFuzzSupport"]),
        fuzzer("fuzz-params", "FuzzParams", ["MAVLink"]),
        fuzzer("fuzz-operator-files", "FuzzOperatorFiles", ["Mission"]),
        fuzzer("fuzz-ulog", "FuzzULog", ["FlightLog"]),
        fuzzer("fuzz-gate", "FuzzGate", ["Mission", "MAVLink", .product(name: "Crypto", package: "swift-crypto")]),
    ],
    swiftLanguageModes: [.v6]
)
