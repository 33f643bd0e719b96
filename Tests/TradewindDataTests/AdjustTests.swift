import Foundation
import Testing
import TradewindCore
import TradewindData

@Suite struct AdjustTests {
    static let aapl: BarSeries = try! CSVBarReader.read(path: LoaderPaths.samples + "/sp500-50/DA-AAPL-T-2021-04-21.csv.gz")

    func index(_ s: BarSeries, _ y: Int, _ m: Int, _ d: Int) -> Int {
        s.firstIndex(atOrAfter: ZoneRules.newYork.instant(CivilDate(year: y, month: m, day: d)!, hour: 9, minute: 30))
    }

    @Test func rawSeriesShowsTheSevenForOneSplit() {
        let s = Self.aapl
        let k = index(s, 2014, 6, 9)
        #expect(s.close[k - 1] == 645.57)
        #expect(s.close[k] == 93.7)
        #expect(s.adjusted(.raw) == s)
    }

    @Test func splitAdjustedSeriesIsContinuousAcrossEverySplit() {
        let s = Self.aapl
        let a = s.adjusted(.split)
        #expect(a.splitCoefficient == nil)
        // 2014-06-06 close 645.57 / 7.00000700001 = 92.2242..., next day 93.70: a 1.6 % move, not -85 %.
        let k = index(s, 2014, 6, 9)
        #expect(abs(a.close[k - 1] - 645.57 / 7.00000700001 / 4) < 1e-9)
        #expect(a.close[k] == 93.7 / 4)  // the 2020-08-31 4:1 split is later
        for (y, m, d) in [(2000, 6, 21), (2005, 2, 28), (2014, 6, 9), (2020, 8, 31)] {
            let j = index(s, y, m, d)
            #expect(s.splitCoefficient![j] != 1)
            let rawMove = s.close[j] / s.close[j - 1]
            let adjMove = a.close[j] / a.close[j - 1]
            #expect(rawMove < 0.6)
            #expect(abs(adjMove - 1) < 0.1, "split \(y)-\(m)-\(d): adjusted move \(adjMove)")
            // Volume scales inversely: traded value is unchanged.
            #expect(abs(a.volume[j - 1] * a.close[j - 1] - s.volume[j - 1] * s.close[j - 1]) <= 1e-6 * s.volume[j - 1] * s.close[j - 1])
        }
        // Last bar is unchanged; the first is divided by 2·2·7.000007·4.
        #expect(a.close.last == s.close.last)
        #expect(abs(a.close[0] - s.close[0] / (2 * 2 * 7.00000700001 * 4)) < 1e-12)
        // Once splits are removed the only close-to-close halving is the real crash of 2000-09-29 (-52 %).
        var halvings: [Int] = []
        for j in 1..<a.count where abs(log(a.close[j] / a.close[j - 1])) > log(1.9) { halvings.append(j) }
        #expect(halvings == [index(s, 2000, 9, 29)])
    }

    /// Alpha Vantage's own adjusted_close vs ours (CRSP method from dividend_amount and split_coefficient):
    /// every bar within 0.5 % relative (measured worst: AAPL 0.02 %, MSFT 0.22 %, KO 0.14 %, JNJ 0.12 %, XOM 0.16 %).
    @Test func splitAndDividendAdjustedCloseTracksTheSourceAdjustedClose() throws {
        for sym in ["AAPL", "MSFT", "KO", "JNJ", "XOM"] {
            let s = try CSVBarReader.read(path: LoaderPaths.samples + "/sp500-50/DA-\(sym)-T-2021-04-21.csv.gz")
            let a = s.adjusted(.splitAndDividend)
            #expect(a.dividend == nil && a.splitCoefficient == nil)
            let ref = s.sourceAdjustedClose!
            var worst = 0.0
            for k in 0..<s.count { worst = max(worst, abs(a.close[k] / ref[k] - 1)) }
            #expect(worst < 0.005, "\(sym): worst relative difference \(worst)")
        }
    }

    @Test func dividendAdjustmentUsesPreviousCloseAndSplitAdjustsDividends() {
        let t: [UnixNanos] = (0..<4).map { Int64($0) * UnixTime.nanosPerDay }
        let s = BarSeries(
            symbol: "X", interval: .daily, time: t,
            open: [100, 100, 50, 50], high: [100, 100, 50, 50], low: [100, 100, 50, 50], close: [100, 100, 50, 50],
            volume: [10, 10, 20, 20], dividend: [0, 0, 0, 1], splitCoefficient: [1, 1, 2, 1])
        let sd = s.adjusted(.splitAndDividend)
        // Dividend 1 on bar 3 with previous close 50: factor 0.98 on bars 0–2; split 2 on bar 2: 1/2 on bars 0–1.
        let early: Double = 100 * 0.98 / 2
        let mid: Double = 50 * 0.98
        #expect(sd.close == [early, early, mid, 50])
        #expect(sd.volume == [20, 20, 20, 20])
        let sp = s.adjusted(.split)
        #expect(sp.close == [50, 50, 50, 50])
        #expect(sp.dividend == [0, 0, 0, 1])
        #expect(sp.splitCoefficient == nil)
        let plain = BarSeries(symbol: "Y", interval: .daily, time: t, open: [1, 1, 1, 1], high: [1, 1, 1, 1],
                              low: [1, 1, 1, 1], close: [1, 1, 1, 1], volume: [0, 0, 0, 0])
        #expect(plain.adjusted(.splitAndDividend) == plain)
    }
}
