import Testing
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindStrategies

/// `--warmup auto` for the intraday family: a run started at a session sees the previous session's close, C (and,
/// started within a session, that session's bars so far), so it trades from that session on exactly as the run over
/// the whole data does. Without a warm-up, its first session has no C, or no reference bar, and does not trade.
@Suite struct IntradayWarmupTests {
    @Test(arguments: [("momentum", "0.5", 30), ("open-10am", "0.5", 30), ("open-10am-stop", "0.5", 30),
                      ("vwap-momentum", "0", 45)])
    func aRunStartedAtASessionWithItsWarmupTradesThatSessionAsTheWholeRunDoes(_ name: String, _ trigger: String, _ minute: Int) throws {
        let data = try DataSource.sample("eqker-1m").load(symbols: ["SPY"])
        let d = try StrategyCatalog.builtIn.named(name)
        let p = try d.parameters(["buy_trigger": trigger])
        #expect(d.warmupBars(p) == IntradayEntryRule.previousSessionWarmupBars)
        let whole = try d.prepare(BacktestConfig(), parameters: p, data: data).config
        let start = ZoneRules.newYork.instant(CivilDate(year: 2019, month: 2, day: 12)!, hour: 9, minute: minute)
        var from = whole
        from.from = start
        let cold = try d.run(p, data, from)
        let warm = try d.run(p, data, Warmup.applying(bars: try WarmupSetting(parsing: "auto").bars(for: d, parameters: p),
                                                       to: from, data: data))
        let reference = try d.run(p, data, whole).trades.filter { $0.entryTime >= start }
        let onTheFirstDay = { (t: Trade) in ZoneRules.newYork.localDate(of: t.entryTime) == CivilDate(year: 2019, month: 2, day: 12)! }
        #expect(reference.contains(where: onTheFirstDay), "\(name) trades on 2019-02-12 in the whole run")
        #expect(!cold.trades.contains(where: onTheFirstDay), "without a warm-up the first session has no previous close")
        #expect(warm.trades.map(\.entryTime) == reference.map(\.entryTime))
        #expect(warm.trades.map(\.entryPrice) == reference.map(\.entryPrice))
        #expect(warm.trades.map(\.exitPrice) == reference.map(\.exitPrice))
        #expect(warm.equity.time.first == start)
    }
}
