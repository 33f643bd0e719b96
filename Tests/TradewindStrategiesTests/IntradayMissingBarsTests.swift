import Testing
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindStrategies

/// The intraday family runs on the session clock, so missing minute bars never shift its rules: the entry works from
/// the first bar starting at or after buy_time, vwap-momentum's reference is the latest close at reference_time, and
/// the engine (the strategies on scheduled events) equals the kernel and its bar-by-bar reference on data with
/// missing minutes anywhere: the first and last bars of a session and the bars at and around buy_time.
@Suite struct IntradayMissingBarsTests {
    typealias Member = IntradayRuns.Member
    static let zone = IntradayRuns.zone
    static let cash = IntradayRuns.cash
    static func minuteOfDay(_ t: UnixNanos) -> Int { IntradayRuns.minuteOfDay(t) }

    /// `series` without some of its minutes, drawn per session: with fixed chances the session's first and last bars,
    /// each bar within 2 minutes of a `focus` time (buy and reference times), a run of up to 40 minutes near the first
    /// focus time, every bar before or from the first focus time, the whole session, and a share of random minutes.
    static func withMissingMinutes(_ series: BarSeries, focus: [Int], rng: inout TestRandom) -> BarSeries {
        var byDay: [Int: [Int]] = [:]
        var order: [Int] = []
        for i in 0..<series.count {
            let d = zone.localDate(of: series.time[i]).daysSinceEpoch
            if byDay[d] == nil { order.append(d) }
            byDay[d, default: []].append(i)
        }
        var keep: [Int] = []
        for d in order {
            let bars = byDay[d]!
            let minutes = bars.map { minuteOfDay(series.time[$0]) }
            var drop = Set<Int>()
            if rng.uniform() < 0.3 { drop.insert(minutes.first!) }
            if rng.uniform() < 0.3 { drop.insert(minutes.last!) }
            for f in focus {
                for m in f - 2...f + 2 where rng.uniform() < 0.35 { drop.insert(m) }
            }
            let first = focus[0]
            if rng.uniform() < 0.12 {
                let start = first - 20 + Int(rng.next() % 26)
                for m in start..<start + 1 + Int(rng.next() % 40) { drop.insert(m) }
            }
            let before = rng.uniform() < 0.07, after = rng.uniform() < 0.07, all = rng.uniform() < 0.04
            let share = [0, 0.05, 0.3][Int(rng.next() % 3)]
            for (i, m) in zip(bars, minutes) {
                let gone = drop.contains(m) || all || (before && m < first) || (after && m >= first) || rng.uniform() < share
                if !gone { keep.append(i) }
            }
        }
        return BarSeries(symbol: series.symbol, interval: series.interval, time: keep.map { series.time[$0] },
                         open: keep.map { series.open[$0] }, high: keep.map { series.high[$0] }, low: keep.map { series.low[$0] },
                         close: keep.map { series.close[$0] }, volume: keep.map { series.volume[$0] })
    }

    // MARK: Property: engine = kernel = reference on random missing minutes

    @Test(arguments: Member.allCases)
    func engineEqualsKernelOnRandomMissingMinutesAtTheSessionEdgesAndAroundBuyTime(_ member: Member) throws {
        // 2019-11-18 … 12-31: 30 sessions with the 13:00 early closes of 11-29 and 12-24.
        let complete = try SyntheticMinuteBars.generate(symbol: "SYN", seed: 31, from: CivilDate(year: 2019, month: 11, day: 18)!,
                                                        to: CivilDate(year: 2019, month: 12, day: 31)!, minuteVolatility: 0.0015)
        var rng = TestRandom(seed: 4242 + UInt64(Member.allCases.firstIndex(of: member)!))
        func r(_ lo: Double, _ hi: Double) -> Double { ((lo + (hi - lo) * rng.uniform()) * 1000).rounded() / 1000 }
        var trades = 0, withoutBuyTimeBar = 0
        for round in 0..<24 {
            let times = member == .vwap ? [575, 581, 600, 600, 601, 630, 720, 959] : [570, 570, 571, 600, 600, 601, 630, 720, 959]
            let buyTime = times[Int(rng.next() % UInt64(times.count))]
            let refs = [570, 571, 580, 580, 599, 650].filter { $0 < buyTime }
            let reference = refs.isEmpty ? 580 : refs[Int(rng.next() % UInt64(refs.count))]   // only vwap-momentum reads it
            let stop: Double = member == .open10am ? 0 : member == .open10amStop ? r(0.05, 1.5) : (rng.uniform() < 0.4 ? 0 : r(0.05, 1.5))
            let trigger = member == .vwap ? r(-0.3, 0.3) : r(-0.8, 0.8)
            let p = IntradayParameters(buyTrigger: trigger, sellTrigger: r(0.05, 1.5), stopLoss: stop, buyTime: buyTime,
                                       compound: rng.uniform() < 0.5)
            let costs = round % 3 == 0 ? KernelCosts.none : KernelCosts(commission: 0.0005 * rng.uniform(), slippageBps: 3 * rng.uniform())
            let series = Self.withMissingMinutes(complete, focus: member == .vwap ? [buyTime, reference] : [buyTime], rng: &rng)
            let t = try IntradayRuns.compare(member, p, reference: reference, series, costs: costs, label: "round \(round)")
            trades += t.count
            // Trades in sessions missing their buy_time bar do occur.
            let days = Set(series.time.filter { Self.minuteOfDay($0) == buyTime }.map { Self.zone.localDate(of: $0) })
            withoutBuyTimeBar += t.filter { !days.contains(Self.zone.localDate(of: series.time[$0.entryBar])) }.count
        }
        #expect(trades > 60)
        #expect(withoutBuyTimeBar > 10)
    }

