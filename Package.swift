// swift-tools-version:6.0
import PackageDescription

// Layers (see README "Architecture"): dependencies point down only.
//   ondo → OndoServer → CRM, CRMStore, Sentiment
//   CRMStore → CRM, Postgres → CLibPQ
//   Sentiment → CBLAS
//   EmbeddedPostgres: a private cluster from the machine's initdb/pg_ctl (demo and tests)
//   ShopSimulator → ShopGenerator, Postgres: writes generated shops (bulk COPY, live inserts) as the shop role
//   OndoDemo → OndoServer, ShopSimulator: `ondo demo`, the main job end to end

// Release builds of the sentiment engine target x86-64 CPUs with AVX2 and FMA (Intel Haswell, AMD
// Excavator and later), so that its element-wise loops run 8 floats wide: measured 1.8× faster
// batch inference. `ONDO_PORTABLE_BUILD=1 swift build …` builds for any x86-64 CPU instead; a
// build that needs AVX2 refuses, with a clear error, to load a model on a CPU without it.
let sentimentReleaseFlags: [String] = {
    #if arch(x86_64)
        if Context.environment["ONDO_PORTABLE_BUILD"] == nil {
            return ["-Ounchecked", "-target-cpu", "haswell", "-DONDO_REQUIRES_AVX2"]
        }
    #endif
    return ["-Ounchecked"]
}()

let package = Package(
    name: "ondo",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ondo", targets: ["ondo"]),
        .executable(name: "ondo-sentiment-benchmark", targets: ["SentimentBenchmark"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        .target(
            name: "Postgres",
            dependencies: [
                "CLibPQ",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "EmbeddedPostgres",
            dependencies: [
                .product(name: "Logging", package: "swift-log")
            ]
        ),
        .target(
            name: "Sentiment",
            dependencies: ["CBLAS"],
            // The numerics are hot loops over raw buffers: optimise them in debug builds too, so
            // that tests which train small networks run in seconds.
            swiftSettings: [
                .unsafeFlags(sentimentReleaseFlags, .when(configuration: .release)),
                .unsafeFlags(["-O"], .when(configuration: .debug)),
            ]
        ),
        .target(name: "CRM"),
        .target(name: "ShopGenerator"),
        .target(
            name: "ShopSimulator",
            dependencies: [
                "ShopGenerator", "Postgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "CRMStore",
            dependencies: [
                "CRM", "Postgres",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "OndoServer",
            dependencies: [
                "CRM", "CRMStore", "Postgres", "Sentiment", "EmbeddedPostgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        .target(
            name: "OndoDemo",
            dependencies: [
                "OndoServer", "ShopSimulator", "ShopGenerator", "CRM", "CRMStore", "Postgres",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "ondo",
            dependencies: [
                "OndoServer", "OndoDemo", "ShopSimulator", "ShopGenerator", "CRMStore", "Sentiment",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "SentimentBenchmark",
            dependencies: [
                "Sentiment",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(
            name: "TestSupport",
            dependencies: [
                "Postgres", "EmbeddedPostgres", "CRM", "CRMStore",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "EmbeddedPostgres", "TestSupport"]),
        .testTarget(name: "SentimentTests", dependencies: ["Sentiment"]),
        .testTarget(name: "CRMTests", dependencies: ["CRM"]),
        .testTarget(name: "OndoCommandTests", dependencies: ["ondo", "CRM", "CRMStore", "Sentiment"]),
        .testTarget(name: "ShopGeneratorTests", dependencies: ["ShopGenerator", "CRM"]),
        .testTarget(
            name: "CRMStoreTests", dependencies: ["CRM", "CRMStore", "EmbeddedPostgres", "Postgres", "TestSupport"]),
        .testTarget(
            name: "ShopSimulatorTests",
            dependencies: ["ShopSimulator", "ShopGenerator", "Sentiment", "Postgres", "CRMStore", "TestSupport"]),
        .testTarget(
            name: "OndoDemoTests",
            dependencies: [
                "OndoDemo", "OndoServer", "EmbeddedPostgres", "Postgres", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
        .testTarget(
            name: "OndoServerTests",
            dependencies: [
                "OndoServer", "CRM", "CRMStore", "Postgres", "EmbeddedPostgres", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]),
    ],
    swiftLanguageModes: [.v6]
)
