import Foundation
import Testing
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindOptimizer
import TradewindStrategies

/// `rsi2` with its hedge through the optimizer's library path (`OptimizationRequest` → `prepared(for:)` →
/// `JobRunner`, what `tradewind optimize` and the server's jobs run): the hedge runs alongside the traded symbol, the
/// hedged kernel evaluates the trials, and the job finds the same best point with the same figures as the engine.
/// Also the account settings the kernels now model: a margin account with interest runs on the kernel.
@Suite struct HedgedOptimizationTests {
    static func hedged(kernel: Bool, backtest: BacktestSettings = BacktestSettings()) throws -> (JobOutcome, PreparedOptimization) {
        let request = OptimizationRequest(strategy: "rsi2", data: "sample:eqker-daily", symbols: ["QQQ", "TZA"],
                                          grids: ["entry=10:30:10", "exit=60:80:10", "hedge_entry=70:90:10"],
                                          fixed: ["hedge_symbol=TZA", "hedge_size=0.2"], objective: "sharpe", top: 3,
                                          kernel: kernel, robustness: false, backtest: backtest)
        let plan = try request.plan(zone: .newYork)
        let data = try DataSource(parsing: "sample:eqker-daily").load(LoadOptions(), symbols: ["QQQ", "TZA"])
        let prepared = try plan.prepared(for: data)
        return (try JobRunner.run(prepared.job, series: prepared.series), prepared)
    }

    static func expectSameSearch(_ a: SymbolOptimization, _ b: SymbolOptimization, _ context: String) {
        #expect(a.best?.params == b.best?.params, "\(context): best \(String(describing: a.best?.params)) vs \(String(describing: b.best?.params))")
        if let x = a.best?.objective, let y = b.best?.objective {
            #expect(abs(x - y) <= 1e-9 * max(1, abs(y)), "\(context): objective \(x) vs \(y)")
        }
        #expect(a.best?.summary.finalEquity == b.best?.summary.finalEquity, "\(context): the best point's engine run")
        #expect(a.top.map(\.params) == b.top.map(\.params), "\(context): top")
        for (p, q) in zip(a.top, b.top) {
            for (name, value) in q.metrics {
                guard let v = value, let u = p.metrics[name] ?? nil else { continue }
                #expect(abs(u - v) <= 1e-9 * max(1, abs(v)), "\(context): \(name) \(u) vs \(v)")
            }
        }
    }

    @Test func optimizeWithTheHedgeRunsTheHedgedKernelAndMatchesTheEngine() throws {
        let (kernel, prepared) = try Self.hedged(kernel: true)
        #expect(prepared.series.map(\.symbol) == ["QQQ"] && prepared.job.companions.map(\.symbol) == ["TZA"])
        let (engine, _) = try Self.hedged(kernel: false)
        let k = try #require(kernel.symbols.first), e = try #require(engine.symbols.first)
        #expect(k.symbol == "QQQ" && k.path == "kernel" && k.engineReason == nil, "\(k.path): \(k.engineReason ?? "")")
        #expect(e.path == "engine")
        #expect(k.feasible == 27 && e.feasible == 27)
        Self.expectSameSearch(k, e, "hedged")
        // The best run trades both symbols.
        let best = try #require(k.best)
        #expect(best.summary.trades > 0)
        let json = try JobReport.json(kernel, method: .grid, objective: Objective())
        #expect(json.contains("\"evaluator\":\"kernel\""))
    }

    /// A margin account with interest: the kernel evaluates, with the same choice and figures as the engine.
    @Test func aMarginAccountWithInterestRunsOnTheKernel() throws {
        var settings = BacktestSettings()
        settings.margin = 0.5
        settings.marginRate = 0.06
        let (kernel, _) = try Self.hedged(kernel: true, backtest: settings)
        let (engine, _) = try Self.hedged(kernel: false, backtest: settings)
        let k = try #require(kernel.symbols.first), e = try #require(engine.symbols.first)
        #expect(k.path == "kernel", "\(k.engineReason ?? "")")
        Self.expectSameSearch(k, e, "margin")
    }

    /// A volume cap the orders stay under runs on the kernel; one that splits fills sends the batches to the engine,
    /// and the result says so.
    @Test func aVolumeCapThatSplitsFillsIsReportedAsTheEngine() throws {
        func run(cash: Double, cap: Double) throws -> SymbolOptimization {
            var settings = BacktestSettings()
            settings.cash = cash
            settings.volumeCap = cap
            let request = OptimizationRequest(strategy: "ema-cross", data: "sample:eqker-daily", symbols: ["SPY"],
                                              grids: ["fast=5:15:5", "slow=20:40:10"], robustness: false, backtest: settings)
            let data = try DataSource(parsing: "sample:eqker-daily").load(LoadOptions(), symbols: ["SPY"])
            let prepared = try request.plan(zone: .newYork).prepared(for: data)
            return try #require(try JobRunner.run(prepared.job, series: prepared.series).symbols.first)
        }
        let under = try run(cash: 10_000, cap: 0.01)
        #expect(under.path == "kernel" && under.engineReason == nil, "\(under.engineReason ?? "")")
        let split = try run(cash: 1e9, cap: 0.0001)
        #expect(split.path == "engine" && split.engineReason?.contains("splits a fill") == true, "\(split.engineReason ?? "nil")")
    }

    /// The hedge must be in the data.
    @Test func aHedgeMissingFromTheDataIsNamed() throws {
        let request = OptimizationRequest(strategy: "rsi2", data: "sample:eqker-daily", symbols: ["QQQ"], grids: ["entry=10:30:10"],
                                          fixed: ["hedge_symbol=TZA"])
        let plan = try request.plan(zone: .newYork)
        let data = try DataSource(parsing: "sample:eqker-daily").load(LoadOptions(), symbols: ["QQQ"])
        #expect(throws: (any Error).self) { try plan.prepared(for: data) }
    }
}
