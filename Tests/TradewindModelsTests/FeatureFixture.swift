import Foundation
import TradewindCore
@testable import TradewindModels

/// Tests/Fixtures/models/universal_features.json (Scripts/models/universal_features.py): real daily bars of a few
/// bundled sp500-50 symbols and the 18 features as an independent pandas implementation computes them.
struct FeatureFixture: Decodable {
    struct Series: Decodable {
        let symbol: String
        let dates: [String]
        let open: [Double], high: [Double], low: [Double], close: [Double], volume: [Double]
        let features: [String: [Double?]]

        var bars: BarSeries {
            BarSeries(symbol: symbol, interval: .daily, time: dates.map { UnixTime.midnightUTC(CivilDate(iso: $0)!) },
                      open: open, high: high, low: low, close: close, volume: volume)
        }
    }
    let series: [Series]

    static func load() throws -> FeatureFixture {
        var url = URL(fileURLWithPath: #filePath)
        while url.lastPathComponent != "Tests" { url.deleteLastPathComponent() }
        return try JSONDecoder().decode(FeatureFixture.self, from: Data(contentsOf: url.appendingPathComponent("Fixtures/models/universal_features.json")))
    }

    /// The fixture's symbols as feature tables.
    static func tables() throws -> [FeatureTable] {
        try load().series.map { try UniversalFeatures.compute($0.bars) }
    }
}
