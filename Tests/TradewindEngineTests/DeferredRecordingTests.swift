import Testing
import TradewindCore
import TradewindData
@testable import TradewindEngine

/// The simulator writes the equity curve, positions and open positions' price extremes in spans, just before
/// cash or a position changes (`willChangeHoldings`). These tests prove the spans change nothing: the same runs
/// with every step's rows and extremes written as soon as the step's bar is matched give identical results.
@Suite struct DeferredRecordingTests {
    struct SimulationOnly: Error {}

    /// Random orders of every kind, sizes and sides, on random bars.
    private struct RandomTrader: Strategy {
        var rng: SplitMix64
        /// Writes rows and extremes through the previous step at every bar: spans of one step, the reference.
        let stepByStep: Bool

        mutating func onBar(_ ctx: some TradingContext) throws {
            if stepByStep {
                guard let simulation = ctx as? SimulationContext else { throw SimulationOnly() }
                simulation.catchUp(throughStep: ctx.step - 1)
            }
            for s in 0..<ctx.symbolCount where ctx.hasBar(s) && Int.random(in: 0..<4, using: &rng) == 0 {
                let c = ctx.close(s)
                let side: OrderSide = Bool.random(using: &rng) ? .buy : .sell
                let size: OrderSize = [.units(Double(Int.random(in: 1...40, using: &rng))), .equityFraction(0.3),
                                       .notional(5_000), .closePosition][Int.random(in: 0..<4, using: &rng)]
                let away = side == .buy ? -1.0 : 1.0
                switch Int.random(in: 0..<8, using: &rng) {
                case 0, 1: ctx.submit(OrderRequest(symbol: s, side: side, type: .market, size: size))
                case 2: ctx.submit(OrderRequest(symbol: s, side: side, type: .limit(c * (1 + away * 0.01)), size: size))
                case 3: ctx.submit(OrderRequest(symbol: s, side: side, type: .stop(c * (1 - away * 0.01)), size: size))
                case 4: ctx.submit(OrderRequest(symbol: s, side: side, type: .trailingStop(.percent(0.02)), size: size))
                case 5: ctx.submit(OrderRequest(symbol: s, side: side, type: .marketOnClose, size: size, timeInForce: .day))
                case 6:
                    ctx.bracket(OrderRequest(symbol: s, side: side, type: .market, size: .units(10)),
                                takeProfit: c * (1 - away * 0.02), stopLoss: c * (1 + away * 0.015))
                default: ctx.closePosition(s)
                }
            }
        }
    }

    private func bars(_ rng: inout SplitMix64, symbol: String, count: Int, skipEvery: Int) -> BarSeries {
        var rows: [(Double, Double, Double, Double)] = []
        var p = 50.0
        for _ in 0..<count {
            let o = p * (1 + Double.random(in: -0.02...0.02, using: &rng))
            let c = o * (1 + Double.random(in: -0.03...0.03, using: &rng))
            rows.append((o, max(o, c) * (1 + Double.random(in: 0...0.02, using: &rng)), min(o, c) * (1 - Double.random(in: 0...0.02, using: &rng)), c))
            p = c
        }
        var s = daily(rows, symbol: symbol)
        if skipEvery > 0 {  // gaps: this symbol has no bar on some steps
            let keep = (0..<count).filter { $0 % skipEvery != 3 }
            s = BarSeries(symbol: symbol, interval: .daily, time: keep.map { s.time[$0] }, open: keep.map { s.open[$0] },
                          high: keep.map { s.high[$0] }, low: keep.map { s.low[$0] }, close: keep.map { s.close[$0] },
                          volume: keep.map { s.volume[$0] })
        }
        var dividend = [Double](repeating: 0, count: s.count), split = [Double](repeating: 1, count: s.count)
        dividend[s.count / 3] = 0.5
        split[s.count / 2] = 2
        s.dividend = dividend
        s.splitCoefficient = split
        return s
    }

    private func configs() -> [BacktestConfig] {
        [
            BacktestConfig(commission: .percentOfValue(0.001)),
            BacktestConfig(commission: CommissionModel(perShare: 0.01, minimum: 1), slippage: .basisPoints(5),
                           fillTiming: .signalClose, intrabar: .path),
            BacktestConfig(account: .margin(initialMargin: 0.5, maintenanceMargin: 0.3),
                           financing: FinancingModel(shortBorrowRate: 0.03, marginInterestRate: 0.06),
                           wholeShares: true, volumeParticipation: 0.000_01),
        ]
    }

