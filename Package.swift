// swift-tools-version:6.2
//
// Tradewind: trading research and execution in Swift.
//
// Layering (one direction only; a module may import only those to its left):
//   TradewindCore ← TradewindData ← TradewindIndicators ← TradewindEngine ← TradewindStrategies
//   TradewindStrategies ← TradewindOptimizer ← TradewindReports.
//   TradewindCharts (SVG charts) depends on TradewindCore only; reports and the dashboard draw with it.
//   TradewindAnalytics depends on TradewindCore only and is used by the engine and everything above it.
//   TradewindBenchmarks and the `tradewind` executable sit on top of everything.
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
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
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        // C facilities Swift cannot spell: glibc's allocator controls (`MemoryPolicy`), naming a thread (`DedicatedThread`).
        .systemLibrary(name: "CSystem", path: "Sources/CSystem"),
        .target(name: "TradewindCore", dependencies: ["CSystem"], swiftSettings: strict),
        .target(
            name: "TradewindData",
            dependencies: ["TradewindCore", "CZlib"],
            resources: [.copy("Samples")],
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
            dependencies: ["TradewindCore", "TradewindData", "TradewindIndicators", "TradewindAnalytics", "TradewindEngine"],
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
            name: "TradewindBenchmarks",
            dependencies: [
                "TradewindCore", "TradewindData", "TradewindIndicators", "TradewindAnalytics",
                "TradewindEngine", "TradewindStrategies", "TradewindOptimizer",
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "tradewind",
            dependencies: [
                "TradewindCore", "TradewindData", "TradewindIndicators", "TradewindAnalytics",
                "TradewindEngine", "TradewindStrategies", "TradewindOptimizer", "TradewindCharts", "TradewindReports",
                "TradewindBenchmarks",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
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
            dependencies: ["TradewindCore", "TradewindData", "TradewindIndicators", "TradewindAnalytics", "TradewindEngine"],
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
        .testTarget(name: "TradewindCLITests", dependencies: ["tradewind"], swiftSettings: strict),
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
