// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Shoal",
    products: [
        .library(name: "Shoal", targets: ["ShoalCore", "ShoalEnvs", "ShoalWire", "ZeroMQ", "ShoalRuntime"]),
        .executable(name: "shoal", targets: ["shoal"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // C boundaries: one thin module each (modulemap + shim header).
        .systemLibrary(name: "CZeroMQ", pkgConfig: "libzmq", providers: [.apt(["libzmq3-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),

        .target(name: "ZeroMQ", dependencies: ["CZeroMQ"]),
        .target(name: "ShoalCore", dependencies: ["COpenBLAS"]),
        .target(name: "ShoalEnvs", dependencies: ["ShoalCore"]),
        .target(
            name: "ShoalWire",
            dependencies: ["ShoalCore", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            exclude: ["Generated/README.md"]
        ),
        .target(
            name: "ShoalRuntime",
            dependencies: [
                "ShoalCore", "ShoalEnvs", "ShoalWire", "ZeroMQ",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "shoal",
            dependencies: [
                "ShoalRuntime",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        .testTarget(name: "ZeroMQTests", dependencies: ["ZeroMQ"]),
        // Reference data from gymnasium and rlax (Tests/Fixtures/reference), read by the tests that check against it.
        .target(name: "ReferenceFixtures", path: "Tests/ReferenceFixtures"),
        .testTarget(name: "ShoalCoreTests", dependencies: ["ShoalCore", "ReferenceFixtures"]),
        .testTarget(name: "ShoalEnvsTests", dependencies: ["ShoalEnvs", "ReferenceFixtures"]),
        .testTarget(name: "ShoalWireTests", dependencies: ["ShoalWire"]),
        .testTarget(name: "ShoalRuntimeTests", dependencies: ["ShoalRuntime"]),
        // Real `shoal` processes over real sockets; depends on the executable so `swift test` builds it.
        .testTarget(name: "IntegrationTests", dependencies: ["ShoalRuntime", "shoal"]),
    ]
)
