import Testing
import TradewindCore
import TradewindEngine
@testable import TradewindStrategies

@Suite("Strategy catalog and parameter validation")
struct CatalogAndParameterTests {
    @Test func catalogListsTheBasicStrategiesWithTheirParameters() throws {
        #expect(StrategyCatalog.builtIn.names == ["buy-and-hold", "sma-cross", "momentum", "open-10am", "open-10am-stop", "vwap-momentum", "rsi2", "ema-cross", "macd-cross",
                                          "bollinger-reversion", "donchian-breakout", "signals"])
        let sma = try StrategyCatalog.builtIn.named("sma-cross")
        #expect(sma.parameterSpecs.map(\.name) == ["fast", "slow"])
        #expect(sma.parameterSpecs[0].defaultValue == .int(10))
    }

    @Test func unknownStrategyNamesTheAvailableOnes() {
        #expect(throws: UnknownStrategyError.self) { try StrategyCatalog.builtIn.named("sma") }
        do { _ = try StrategyCatalog.builtIn.named("sma") } catch {
            #expect(error.description == "unknown strategy 'sma'; available: " + StrategyCatalog.builtIn.names.joined(separator: ", "))
            #expect(error.description.hasPrefix("unknown strategy 'sma'; available: buy-and-hold, sma-cross, momentum"))
        }
    }

    @Test func unknownOutOfRangeAndMistypedParametersAreClearErrors() throws {
        let sma = try StrategyCatalog.builtIn.named("sma-cross")
        #expect(throws: ParameterError.unknown(name: "fats", strategy: "sma-cross", known: ["fast", "slow"])) {
            try sma.parameters(["fats": "5"])
        }
        #expect(throws: ParameterError.outOfRange(name: "fast", value: "0", valid: "an integer in 1...1000")) {
            try sma.parameters(["fast": "0"])
        }
        #expect(throws: ParameterError.wrongType(name: "slow", value: "abc", expected: "an integer in 2...5000")) {
            try sma.parameters(["slow": "abc"])
        }
        let p = try sma.parameters(["fast": "5", "slow": "50"])
        #expect(try p.int("fast") == 5 && p.int("slow") == 50)
        #expect(throws: ParameterError.inconsistent("fast (50) must be smaller than slow (20)")) {
            try SMACross(fast: 50, slow: 20)
        }
    }

    @Test func timeOfDayAndChoiceParametersParseAndValidate() throws {
        let t = ParameterSpec("entry", .timeOfDay(570...960), default: .timeOfDay(600), "Entry time.")
        #expect(try t.parse("10:15") == .timeOfDay(615))
        #expect(throws: ParameterError.self) { try t.parse("08:00") }
        #expect(throws: ParameterError.self) { try t.parse("25:00") }
        let c = ParameterSpec("mode", .choice(["worst", "path"]), default: .choice("worst"), "Mode.")
        #expect(try c.parse("path") == .choice("path"))
        #expect(throws: ParameterError.outOfRange(name: "mode", value: "best", valid: "one of worst, path")) { try c.parse("best") }
        let b = ParameterSpec("hedge", .bool, default: .bool(true), "Hedge.")
        #expect(try b.parse("no") == .bool(false))
    }

    @Test func buyAndHoldInvestsEverythingAtTheFirstFillAndHolds() throws {
        let fx = try VectorbtFixture.load("spy")
        let r = try StrategyCatalog.builtIn.run("buy-and-hold", data: fx.dataset)
        let expected = 100_000 / fx.open[1] * fx.close.last!
        #expect(relativeError(r.finalEquity, expected) < 1e-12)
        #expect(r.trades.count == 1 && r.trades[0].isOpen)
    }

    @Test func smaCrossTradesEverySymbolOfAMultiAssetDataset() throws {
        let a = try VectorbtFixture.load("aapl"), b = try VectorbtFixture.load("jpm")
        let data = MarketDataset(a.dataset.series + b.dataset.series)
        let r = try StrategyCatalog.builtIn.run("sma-cross", parameters: ["fast": "20", "slow": "50"], data: data,
                                        config: BacktestConfig(commission: .percentOfValue(0.001)))
        #expect(Set(r.trades.map(\.symbol)) == ["AAPL", "JPM"])
        #expect(r.orders.allSatisfy { $0.status == .filled || $0.status == .rejected })
        let pnl = r.trades.reduce(0) { $0 + $1.netPnL }
        #expect(abs(r.finalEquity - 100_000 - pnl) < 1e-6 * 100_000)
    }
}
