import Foundation
import Testing
import TradewindCharts
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindStrategies
@testable import TradewindReports

/// Real engine runs of catalog strategies on the bundled samples, through `BacktestReportAdapter` into the
/// rendered report: every section is there, the equity line ends at the engine's final equity, the trade
/// table lists the engine's trades and the price charts carry one marker per fill.
@Suite(.serialized) struct BacktestAdapterTests {
    struct Run {
        let result: BacktestResult
        let data: MarketDataset
        let input: BacktestReportInput
        let html: String
    }

    static func run(_ strategy: String, _ params: [String: String] = [:], data: MarketDataset,
                    config: BacktestConfig = BacktestConfig(), source: String) throws -> Run {
        let d = try StrategyCatalog.builtIn.named(strategy)
        let p = try d.parameters(params)
        let result = try d.run(p, data, config)
        let input = try BacktestReportAdapter.input(result: result, data: data,
                                                     context: .init(strategy: strategy, parameters: p, dataSource: source))
        return Run(result: result, data: data, input: input, html: BacktestReport.render(input))
    }

    /// The text of `<section id="id">…</section>`.
    static func section(_ html: String, _ id: String) -> Substring {
        guard let start = html.range(of: "<section id=\"\(id)\"") else { return "" }
        let rest = html[start.lowerBound...]
        guard let end = rest.range(of: "</section>") else { return rest }
        return rest[..<end.upperBound]
    }

    /// The shared checks: sections, final equity, trade rows, fill markers, well-formed and self-contained.
    static func expectFaithful(_ r: Run, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let xml = try #require(Page.parse(r.html, sourceLocation: sourceLocation), sourceLocation: sourceLocation)
        let ids = Page.ids(xml)
        for id in BacktestReport.sectionIDs { #expect(ids.contains(id), "section \(id) missing", sourceLocation: sourceLocation) }
        let line = try #require(xml.withClass("tw-series").first { $0.attributes["data-series"] == "Strategy" },
                                sourceLocation: sourceLocation)
        #expect(line.attributes["data-last"] == NumberText.fixed(r.result.finalEquity, 6), sourceLocation: sourceLocation)
        #expect(r.input.summary.finalValue == r.result.finalEquity, sourceLocation: sourceLocation)
        #expect(r.input.trades.count == r.result.trades.count, sourceLocation: sourceLocation)
        let trades = section(r.html, "trades")
        if r.result.trades.isEmpty {
            #expect(trades.contains("The strategy made no trades."), sourceLocation: sourceLocation)
        } else {
            let rows = trades.components(separatedBy: "<tr>").count - 1 - 1   // minus the header row
            #expect(rows == min(r.result.trades.count, BacktestReport.maxTradeRows), sourceLocation: sourceLocation)
        }
        #expect(r.input.prices.map(\.marks.count).reduce(0, +) == r.result.fills.count, sourceLocation: sourceLocation)
        #expect(xml.withClass("tw-marker").count == r.result.fills.count, sourceLocation: sourceLocation)
        #expect(Page.externalReferences(r.html).isEmpty, sourceLocation: sourceLocation)
    }

    /// Loaded once; a sample that fails to load fails every test that needs it, with the loader's error.
    static let spyDaily = Result { try DataSource(parsing: "sample:spy-daily").load() }

    @Test func smaCrossOnSpyDailyIsFaithfulToTheEngine() throws {
        let data = try Self.spyDaily.get()
        let r = try Self.run("sma-cross", ["fast": "10", "slow": "50"], data: data, source: "sample:spy-daily")
        #expect(r.result.trades.count > 5)
        try Self.expectFaithful(r)
        // The trade rows are the engine's trades, field by field.
        for (row, t) in zip(r.input.trades, r.result.trades) {
            #expect(row.symbol == t.symbol && row.side == "Long" && row.entryTime == t.entryTime && row.entryPrice == t.entryPrice)
            #expect(row.pnl == t.netPnL && row.costs == t.entryCommission + t.exitCommission && row.bars == t.barsHeld)
            #expect(row.exitTime == (t.isOpen ? nil : t.exitTime))
        }
        // Both SMAs are drawn on the price pane, the benchmark is buy and hold of SPY.
        let overlays = try #require(r.input.prices.first).overlays
        #expect(overlays.map(\.name) == ["SMA(10)", "SMA(50)"])
        #expect(overlays.allSatisfy { $0.pane == .price && $0.values.count == r.input.prices[0].bars.count })
        #expect(r.html.contains("SMA(50)"))
        #expect(r.input.benchmarkName == "Buy & hold SPY")
        #expect(r.input.benchmark?.values.first == 100_000)
        #expect(r.input.costs == "no commission; no slippage")
        // Entries are ▲ on buys, exits ▼ on sells.
        let marks = r.input.prices[0].marks
        #expect(marks.filter { $0.kind == .entry }.count == r.result.fills.filter { $0.side == .buy }.count)
    }

