// swift-tools-version:6.2
//
// Tradewind: trading research and execution in Swift.
//
// Layering (one direction only; a module may import only those to its left):
//   TradewindCore ← TradewindData ← TradewindIndicators ← TradewindEngine ← TradewindStrategies
//   TradewindStrategies ← TradewindOptimizer ← TradewindReports.
//   TradewindStrategies also uses CStrategyKernels (C loops of its exact kernels — the sma-cross eight-lane loop and
//   its moving averages — compiled for AVX-512 and picked at run time, with the same bits elsewhere; no imports).
//   TradewindCharts (SVG charts) depends on TradewindCore only; reports and the dashboard draw with it.
//   TradewindAnalytics depends on TradewindCore only and is used by the engine and everything above it.
//   TradewindStore (jobs, results, journal, users, model versions, training checkpoints; SQLite via GRDB, PostgreSQL via postgres-nio) depends on TradewindCore only (and swift-crypto: a checkpoint's SHA-256).
//   TradewindServer (HTTP + WebSocket API, web dashboard, job runner, auth, metrics, paper-trading bots, live prices)
//   sits on TradewindReports, TradewindStore, TradewindLive, TradewindProviders and TradewindModels (it wires the
//   model registry's protocol to the store's model-versions area and runs training jobs).
//   TradewindLive (paper and live trading: runtime, feed and broker protocols, paper broker, risk, journal) sits on
//   TradewindStrategies and TradewindStore (its journal in the store's trading-journal area), below the CLI.
//   TradewindAlpaca (Alpaca's wire types, trading REST and stream clients, AlpacaBroker) sits on TradewindLive and
//   TradewindProviders (Alpaca's credentials, endpoints, bars client, token bucket, retry policy), with
//   async-http-client and HummingbirdWSClient; TradewindExchange (`tradewind exchange`, a local Alpaca-compatible
//   paper exchange) sits on TradewindAlpaca and TradewindLive, with Hummingbird. Both sit below the CLI.
//   TradewindProviders (market-data provider clients: Polygon, Finnhub, Yahoo, Alpaca; token buckets, retries,
//   the incremental fetch cache; HTTP through async-http-client) sits on TradewindCore and TradewindData only;
//   the CLI and the server use it.
//   TradewindML (tensors, autodiff, layers, training, safetensors) depends on TradewindCore, COpenBLAS and
//   CTradewindKernels (its C gate loops, compiled per instruction set and picked at run time) only, with
//   swift-protobuf's runtime (the TensorBoard event messages, generated once and committed: no plugin in the build).
//   TradewindModels (the models that trade: the 18 universal features, window datasets, the universal BiGRU's
//   training, the ml-signal and ml-topk strategies, continual learning, model archives) sits on TradewindML and
//   TradewindStrategies (and below) and TradewindOptimizer (the walk-forward folds it retrains a model in, and the
//   `InSampleFit` it gives the optimizer) and TradewindReports (the model-evaluation report's input), with CZlib
//   (CRC-32) and swift-crypto (SHA-256).
//   TradewindBenchmarks and the `tradewind` executable sit on top of everything.
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

/// The `tradewind` executable's release build on Linux carries the Swift runtime and Foundation inside it
/// (`-static-stdlib`): a process then starts without loading and binding ~20 shared libraries (about 4 ms of
/// CPU per `tradewind` command; BENCHMARKS.md, "Start-up"). The modules are compiled against the shared SDK, whose
/// Foundation modules ask the linker for `-lFoundation` only, so the static archives' own dependencies are named
/// here. Debug builds and the test bundles (which load the shared runtime of the testing libraries) stay dynamic.
///
/// The same build exports only its entry point (`Sources/tradewind/exports.map`). swiftc links executables with
/// `-export-dynamic`, which put all 82,000 public symbols of every module into the dynamic symbol table; the Swift
/// runtime's start-up `dladdr` walks that table linearly, and it cost 1.5 ms of every command's start (nothing
/// looks the executable's symbols up at run time).
let staticRuntimeLinking: [LinkerSetting] = [
    .unsafeFlags(
        ["-static-stdlib", "-Xlinker", "--start-group"]
            + ["Foundation", "FoundationInternationalization", "FoundationEssentials", "_FoundationICU", "_FoundationCShims",
               "_FoundationCollections", "CoreFoundation", "swiftSynchronization", "swiftDispatch", "dispatch",
               "BlocksRuntime", "swiftCore"].flatMap { ["-Xlinker", "-l" + $0] }
            + ["-Xlinker", "--end-group"]
            + ["-Xlinker", "--version-script=" + Context.packageDirectory + "/Sources/tradewind/exports.map"],
        .when(platforms: [.linux], configuration: .release)),
]

