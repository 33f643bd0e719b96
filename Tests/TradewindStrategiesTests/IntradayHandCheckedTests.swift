import Testing
import TradewindCore
import TradewindStrategies

/// Trades of the intraday family on real SPY minute bars (eqker-1m, 2019-02-11 … 02-15), worked out by hand from
/// the bars (each expectation says why), and the flattening on a 13:00 early close.
@Suite struct IntradayHandCheckedTests {
    static func spy() throws -> IntradaySessionData { try IntradaySessionData(series: SampleBars.eqkerMinute("SPY")) }

    /// `yyyy-MM-dd HH:mm` New York of a bar's start.
    static func stamp(_ data: IntradaySessionData, _ bar: Int) -> String {
        let t = data.series.time[bar]
        let d = ZoneRules.newYork.localDate(of: t)
        let m = Int(ZoneRules.newYork.localTimeOfDayNanos(of: t) / UnixTime.nanosPerMinute)
        return "\(d) \(IntradayParameters.clock(m))"
    }

    static func trades(_ rule: IntradayEntryRule, _ p: IntradayParameters, _ data: IntradaySessionData) throws -> (KernelGridResult, [KernelTrade]) {
        let r = try IntradayKernel.evaluate(rule: rule, data: data, grid: IntradayGrid(p), initialCash: 10_000, recordTrades: true)
        return (r, r.tradeLists![0])
    }

    @Test func momentumBuysAtTheTriggerLevelAndSellsAtTargetOrSessionClose() throws {
        let data = try Self.spy()
        let (r, t) = try Self.trades(.momentum, IntradayParameters(buyTrigger: 1.0, sellTrigger: 0.2), data)
        // 02-11: first session in the data, no previous close → no trade.
        // 02-12: C = 270.65 (02-11 15:59 close), level 273.3565. The first bar from 10:00 whose high reaches it is
        //        10:55 (high 273.3867, open 273.17 below the level) → buy at the level. Target 273.3565 × 1.002 =
        //        273.9032; the 11:13 bar is the first to reach it (high 273.91, open 273.835) → sell at the target.
        // 02-13: C = 274.11, level 276.8511 > the day's high 275.93 → no trade. 02-14: level 277.7399 > 275.64 → none.
        // 02-15: C = 274.36, level 277.1036, first reached at 10:41 (open 276.985, high 277.12) → buy at the level;
        //        target 277.6578 is above the day's high 277.40 → sold at the close of the 15:59 bar, 277.39.
        #expect(t.count == 2)
        guard t.count == 2 else { return }
        #expect(Self.stamp(data, t[0].entryBar) == "2019-02-12 10:55")
        #expect(relativeDifference(t[0].entryPrice, 273.3565) < 1e-12)
        #expect(Self.stamp(data, t[0].exitBar) == "2019-02-12 11:13" && t[0].reason == .target)
        #expect(relativeDifference(t[0].exitPrice, 273.3565 * 1.002) < 1e-12)
        #expect(Self.stamp(data, t[1].entryBar) == "2019-02-15 10:41")
        #expect(relativeDifference(t[1].entryPrice, 277.1036) < 1e-12)
        #expect(Self.stamp(data, t[1].exitBar) == "2019-02-15 15:59" && t[1].reason == .close && t[1].exitPrice == 277.39)
        let m = r.metrics(at: 0)
        #expect(relativeDifference(m.finalEquity, 10_000 * 1.002 * 277.39 / 277.1036) < 1e-12)
        #expect(m.trades == 2 && m.wins == 2 && m.maxDrawdown == 0)
    }

    /// With buy_trigger 0.5 % every entry happens at the 10:00 open (it is already above the level), so
    /// `momentum`, `open-10am-stop` (open > level at 10:00) agree trade for trade.
    @Test func stopIsTakenFromTheBarAfterEntryAndEntriesAtTheOpenWhenItGapsAboveTheLevel() throws {
        let data = try Self.spy()
        let p = IntradayParameters(buyTrigger: 0.5, sellTrigger: 0.3, stopLoss: 0.2)
        let (_, t) = try Self.trades(.momentum, p, data)
        // 02-12: level 272.00325; the 10:00 bar opens at 273.03, above it → buy at the open. Target 273.84909,
        //        stop 272.48394; the 11:12 bar reaches the target (high 273.88) before any bar touches the stop.
        // 02-13: level 275.48055; 10:00 opens 275.53 → buy at 275.53; stop 274.97894 is touched first, by the
        //        11:30 bar (low 274.68, open above the stop) → sell at the stop.
        // 02-14: level 276.36495 > the day's high 275.64 → no trade.
        // 02-15: level 275.7318; 10:00 opens 276.58 → buy; target 277.40974 > day high 277.40, stop 276.02684 <
        //        day low 276.13 → sold at the 15:59 close 277.39.
        let expected: [(String, Double, String, KernelExitReason, Double)] = [
            ("2019-02-12 10:00", 273.03, "2019-02-12 11:12", .target, 273.03 * 1.003),
            ("2019-02-13 10:00", 275.53, "2019-02-13 11:30", .stop, 275.53 * 0.998),
            ("2019-02-15 10:00", 276.58, "2019-02-15 15:59", .close, 277.39),
        ]
        #expect(t.count == expected.count)
        for (x, e) in zip(t, expected) {
            #expect(Self.stamp(data, x.entryBar) == e.0 && x.entryPrice == e.1)
            #expect(Self.stamp(data, x.exitBar) == e.2 && x.reason == e.3)
            #expect(relativeDifference(x.exitPrice, e.4) < 1e-12)
        }
        let (_, open10) = try Self.trades(.openAbove, p, data)
        #expect(open10 == t)
    }

