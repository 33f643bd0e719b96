import Foundation
import Testing
import TradewindCore
@testable import TradewindEngine

struct Boom: Error, CustomStringConvertible {
    var description: String { "boom" }
}

struct BadSymbolData: SymbolAttributedError {
    let symbol: Int
}

@Suite("Simulation: data view, alignment, sessions, errors, consistency")
struct SimulationTests {
    @Test func strategyCannotReadBarsAfterTheCurrentOne() throws {
        let closes = (0..<6).map { Double(100 + $0) }
        var seen: [(count: Int, current: Double?, next: Double?)] = []
        _ = try run(daily(closes.map { ($0, $0, $0, $0) })) { ctx in
            let h = ctx.history(0)
            seen.append((h.count, h.close(ago: 0), h.close(h.count)))
            #expect(h.close(ago: -1) == nil && h.bar(h.count) == nil && h.time(h.count) == nil)
        }
        #expect(seen.map(\.count) == [1, 2, 3, 4, 5, 6])
        #expect(seen.map(\.current) == closes)
        #expect(seen.allSatisfy { $0.next == nil })
    }

    @Test func multiAssetSeriesAreAlignedOnTheUnionOfTimestamps() throws {
        // A trades every day, B only on days 0, 2 and 3.
        let a = daily([(1, 1, 1, 1), (2, 2, 2, 2), (3, 3, 3, 3), (4, 4, 4, 4)], symbol: "A")
        let b = BarSeries(symbol: "B", interval: .daily, time: [a.time[0], a.time[2], a.time[3]],
                          open: [10, 30, 40], high: [10, 30, 40], low: [10, 30, 40], close: [10, 30, 40], volume: [1, 1, 1])
        var rows: [[Double]] = []
        let r = try run(b, a) { ctx in
            #expect(ctx.symbols == ["A", "B"])
            rows.append([ctx.close(0), ctx.close(1), ctx.hasBar(1) ? 1 : 0])
            if ctx.step == 1 { ctx.buy(1, .units(1)) }   // B has no bar at step 2? it has: fills at B's next bar
        }
        #expect(rows == [[1, 10, 1], [2, 10, 0], [3, 30, 1], [4, 40, 1]])
        #expect(r.fills.map(\.price) == [30] && r.fills[0].step == 2)
        #expect(r.equity.time.count == 4)
    }

    func failure(_ series: [BarSeries], _ bar: @escaping (any TradingContext) throws -> Void) -> BacktestError? {
        do {
            _ = try Backtest.run(Scripted(bar), data: MarketDataset(series))
            return nil
        } catch {
            return error
        }
    }

    @Test func strategyErrorStopsTheRunNamingHookBarAndSymbol() throws {
        let s = daily(flat(10, 5), symbol: "XYZ")
        let e = try #require(failure([s]) { ctx in if ctx.step == 3 { throw Boom() } })
        guard case .strategyFailed(let hook, let step, let time, let symbols, let underlying) = e else {
            Issue.record("unexpected \(e)")
            return
        }
        #expect(hook == "onBar" && step == 3 && time == s.time[3] && symbols == ["XYZ"])
        #expect(underlying is Boom)
        let two = [daily(flat(1, 3), symbol: "A"), daily(flat(1, 3), symbol: "B")]
        let e2 = try #require(failure(two) { ctx in if ctx.step == 1 { throw BadSymbolData(symbol: 1) } })
        #expect(e2.description.contains("at bar 1") && e2.description.contains("on B:"))
    }

    @Test func reportsAgreeWithTheTrades() throws {
        let b: [(Double, Double, Double, Double)] = (0..<40).map { i in
            let p = 100 + 10 * sin(Double(i) / 3)
            return (p, p + 1.5, p - 1.5, p + 0.5)
        }
        let config = BacktestConfig(commission: CommissionModel(perShare: 0.01, percent: 0.0005, minimum: 1), slippage: .basisPoints(3))
        let r = try run(daily(b), config: config) { ctx in
            if ctx.step % 7 == 0 { ctx.buy(0, .units(50)) }
            if ctx.step % 11 == 5 { ctx.sell(0, .units(30)) }
            if ctx.step % 13 == 12 { ctx.closePosition(0) }
        }
        let pnl = r.trades.reduce(0) { $0 + $1.netPnL }
        #expect(abs(r.finalEquity - r.initialCash - pnl) < 1e-6)
        for i in 0..<r.equity.equity.count {
            #expect(abs(r.equity.cash[i] + r.equity.positionsValue[i] - r.equity.equity[i]) < 1e-9)
        }
        #expect(r.trades.allSatisfy { $0.mae >= 0 && $0.mfe >= 0 && $0.barsHeld >= 0 })
    }

