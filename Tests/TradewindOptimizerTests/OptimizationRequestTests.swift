import Foundation
import Testing
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindOptimizer
import TradewindStrategies

/// `OptimizationRequest`: a job as a user states it, checked and planned; the period cut from the bars; the job's
/// identity for resume files; per-symbol results files.
@Suite struct OptimizationRequestTests {
    static let base = OptimizationRequest(strategy: "sma-cross", data: "sample:spy-daily",
                                          grids: ["fast=5:20:5", "slow=30:90:30"])

    static func planError(_ request: OptimizationRequest) -> (any Error)? {
        do {
            _ = try request.plan(zone: .newYork, threads: 2)
            return nil
        } catch {
            return error
        }
    }

    @Test func aRequestPlansTheJobItDescribes() throws {
        var r = Self.base
        r.method = "random"
        r.trials = 40
        r.seed = 7
        r.objective = "-max_drawdown"
        r.minTrades = 3
        r.top = 4
        r.batch = 16
        r.kernel = false
        r.robustness = false
        r.backtest.commission = 0.001
        let plan = try r.plan(zone: .newYork, threads: 2)
        let s = plan.job.settings
        #expect(s.method == .random && s.trials == 40 && s.seed == 7 && s.minTrades == 3 && s.topK == 4 && s.batchSize == 16)
        #expect(s.objective == Objective(.maxDrawdown, .minimize) && !s.robustness)
        #expect(!plan.job.allowKernel && plan.job.threads == 2)
        #expect(plan.job.strategy.name == "sma-cross" && plan.job.space.names == ["fast", "slow"])
        #expect(plan.job.config == (try r.backtest.config(zone: .newYork)))
        #expect(plan.job.validation == ValidationPlan.none)
        var minimised = Self.base
        minimised.minimize = true
        #expect(try minimised.plan(zone: .newYork).job.settings.objective == Objective(.sharpe, .minimize))
    }

    @Test func aSplitDateIsMidnightInTheZoneAndWalkForwardIsParsed() throws {
        var r = Self.base
        r.split = "2010-01-04"
        let zone = try ZoneRules.named("Asia/Tokyo")
        #expect(try r.plan(zone: zone).job.validation == .split(zone.instant(CivilDate(iso: "2010-01-04")!, hour: 0, minute: 0)))
        r.split = nil
        r.walkForward = "folds=3,train=100,test=50"
        #expect(try r.plan(zone: .newYork).job.validation == .walkForward(WalkForwardSpec(folds: 3, train: 100, test: 50)))
    }

    @Test func thePeriodIsCutFromTheBarsAndLeftOutOfTheConfiguration() throws {
        var r = Self.base
        r.backtest.from = "2008-01-01"
        r.backtest.to = "2008-12-31"
        let plan = try r.plan(zone: .newYork)
        #expect(plan.job.config.from == nil && plan.job.config.to == nil)
        #expect(plan.from.map(ISO8601.utc) == "2008-01-01T05:00:00Z" && plan.to.map(ISO8601.utc) == "2009-01-01T05:00:00Z")
        let data = MarketDataset([try spy(2_000)])
        let series = try plan.series(of: data)
        #expect(series.count == 1)
        let times = series[0].time
        #expect(times.first! >= plan.from! && times.last! < plan.to!)
        #expect(times.count == 253)   // NYSE sessions of 2008
        #expect(series[0] == data.series[0].between(plan.from!, plan.to!))
    }

    @Test func seriesFollowTheRequestedSymbolOrderAndEmptyOnesAreDropped() throws {
        let data = MarketDataset(try threeSymbols())
        var r = Self.base
        r.data = "sample:sp500-50"
        r.symbols = ["XOM", "IBM", "KO"]
        #expect(try r.plan(zone: .newYork).series(of: data).map(\.symbol) == ["XOM", "IBM", "KO"])
        r.symbols = nil
        #expect(try r.plan(zone: .newYork).series(of: data).map(\.symbol) == data.symbols)
        // A symbol without bars in the period is left out.
        let three = try threeSymbols()
        let shortKO = MarketDataset(three.map { $0.symbol == "KO" ? $0.slice(0..<300) : $0 })
        var plan = try r.plan(zone: .newYork)
        plan.from = three[0].time[500]
        #expect(try plan.series(of: shortKO).map(\.symbol) == ["IBM", "XOM"])
    }

    @Test func noBarsInThePeriodIsAnErrorNamingTheDataAndPeriod() throws {
        var r = Self.base
        r.backtest.from = "2030-01-01"
        let plan = try r.plan(zone: .newYork)
        do {
            _ = try plan.series(of: MarketDataset([try spy(100)]))
            Issue.record("no error")
        } catch let error as OptimizerError {
            guard case let .noBars(data, symbols, period) = error else { Issue.record("\(error)"); return }
            #expect(data == "sample:spy-daily" && symbols == ["SPY"] && period.hasPrefix("2030-01-01T05:00:00Z"))
            #expect(error.description.hasPrefix("no bars to optimise in sample:spy-daily between 2030-01-01T05:00:00Z"))
        }
    }