    @Test func vwapMomentumNeedsTheOpenAboveVWAPAndTheTriggerAboveThe0940Close() throws {
        let data = try Self.spy()
        let (_, t) = try Self.trades(.vwapMomentum, IntradayParameters(buyTrigger: 0.05, sellTrigger: 0.3), data)
        // 10:00 open vs VWAP of 09:30–09:59 (typical price × volume) and vs the 09:40 bar's close:
        // 02-11: open 270.78 < VWAP 271.106 → no.   02-12: 273.03 > 272.737 and 0.0550 % ≥ 0.05 % above 272.88 → buy.
        // 02-13: 275.53 > 275.475 but below the 09:40 close 275.75 → no.
        // 02-14: 273.78 > 273.451 and 0.168 % above 273.32 → buy.   02-15: only 0.0199 % above 276.525 → no.
        #expect(t.map { Self.stamp(data, $0.entryBar) } == ["2019-02-12 10:00", "2019-02-14 10:00"])
        #expect(t.map(\.entryPrice) == [273.03, 273.78])
        // 02-12 exits like the momentum trade above: target 273.84909 first reached at 11:12.
        #expect(t.first.map { Self.stamp(data, $0.exitBar) } == "2019-02-12 11:12")
    }

    @Test func positionsAreFlattenedAtTheLastBarBeforeAnEarlyClose() throws {
        // 2019-11-29 (day after Thanksgiving) closes at 13:00: its last regular bar is 12:59.
        let series = try SyntheticMinuteBars.generate(symbol: "SYN", seed: 3, from: CivilDate(year: 2019, month: 11, day: 25)!,
                                                      to: CivilDate(year: 2019, month: 12, day: 3)!)
        let data = try IntradaySessionData(series: series)
        // A trigger far below any price buys on the 10:00 bar every session; a 50 % target is never reached.
        let (_, t) = try Self.trades(.momentum, IntradayParameters(buyTrigger: -50, sellTrigger: 50), data)
        let exits = t.map { Self.stamp(data, $0.exitBar) }
        #expect(exits == ["2019-11-26 15:59", "2019-11-27 15:59", "2019-11-29 12:59", "2019-12-02 15:59", "2019-12-03 15:59"])
        #expect(t.allSatisfy { $0.reason == .close && $0.exitPrice == series.close[$0.exitBar] })
        #expect(t.map { Self.stamp(data, $0.entryBar) }.allSatisfy { $0.hasSuffix("10:00") })
    }

    @Test func invalidParametersAreRejectedWithTheValidRange() {
        #expect(throws: KernelError.invalidParameter(name: "sell_trigger", value: "0.0", expected: "a finite percent > 0")) {
            try IntradayGrid(buyTriggers: [1], sellTriggers: [0])
        }
        #expect(throws: KernelError.self) { try IntradayGrid(buyTriggers: [1], sellTriggers: [1], stopLosses: [100]) }
        #expect(throws: KernelError.self) { try IntradayGrid(buyTriggers: [1], sellTriggers: [1], buyTimes: [960]) }
        #expect(throws: KernelError.self) {
            try IntradaySessionData(series: SampleBars.eqkerDaily("SPY"))
        }
    }
}

@Suite struct SampleLoadingTests {
    /// The loader's eqker-1m bars (start-stamped) equal an independent minimal reading of the files.
    @Test func loaderBarsEqualAnIndependentReadingOfTheEqkerFiles() throws {
        for symbol in ["SPY", "PPLT"] {
            let loaded = try SampleBars.eqkerMinute(symbol)
            let raw = try SampleBars.read(folder: "eqker-1m", file: "\(symbol)_1min.csv", symbol: symbol, interval: .minute,
                                          endLabelSeconds: 60)
            #expect(loaded.time == raw.time && loaded.open == raw.open && loaded.high == raw.high && loaded.low == raw.low
                    && loaded.close == raw.close && loaded.volume == raw.volume)
        }
        let daily = try SampleBars.eqkerDaily("SPY")
        #expect(ZoneRules.newYork.localDate(of: daily.time[0]) == CivilDate(year: 2018, month: 1, day: 2)!)
    }
}