    @Test func maeAndMfeTrackTheWorstAndBestPricesWhileOpen() throws {
        let b: [(Double, Double, Double, Double)] = [(100, 100, 100, 100), (100, 104, 97, 101), (101, 108, 99, 107), (107, 107, 107, 107)]
        let r = try run(daily(b)) { ctx in
            if ctx.step == 0 { ctx.buy(0, .units(1)) }
            if ctx.step == 2 { ctx.closePosition(0) }
        }
        let t = r.trades[0]
        #expect(t.entryPrice == 100 && t.exitPrice == 107 && t.barsHeld == 2)
        #expect(t.mae == 3 && t.mfe == 8)
    }

    @Test func openPositionsAreReportedAsOpenTradesAtTheLastClose() throws {
        let r = try run(daily([(10, 10, 10, 10), (10, 10, 10, 10), (12, 12, 12, 12)])) { ctx in
            if ctx.step == 0 { ctx.buy(0, .units(5)) }
        }
        #expect(r.trades.count == 1 && r.trades[0].isOpen && r.trades[0].grossPnL == 10)
        #expect(r.closedTrades.isEmpty)
    }

    @Test func ordersOutsideRegularHoursAreQueuedOrRejected() throws {
        let s = intraday([(0, 800, (10, 10, 10, 10)), (0, 900, (11, 11, 11, 11)), (0, 1000, (12, 12, 12, 12))])
        let queued = try run(s, config: BacktestConfig(session: .usEquities)) { ctx in
            if ctx.step == 0 { ctx.buy(0, .units(1)) }
        }
        #expect(queued.fills.map(\.price) == [12])   // 09:00 is pre-market: it waits for the 10:00 bar
        var policy = SessionPolicy.usEquities
        policy.outsideHours = .reject
        let rejected = try run(s, config: BacktestConfig(session: policy)) { ctx in
            if ctx.step == 0 { ctx.buy(0, .units(1)) }
        }
        #expect(rejected.orders[0].status == .rejected && rejected.orders[0].reason.contains("outside regular trading hours"))
    }

    @Test func flattenAtSessionCloseClosesPositionsAtTheLastBar() throws {
        let s = intraday([(0, 1000, (10, 10, 10, 10)), (0, 1100, (11, 11, 11, 11)), (0, 1500, (12, 12, 12, 12)),
                          (1, 1000, (13, 13, 13, 13))])
        var sessionEvents: [String] = []
        struct Recorder: Strategy {
            var log: [String] = []
            mutating func onSessionOpen(_ c: some TradingContext) throws { log.append("open \(c.step)") }
            mutating func onBar(_ c: some TradingContext) throws { if c.step == 0 { c.buy(0, .units(1)) } }
            mutating func onSessionClose(_ c: some TradingContext) throws { log.append("close \(c.step)") }
        }
        var rec = Recorder()
        let r = try Backtest.run(&rec, data: MarketDataset([s]), config: BacktestConfig(session: SessionPolicy(flattenAtClose: true)))
        sessionEvents = rec.log
        #expect(r.fills.map(\.price) == [11, 12])
        #expect(r.orders[1].request.tag == "session-flatten")
        var minutes: [Int] = []
        var dates: [String] = []
        _ = try Backtest.run(Scripted { ctx in minutes.append(ctx.minuteOfDay); dates.append(ctx.sessionDate.description) },
                             data: MarketDataset([s]))
        #expect(minutes == [600, 660, 900, 600])
        #expect(dates == ["2024-03-04", "2024-03-04", "2024-03-04", "2024-03-05"])
        // The day number the simulator reads from its day column is the session date's.
        var days: [Int] = []
        _ = try Backtest.run(Scripted { ctx in days.append(ctx.sessionDay - ctx.sessionDate.daysSinceEpoch) }, data: MarketDataset([s]))
        #expect(days == [0, 0, 0, 0])
        #expect(r.positions[0] == [0, 1, 0, 0])
        #expect(sessionEvents == ["open 0", "close 2", "open 3", "close 3"])
    }