    @Test func rsi2OnEqkerDailyShowsItsRSIWithEntryAndExitLevels() throws {
        let data = try DataSource.sample("eqker-daily").load(symbols: ["SPY"])
        let r = try Self.run("rsi2", ["entry": "25", "exit": "70"], data: data,
                             config: BacktestConfig(commission: .percentOfValue(0.001), slippage: .basisPoints(1)),
                             source: "sample:eqker-daily")
        #expect(r.result.trades.count > 3)
        try Self.expectFaithful(r)
        let rsi = try #require(r.input.prices.first?.overlays.first)
        #expect(rsi.name == "RSI(2)" && rsi.pane == .separate && rsi.range == 0...100)
        #expect(rsi.levels.map(\.value) == [25, 70])
        #expect(rsi.values.filter(\.isFinite).allSatisfy { (0...100).contains($0) })
        #expect(r.html.contains("indicator-SPY-0"))
        #expect(r.input.costs == "commission 0.1 % of value; slippage 1 bp")
    }

    @Test func momentumOnEqkerMinuteUnderNYSESessionsWithFlattenAtClose() throws {
        let data = try DataSource.sample("eqker-1m").load(symbols: ["SPY"])
        let config = BacktestConfig(session: SessionPolicy(zone: .newYork, calendar: NYSECalendar.shared, flattenAtClose: true))
        let r = try Self.run("momentum", ["buy_trigger": "0.2", "sell_trigger": "0.3", "stop_loss": "0.3"], data: data,
                             config: config, source: "sample:eqker-1m")
        #expect(r.result.trades.count > 3)
        try Self.expectFaithful(r)
        #expect(r.input.period.interval.isIntraday)
        #expect(r.input.period.zone == .newYork)
        // Flattened every session: nothing is left open.
        #expect(r.input.trades.allSatisfy { $0.exitTime != nil })
    }

    @Test func aRunWithoutTradesRenders() throws {
        let data = try Self.spyDaily.get()
        let r = try Self.run("sma-cross", ["fast": "10", "slow": "4000"], data: data, source: "sample:spy-daily")
        #expect(r.result.trades.isEmpty && r.result.fills.isEmpty)
        try Self.expectFaithful(r)
        #expect(r.input.summary.trades == 0)
    }

    @Test func aSingleOpenTradeRenders() throws {
        let data = try Self.spyDaily.get()
        let r = try Self.run("buy-and-hold", data: data, source: "sample:spy-daily")
        #expect(r.result.trades.count == 1 && r.result.fills.count == 1)
        try Self.expectFaithful(r)
        #expect(r.input.trades[0].exitTime == nil)
        #expect(r.input.notes.contains { $0.contains("still open") })
    }

    @Test func aOneDayIntradayRunRenders() throws {
        let data = try DataSource.sample("eqker-1m").load(symbols: ["SPY"])
        let day = ZoneRules.newYork.localDate(of: data.series[0].time[data.series[0].count / 2])
        var config = BacktestConfig(session: SessionPolicy(zone: .newYork, calendar: NYSECalendar.shared, flattenAtClose: true))
        config.from = ZoneRules.newYork.instant(day, hour: 0, minute: 0)
        config.to = ZoneRules.newYork.instant(day.adding(days: 1), hour: 0, minute: 0)
        let r = try Self.run("sma-cross", ["fast": "5", "slow": "20"], data: data, config: config, source: "sample:eqker-1m")
        #expect(Set(r.result.equity.time.map { ZoneRules.newYork.localDate(of: $0) }).count == 1)
        try Self.expectFaithful(r)
        #expect(r.input.prices[0].bars.count == r.result.equity.time.count)
    }

    static let sp500 = Result { try DataSource.sample("sp500-50").load() }

