// swift-tools-version:6.1
// libFuzzer harness for the MAVLink parser and signature check. A separate package so the main build never links
// libFuzzer: Sources/MAVLink (and Sources/FlightMath and Sources/SecretFiles, which it imports) are symlinks to the real targets' sources, compiled here with coverage instrumentation
// and AddressSanitizer. Build and run through Tools/fuzz-mavlink.
import PackageDescription

let sanitizers = ["-sanitize=fuzzer,address"]

let package = Package(
    name: "MAVLinkFuzz",
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
        .package(url: "https://github.com/apple/swift-numerics", exact: "1.1.1"),
    ],
    targets: [
        .target(name: "FlightMath", dependencies: [.product(name: "RealModule", package: "swift-numerics")]),
        .target(name: "SecretFiles"),
        .target(
            name: "MAVLink",
            dependencies: ["FlightMath", "SecretFiles", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: [.unsafeFlags(sanitizers)]),
        .target(name: "CFuzzerDriver"),
        .executableTarget(
            name: "mavlink-fuzz",
            dependencies: ["MAVLink", "CFuzzerDriver"],
            path: "Sources/MAVLinkFuzz",
            swiftSettings: [.unsafeFlags(sanitizers + ["-parse-as-library"])],
            linkerSettings: [.unsafeFlags(sanitizers + ["-use-ld=lld"])]),
    ],
    swiftLanguageModes: [.v6]
)
