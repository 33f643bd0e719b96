import Foundation
import TradewindCore
import TradewindData

/// Resolves and loads market data for requests: `sample:NAME` as is (parsed once, `SampleDatasetCache`), relative
/// paths under the server's home.
struct MarketLoader: Sendable {
    let home: String
    let samples: SampleDatasetCache

    init(home: String, samples: SampleDatasetCache = SampleDatasetCache()) {
        self.home = home
        self.samples = samples
    }

    /// The data source spec with a relative path made absolute under `home`.
    func resolve(_ spec: String) -> String {
        if spec.hasPrefix("sample:") || spec.hasPrefix("/") || spec.isEmpty { return spec }
        return (home as NSString).appendingPathComponent(spec)
    }

    /// Checks that `spec` names data (a known sample, an existing path), without reading it.
    func check(_ spec: String) throws {
        _ = try DataSource(parsing: resolve(spec))
    }

    static func zone(_ name: String?) throws -> ZoneRules {
        guard let name else { return .newYork }
        do {
            return try ZoneRules.named(name)
        } catch {
            throw APIError.badRequest("tz \(name): \(error)", field: "tz")
        }
    }

    /// Loads `spec` (only `symbols` when given) with `adjust` applied, on the calling thread.
    /// A bundled sample comes from `samples` after its first load.
    func load(_ spec: String, symbols: [String]?, zone: ZoneRules, adjust: AdjustmentMode, threads: ThreadBudget) throws -> MarketDataset {
        let source = try DataSource(parsing: resolve(spec))
        var options = LoadOptions(zone: zone)
        options.threads = threads
        guard SampleDatasetCache.keeps(spec) else { return Self.adjusted(try source.load(options, symbols: symbols), adjust) }
        return try samples.dataset(.init(spec: spec, symbols: symbols, zone: zone, adjust: adjust)) {
            Self.adjusted(try source.load(options, symbols: symbols), adjust)
        }
    }

    /// `data` with `adjust` applied to every series.
    static func adjusted(_ data: MarketDataset, _ adjust: AdjustmentMode) -> MarketDataset {
        adjust == .raw ? data : MarketDataset(data.series.map { $0.adjusted(adjust) })
    }

    /// Checks that `spec` may be served to workers (`GET /api/data/{dataset}/{symbol}`): a bundled sample or a path
    /// relative to the server's home, never an absolute path or one that climbs out of the home.
    static func checkServable(_ spec: String) throws {
        if spec.hasPrefix("sample:") { return }
        let parts = spec.split(separator: "/", omittingEmptySubsequences: false)
        guard !spec.isEmpty, !spec.hasPrefix("/"), !parts.contains(".."), !spec.contains("\0") else {
            throw APIError.badRequest("dataset \(spec): expected sample:NAME or a path relative to the server's home, without ..",
                                      field: "dataset")
        }
    }
}