    @Test func invalidFieldsAreErrorsNamingTheFieldAndWhatItAccepts() throws {
        func with(_ change: (inout OptimizationRequest) -> Void) -> OptimizationRequest {
            var r = Self.base
            change(&r)
            return r
        }
        let cases: [(OptimizationRequest, OptimizerError)] = [
            (with { $0.symbols = [] }, .invalidArgument(name: "symbols", value: "[]", valid: "at least one symbol (or no list: every symbol of the data)")),
            (with { $0.method = "anneal" }, .invalidArgument(name: "method", value: "anneal", valid: "grid, random or tpe")),
            (with { $0.split = "2010-02-30" }, .invalidArgument(name: "split", value: "2010-02-30", valid: "YYYY-MM-DD")),
            (with { $0.split = "2010-01-04"; $0.walkForward = "folds=2" }, .exclusiveArguments("split", "walk_forward")),
            (with { $0.autoBounds = ["fast"] }, .invalidArgument(
                name: "auto_bounds", value: "'fast'", valid: "a parameter without a grid or choice spec; give the parameter one way")),
            (with { $0.top = 0 }, .invalidArgument(name: "top", value: "0", valid: "an integer ≥ 1")),
            (with { $0.minTrades = -1 }, .invalidArgument(name: "min_trades", value: "-1", valid: "an integer ≥ 0")),
            (with { $0.method = "tpe"; $0.trials = 0 }, .invalidArgument(name: "trials", value: "0", valid: "an integer ≥ 1")),
            (with { $0.batch = 0 }, .invalidArgument(name: "batch", value: "0", valid: "an integer ≥ 1")),
        ]
        for (request, expected) in cases {
            #expect(Self.planError(request) as? OptimizerError == expected)
        }
        for (_, error) in cases {
            if case let .invalidArgument(name, _, _) = error { #expect(OptimizationRequest.Field(rawValue: name) != nil, "\(name)") }
        }
        #expect(OptimizerError.exclusiveArguments("split", "walk_forward").description == "give split or walk_forward, not both")
        #expect(Self.planError(with { $0.objective = "profit" }).map { "\($0)" }?.hasPrefix("invalid objective 'profit': expected a metric") == true)
        #expect(Self.planError(with { $0.strategy = "nope" }) is UnknownStrategyError)
        #expect(Self.planError(with { $0.backtest.margin = 2 }) as? BacktestSettingsError
            == .invalidValue(field: .margin, value: "2", expected: "an initial margin with 0 < margin ≤ 1 (0.5 = 2× leverage)"))
    }