    @Test func invalidConfigurationAndEmptyDataAreReported() throws {
        #expect(throws: BacktestError.self) { try run(daily(flat(1, 3)), config: BacktestConfig(initialCash: -5)) { _ in } }
        do {
            _ = try Backtest.run(Scripted { _ in }, data: MarketDataset([]))
            Issue.record("expected noData")
        } catch let e { #expect(e.description.contains("no data")) }
        let bad = try run(daily(flat(10, 3))) { ctx in if ctx.step == 0 { ctx.buy(0, .units(1), .limit(-3)) } }
        #expect(bad.orders[0].status == .rejected && bad.orders[0].reason.contains("limit price"))
    }

    @Test func intrabarPathPutsTheAdverseExtremeFirstUnderWorst() {
        let long = BarPath(open: 10, high: 12, low: 8, close: 11, policy: .worst, position: 1)
        #expect(long.firstTouch(of: 9, rising: false)! < long.firstTouch(of: 11.5, rising: true)!)
        let short = BarPath(open: 10, high: 12, low: 8, close: 11, policy: .worst, position: -1)
        #expect(short.firstTouch(of: 11.5, rising: true)! < short.firstTouch(of: 9, rising: false)!)
        let down = BarPath(open: 10, high: 12, low: 8, close: 9, policy: .path, position: 1)
        #expect(down.firstTouch(of: 9, rising: false)! < down.firstTouch(of: 11.5, rising: true)!)
        #expect(long.firstTouch(of: 10.5, rising: false) == 0)
    }
}

@Suite("Sessions on the NYSE calendar, margin interest")
struct CalendarSessionTests {
    @Test func earlyCloseEndsTheSessionForMarketOnCloseAndDayOrders() throws {
        // 2024-11-29 closes at 13:00 New York. Bars at 10:00, 12:00 and 13:00 (after the close).
        let d = CivilDate(year: 2024, month: 11, day: 29)!
        let times = [10, 12, 13].map { ZoneRules.newYork.instant(d, hour: $0, minute: 0) }
        let s = BarSeries(symbol: "SPY", interval: .hours(1), time: times, open: [1, 2, 3], high: [1, 2, 3],
                          low: [1, 2, 3], close: [1.5, 2.5, 3.5], volume: [1e6, 1e6, 1e6])
        var closes: [Int] = []
        struct Probe: Strategy {
            var closes: [Int] = []
            mutating func onBar(_ c: some TradingContext) throws { if c.step == 0 { c.buy(0, .units(1), .marketOnClose) } }
            mutating func onSessionClose(_ c: some TradingContext) throws { closes.append(c.step) }
        }
        var probe = Probe()
        let r = try Backtest.run(&probe, data: MarketDataset([s]), config: BacktestConfig(session: .nyse))
        closes = probe.closes
        #expect(closes == [1])
        #expect(r.fills.map(\.price) == [2.5])
        // The 13:00 bar is after the early close: an order submitted there is queued (no bar to fill on).
        let fixedHours = try Backtest.run(Probe(), data: MarketDataset([s]), config: BacktestConfig(session: .usEquities))
        #expect(fixedHours.fills.map(\.price) == [3.5])
    }

    @Test func marginInterestAccruesOnBorrowedCash() throws {
        let config = BacktestConfig(initialCash: 10_000, account: .regT, financing: FinancingModel(marginInterestRate: 0.072))
        let r = try run(daily(flat(100, 3)), config: config) { ctx in if ctx.step == 0 { ctx.buy(0, .units(150)) } }
        // Borrowed 5 000 from bar 1; one day at 7.2 %/360 = 1.
        #expect(abs(r.totalFinancing - 1) < 1e-9)
        #expect(abs(r.finalEquity - 9_999) < 1e-9)
    }
}