    @Test(arguments: 0..<6)
    func spansOfStepsRecordWhatStepByStepRecords(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &* 7_919 &+ 1)
        let data = MarketDataset([bars(&rng, symbol: "A", count: 160, skipEvery: 0),
                                  bars(&rng, symbol: "B", count: 160, skipEvery: seed % 2 == 0 ? 9 : 0)])
        for config in configs() {
            let strategySeed = rng.next()
            let deferred = try Backtest.run(RandomTrader(rng: SplitMix64(seed: strategySeed), stepByStep: false), data: data, config: config)
            let reference = try Backtest.run(RandomTrader(rng: SplitMix64(seed: strategySeed), stepByStep: true), data: data, config: config)
            #expect(reference.fills.count > 10)
            #expect(deferred.equity == reference.equity)
            #expect(deferred.positions == reference.positions)
            #expect(deferred.trades == reference.trades)
            #expect(deferred.orderLog == reference.orderLog)
            for i in deferred.equity.equity.indices {
                #expect(deferred.equity.equity[i] == deferred.equity.cash[i] + deferred.equity.positionsValue[i])
            }
        }
    }

    @Test func oneSymbolRunsRecordWhatStepByStepRecords() throws {
        var rng = SplitMix64(seed: 42)
        let data = MarketDataset([bars(&rng, symbol: "A", count: 300, skipEvery: 0)])
        for config in configs() {
            let deferred = try Backtest.run(RandomTrader(rng: SplitMix64(seed: 9), stepByStep: false), data: data, config: config)
            let reference = try Backtest.run(RandomTrader(rng: SplitMix64(seed: 9), stepByStep: true), data: data, config: config)
            #expect(deferred.equity == reference.equity)
            #expect(deferred.positions == reference.positions)
            #expect(deferred.trades == reference.trades)
        }
    }

    @Test func curvesEqualCashAndPositionsReplayedFromTheFills() throws {
        var rng = SplitMix64(seed: 5)
        var a = bars(&rng, symbol: "A", count: 200, skipEvery: 0), b = bars(&rng, symbol: "B", count: 200, skipEvery: 7)
        // No corporate actions or financing: cash and positions change by fills only.
        (a.dividend, a.splitCoefficient, b.dividend, b.splitCoefficient) = (nil, nil, nil, nil)
        let data = MarketDataset([a, b])
        let config = BacktestConfig(commission: .percentOfValue(0.001), fillTiming: .signalClose)
        let r = try Backtest.run(RandomTrader(rng: SplitMix64(seed: 77), stepByStep: false), data: data, config: config)
        #expect(r.fills.count > 20)
        var cash = config.initialCash, held = [0.0, 0.0], k = 0
        var latest = [-1, -1]
        let series = data.series
        for i in r.equity.time.indices {
            for s in 0..<2 {
                if let row = series[s].time.firstIndex(of: r.equity.time[i]) { latest[s] = row }
            }
            while k < r.fills.count && r.fills[k].step == i {
                let f = r.fills[k]
                let signed = f.side == .buy ? f.quantity : -f.quantity
                cash -= signed * f.price + f.commission
                held[f.symbol] += signed
                k += 1
            }
            var value = 0.0
            for s in 0..<2 where held[s] != 0 && latest[s] >= 0 { value += held[s] * series[s].close[latest[s]] }
            #expect(abs(r.equity.cash[i] - cash) <= 1e-9 * abs(cash))
            #expect(abs(r.equity.equity[i] - (cash + value)) <= 1e-9 * abs(cash + value))
            #expect(abs(r.positions[0][i] - held[0]) <= 1e-9 && abs(r.positions[1][i] - held[1]) <= 1e-9)
        }
    }

    /// Cash, positions value and exposures are computed from the cash changes, positions and closes when first read
    /// (`DerivedEquityColumns`): they are the rows' arithmetic, bit for bit — cash + positions value is the equity
    /// the simulator wrote, and the exposures are Σ|quantity × latest close| and Σ quantity × latest close over equity.
    @Test(arguments: 0..<3)
    func derivedCurvesAreTheRowsArithmeticBitForBit(seed: Int) throws {
        var rng = SplitMix64(seed: UInt64(seed) &+ 101)
        let data = MarketDataset([bars(&rng, symbol: "A", count: 180, skipEvery: 0),
                                  bars(&rng, symbol: "B", count: 180, skipEvery: 5)])
        let aligned = data.aligned(.union)
        for config in configs() {
            let r = try Backtest.run(RandomTrader(rng: SplitMix64(seed: rng.next()), stepByStep: false), data: data, config: config)
            let e = r.equity
            #expect(r.fills.count > 10)
            #expect(e.cash.count == e.equity.count && e.grossExposure.count == e.equity.count)
            for i in e.equity.indices {
                var value = 0.0, gross = 0.0
                for s in 0..<2 where r.positions[s][i] != 0 {
                    let row = aligned.lastRow(symbol: s, at: i)
                    if row < 0 { continue }
                    let v = r.positions[s][i] * data.series[s].close[Int(row)]
                    value += v
                    gross += abs(v)
                }
                let equity = e.cash[i] + value
                #expect(e.positionsValue[i].bitPattern == value.bitPattern)
                #expect(e.equity[i].bitPattern == equity.bitPattern)
                #expect(e.grossExposure[i].bitPattern == (equity != 0 ? gross / equity : 0).bitPattern)
                #expect(e.netExposure[i].bitPattern == (equity != 0 ? value / equity : 0).bitPattern)
            }
            // A copy of the result reads the same columns (computed once, shared).
            let copy = r.equity
            #expect(copy == e && copy.cash == e.cash)
        }
    }

    @Test func aPositionOpenedAtTheCloseDoesNotSeeItsEntryBarsRange() throws {
        let b: [(Double, Double, Double, Double)] = [(100, 100, 100, 100), (100, 104, 97, 101), (101, 108, 99, 107), (107, 107, 107, 107)]
        let r = try run(daily(b), config: BacktestConfig(fillTiming: .signalClose)) { ctx in
            if ctx.step == 1 { ctx.buy(0, .units(1)) }
            if ctx.step == 2 { ctx.closePosition(0) }
        }
        let t = try #require(r.trades.first)
        #expect(t.entryPrice == 101 && t.exitPrice == 107)
        #expect(t.mae == 2 && t.mfe == 7)  // bar 2's range counts, bar 1's (before the entry at its close) does not
    }
}

