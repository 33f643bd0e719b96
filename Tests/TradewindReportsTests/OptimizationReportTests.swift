import Foundation
import Testing
import TradewindCharts
import TradewindCore
@testable import TradewindReports

@Suite struct OptimizationReportTests {
    static func walkForwardInput() -> OptimizationReportInput {
        var input = Synthetic.optimization(method: "walk-forward", symbols: 3)
        let day = UnixTime.nanosPerDay
        let t0 = input.period.start
        input.walkForward = (0..<4).map { k in
            let isStart = t0 + Int64(k) * 250 * day
            return WalkForwardWindow(index: k + 1, inSampleStart: isStart, inSampleEnd: isStart + 500 * day,
                                     outOfSampleStart: isStart + 500 * day, outOfSampleEnd: isStart + 750 * day,
                                     parameters: [ReportParameter(name: "fast", value: .number(Double(10 + k)))],
                                     inSampleObjective: 1.4 - 0.1 * Double(k), outOfSampleObjective: 0.6 - 0.2 * Double(k))
        }
        let times = (0..<1000).map { t0 + 500 * day + Int64($0) * day }
        input.stitchedEquity = TimeSeries(times: times, values: (0..<1000).map { 100_000 + Double($0) * 25 })
        input.overfitting = [
            ReportMetric(key: "pbo", label: "Probability of backtest overfitting", value: 0.35, format: .percent(decimals: 1)),
            ReportMetric(key: "deflated_sharpe", label: "Deflated Sharpe ratio", value: 0.91, format: .number(decimals: 2)),
            ReportMetric(key: "oos_decay", label: "IS → OOS decay", value: -0.55, format: .percent(decimals: 1)),
        ]
        input.symbolRows = input.symbols.map { s in
            var bt = Synthetic.backtest(days: 300, trades: 3)
            bt.title = "Best \(s)"
            return SymbolResultRow(symbol: s, parameters: input.best.parameters, objective: 1.1,
                                   metrics: [ReportMetric(key: "cagr", label: "CAGR", value: 0.1, format: .percent(decimals: 1))], backtest: bt)
        }
        return input
    }

