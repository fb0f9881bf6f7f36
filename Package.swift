// swift-tools-version:6.1
// Kestrel: flight autonomy stack for small fixed-wing loitering drones.
// Layer map and import rules: see README.md ("Layers"). An upper layer may import a lower one, never the reverse.
import PackageDescription

let package = Package(
    name: "Kestrel",
    products: [
        .executable(name: "kestrel", targets: ["kestrel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", exact: "1.1.1"),
        .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", exact: "2.0.1"),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // Layer 1: math, frames, geodesy, filters, RNG, measurement structs. Standard library only.
        .target(name: "FlightMath", dependencies: [.product(name: "RealModule", package: "swift-numerics")]),
        // Layer 1: TOML files -> typed structs, with errors naming the file, the key and what was expected.
        .target(name: "ConfigFiles", dependencies: [.product(name: "TOMLKit", package: "TOMLKit")]),

        // Layer 4: navigation filter (error-state EKF), innovation gating and sensor health.
        .target(name: "Estimation", dependencies: ["FlightMath", .product(name: "RealModule", package: "swift-numerics")]),

        // Layer 8: the `kestrel` command.
        .executableTarget(
            name: "kestrel",
            dependencies: [
                "FlightMath", "ConfigFiles",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        // Benchmarks (package-benchmark): `swift package --disable-sandbox benchmark`.
        .executableTarget(
            name: "EstimatorBenchmarks",
            dependencies: ["Estimation", "FlightMath", .product(name: "Benchmark", package: "benchmark")],
            path: "Benchmarks/EstimatorBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]),

        .testTarget(name: "ConfigFilesTests", dependencies: ["ConfigFiles"]),
        .testTarget(
            name: "EstimationTests",
            dependencies: ["Estimation", "FlightMath", "ConfigFiles",
                           .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(
            name: "FlightMathTests",
            dependencies: ["FlightMath", .product(name: "PropertyBased", package: "swift-property-based")]),
    ],
    swiftLanguageModes: [.v6]
)