    @Test func kernelEqualsTheBarByBarReferenceOnGridsOnDataMissingTheirBuyTimeBars() throws {
        let complete = try SyntheticMinuteBars.generate(symbol: "SYN", seed: 32, from: CivilDate(year: 2019, month: 11, day: 25)!,
                                                        to: CivilDate(year: 2019, month: 12, day: 31)!, minuteVolatility: 0.002)
        var rng = TestRandom(seed: 77)
        for round in 0..<6 {
            let buyTimes = [570, 575, 600, 601, 630 + Int(rng.next() % 300)]   // 09:35: before vwap's 09:40 reference
            let series = Self.withMissingMinutes(complete, focus: buyTimes + [580], rng: &rng)
            let data = try IntradaySessionData(series: series)
            let grid = try IntradayGrid(buyTriggers: [-0.5, -0.1, 0, 0.2, 0.6], sellTriggers: [0.1, 0.4, 1.2],
                                        stopLosses: [0, 0.2, 0.8], buyTimes: buyTimes, compound: [true, false])
            let costs = round % 2 == 0 ? KernelCosts.none : KernelCosts(commission: 0.0004, slippageBps: 1.5)
            for rule in IntradayEntryRule.allCases {
                let fast = try IntradayKernel.evaluate(rule: rule, data: data, grid: grid, initialCash: Self.cash, costs: costs,
                                                       recordTrades: true)
                let slow = try IntradayBruteForce.evaluate(rule: rule, data: data, grid: grid, initialCash: Self.cash, costs: costs,
                                                           recordTrades: true)
                expectSameResults(fast, slow, context: "\(rule.rawValue) round \(round)")
                #expect(fast.trades.reduce(0, +) > 0)
            }
        }
    }

    // MARK: Hand-built sessions

    static let before = (0..<30).map { 930 + $0 }   // 09:30 … 09:59

    @Test func aMissing0959BarDoesNotDelayTheMomentumEntry() throws {
        // C = 100, level 101. With the 09:59 bar missing the stop-buy still works from the 10:00 bar, which reaches
        // the level (high 101.5, open 100) → buy at 101 there. (The old rule placed the order on the close of "the bar
        // before buy_time", here the 10:00 bar, and bought on 10:01 at its open 101.2.)
        let s = IntradayRuns.series([
            IntradayRuns.session(0, price: 100),
            IntradayRuns.session(1, price: 100, bars: [1000: (100, 101.5, 99.9, 101.2), 1001: (101.2, 101.2, 101.2, 101.2)],
                         missing: [959]),
        ])
        let t = try IntradayRuns.compare(.momentum, IntradayParameters(buyTrigger: 1, sellTrigger: 5), s, label: "09:59 missing")
        #expect(t.map { IntradayRuns.stamp(s, $0.entryBar) } == ["2024-03-05 10:00"])
        #expect(t.first?.entryPrice == 101)
    }

    @Test func barsBeforeBuyTimeNeverTriggerAndAMissingBuyTimeBarMovesTheEntryToTheNextBar() throws {
        // The 09:59 bar reaches the level 101 but starts before buy_time; the 10:00 bar is missing; the 10:01 bar
        // (open 100.5, high 101.3) is the first the order works on → buy at 101, 10:01.
        let s = IntradayRuns.series([
            IntradayRuns.session(0, price: 100),
            IntradayRuns.session(1, price: 100.5, bars: [959: (100.5, 101.6, 100.4, 100.5), 1001: (100.5, 101.3, 100.4, 101)],
                         missing: [1000]),
        ])
        let t = try IntradayRuns.compare(.momentum, IntradayParameters(buyTrigger: 1, sellTrigger: 5), s, label: "10:00 missing")
        #expect(t.map { IntradayRuns.stamp(s, $0.entryBar) } == ["2024-03-05 10:01"])
        #expect(t.first?.entryPrice == 101)
    }

    @Test func momentumAtTheOpenWorksFromTheSessionsFirstBarWhateverItsStart() throws {
        // buy_time 09:30 and the 09:30 and 09:31 bars missing: the stop-buy (level 101 from C = 100) works from the
        // 09:32 bar, which opens at 102 → buy at that open.
        let s = IntradayRuns.series([
            IntradayRuns.session(0, price: 100),
            IntradayRuns.session(1, price: 102, missing: [930, 931]),
        ])
        let t = try IntradayRuns.compare(.momentum, IntradayParameters(buyTrigger: 1, sellTrigger: 5, buyTime: 570), s, label: "09:30")
        #expect(t.map { IntradayRuns.stamp(s, $0.entryBar) } == ["2024-03-05 09:32"])
        #expect(t.first?.entryPrice == 102)
    }

