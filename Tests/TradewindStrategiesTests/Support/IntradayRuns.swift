import Testing
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindStrategies

/// One parameter set of the intraday family through the engine (the strategies), `IntradayKernel` and
/// `IntradayBruteForce`, and hand-built minute sessions to run it on.
enum IntradayRuns {
    enum Member: CaseIterable, Sendable { case momentum, open10am, open10amStop, vwap }

    static let zone = ZoneRules.newYork
    static let cash = 10_000.0

    static func minuteOfDay(_ t: UnixNanos) -> Int { Int(zone.localTimeOfDayNanos(of: t) / UnixTime.nanosPerMinute) }

    static func rule(_ m: Member) -> IntradayEntryRule {
        switch m {
        case .momentum: return .momentum
        case .open10am, .open10amStop: return .openAbove
        case .vwap: return .vwapMomentum
        }
    }

    static func engine(_ m: Member, _ p: IntradayParameters, reference: Int, _ series: BarSeries,
                       costs: KernelCosts = .none) throws -> BacktestResult {
        let data = MarketDataset([series]), config = KernelEngineParityTests.engineConfig(costs, cash: cash)
        switch m {
        case .momentum: return try Backtest.run(Momentum(p), data: data, config: config)
        case .open10am: return try Backtest.run(OpenTenAM(p), data: data, config: config)
        case .open10amStop: return try Backtest.run(OpenTenAMStop(p), data: data, config: config)
        case .vwap: return try Backtest.run(VWAPMomentum(p, referenceTime: reference), data: data, config: config)
        }
    }

    /// Runs one parameter set through the engine, the kernel and the bar-by-bar reference, expects all three to agree,
    /// and returns the kernel's trades.
    @discardableResult
    static func compare(_ m: Member, _ p: IntradayParameters, reference: Int = 580, _ series: BarSeries,
                        costs: KernelCosts = .none, label: String,
                        sourceLocation: SourceLocation = #_sourceLocation) throws -> [KernelTrade] {
        let data = try IntradaySessionData(series: series)
        let grid = try IntradayGrid(p)
        let k = try IntradayKernel.evaluate(rule: rule(m), data: data, grid: grid, initialCash: cash, costs: costs,
                                            referenceTime: reference, recordTrades: true)
        let b = try IntradayBruteForce.evaluate(rule: rule(m), data: data, grid: grid, initialCash: cash, costs: costs,
                                                referenceTime: reference, recordTrades: true)
        let e = try engine(m, p, reference: reference, series, costs: costs)
        let ctx = "\(label) \(m) \(p) reference \(IntradayParameters.clock(reference)) costs \(costs)"
        #expect(e.trades.allSatisfy { !$0.isOpen }, "\(ctx): open trade left", sourceLocation: sourceLocation)
        expectKernelEqualsEngine(trades: k.tradeLists![0], metrics: k.metrics(at: 0), engine: e,
                                 engineMetrics: KernelEngineParityTests.engineMetrics(e, cash: cash), interval: series.interval,
                                 sameBars: { series.time[$0.entryBar] == $1.entryTime && series.time[$0.exitBar] == $1.exitTime },
                                 context: ctx, sourceLocation: sourceLocation)
        expectSameResults(k, b, context: ctx + " (bar-by-bar reference)", sourceLocation: sourceLocation)
        return k.tradeLists![0]
    }

    static let monday = CivilDate(year: 2024, month: 3, day: 4)!

    /// A regular session `days` after Monday 2024-03-04 (weekdays only): every minute 09:30–15:59 at `price`
    /// (open = high = low = close), except the bars in `bars` (hhmm → o, h, l, c) and without the minutes in `missing`.
    static func session(_ days: Int, price: Double, bars: [Int: (Double, Double, Double, Double)] = [:],
                        missing: Set<Int> = []) -> [(UnixNanos, (Double, Double, Double, Double))] {
        let date = monday.adding(days: days)
        return (570..<960).compactMap { m in
            let hhmm = m / 60 * 100 + m % 60
            if missing.contains(hhmm) { return nil }
            return (zone.instant(date, hour: m / 60, minute: m % 60), bars[hhmm] ?? (price, price, price, price))
        }
    }

    static func series(_ sessions: [[(UnixNanos, (Double, Double, Double, Double))]]) -> BarSeries {
        let bars = sessions.flatMap { $0 }
        return BarSeries(symbol: "HAND", interval: .minute, time: bars.map(\.0), open: bars.map(\.1.0), high: bars.map(\.1.1),
                         low: bars.map(\.1.2), close: bars.map(\.1.3), volume: [Double](repeating: 1_000, count: bars.count))
    }

    static func stamp(_ s: BarSeries, _ bar: Int) -> String {
        let m = minuteOfDay(s.time[bar])
        return "\(zone.localDate(of: s.time[bar])) \(IntradayParameters.clock(m))"
    }

}
