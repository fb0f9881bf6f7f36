// swift-tools-version:6.1
// Kestrel's package-benchmark suites, a package of their own (package-benchmark's recommended layout) depending on
// the main package by path. package-benchmark 1.38.1 reads a manifest per Swift version: only with Swift 6.3 or later
// does it accept swift-argument-parser 1.8 (the main package's pin), so the benchmarks need Swift 6.3, while the main
// package also builds with Debian's Swift 6.2 (Tools/build-arm64). Run through Tools/bench
// (`swift package --package-path Benchmarks --disable-sandbox benchmark`).
import PackageDescription

// Benchmark targets live in Benchmarks/NAME/: the plugin runs the executables whose directory's parent is named
// "Benchmarks". The benchmarked modules are the main package's library products.
func benchmark(_ name: String, _ modules: [String]) -> Target {
    .executableTarget(
        name: name,
        dependencies: modules.map { .product(name: $0, package: "Kestrel") }
            + [.product(name: "Benchmark", package: "benchmark")],
        path: name,
        plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")])
}

let package = Package(
    name: "KestrelBenchmarks",
    dependencies: [
        .package(name: "Kestrel", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        benchmark("PlantBenchmarks", ["Simulation", "FlightMath"]),
        benchmark("EstimatorBenchmarks", ["Estimation", "FlightMath", "EstimatorRig"]),
        benchmark("MAVLinkBenchmarks", ["MAVLink"]),
        benchmark("FlightTickBenchmarks", ["SITL", "Vehicle", "Simulation", "FlightMath"]),
        benchmark(
            "RuntimeBenchmarks", ["FlightRuntime", "LockFree", "Vehicle", "SITL", "Simulation", "MAVLink", "Mission"]),
        benchmark("FlightLogBenchmarks", ["FlightLog", "FlightMath"]),
        // Not a benchmark: a fixed number of flight or SITL ticks or estimator updates in one function, for
        // callgrind's instruction counts (Tools/count-instructions). Here rather than in the main package so that it
        // reuses the benchmarks' release build of the Kestrel modules instead of compiling them a second time.
        .executableTarget(
            name: "tick-instructions",
            dependencies: ["SITL", "Simulation", "Estimation", "FlightMath", "EstimatorRig"].map {
                .product(name: $0, package: "Kestrel")
            },
            path: "Tools/tick-instructions"),
    ],
    swiftLanguageModes: [.v6]
)