let package = Package(
    name: "Tradewind",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "tradewind", targets: ["tradewind"]),
        .library(name: "TradewindCore", targets: ["TradewindCore"]),
        .library(name: "TradewindData", targets: ["TradewindData"]),
        .library(name: "TradewindIndicators", targets: ["TradewindIndicators"]),
        .library(name: "TradewindAnalytics", targets: ["TradewindAnalytics"]),
        .library(name: "TradewindEngine", targets: ["TradewindEngine"]),
        .library(name: "TradewindStrategies", targets: ["TradewindStrategies"]),
        .library(name: "TradewindOptimizer", targets: ["TradewindOptimizer"]),
        .library(name: "TradewindCharts", targets: ["TradewindCharts"]),
        .library(name: "TradewindReports", targets: ["TradewindReports"]),
        .library(name: "TradewindStore", targets: ["TradewindStore"]),
        .library(name: "TradewindServer", targets: ["TradewindServer"]),
        .library(name: "TradewindLive", targets: ["TradewindLive"]),
        .library(name: "TradewindML", targets: ["TradewindML"]),
        .library(name: "TradewindAlpaca", targets: ["TradewindAlpaca"]),
        .library(name: "TradewindExchange", targets: ["TradewindExchange"]),
        .library(name: "TradewindProviders", targets: ["TradewindProviders"]),
        .library(name: "TradewindModels", targets: ["TradewindModels"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // Store and server.
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.7.1"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        // Market-data providers: pooled keep-alive HTTP connections.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // TensorBoard event files (TradewindML): the runtime only; the messages are generated and committed.
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
    ],
    targets: [
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // C facilities Swift cannot spell: glibc's allocator controls (`MemoryPolicy`), naming a thread (`DedicatedThread`).
        .systemLibrary(name: "CTradewindSystem", path: "Sources/CTradewindSystem"),
        .target(name: "TradewindCore", dependencies: ["CTradewindSystem"], swiftSettings: strict),
        // OpenBLAS (Debian's libopenblas-dev for the header, libopenblas0 at run time), loaded on first use by a C shim.
        .target(name: "COpenBLAS", path: "Sources/COpenBLAS", linkerSettings: [.linkedLibrary("dl")]),
        .target(name: "CTradewindKernels", path: "Sources/CTradewindKernels"),
        .target(name: "CStrategyKernels", path: "Sources/CStrategyKernels"),
        .target(
            name: "TradewindML",
            dependencies: [
                "TradewindCore", "COpenBLAS", "CTradewindKernels", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "TradewindModels",
            dependencies: [
                "TradewindCore", "TradewindData", "TradewindIndicators", "TradewindML", "TradewindEngine", "TradewindStrategies",
                "TradewindOptimizer", "TradewindReports", "CZlib", .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "TradewindData",
            dependencies: ["TradewindCore", "CZlib"],
            resources: [.copy("Samples")],
            swiftSettings: strict
        ),
        .target(
            name: "TradewindProviders",
            dependencies: [
                "TradewindCore", "TradewindData",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(name: "TradewindIndicators", dependencies: ["TradewindCore", "TradewindData"], swiftSettings: strict),
        .target(name: "TradewindAnalytics", dependencies: ["TradewindCore"], swiftSettings: strict),
        .target(
            name: "TradewindEngine",
            dependencies: ["TradewindCore", "TradewindData", "TradewindIndicators", "TradewindAnalytics"],
            swiftSettings: strict
        ),
        .target(
            name: "TradewindStrategies",
            dependencies: ["TradewindCore", "TradewindData", "TradewindIndicators", "TradewindAnalytics", "TradewindEngine",
                           "CStrategyKernels"],
            swiftSettings: strict
        ),
        .target(
            name: "TradewindOptimizer",
            dependencies: ["TradewindCore", "TradewindData", "TradewindAnalytics", "TradewindEngine", "TradewindStrategies"],
            swiftSettings: strict
        ),
        .target(name: "TradewindCharts", dependencies: ["TradewindCore"], swiftSettings: strict),
        .target(
            name: "TradewindReports",
            dependencies: [
                "TradewindCore", "TradewindData", "TradewindAnalytics", "TradewindEngine", "TradewindStrategies",
                "TradewindOptimizer", "TradewindCharts",
            ],
            swiftSettings: strict
        ),
        .target(
            name: "TradewindStore",
            dependencies: [
                "TradewindCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "TradewindServer",
            dependencies: [
                "TradewindCore", "TradewindData", "TradewindAnalytics", "TradewindEngine", "TradewindStrategies",
                "TradewindOptimizer", "TradewindReports", "TradewindStore", "TradewindLive", "TradewindProviders",
                "TradewindModels",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: strict
        ),
        .target(
            name: "TradewindLive",
            dependencies: [
                "TradewindCore", "TradewindData", "TradewindIndicators", "TradewindAnalytics", "TradewindEngine",
                "TradewindStrategies", "TradewindStore",
                // Webhook alerts (not URLSession: FoundationNetworking would load libcurl into every process).
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "TradewindAlpaca",
            dependencies: [
                "TradewindCore", "TradewindData", "TradewindEngine", "TradewindLive", "TradewindProviders",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "TradewindExchange",
            dependencies: [
                "TradewindCore", "TradewindData", "TradewindEngine", "TradewindLive", "TradewindAlpaca",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "TradewindBenchmarks",
            dependencies: [
                "TradewindCore", "TradewindData", "TradewindIndicators", "TradewindAnalytics",
                "TradewindEngine", "TradewindStrategies", "TradewindOptimizer", "TradewindStore", "TradewindLive", "TradewindML",
                "TradewindProviders", "TradewindAlpaca", "TradewindExchange", "TradewindModels",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                // The fan-out's measuring clients: plain sockets on a few event loops.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "tradewind",
            dependencies: [
                "TradewindCore", "TradewindData", "TradewindIndicators", "TradewindAnalytics",
                "TradewindEngine", "TradewindStrategies", "TradewindOptimizer", "TradewindCharts", "TradewindReports",
                "TradewindBenchmarks", "TradewindStore", "TradewindServer", "TradewindLive", "TradewindProviders",
                "TradewindML", "TradewindModels", "TradewindAlpaca", "TradewindExchange",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            exclude: ["exports.map"],
            swiftSettings: strict,
            linkerSettings: staticRuntimeLinking
        ),
        .testTarget(name: "TradewindCoreTests", dependencies: ["TradewindCore"], swiftSettings: strict),
        .testTarget(name: "TradewindDataTests", dependencies: ["TradewindCore", "TradewindData", "TradewindTestSupport"], swiftSettings: strict),
        .testTarget(
            name: "TradewindIndicatorsTests",
            dependencies: ["TradewindCore", "TradewindData", "TradewindIndicators", "TradewindTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(name: "TradewindAnalyticsTests", dependencies: ["TradewindCore", "TradewindAnalytics"], swiftSettings: strict),
        .testTarget(
            name: "TradewindEngineTests",
            dependencies: ["TradewindCore", "TradewindData", "TradewindIndicators", "TradewindAnalytics", "TradewindEngine",
                           "TradewindTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TradewindStrategiesTests",
            dependencies: ["TradewindCore", "TradewindData", "TradewindEngine", "TradewindStrategies", "TradewindTestSupport"],
            swiftSettings: strict
        ),
        .target(name: "TradewindTestSupport", dependencies: ["TradewindCore"], path: "Tests/TradewindTestSupport", swiftSettings: strict),
        .testTarget(
            name: "TradewindChartsTests", dependencies: ["TradewindCore", "TradewindCharts", "TradewindTestSupport"],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TradewindReportsTests",
            dependencies: [
                "TradewindCore", "TradewindData", "TradewindAnalytics", "TradewindCharts", "TradewindReports", "CZlib",
                "TradewindEngine", "TradewindStrategies", "TradewindTestSupport",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TradewindMLTests",
            dependencies: ["TradewindCore", "TradewindML", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TradewindModelsTests",
            dependencies: [
                "TradewindCore", "TradewindData", "TradewindIndicators", "TradewindML", "TradewindModels", "TradewindEngine",
                "TradewindStrategies",
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "TradewindCLITests", dependencies: ["tradewind"], swiftSettings: strict),
        .testTarget(
            name: "TradewindLiveTests",
            dependencies: [
                "TradewindCore", "TradewindData", "TradewindEngine", "TradewindStrategies", "TradewindLive",
                "TradewindStore", "TradewindTestSupport",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TradewindAlpacaTests",
            dependencies: [
                "TradewindCore", "TradewindData", "TradewindEngine", "TradewindStrategies", "TradewindLive", "TradewindAlpaca",
                "TradewindExchange", "TradewindProviders",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
            ],
            resources: [.copy("Payloads")],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TradewindProvidersTests",
            dependencies: [
                "TradewindCore", "TradewindData", "TradewindProviders",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .testTarget(name: "TradewindStoreTests", dependencies: ["TradewindCore", "TradewindStore"], swiftSettings: strict),
        .testTarget(
            name: "TradewindServerTests",
            dependencies: [
                "TradewindCore", "TradewindData", "TradewindStore", "TradewindServer", "tradewind", "TradewindBenchmarks",
                "TradewindTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        // A strategy defined outside the library, through public API only, as a user's own package would.
        .testTarget(
            name: "TradewindExtensionTests",
            dependencies: [
                "TradewindCore", "TradewindData", "TradewindEngine", "TradewindIndicators", "TradewindOptimizer",
                "TradewindReports", "TradewindStrategies",
            ],
            swiftSettings: strict
        ),
        .testTarget(
            name: "TradewindOptimizerTests",
            dependencies: [
                "TradewindCore", "TradewindData", "TradewindAnalytics", "TradewindEngine", "TradewindStrategies",
                "TradewindOptimizer", "TradewindTestSupport"],
            swiftSettings: strict
        ),
    ]
)
