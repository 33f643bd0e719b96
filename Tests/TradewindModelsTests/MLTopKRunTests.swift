import Foundation
import Testing
import TradewindCore
import TradewindEngine
import TradewindStrategies
@testable import TradewindModels

/// `ml-topk` and the ML strategies' warm-up, run through the catalog on the fixture's bars with a small trained model.
@Suite(.serialized) struct MLTopKRunTests {
    static func run(_ parameters: [String: String], data: MarketDataset? = nil,
                    config: BacktestConfig = BacktestConfig()) throws -> (BacktestResult, UniversalModel, MarketDataset) {
        let (path, model, directory) = try ModelStrategyTests.savedModel()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let data = try data ?? ModelStrategyTests.market()
        var all = parameters
        all["model"] = path
        return (try ModelStrategies.catalog.run("ml-topk", parameters: all, data: data, config: config), model, data)
    }

    @Test func decisionsAreMadeEveryIntervalCountedFromTheFirstScoredBar() throws {
        // The fixture's first full feature window is at bar 108 (49 bars of look-back + 60 − 1): it is the first
        // decision, whatever the interval, and the next ones follow every 7 bars.
        let (result, _, _) = try Self.run(["k": "2", "min_probability": "0", "interval": "7", "tolerance": "0"])
        let steps = Set(result.orders.map(\.submittedStep))
        #expect(steps.count >= 3)
        #expect(steps.min() == 108)
        #expect(steps.allSatisfy { ($0 - 108) % 7 == 0 }, "\(steps.sorted())")
    }

    @Test func theRankingIsMlPredictsScoreForTheSameModelAndDates() throws {
        let (result, model, data) = try Self.run(["k": "1", "min_probability": "0", "interval": "1"])
        // ml predict's best-scored symbol at each date.
        var best: [UnixNanos: (symbol: String, score: Double)] = [:]
        for p in try model.predict(UniversalFeatures.compute(data)) where best[p.time].map({ MLTopK.score(p) > $0.score }) ?? true {
            best[p.time] = (p.symbol, MLTopK.score(p))
        }
        let entries = result.orders.filter { $0.request.tag == "rank entry" }
        #expect(entries.count >= 2)
        for o in entries { #expect(data.series[o.symbol].symbol == best[o.submittedAt]?.symbol, "\(o.submittedAt)") }
        // Whenever the best symbol changes, the strategy buys it.
        let times = data.series[0].time.filter { best[$0] != nil }
        for (before, now) in zip(times, times.dropFirst()) where best[before]!.symbol != best[now]!.symbol {
            #expect(entries.contains { $0.submittedAt == now && data.series[$0.symbol].symbol == best[now]!.symbol }, "\(now)")
        }
    }

    @Test func holdingsAreEqualWeightAfterEachRebalance() throws {
        var config = BacktestConfig(fillTiming: .signalClose)
        config.initialCash = 100_000
        let (result, _, data) = try Self.run(["k": "3", "min_probability": "0", "interval": "5", "tolerance": "0"], config: config)
        var checked = 0
        // Decisions at the first scored bar (108) and every 5 bars after it.
        for step in stride(from: 108, to: data.series[0].count, by: 5) {
            let values = data.series.indices.map { s in result.positions[s][step] * data.series[s].close[step] }.filter { $0 > 0 }
            guard values.count > 1 else { continue }
            #expect(values.allSatisfy { abs($0 / values[0] - 1) < 1e-9 }, "step \(step): \(values)")
            checked += 1
        }
        #expect(checked >= 10)
    }

    @Test func anIntradayRunOnMinuteBarsDecidesEveryIntervalAndHoldsAtMostK() throws {
        // Three symbols of 300 one-minute bars from 14:30 UTC (09:30 New York), a seeded random walk.
        var state: UInt64 = 2026
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        let start = UnixTime.midnightUTC(CivilDate(iso: "2021-03-01")!) + 870 * UnixTime.nanosPerMinute
        let series = ["AAA", "BBB", "CCC"].map { symbol -> BarSeries in
            var close = 100.0
            var o: [Double] = [], h: [Double] = [], l: [Double] = [], c: [Double] = [], v: [Double] = []
            for _ in 0..<300 {
                let open = close
                close = open * (1 + (next() - 0.5) * 0.004)
                o.append(open); c.append(close)
                h.append(max(open, close) * (1 + next() * 0.001)); l.append(min(open, close) * (1 - next() * 0.001))
                v.append(1000 + next() * 5000)
            }
            return BarSeries(symbol: symbol, interval: .minute, time: (0..<300).map { start + Int64($0) * UnixTime.nanosPerMinute },
                             open: o, high: h, low: l, close: c, volume: v)
        }
        let (result, _, _) = try Self.run(["k": "2", "min_probability": "0", "interval": "30"], data: MarketDataset(series))
        let steps = Set(result.orders.map(\.submittedStep))
        // The first full window is at bar 108: decisions at 108, 138, … 288.
        #expect(steps.min() == 108 && steps.allSatisfy { ($0 - 108) % 30 == 0 }, "\(steps.sorted())")
        for row in 0..<result.positions[0].count { #expect(result.positions.filter { $0[row] > 0 }.count <= 2) }
    }

    @Test func theWarmupIsTheFeatureLookBackPlusTheModelsWindowFromItsConfig() throws {
        let (path, model, directory) = try ModelStrategyTests.savedModel()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for name in ["ml-signal", "ml-topk"] {
            let d = try ModelStrategies.catalog.named(name)
            let given = try d.parameters(["model": path]), none = try d.parameters([:])
            #expect(d.warmupBars(given) == UniversalFeature.warmUp + model.config.dataset.window - 1)
            #expect(d.warmupBars(given) == 108)
            #expect(d.warmupBars(none) == 0)
        }
        // A model with a 20-bar window: 49 + 19.
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        var dataset = json["dataset"] as! [String: Any]
        dataset["window"] = 20
        json["dataset"] = dataset
        let short = directory + "/short.json"
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: short))
        let d = try ModelStrategies.catalog.named("ml-topk")
        let shortWindow = try d.parameters(["model": short])
        #expect(d.warmupBars(shortWindow) == 68)
    }

    @Test func theFirstSignalComesOnTheBarAfterTheWarmup() throws {
        // With the warm-up --warmup auto gives (108 bars), the first decision bar after it already trades.
        let (path, _, directory) = try ModelStrategyTests.savedModel()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let data = try ModelStrategyTests.market()
        let d = try ModelStrategies.catalog.named("ml-topk")
        let p = try d.parameters(["model": path, "k": "1", "min_probability": "0"])
        let config = Warmup.applying(bars: d.warmupBars(p), to: BacktestConfig(from: data.series[0].time[150]), data: data)
        let result = try d.run(p, data, try d.prepare(config, parameters: p, data: data).config)
        #expect(result.warmupSteps == 108)
        #expect(result.orders.filter { $0.status != .rejected }.map(\.submittedAt).min() == data.series[0].time[150])
    }
}
