import Foundation
import Testing
import TradewindCore
import TradewindEngine
import TradewindIndicators
import TradewindML
import TradewindStrategies
@testable import TradewindModels

/// The ML strategies on the fixture's real bars with a small trained model.
@Suite(.serialized) struct ModelStrategyTests {
    /// A small model trained for one epoch, saved in a fresh directory; returns its universal.json path.
    static func savedModel() throws -> (path: String, model: UniversalModel, directory: String) {
        var settings = UniversalTrainingTests.settings
        settings.epochs = 1
        let run = try UniversalTraining.train(UniversalDataset.prepare(FeatureFixture.tables()), settings: settings)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tw-mlstrategy-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try run.model.save(stem: UniversalModel.stem(in: directory))
        return (UniversalModel.stem(in: directory) + ".json", run.model, directory)
    }

    static func market() throws -> MarketDataset { MarketDataset(try FeatureFixture.load().series.map(\.bars)) }

    @Test func theStreamedSignalsEqualMlPredictBarForBar() throws {
        let (_, model, directory) = try Self.savedModel()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let data = try Self.market()
        let expected = try model.predict(UniversalFeatures.compute(data))
        var byKey: [String: UniversalPrediction] = [:]
        for p in expected { byKey["\(p.symbol) \(p.time)"] = p }
        var stream = UniversalSignalStream(model: model, symbols: data.series.map(\.symbol))
        var compared = 0
        for i in 0..<data.series[0].count {
            var ready: [Int] = []
            for (s, series) in data.series.enumerated() {
                try stream.update(s, bar: .init(open: series.open[i], high: series.high[i], low: series.low[i], close: series.close[i],
                                                volume: series.volume[i]), time: series.time[i])
                if stream.isReady(s) { ready.append(s) }
            }
            for p in try stream.predict(ready) {
                let e = try #require(byKey["\(p.symbol) \(p.time)"], "ml predict has no \(p.symbol) at \(p.time)")
                for c in 0..<3 { #expect(abs(p.probabilities[c] - e.probabilities[c]) < 1e-5) }
                #expect(abs(p.predictedChange - e.predictedChange) < 1e-4)
                compared += 1
            }
        }
        #expect(compared == expected.count)
    }

    @Test func mlSignalBuysOnlyOnBarsWhoseModelSignalFired() throws {
        let (path, model, directory) = try Self.savedModel()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let data = try Self.market()
        let predictions = try model.predict(UniversalFeatures.compute(data))
        // A threshold some bars reach: the median P(UP).
        let threshold = predictions.map { $0.probabilities[2] }.sorted()[predictions.count / 2]
        let result = try ModelStrategies.catalog.run("ml-signal", parameters: ["model": path, "threshold": "\(threshold)",
                                                                               "exit_threshold": "1", "stop": "0"], data: data)
        let entries = result.orders.filter { $0.request.tag == "entry" }
        #expect(!entries.isEmpty)
        let fired = Set(predictions.filter { $0.probabilities[2] >= threshold }.map { "\($0.symbol) \($0.time)" })
        for o in entries { #expect(fired.contains("\(data.series[o.symbol].symbol) \(o.submittedAt)")) }
        let never = try ModelStrategies.catalog.run("ml-signal", parameters: ["model": path, "threshold": "0.99"], data: data)
        #expect(never.orders.isEmpty)
    }

    @Test func mlTopKNeverHoldsMoreThanKSymbols() throws {
        let (path, _, directory) = try Self.savedModel()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let result = try ModelStrategies.catalog.run("ml-topk", parameters: ["model": path, "k": "2", "min_probability": "0",
                                                                             "interval": "5", "min_hold": "5", "cooldown": "3"],
                                                     data: Self.market())
        #expect(!result.orders.isEmpty)
        for row in 0..<result.positions[0].count {
            #expect(result.positions.filter { $0[row] > 0 }.count <= 2)
        }
    }

    @Test func aMissingOrForeignModelFileIsAParameterError() throws {
        #expect(throws: ParameterError.missing(name: "model", expected: ParameterKind.path.validValues)) {
            try ModelStrategies.catalog.run("ml-signal", data: Self.market())
        }
        #expect(ModelStrategies.catalog.names.contains("ml-topk") && ModelStrategies.catalog.names.contains("sma-cross"))
    }
}