    @Test func twentyYearDailyKOReportStaysUnderTwoMegabytes() throws {
        let data = MarketDataset([try #require(Self.sp500.get()["KO"])])
        let r = try Self.run("sma-cross", ["fast": "20", "slow": "100"], data: data, source: "sample:sp500-50")
        #expect(r.result.equity.time.count > 5_000)
        try Self.expectFaithful(r)
        #expect(r.html.utf8.count < 2_000_000, "\(r.html.utf8.count) bytes")
    }

    @Test func fiftySymbolRunRendersEveryPriceChart() throws {
        let data = try Self.sp500.get()
        let r = try Self.run("sma-cross", ["fast": "50", "slow": "200"], data: data, source: "sample:sp500-50")
        #expect(r.result.symbols.count == 50)
        try Self.expectFaithful(r)
        #expect(r.input.prices.count == 50)
        #expect(r.input.title == "sma-cross on 50 symbols")
        #expect(r.html.utf8.count < 6_000_000, "\(r.html.utf8.count) bytes")
    }

    @Test func unknownBenchmarkSymbolIsAnErrorNamingTheSymbols() throws {
        let data = try Self.spyDaily.get()
        let d = try StrategyCatalog.builtIn.named("buy-and-hold")
        let p = try d.parameters([:])
        let result = try d.run(p, data, BacktestConfig())
        #expect(throws: ReportError.unknownBenchmark(symbol: "QQQ", available: ["SPY"])) {
            _ = try BacktestReportAdapter.input(result: result, data: data, context: .init(strategy: "buy-and-hold", parameters: p, benchmark: "QQQ"))
        }
        #expect(ReportError.unknownBenchmark(symbol: "QQQ", available: ["SPY", "IWM"]).description
                == "benchmark symbol QQQ is not in the data; its symbols are SPY, IWM")
    }

    @Test func summaryFileHoldsTheBoxTheCommandPrints() throws {
        let data = try Self.spyDaily.get()
        let d = try StrategyCatalog.builtIn.named("sma-cross")
        let p = try d.parameters([:])
        let result = try d.run(p, data, BacktestConfig())
        let dir = NSTemporaryDirectory() + "tw-adapter-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let context = BacktestReportAdapter.Context(strategy: "sma-cross", parameters: p, dataSource: "sample:spy-daily")
        try BacktestReportAdapter.export(result: result, data: data, report: dir + "/r.html", summary: dir + "/s.txt", pdf: nil,
                                         context: context)
        let text = try String(contentsOfFile: dir + "/s.txt", encoding: .utf8)
        let box = BacktestSummary(result: result, interval: .daily, strategy: "sma-cross", parameters: p.description).formattedBox()
        #expect(text == box + "\n")
        let html = try String(contentsOfFile: dir + "/r.html", encoding: .utf8)
        #expect(html.contains("<section id=\"equity\""))
    }

    @Test func commandBoxWrapsManyLongParametersAndSymbolsWithinAHundredColumns() throws {
        let data = try Self.spyDaily.get()
        let d = try StrategyCatalog.builtIn.named("sma-cross")
        let result = try d.run(try d.parameters([:]), data, BacktestConfig())
        let parameters = (1...14).map { "entry_threshold_for_regime_\($0)=\(Double($0) * 1.2345)" }
        var summary = BacktestSummary(result: result, interval: .daily, strategy: "regime-switching-mean-reversion",
                                      parameters: parameters.joined(separator: " "))
        summary.symbols = (0..<60).map { "SYM\($0)" }
        let box = summary.formattedBox()
        let lines = box.split(separator: "\n")
        #expect(lines.allSatisfy { $0.count <= BacktestSummary.boxWidth }, "too wide:\n\(box)")
        #expect(Set(lines.map(\.count)).count == 1, "ragged box:\n\(box)")
        for p in parameters { #expect(box.contains(p), "missing \(p)") }
        for s in summary.symbols { #expect(box.contains(" " + s + " "), "missing \(s)") }
        // The labels' column holds each label once, and continuation lines leave it blank.
        #expect(lines.filter { $0.hasPrefix("| Strategy ") }.count == 1)
        #expect(lines.contains { $0.hasPrefix("| " + String(repeating: " ", count: 20) + " |   ") })
        // A short box is as it was: one line per figure.
        #expect(BacktestSummary(result: result, interval: .daily, strategy: "sma-cross").formattedBox().split(separator: "\n").count == 22)
    }
}
