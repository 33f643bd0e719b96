import Foundation
import Testing
import TradewindCore
import TradewindReports
@testable import TradewindModels

/// `tradewind ml walk-forward --report`: the out-of-sample evaluation as a self-contained HTML page whose numbers
/// are the walk-forward's own, per fold and chained, with the leaky random-split comparison.
@Suite struct ModelEvaluationReportTests {
    /// The `data-v` values of the row of `table` for fold `index`, in column order.
    static func row(_ html: String, table: String, fold index: Int) throws -> [Double] {
        let start = try #require(html.range(of: "id=\"\(table)\""))
        let rest = html[start.upperBound...]
        let open = try #require(rest.range(of: "<tr data-fold=\"\(index)\">"))
        let close = try #require(rest[open.upperBound...].range(of: "</tr>"))
        return rest[open.upperBound..<close.lowerBound].components(separatedBy: "data-v=\"").dropFirst().map { part in
            Double(part.prefix { $0 != "\"" }) ?? .nan
        }
    }

    static func same(_ a: Double, _ b: Double) -> Bool { a.isNaN ? b.isNaN : abs(a - b) <= 1e-9 * max(1, abs(b)) }

    @Test func theReportShowsEachFoldsScoresReturnsAndTheRandomSplitComparisonAsComputed() throws {
        let data = try ModelStrategyTests.market()
        let walked = try ModelWalkForward.run(data, spec: ModelWalkForwardTests.spec, settings: UniversalTrainingTests.settings,
                                              dataset: ModelWalkForwardTests.dataset, strategy: "ml-signal",
                                              parameters: ["threshold": "0.34", "exit_threshold": "0.5", "stop": "0"], compareRandomSplit: true)
        let input = walked.reportInput(title: "ml-signal walk-forward", strategy: "ml-signal", symbols: data.series.map(\.symbol),
                                       dataSource: "fixture")
        let html = ModelEvaluationReport.render(input)
        // Self-contained: one document, every section, charts inline, nothing fetched.
        #expect(html.hasPrefix("<!DOCTYPE html>") || html.hasPrefix("<!doctype html>"))
        for id in ModelEvaluationReport.sectionIDs { #expect(html.contains("<section id=\"\(id)\"")) }
        #expect(html.contains("id=\"oos-equity\"") && html.contains("id=\"leakage-bars\""))
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http"))

        #expect(walked.folds.count == 2)
        for f in walked.folds {
            let comparison = try #require(f.randomSplit)
            let evaluation = try #require(f.evaluation)
            let cells = try Self.row(html, table: "fold-table", fold: f.index)
            let expected = [Double(evaluation.samples), evaluation.accuracy, evaluation.baselineAccuracy, evaluation.informationCoefficient,
                            evaluation.meanAbsoluteError, Double(f.trades), f.strategyReturn, f.buyAndHoldReturn]
            #expect(cells.count == expected.count)
            #expect(zip(cells, expected).allSatisfy { Self.same($0, $1) }, "fold \(f.index): \(cells) vs \(expected)")
            let leak = try Self.row(html, table: "leakage-table", fold: f.index)
            let validation = f.model.config.validationMetrics["accuracy"] ?? .nan
            let leakExpected = [validation, evaluation.accuracy, comparison.validationAccuracy, comparison.accuracy,
                                comparison.validationAccuracy - comparison.accuracy]
            #expect(leak.count == leakExpected.count && zip(leak, leakExpected).allSatisfy { Self.same($0, $1) })
            #expect((0...1).contains(comparison.validationAccuracy) && (0...1).contains(comparison.accuracy))
        }
        // The chained returns: the summary cards carry the walk-forward's figures.
        for (key, value) in [("strategy-return", walked.strategyReturn), ("buy-and-hold-return", walked.buyAndHoldReturn)] {
            let at = try #require(html.range(of: "data-key=\"\(key)\" data-value=\""))
            #expect(Self.same(Double(html[at.upperBound...].prefix { $0 != "\"" }) ?? .nan, value))
        }
        #expect(input.strategyEquity.count == walked.equity.count && input.equityTimes == walked.equity.map(\.time))
    }
}