    @Test func reportParsesWithEverySectionAndNoExternalReferences() throws {
        let html = try OptimizationReport.render(Self.walkForwardInput())
        let xml = try #require(Page.parse(html))
        let ids = Page.ids(xml)
        for id in OptimizationReport.sectionIDs { #expect(ids.contains(id), "missing #\(id)") }
        #expect(Page.externalReferences(html).isEmpty, "\(Page.externalReferences(html))")
        for c in Page.charts(html) { #expect(c.drawn > 3, "chart \(c.id) draws almost nothing") }
    }

    @Test func heatmapHoldsOtherParametersAtTheirBestValues() throws {
        let input = Synthetic.optimization()
        let grid = try #require(try ObjectiveGrid.make(input))
        #expect(grid.xName == "fast" && grid.yName == "slow")
        #expect(grid.othersAtBest)
        #expect(grid.xLabels == ["5", "10", "15", "20", "25"])
        #expect(grid.yLabels == ["50", "100", "150", "200"])
        // stop held at its best value 0.05: the cell (fast 15, slow 100) is the best objective.
        #expect(grid.values[1][2] == input.best.objective)
        let xml = try #require(Page.parse(try OptimizationReport.render(input)))
        let cells = xml.withClass("tw-cell")
        #expect(cells.count == 20)
        #expect(cells.contains { $0.attributes["data-value"] == NumberText.fixed(input.best.objective, 6) })
    }

    @Test func heatmapAxesComeFromTheOption() throws {
        var input = Synthetic.optimization()
        input.heatmapAxes = ("stop", "fast")
        let grid = try #require(try ObjectiveGrid.make(input))
        #expect(grid.xLabels == ["0.02", "0.05"])
        #expect(grid.yLabels.count == 5)
        input.heatmapAxes = ("fast", "nope")
        #expect(throws: ReportError.unknownHeatmapParameter(name: "nope", parameters: ["fast", "slow", "stop"])) {
            try OptimizationReport.render(input)
        }
        input.heatmapAxes = ("fast", "fast")
        #expect(throws: ReportError.self) { try OptimizationReport.render(input) }
    }

    @Test func randomSearchFallsBackToTheBestOverOtherParameters() throws {
        var input = Synthetic.optimization(method: "random")
        var rng = Synthetic.Rng(state: 5)
        input.trials = (0..<200).map { n in
            TrialRow(number: n, parameters: [.number(2 + rng.next() * 40), .number(20 + rng.next() * 200), .number(rng.next() * 0.1)],
                     objective: rng.next())
        }
        let grid = try #require(try ObjectiveGrid.make(input))
        #expect(!grid.othersAtBest)
        #expect(grid.xLabels.count == 10)
        let filled = grid.values.flatMap { $0 }.compactMap { $0 }
        #expect(filled.count > 50)
        #expect(filled.max() == input.trials.map(\.objective).max())
    }

    @Test func tpeShowsObjectiveByTrialWithTheRunningBest() throws {
        let input = Synthetic.optimization(method: "tpe")
        let xml = try #require(Page.parse(try OptimizationReport.render(input)))
        let running = try #require(xml.withClass("tw-series").first { $0.attributes["data-series"] == "Best so far" })
        #expect(running.attributes["data-last"] == NumberText.fixed(input.best.objective, 6))
        let grid = Synthetic.optimization(method: "grid")
        #expect(!(try OptimizationReport.render(grid)).contains("objective-by-trial"))
        // The histogram counts every finished trial; the failed one is listed as failed.
        let hist = try #require(xml.withClass("tw-bins").first)
        #expect(hist.attributes["data-total"] == "40")
        #expect(xml.text.contains("failed"))
    }

    @Test func walkForwardWindowsAndStitchedEquityAreShown() throws {
        let input = Self.walkForwardInput()
        let xml = try #require(Page.parse(try OptimizationReport.render(input)))
        let bars = xml.withClass("tw-bar").filter { $0.attributes["data-tip"]?.hasPrefix("W") == true }
        #expect(bars.count == 8)
        #expect(bars.contains { $0.attributes["data-value"] == "0.600000" })
        let eq = try #require(xml.withClass("tw-series").first { $0.attributes["data-series"] == "Out-of-sample equity" })
        #expect(eq.attributes["data-last"] == NumberText.fixed(input.stitchedEquity!.values.last!, 6))
        #expect(xml.elements.contains { $0.attributes["id"] == "walk-forward-table" })
        #expect(xml.withClass("card").contains { $0.attributes["data-key"] == "pbo" })
    }

    @Test func perSymbolTableLinksToEmbeddedBacktests() throws {
        let input = Self.walkForwardInput()
        let html = try OptimizationReport.render(input)
        let xml = try #require(Page.parse(html))
        let ids = Page.ids(xml)
        let links = xml.all("a").compactMap { $0.attributes["href"] }.filter { $0.hasPrefix("#symbol-") }
        #expect(links == ["#symbol-SPY", "#symbol-S1", "#symbol-S2"])
        for l in links { #expect(ids.contains(String(l.dropFirst())), "dangling link \(l)") }
        #expect(ids.contains("symbol-S1-equity"))
        #expect(ids.contains("symbol-S2-trade-table"))
        // Ids stay unique although three backtests share the page.
        let all = xml.elements.compactMap { $0.attributes["id"] }
        #expect(all.count == Set(all).count)
    }

    @Test func singleParameterDrawsTheObjectiveAlongIt() throws {
        var input = Synthetic.optimization()
        input.parameterNames = ["fast"]
        input.trials = (1...10).map { TrialRow(number: $0, parameters: [.number(Double($0))], objective: Double($0 % 4)) }
        input.best = BestResult(parameters: [ReportParameter(name: "fast", value: .number(3))], objective: 3, metrics: [])
        let html = try OptimizationReport.render(input)
        #expect(Page.parse(html) != nil)
        #expect(html.contains("objective-by-parameter"))
    }
}

@Suite struct HeatmapBinningTests {
    /// A random search over two integer parameters (`fast` 2…49, `slow` 20…219) and a real-valued one.
    static func integerSearch() -> OptimizationReportInput {
        var input = Synthetic.optimization(method: "random")
        var rng = Synthetic.Rng(state: 17)
        input.trials = (0..<300).map { n in
            TrialRow(number: n, parameters: [.number((2 + rng.next() * 48).rounded(.down)), .number((20 + rng.next() * 200).rounded(.down)),
                                             .number(rng.next() * 0.1)],
                     objective: rng.next())
        }
        return input
    }

    /// The whole numbers a label stands for: `5–9` is 5…9, `41` is 41…41.
    static func range(_ label: String) -> ClosedRange<Int>? {
        let parts = label.split(separator: "–")
        guard let a = parts.first.flatMap({ Int($0) }), parts.count <= 2 else { return nil }
        guard parts.count == 2 else { return a...a }
        guard let b = Int(parts[1]), b > a else { return nil }
        return a...b
    }

    @Test func integerParametersAreBinnedIntoWholeNumberRangesThatTileTheirValues() throws {
        let input = Self.integerSearch()
        let grid = try #require(try ObjectiveGrid.make(input))
        #expect(!grid.othersAtBest)
        for (column, labels) in [(0, grid.xLabels), (1, grid.yLabels)] {
            let ranges = labels.compactMap(Self.range)
            #expect(ranges.count == labels.count, "not whole-number ranges: \(labels)")
            #expect((5...15).contains(ranges.count), "\(labels)")
            let values = input.trials.map { Int($0.parameters[column].number!) }
            #expect(ranges.first?.lowerBound == values.min() && ranges.last?.upperBound == values.max(), "\(labels)")
            for (a, b) in zip(ranges, ranges.dropFirst()) { #expect(b.lowerBound == a.upperBound + 1, "gap or overlap in \(labels)") }
        }
        // Each cell holds the best objective of the trials whose values lie in its ranges.
        let xs = grid.xLabels.compactMap(Self.range), ys = grid.yLabels.compactMap(Self.range)
        for (i, yr) in ys.enumerated() {
            for (j, xr) in xs.enumerated() {
                let inCell = input.trials.filter { xr.contains(Int($0.parameters[0].number!)) && yr.contains(Int($0.parameters[1].number!)) }
                #expect(grid.values[i][j] == inCell.map(\.objective).max(), "cell \(grid.xLabels[j]) × \(grid.yLabels[i])")
            }
        }
        let html = try OptimizationReport.render(input)
        let xml = try #require(Page.parse(html))
        for cell in xml.withClass("tw-cell") {
            // `row · column: objective`
            let labels = (cell.attributes["data-tip"] ?? "").components(separatedBy: ": ")[0]
            #expect(labels.contains(" · ") && !labels.contains("."), "fractional label in '\(labels)'")
        }
    }

    @Test func fewDistinctIntegerValuesAreLabelledWithThemselves() throws {
        var input = Self.integerSearch()
        input.trials = input.trials.map { t in
            var t = t
            t.parameters[0] = .number(Double(3 + (t.number % 15) * 7))
            return t
        }
        let grid = try #require(try ObjectiveGrid.make(input))
        let expected: [String] = (0..<15).map { (k: Int) -> String in String(3 + k * 7) }
        #expect(grid.xLabels == expected)
    }

    @Test func realValuedParametersKeepTheirBinCentres() {
        let levels = ObjectiveGrid.levels((0..<40).map { .number(Double($0) * 0.0025) })
        #expect(levels.labels.count == ObjectiveGrid.binTarget)
        #expect(levels.labels.first == NumberText.auto(0.0975 / 20))
    }
}
