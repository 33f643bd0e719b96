import Foundation
import Testing
import TradewindCore
import TradewindData
import TradewindOptimizer
import TradewindReports
import TradewindStrategies

/// A job's figures may come from a resume file (user input): the report adapter builds a report from any of them
/// without trapping.
@Suite struct ResumedFiguresTests {
    @Test func figuresWithDisagreeingListsAndFarDatesStillMakeAReportInput() throws {
        let series = try DataSource(parsing: "sample:spy-daily").load().series[0].slice(0..<300)
        let d = try StrategyCatalog.builtIn.named("sma-cross")
        let space = try SpaceBuilder.space(strategy: d, grids: ["fast=2:10:4", "slow=20:40:20"])
        let job = OptimizationJob(strategy: d, space: space, constraints: try SpaceBuilder.constraints(strategy: d, extra: [], space: space),
                                  settings: SearchSettings(method: .grid, topK: 2), validation: .walkForward(WalkForwardSpec(folds: 2)))
        var outcome = try JobRunner.run(job, series: [series])
        var v = try #require(outcome.symbols[0].validation)
        // One time more than equity values (the precondition of `TimeSeries` trapped), and dates past 2262
        // (their nanoseconds overflowed Int64).
        v.stitchedTimes.append("9999-12-31T00:00:00Z")
        v.folds[0].trainStart = "9999-12-31T00:00:00Z"
        v.folds[0].testEnd = "0001-01-01T00:00:00Z"
        outcome.symbols[0].validation = v
        let period = ReportPeriod(start: series.time[0], end: series.time[series.count - 1], interval: series.interval)
        let input = try #require(OptimizationFigures.input(outcome: outcome, strategy: d.name, method: "grid", objective: Objective(),
                                                           dataSource: "sample:spy-daily", costs: "none", period: period))
        #expect(input.stitchedEquity == nil)
        #expect(input.walkForward.count == 2)
    }
}
