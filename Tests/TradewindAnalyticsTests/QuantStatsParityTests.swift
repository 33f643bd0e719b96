import Testing
import TradewindCore
@testable import TradewindAnalytics

/// Every metric against QuantStats 0.0.86 on real return series (and edge cases), to 1e-9 relative.
@Suite("QuantStats parity")
struct QuantStatsParityTests {
    static let names = QuantStatsFixture.allNames

    @Test("scalar metrics match QuantStats", arguments: names)
    func scalarMetrics(name: String) throws {
        let f = try QuantStatsFixture.load(name)
        let r = try f.series().returns
        let p = f.periodsPerYear, rf = f.riskFree
        let ours: [(String, Double)] = [
            ("total_return", Performance.totalReturn(r)),
            ("cagr", Performance.cagr(r, periodsPerYear: p)),
            ("volatility", Performance.volatility(r, periodsPerYear: p)),
            ("sharpe", Performance.sharpe(r, riskFree: rf, periodsPerYear: p)),
            ("sortino", Performance.sortino(r, riskFree: rf, periodsPerYear: p)),
            ("calmar", Performance.calmar(r, periodsPerYear: p)),
            ("omega", Performance.omega(r, riskFree: rf, periodsPerYear: p)),
            ("omega_required_5pct", Performance.omega(r, riskFree: rf, requiredReturn: 0.05, periodsPerYear: p)),
            ("max_drawdown", -Performance.maxDrawdown(r)),
            ("var_95", Performance.valueAtRisk(r)),
            ("cvar_95", Performance.conditionalValueAtRisk(r)),
            ("cvar_95_historical", Performance.historicalCVaR(r)),
            ("skew", Performance.skew(r)),
            ("kurtosis", Performance.kurtosis(r)),
            ("tail_ratio", Performance.tailRatio(r)),
            ("best_day", Performance.best(r)),
            ("worst_day", Performance.worst(r)),
            ("win_rate", Performance.winRate(r)),
            ("profit_factor", Performance.profitFactor(r)),
            ("payoff_ratio", Performance.payoffRatio(r)),
            ("avg_win", Performance.averageWin(r)),
            ("avg_loss", Performance.averageLoss(r)),
            ("avg_return", Performance.averageReturn(r)),
            ("kelly_criterion", Performance.kellyCriterion(r)),
            ("exposure", Performance.exposure(r)),
        ]
        for (key, value) in ours {
            let expected = try #require(f.value(key), "\(name): fixture lacks \(key)")
            #expect(close(value, expected), "\(name) \(key): ours \(value), QuantStats \(expected)")
        }
    }

    @Test("streaks and probabilistic Sharpe match QuantStats on complete series", arguments: names)
    func streaksAndPSR(name: String) throws {
        let f = try QuantStatsFixture.load(name)
        let wins = try #require(f.value("consecutive_wins"), "\(name): fixture lacks consecutive_wins")
        let losses = try #require(f.value("consecutive_losses"), "\(name): fixture lacks consecutive_losses")
        let expectedPSR = try #require(f.value("probabilistic_sharpe_ratio"), "\(name): fixture lacks probabilistic_sharpe_ratio")
        // QuantStats breaks streaks at, and counts, missing observations: compared only without gaps (the fixture
        // script writes null for a series with gaps).
        if f.rawReturns.contains(where: \.isNaN) {
            #expect(wins.isNaN && losses.isNaN && expectedPSR.isNaN, "\(name): a series with gaps has no streaks or PSR to compare")
            return
        }
        let r = try f.series().returns
        #expect(Double(Performance.consecutiveWins(r)) == wins)
        #expect(Double(Performance.consecutiveLosses(r)) == losses)
        let psr = Performance.probabilisticSharpeRatio(r, riskFree: f.riskFree, periodsPerYear: f.periodsPerYear)
        #expect(close(psr, expectedPSR), "\(name) psr \(psr)")
    }