    @Test(arguments: [Member.open10am, .open10amStop])
    func openEntryDecidesOnTheFirstBarStartingAtOrAfterBuyTime(_ member: Member) throws {
        // C = 100 each session (flat 100 bars), level 101.
        let s = IntradayRuns.series([
            IntradayRuns.session(0, price: 100),
            // 10:00 missing: the 10:01 bar decides; it opens at 101.5 → buy there.
            IntradayRuns.session(1, price: 100, bars: [1001: (101.5, 101.6, 101.4, 101.5)], missing: [1000]),
            // No bar before 10:05: the 10:05 bar decides on its open 102 (C from the previous session) → buy.
            IntradayRuns.session(2, price: 100, bars: [1005: (102, 102, 101.9, 102)]).filter { Self.minuteOfDay($0.0) >= 605 },
            // 10:00 missing and the 10:01 bar opens below the level: no trade, although 10:02 opens above it.
            IntradayRuns.session(3, price: 100, bars: [1001: (100.5, 100.6, 100.4, 100.5), 1002: (102, 102, 101.9, 102)],
                         missing: [1000]),
        ])
        let p = IntradayParameters(buyTrigger: 1, sellTrigger: 5, stopLoss: member == .open10amStop ? 10 : 0)
        let t = try IntradayRuns.compare(member, p, s, label: "open entry")
        #expect(t.map { IntradayRuns.stamp(s, $0.entryBar) } == ["2024-03-05 10:01", "2024-03-06 10:05"])
        #expect(t.map(\.entryPrice) == [101.5, 102])
    }

    /// With several symbols each one's entry works from its own first bar from buy_time: one missing its 10:00 bar
    /// decides on its 10:01 bar while the other decides on its 10:00 bar.
    @Test(arguments: [Member.momentum, .open10am])
    func eachSymbolsEntryWorksFromItsOwnFirstBarFromBuyTime(_ member: Member) throws {
        func symbol(_ name: String, missing: Set<Int>) -> BarSeries {
            var s = IntradayRuns.series([
                IntradayRuns.session(0, price: 100),
                IntradayRuns.session(1, price: 101.5, bars: [1000: (101.5, 101.6, 101.4, 101.5), 1001: (101.5, 101.6, 101.4, 101.5)]
                    .merging((930...959).map { ($0, (100.0, 100.0, 100.0, 100.0)) }) { a, _ in a }, missing: missing),
            ])
            s.symbol = name
            return s
        }
        let a = symbol("A", missing: []), b = symbol("B", missing: [1000])
        let p = IntradayParameters(buyTrigger: 1, sellTrigger: 5, compound: false)
        let config = KernelEngineParityTests.engineConfig(.none, cash: Self.cash)
        let data = MarketDataset([a, b])
        let r = member == .momentum ? try Backtest.run(Momentum(p), data: data, config: config)
            : try Backtest.run(OpenTenAM(p), data: data, config: config)
        let entries = r.closedTrades.sorted { $0.symbol < $1.symbol }
            .map { "\($0.symbol) \(IntradayRuns.stamp(a, a.time.firstIndex(of: $0.entryTime)!))" }
        #expect(entries == ["A 2024-03-05 10:00", "B 2024-03-05 10:01"])
        // Both at the open 101.5 (above the level 101), with half the initial cash each, as the single-symbol kernel.
        #expect(r.closedTrades.allSatisfy { $0.entryPrice == 101.5 && abs($0.quantity - Self.cash / 2 / 101.5) <= 1e-9 })
        for series in [a, b] {
            let k = try IntradayRuns.compare(member, p, series, label: series.symbol)
            #expect(k.count == 1)
        }
    }

    @Test func vwapReferenceIsTheLatestCloseAtOrBeforeReferenceTime() throws {
        // Flat 100 before 10:00, except the 09:41 bar closing at 100.8. With 09:40 missing the reference is the 09:39
        // close 100 (not the 09:41 close: with it, 100.8 × 1.005 > the 10:00 open 100.7 and nothing would trade);
        // the 10:00 open 100.7 is above the VWAP (≈ 100.009) and 0.7 % ≥ 0.5 % above 100 → buy.
        // The next session has no bar by 09:40 (its first is 09:41): no reference, no trade.
        let day = [941: (100.0, 100.0, 100.0, 100.8), 1000: (100.7, 100.7, 100.7, 100.7)]
        let s = IntradayRuns.series([
            IntradayRuns.session(0, price: 100, bars: day, missing: [940]),
            IntradayRuns.session(1, price: 100, bars: day).filter { Self.minuteOfDay($0.0) >= 581 },
        ])
        let t = try IntradayRuns.compare(.vwap, IntradayParameters(buyTrigger: 0.5, sellTrigger: 5), reference: 580, s, label: "vwap")
        #expect(t.map { IntradayRuns.stamp(s, $0.entryBar) } == ["2024-03-04 10:00"])
        #expect(t.first?.entryPrice == 100.7)
    }
}
