// swift-tools-version:6.1
// Kestrel: flight autonomy stack for small fixed-wing loitering drones.
// Layer map and import rules: see README.md ("Layers"). An upper layer may import a lower one, never the reverse.
// The benchmarks are a package of their own (Benchmarks/Package.swift): package-benchmark 1.38.1 with Swift 6.2 (the
// manifest Debian's swiftlang reads, Tools/build-arm64) needs swift-argument-parser < 1.6, which Kestrel's 1.8.2 pin
// excludes, so it would keep this package from building there.
import PackageDescription

let package = Package(
    name: "Kestrel",
    products: [
        .executable(name: "kestrel", targets: ["kestrel"]),
        // The modules the benchmark package (Benchmarks/Package.swift) measures; a path dependency sees products only.
        .library(name: "FlightMath", targets: ["FlightMath"]),
        .library(name: "LockFree", targets: ["LockFree"]),
        .library(name: "Estimation", targets: ["Estimation"]),
        .library(name: "EstimatorRig", targets: ["EstimatorRig"]),
        .library(name: "Mission", targets: ["Mission"]),
        .library(name: "MAVLink", targets: ["MAVLink"]),
        .library(name: "FlightLog", targets: ["FlightLog"]),
        .library(name: "Simulation", targets: ["Simulation"]),
        .library(name: "Vehicle", targets: ["Vehicle"]),
        .library(name: "FlightRuntime", targets: ["FlightRuntime"]),
        .library(name: "SITL", targets: ["SITL"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-numerics", exact: "1.1.1"),
        .package(url: "https://github.com/apple/swift-system", exact: "1.8.1"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "4.5.2"),
        .package(url: "https://github.com/apple/swift-atomics", exact: "1.3.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", exact: "2.0.1"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", exact: "0.2.0"),
    ],
    targets: [
        // Layer 0: system libraries. libi2c has no pkg-config file; `<linux/i2c-dev.h>` comes from linux-libc-dev.
        .systemLibrary(name: "CI2C", providers: [.apt(["libi2c-dev"])]),
        // Layer 0: one GPIO line (input with edge events, or output) over libgpiod 1.6 or 2.x, whichever the board
        // has, loaded at run time (dlopen): one binary for Debian 12 and 13. Swift sees only this C layer's own API.
        .target(name: "CGPIOLine", linkerSettings: [.linkedLibrary("dl")]),
        // The real <gpiod.h> (Debian's libgpiod-dev; Tools/check-gpiod2 puts 2.x's first with -Xcc -I) and the
        // compile-time check that CGPIOLine's declarations of the library match it; built by the tests and the GPIO
        // selftest, not by kestrel. No pkg-config: its -lgpiod would link a second libgpiod into them.
        .systemLibrary(name: "CGPIOD", providers: [.apt(["libgpiod-dev"])]),
        .target(name: "CGPIODABICheck", dependencies: ["CGPIOD"]),
        // Layer 0: Linux real-time calls Glibc hides behind _GNU_SOURCE (thread affinity, thread names).
        .target(name: "CLinuxRT"),

        // Layer 1: math, frames, geodesy, filters, RNG, measurement structs. Standard library only.
        .target(name: "FlightMath", dependencies: [.product(name: "RealModule", package: "swift-numerics")]),
        // Layer 1: the lock-free single-producer/single-consumer ring indices and the typed value ring.
        .target(name: "LockFree", dependencies: [.product(name: "Atomics", package: "swift-atomics")]),
        // Layer 0: a strict TOML 1.0 parser (standard library only): text -> value tree, or a syntax error with its
        // line and column. Never traps on input.
        .target(name: "TOML"),
        // Layer 1: TOML files -> typed structs, with errors naming the file, the key and what was expected.
        .target(name: "ConfigFiles", dependencies: ["TOML"]),
        // Layer 1: reading key and approval files with their permissions checked on the descriptor (Glibc only).
        .target(name: "SecretFiles"),

        // Layer 2: hardware protocols and their Linux implementations (libi2c, libgpiod, sysfs PWM, termios).
        .target(
            name: "DeviceIO",
            dependencies: ["CI2C", "CGPIOLine", .product(name: "SystemPackage", package: "swift-system")]),

        // Tool: prints a TOML file as parsed by the TOML module, as toml-test's tagged JSON, for the tomllib
        // differential test (Tests/Interop/test_toml_tomllib.py).
        .executableTarget(name: "toml-dump", dependencies: ["TOML"], path: "Tools/toml-dump"),
        // Tool: the GPIO layer's checks that need no GPIO chip, run against libgpiod 2.x by Tools/check-gpiod2.
        .executableTarget(
            name: "gpio-selftest", dependencies: ["DeviceIO", "CGPIODABICheck"], path: "Tools/gpio-selftest"),
        // Tool: the navigation filter on a bench, shared by the estimator benchmarks and the instruction counts.
        .target(name: "EstimatorRig", dependencies: ["Estimation", "FlightMath"], path: "Tools/estimator-rig"),
        // Tool: kernel-level checks of DeviceIO and the chip drivers on i2c-stub and gpio-sim, run in the QEMU guests of
        // Tools/vm (the virtual flight board).
        .executableTarget(
            name: "board-selftest", dependencies: ["DeviceIO", "Drivers", "CI2C"], path: "Tools/board-selftest"),

        // Layer 3: chip drivers written only against the DeviceIO protocols.
        .target(name: "Drivers", dependencies: ["FlightMath", "DeviceIO"]),

        // Layer 4: navigation filter (error-state Kalman filter), sensor health.
        .target(name: "Estimation", dependencies: ["FlightMath", .product(name: "RealModule", package: "swift-numerics")]),
        // Layer 4: fixed-wing attitude/rate loops, TECS (speed/height), mixers and output pulse widths.
        .target(name: "Control", dependencies: ["FlightMath", .product(name: "RealModule", package: "swift-numerics")]),
        // Layer 4: path following (NPFG), loiter orbits, return-to-launch, terminal-approach geometry.
        .target(name: "Guidance", dependencies: ["FlightMath", .product(name: "RealModule", package: "swift-numerics")]),

        // Layer 5: mission plan, flight modes, terminal approval gate, failsafes, geofence.
        .target(
            name: "Mission",
            dependencies: [
                "FlightMath", "ConfigFiles", "SecretFiles", "Guidance",
                .product(name: "RealModule", package: "swift-numerics"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]),

        // Layer 5: MAVLink 2 codec (messages generated from the official XML by Tools/mavgen-swift), signing.
        .target(
            name: "MAVLink", dependencies: ["FlightMath", "SecretFiles", .product(name: "Crypto", package: "swift-crypto")]),
        // Tool: emits and consumes hex MAVLink frames for the pymavlink interop tests (Tests/Interop).
        .executableTarget(name: "mavlink-vectors", dependencies: ["MAVLink"], path: "Tools/mavlink-vectors"),
        // Tool: GroundLink over UDP with an in-memory vehicle, for the pymavlink/MAVSDK link tests (Tests/Interop).
        .executableTarget(
            name: "mavlink-test-vehicle", dependencies: ["MAVLink", "FlightMath"], path: "Tools/mavlink-test-vehicle"),

        // Layer 5: ULog flight logs: topic encoding, lock-free record ring, log files, reader and reports.
        .target(
            name: "FlightLog",
            dependencies: [
                "FlightMath", "LockFree", .product(name: "RealModule", package: "swift-numerics"),
                .product(name: "Atomics", package: "swift-atomics"),
            ]),
        // Writes a deterministic sample ULog for the pyulog interop tests (Tests/Interop/test_ulog_pyulog.py).
        .executableTarget(name: "flightlog-sample", dependencies: ["FlightLog", "FlightMath"]),

        // Layer 6: SITL plant, sensor models and register-level device emulators behind the DeviceIO protocols.
        // Release builds drop its run-time exclusivity checks: the emulators touch their class state once per bus
        // byte, and those checks were 30 % of a SITL flight tick's instructions. Debug builds (the tests) keep
        // them, so an overlapping access is still caught; no flight code is in this target.
        .target(
            name: "Simulation",
            dependencies: ["FlightMath", "DeviceIO", "ConfigFiles", .product(name: "RealModule", package: "swift-numerics")],
            swiftSettings: [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]),

        // Layer 6: the board: its description (board file) and what it gives the vehicle (`BoardHardware`: buses,
        // GPS port, switch line, PWM bank, clock), with the chip drivers brought up on top (`BoardDevices`).
        .target(name: "Board", dependencies: ["FlightMath", "ConfigFiles", "DeviceIO", "Drivers", "Control"]),
        // Layer 7: two sibling implementations of `BoardHardware`. Only the `kestrel` command picks one.
        // The kernel's devices (libi2c, termios, libgpiod, sysfs PWM).
        .target(name: "LinuxBoard", dependencies: ["Board", "DeviceIO"]),
        // Simulation's register-level emulators (the SITL plant's board and the bench board of `--emulated`).
        .target(name: "EmulatedBoard", dependencies: ["Board", "DeviceIO", "Drivers", "FlightMath", "Simulation"]),

        // Layer 8: the HIL board: the same emulators, fed from a simulator's MAVLink HIL_SENSOR / HIL_GPS frames
        // (validated on a link thread, handed over on lock-free rings) instead of the plant; outputs go back as
        // HIL_ACTUATOR_CONTROLS.
        .target(
            name: "HILBoard",
            dependencies: [
                "Board", "Control", "DeviceIO", "EmulatedBoard", "FlightMath", "LockFree", "MAVLink",
                .product(name: "Atomics", package: "swift-atomics"),
            ]),

        // Layer 8: the vehicle: the flight stack and its tick (sensors -> estimator -> mission -> guidance ->
        // control -> outputs), the task table and rate scheduler, the airframe's tunables.
        .target(
            name: "Vehicle",
            dependencies: [
                "FlightMath", "ConfigFiles", "DeviceIO", "Drivers", "Board", "Control", "Estimation", "Guidance",
                "Mission", "MAVLink", "FlightLog", .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]),

        // Layer 9: the vehicle host: the real-time loop and threads, the rings between them, the ground link's
        // vehicle model, command replies, mission hand-off, the flight log producer, the supervisor and systemd.
        .target(
            name: "FlightRuntime",
            dependencies: [
                "FlightMath", "CLinuxRT", "LockFree", "ConfigFiles", "DeviceIO", "Board", "Vehicle", "Estimation", "Guidance",
                "Mission", "MAVLink", "FlightLog", .product(name: "Atomics", package: "swift-atomics"),
            ]),

        // Layer 10: the programs around the daemon.
        // SITL: the lockstep harness (plant + emulated board + the vehicle host), scenarios, metrics, operator script.
        .target(
            name: "SITL",
            dependencies: [
                "FlightMath", "ConfigFiles", "DeviceIO", "Board", "EmulatedBoard", "Simulation", "Vehicle",
                "FlightRuntime", "Control", "Estimation", "Mission", "MAVLink", "FlightLog", "HILBoard", "LockFree",
                .product(name: "Atomics", package: "swift-atomics"),
            ]),
        // The board checker (`kestrel check-board`): opens a board's devices and reports rates, noise, errors.
        .target(name: "BoardCheck", dependencies: ["Board", "ConfigFiles", "DeviceIO", "Drivers", "FlightMath"]),
        // Log replay (`kestrel log replay`): the estimator run again on a flight log's sensor samples.
        .target(name: "LogReplay", dependencies: ["Vehicle", "Estimation", "FlightLog", "FlightMath"]),

        // Layer 11: the `kestrel` command: picks the board (Linux or emulated) and runs one of the programs.
        .executableTarget(
            name: "kestrel",
            dependencies: [
                "ConfigFiles", "DeviceIO", "Simulation", "Board", "LinuxBoard", "EmulatedBoard", "HILBoard", "Vehicle",
                "FlightRuntime", "SITL", "BoardCheck", "LogReplay", "FlightLog", "Mission", "MAVLink", "FlightMath",
                "LockFree",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),

        .testTarget(
            name: "FlightMathTests",
            dependencies: [
                "FlightMath",
                .product(name: "RealModule", package: "swift-numerics"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]),
        .testTarget(name: "TOMLTests", dependencies: ["TOML"]),
        .testTarget(name: "ConfigFilesTests", dependencies: ["ConfigFiles"]),
        .testTarget(name: "HILBoardTests", dependencies: ["HILBoard", "MAVLink", "FlightMath", "Control", "Board", "LockFree", "EmulatedBoard", "Simulation", "DeviceIO"]),
        .testTarget(name: "SecretFilesTests", dependencies: ["SecretFiles"]),
        .testTarget(
            name: "DeviceIOTests",
            dependencies: ["DeviceIO", "CGPIODABICheck", .product(name: "SystemPackage", package: "swift-system")]),
        .testTarget(
            name: "DriversTests",
            dependencies: [
                "Drivers", "DeviceIO", "FlightMath",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]),
        .testTarget(
            name: "EstimationTests",
            dependencies: ["Estimation", "FlightMath", "ConfigFiles", .product(name: "RealModule", package: "swift-numerics"),
                           .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(
            name: "ControlTests",
            dependencies: ["Control", "FlightMath", "ConfigFiles", .product(name: "RealModule", package: "swift-numerics"),
                           .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(name: "GuidanceTests", dependencies: ["Guidance", "FlightMath", .product(name: "RealModule", package: "swift-numerics")]),
        .testTarget(
            name: "MissionPlanTests", dependencies: ["Mission", "ConfigFiles", "FlightMath", "Guidance", .product(name: "RealModule", package: "swift-numerics")]),
        .testTarget(
            name: "MissionTests",
            dependencies: [
                "Mission", "FlightMath", "Guidance", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]),
        .testTarget(
            name: "VehicleTests",
            dependencies: ["Vehicle", "ConfigFiles", "FlightMath", "MAVLink", "Board", "EmulatedBoard", "LinuxBoard",
                           "Control", "Simulation"]),
        .testTarget(
            name: "FlightRuntimeTests",
            dependencies: [
                "FlightRuntime", "Board", "LockFree", "Vehicle", "EmulatedBoard", "SITL", "DeviceIO", "Mission",
                "MAVLink", "FlightLog", "FlightMath", "Guidance", "Simulation", "Estimation",
                .product(name: "Atomics", package: "swift-atomics"),
            ]),
        .testTarget(
            name: "SITLTests",
            dependencies: ["SITL", "ConfigFiles", "FlightMath", "Guidance", "Mission", "Board", "EmulatedBoard", "Simulation", "Control"]),
        .testTarget(name: "LogReplayTests", dependencies: ["LogReplay", "Vehicle", "SITL", "Estimation", "FlightLog"]),
        .testTarget(
            name: "FlightLogTests",
            dependencies: ["FlightLog", "FlightMath", .product(name: "PropertyBased", package: "swift-property-based")]),
        .testTarget(
            name: "SimulationTests",
            dependencies: [
                "Simulation", "FlightMath", "ConfigFiles", .product(name: "RealModule", package: "swift-numerics"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]),
        .testTarget(
            name: "SimulationDevicesTests",
            dependencies: ["Simulation", "Drivers", "DeviceIO", "FlightMath",
                           .product(name: "PropertyBased", package: "swift-property-based"),
                           .product(name: "RealModule", package: "swift-numerics")]),
        .testTarget(
            name: "BoardTests",
            dependencies: ["Board", "BoardCheck", "EmulatedBoard", "ConfigFiles", "Control", "DeviceIO", "Drivers",
                           "FlightMath", "Simulation", "LinuxBoard"]),
        // Closed-loop SITL flights of both airframes (the vehicle host on the plant), asserting tracking and estimator
        // figures.
        .testTarget(
            name: "ScenarioTests",
            dependencies: ["SITL", "Simulation", "Mission", "FlightMath"]),
        .testTarget(
            name: "MAVLinkTests",
            dependencies: [
                "MAVLink", "FlightMath", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