    @Test("drawdown periods: start, valley, end, days and depth match drawdown_details", arguments: names)
    func drawdownPeriods(name: String) throws {
        let f = try QuantStatsFixture.load(name)
        let s = try f.series()
        let ours = Performance.drawdownPeriods(s, convention: .quantStats)
        if name == "missing_values" {
            // QuantStats may end a period on a missing day; compare the periods' depths and valleys only.
            #expect(ours.count == f.drawdownPeriods.count)
            for (o, e) in zip(ours, f.drawdownPeriods) {
                #expect(day(o.trough) == e["valley"] as? String)
                #expect(close(-o.depth, (e["max_drawdown"] as! Double)))
            }
            return
        }
        #expect(ours.count == f.drawdownPeriods.count, "\(name): \(ours.count) periods vs \(f.drawdownPeriods.count)")
        for (o, e) in zip(ours, f.drawdownPeriods) {
            #expect(day(o.start) == e["start"] as? String)
            #expect(day(o.trough) == e["valley"] as? String)
            #expect(day(o.end) == e["end"] as? String)
            #expect(o.days == e["days"] as? Int)
            #expect(close(-o.depth, e["max_drawdown"] as! Double))
        }
        let worst = Performance.maxDrawdownPeriod(ours)
        #expect(worst.map { day($0.start) } == f.string("max_dd_start"))
        #expect(worst.map { day($0.trough) } == f.string("max_dd_valley"))
        #expect(worst.map { day($0.end) } == f.string("max_dd_end"))
        let longest = Performance.longestDrawdownDays(ours)
        #expect(longest.map(Double.init) == f.value("longest_drawdown_days").flatMap { $0.isNaN ? nil : $0 })
    }

    @Test("monthly and yearly tables match monthly_returns", arguments: names)
    func periodTables(name: String) throws {
        let f = try QuantStatsFixture.load(name)
        let s = try f.series()
        let monthly = Performance.monthlyReturns(s)
        var byKey: [Int: Double] = [:]
        for m in monthly { byKey[m.year * 100 + m.month!] = m.value }
        for e in f.monthly {
            // QuantStats shows months without bars as 0.
            let ours = byKey[e.year * 100 + e.month] ?? 0
            #expect(close(ours, e.value), "\(name) \(e.year)-\(e.month): \(ours) vs \(e.value)")
        }
        let yearly = Performance.yearlyReturns(s)
        #expect(yearly.map(\.year) == f.yearly.map(\.year))
        for (o, e) in zip(yearly, f.yearly) { #expect(close(o.value, e.value), "\(name) \(e.year)") }
    }

    /// QuantStats' rolling windows on `missing_values` run over the gaps too (one value per raw row), so that
    /// series is not compared.
    @Test("rolling Sharpe and volatility match QuantStats", arguments: names.filter { $0 != "missing_values" })
    func rolling(name: String) throws {
        let f = try QuantStatsFixture.load(name)
        // The fixture script writes rolling values for every series at least one window (126 bars) long.
        guard f.rawReturns.count >= 126 else {
            #expect(f.rollingWindow == nil, "\(name): \(f.rawReturns.count) bars, shorter than a window")
            return
        }
        let w = try #require(f.rollingWindow, "\(name): fixture lacks rolling_window")
        let r = try f.series().returns
        let sharpe = Performance.rollingSharpe(r, window: w, riskFree: f.riskFree, periodsPerYear: f.periodsPerYear)
        let vol = Performance.rollingVolatility(r, window: w, periodsPerYear: f.periodsPerYear)
        let es = try #require(f.rollingSharpe), ev = try #require(f.rollingVolatility)
        #expect(sharpe.count == es.count && vol.count == ev.count)
        var bad = 0
        for i in es.indices where !close(sharpe[i], es[i], rel: 1e-8) || !close(vol[i], ev[i], rel: 1e-8) { bad += 1 }
        #expect(bad == 0, "\(name): \(bad) rolling values differ")
    }

    @Test("alpha and beta against SPY match greeks")
    func greeks() throws {
        let f = try QuantStatsFixture.load("ko_vs_spy")
        let g = try Performance.greeks(try f.series().returns, benchmark: try #require(f.benchmark),
                                       periodsPerYear: f.periodsPerYear)
        #expect(close(g.alpha, try #require(f.value("alpha"), "ko_vs_spy: fixture lacks alpha")))
        #expect(close(g.beta, try #require(f.value("beta"), "ko_vs_spy: fixture lacks beta")))
    }

    @Test("QuantStats 0.0.86 counts CAGR years in bars: periods / periodsPerYear, not calendar days")
    func cagrCountsBars() throws {
        let f = try QuantStatsFixture.load("aapl_daily")
        let r = try f.series().returns
        let years = Double(r.count) / 252
        let byBars = Foundation.pow(1 + Performance.totalReturn(r), 1 / years) - 1
        #expect(close(Performance.cagr(r), byBars))
        let calendarYears = Double(f.times.last! - f.times.first!) / Double(UnixTime.nanosPerDay) / 365
        let byCalendar = Foundation.pow(1 + Performance.totalReturn(r), 1 / calendarYears) - 1
        #expect(!close(try #require(f.value("cagr"), "aapl_daily: fixture lacks cagr"), byCalendar, rel: 1e-3))
    }
}

import Foundation