/// A strategy is told only what it declares in `notifications`; the rest of the run is the same.
@Suite struct NotificationTests {
    private struct Listener: Strategy {
        static var notifications: StrategyNotifications { [.fills] }
        var fills = 0, updates = 0
        mutating func onBar(_ ctx: some TradingContext) throws {
            if ctx.step == 1 { ctx.buy(0, .units(3)) }
            if ctx.step == 3 { ctx.closePosition(0) }
        }
        mutating func onFill(_ ctx: some TradingContext, fill: Fill) throws { fills += 1 }
        mutating func onOrderUpdate(_ ctx: some TradingContext, order: Order) throws { updates += 1 }
    }

    @Test func onlyDeclaredNotificationsAreDelivered() throws {
        var listener = Listener()
        let data = MarketDataset([daily(flat(10, 6))])
        let r = try Backtest.run(&listener, data: data)
        #expect(listener.fills == 2 && listener.updates == 0)
        #expect(r.fills.count == 2 && r.orderLog.count == 6)
    }

    @Test func repeatedRunsOnOnePreparedMarketGiveTheSameResults() throws {
        // The market remembers record sizes between runs (to reserve lists once); results must not depend on it.
        var rng = SplitMix64(seed: 3)
        var rows: [(Double, Double, Double, Double)] = []
        for _ in 0..<300 {
            let p = 50 + Double.random(in: -5...5, using: &rng)
            rows.append((p, p + 1, p - 1, p + 0.5))
        }
        let data = MarketDataset([daily(rows)])
        let config = BacktestConfig(commission: .percentOfValue(0.001))
        let market = try PreparedMarket(data, config: config)
        let rule: (any TradingContext) throws -> Void = { ctx in
            if ctx.step % 5 == 0 { ctx.buy(0, .units(2)) }
            if ctx.step % 7 == 3 { ctx.closePosition(0) }
        }
        var first = Scripted(rule), second = Scripted(rule)
        let a = try Backtest.run(&first, market: market, config: config)
        let b = try Backtest.run(&second, market: market, config: config)
        let c = try Backtest.run(Scripted(rule), data: data, config: config)
        #expect(a.trades.count > 10)
        #expect(a.equity == b.equity && a.trades == b.trades && a.orderLog == b.orderLog && a.fills == b.fills)
        #expect(a.equity == c.equity && a.trades == c.trades && a.orderLog == c.orderLog)
    }
}