    @Test func theKeyKeepsTheFormatOfExistingJobFiles() throws {
        var r = Self.base
        r.backtest.from = "2010-01-01"
        r.backtest.to = "2012-12-31"
        let config = try r.plan(zone: .newYork).job.config
        #expect(r.key(config: config) == "strategy=sma-cross data=sample:spy-daily adjust=raw grid=fast=5:20:5;slow=30:90:30 choice= "
            + "fixed= constraint= method=grid trials=0 seed=0 objective=sharpe min_trades=0 top=10 batch=default split= "
            + "walk_forward= kernel=true auto_bounds= from=2010-01-01 to=2012-12-31 config=\(config)")
    }

    @Test func theKeyChangesWithWhatDecidesResultsAndNotWithTheSymbolsOrRobustness() throws {
        let config = try Self.base.plan(zone: .newYork).job.config
        let key = Self.base.key(config: config)
        let changes: [(inout OptimizationRequest) -> Void] = [
            { $0.grids = ["fast=5:20:5"] }, { $0.fixed = ["slow=50"] }, { $0.constraints = ["slow >= 2*fast"] },
            { $0.method = "random" }, { $0.seed = 1 }, { $0.objective = "sortino" }, { $0.minimize = true },
            { $0.minTrades = 2 }, { $0.top = 3 }, { $0.batch = 64 }, { $0.split = "2010-01-04" },
            { $0.walkForward = "folds=2" }, { $0.kernel = false }, { $0.autoBounds = ["x"] }, { $0.backtest.from = "2009-01-01" },
            { $0.data = "sample:sp500-50" }, { $0.adjust = .split }, { $0.strategy = "ema-cross" },
        ]
        for (i, change) in changes.enumerated() {
            var r = Self.base
            change(&r)
            #expect(r.key(config: config) != key, "change \(i)")
        }
        var same = Self.base
        same.symbols = ["SPY"]
        same.robustness = false
        same.trials = 5   // grid search evaluates every point whatever the trial budget
        #expect(same.key(config: config) == key)
        var costly = config
        costly.commission = CommissionModel(percent: 0.001)
        #expect(Self.base.key(config: costly) != key)
    }

    @Test func preparingForTheDataAppliesTheStrategyRequirementsAndKeysThePreparedConfig() throws {
        let data = MarketDataset([try spy(300)])
        let prepared = try Self.base.plan(zone: .newYork).prepared(for: data)
        #expect(prepared.notes.isEmpty && prepared.series.map(\.symbol) == ["SPY"])
        #expect(prepared.key == Self.base.key(config: prepared.job.config))
        var intraday = Self.base
        intraday.strategy = "momentum"
        intraday.grids = []
        #expect(throws: StrategyRequirementError.self) { try intraday.plan(zone: .newYork).prepared(for: data) }
    }

    @Test func jsonNeedsOnlyStrategyAndDataAndRejectsUnknownKeys() throws {
        let minimal = try JSONDecoder().decode(OptimizationRequest.self, from: Data(#"{"strategy": "sma-cross", "data": "sample:spy-daily"}"#.utf8))
        #expect(minimal == OptimizationRequest(strategy: "sma-cross", data: "sample:spy-daily"))
        let json = #"{"strategy": "sma-cross", "data": "sample:sp500-50", "symbols": ["KO", "IBM"], "grids": ["fast=5:20:5"], "#
            + #""method": "tpe", "trials": 30, "min_trades": 2, "walk_forward": "folds=2", "backtest": {"commission": 0.001, "from": "2010-01-01"}}"#
        let r = try JSONDecoder().decode(OptimizationRequest.self, from: Data(json.utf8))
        #expect(r.symbols == ["KO", "IBM"] && r.method == "tpe" && r.trials == 30 && r.minTrades == 2 && r.walkForward == "folds=2")
        #expect(r.backtest == BacktestSettings(commission: 0.001, from: "2010-01-01"))
        #expect(try JSONDecoder().decode(OptimizationRequest.self, from: JSONEncoder().encode(r)) == r)
        let typo = #"{"strategy": "sma-cross", "data": "sample:spy-daily", "grid": ["fast=5:20:5"]}"#
        #expect(throws: OptimizerError.self) { try JSONDecoder().decode(OptimizationRequest.self, from: Data(typo.utf8)) }
        let nested = #"{"strategy": "sma-cross", "data": "sample:spy-daily", "backtest": {"slippage": 5}}"#
        #expect(throws: BacktestSettingsError.unknownField("slippage")) {
            try JSONDecoder().decode(OptimizationRequest.self, from: Data(nested.utf8))
        }
    }

    @Test func severalSymbolsWriteOneResultsFileEachNamedAfterTheSymbol() throws {
        #expect(ResultsTableWriter.perSymbolPath("out/r.csv", symbol: "SPY") == "out/r.SPY.csv")
        #expect(ResultsTableWriter.perSymbolPath("out.d/results", symbol: "SPY") == "out.d/results.SPY")
        #expect(ResultsTableWriter.perSymbolPath("r.csv", symbol: "BRK.B") == "r.BRK_B.csv")
        #expect(ResultsTableWriter.perSymbolPath("r.csv", symbol: "ES=F/1") == "r.ES_F_1.csv")
        #expect(try ResultsTableWriter.symbolPaths(base: "r.csv", symbols: ["SPY"]) == ["SPY": "r.csv"])
        #expect(try ResultsTableWriter.symbolPaths(base: "r.csv", symbols: ["KO", "IBM"]) == ["KO": "r.KO.csv", "IBM": "r.IBM.csv"])
    }

    @Test func twoSymbolsThatWouldShareAResultsFileAreAnError() {
        #expect(throws: OptimizerError.sharedResultsFile(path: "r.BRK_B.csv", symbols: ["BRK.B", "BRK_B"])) {
            try ResultsTableWriter.symbolPaths(base: "r.csv", symbols: ["BRK.B", "BRK_B"])
        }
    }

    @Test func aJobFileOfAnotherJobIsRefusedNamingTheJobFileNotAFlag() throws {
        let path = scratchFile("job.jsonl")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try JobFile(path: path, key: "one job").save([])
        #expect(try JobFile(path: path, key: "one job").load(parameterOrder: []).isEmpty)
        do {
            _ = try JobFile(path: path, key: "another job").load(parameterOrder: [])
            Issue.record("loaded another job's file")
        } catch let error as OptimizerError {
            guard case let .invalidArgument(name, value, valid) = error else { Issue.record("\(error)"); return }
            #expect(name == "job file" && value == path && valid.hasSuffix("it was written for: one job"))
            #expect(!error.description.contains("--"))
        }
    }
}
