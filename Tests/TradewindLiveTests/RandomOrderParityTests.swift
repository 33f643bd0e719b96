import Testing
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindLive

/// A property test of the order path: a strategy that places random orders of every type and size (brackets, OCO,
/// cancels, replaces, market-on-close, trailing stops, stop-limits, IOC/DAY/GTC), on several symbols with gaps, under
/// costs, slippage, a margin account, whole shares, volume caps and session flattening — replayed through the live
/// runtime with the paper broker, it records exactly what the backtest records.
@Suite struct RandomOrderParityTests {
    /// Deterministic orders from a seed (the same draws in the backtest and the replay).
    struct RandomOrders: Strategy {
        var rng: UInt64
        var placed: [OrderID] = []

        init(seed: UInt64) { rng = seed | 1 }

        mutating func next(_ n: Int) -> Int {
            rng ^= rng << 13
            rng ^= rng >> 7
            rng ^= rng << 17
            return Int(rng % UInt64(n))
        }

        mutating func onBar(_ context: some TradingContext) throws {
            for _ in 0..<next(3) { act(context) }
        }

        mutating func onFill(_ context: some TradingContext, fill: Fill) throws {
            if next(4) == 0 { act(context) }
        }

        mutating func act(_ context: some TradingContext) {
            let s = next(context.symbolCount)
            let c = context.close(s)
            guard c.isFinite else { return }
            let side: OrderSide = next(2) == 0 ? .buy : .sell
            let away = Double(next(40)) / 1000 * c
            let types: [OrderType] = [.market, .limit(side == .buy ? c - away : c + away), .stop(side == .buy ? c + away : c - away),
                                      .stopLimit(stop: side == .buy ? c + away : c - away, limit: c),
                                      .trailingStop(next(2) == 0 ? .percent(0.01 + Double(next(5)) / 100) : .amount(away + 0.5)),
                                      .marketOnClose, .marketOnOpen, .limitOnClose(side == .buy ? c + away : c - away),
                                      .limitOnOpen(side == .buy ? c - away : c + away)]
            let sizes: [OrderSize] = [.units(Double(1 + next(50))), .notional(Double(1_000 + next(20_000))),
                                      .equityFraction(Double(1 + next(30)) / 100), .closePosition, .allAvailable,
                                      .notionalOrAvailable(Double(5_000 + next(50_000)))]
            let tif = TimeInForce.allCases[next(TimeInForce.allCases.count)]
            let request = OrderRequest(symbol: s, side: side, type: types[next(types.count)], size: sizes[next(sizes.count)],
                                       timeInForce: tif, tag: "r\(next(5))")
            switch next(10) {
            case 0 where !placed.isEmpty:
                context.cancel(placed[next(placed.count)])
            case 1 where !placed.isEmpty:
                let id = placed[next(placed.count)]
                if let new = context.replace(id, type: .limit(c * (side == .buy ? 0.99 : 1.01)), size: .units(Double(1 + next(20)))) {
                    placed.append(new)
                }
            case 2:
                let ids = context.bracket(OrderRequest(symbol: s, side: .buy, type: .market, size: .units(Double(1 + next(30))),
                                                       timeInForce: .gtc, tag: "entry"),
                                          takeProfit: c * 1.02, stopLoss: c * 0.98, exitTimeInForce: next(2) == 0 ? .gtc : .day)
                placed.append(ids.entry)
            case 3:
                placed.append(contentsOf: context.oco([request, OrderRequest(symbol: s, side: side.opposite, type: .limit(c),
                                                                            size: .units(5), timeInForce: .gtc, tag: "oco")]))
            default:
                placed.append(context.submit(request))
            }
            if placed.count > 64 { placed.removeFirst(placed.count - 64) }
        }
    }

    static let minute = try! DataSource(parsing: "sample:eqker-1m").load()

    static func both(_ seed: UInt64, data: MarketDataset, config: BacktestConfig) async throws
        -> (backtest: BacktestResult, replay: BacktestResult) {
        var strategy = RandomOrders(seed: seed)
        let backtest = try Backtest.run(&strategy, data: data, config: config)
        let replay = try await ReplaySession(data: data, config: config).run(RandomOrders(seed: seed))
        return (backtest, replay)
    }

    @Test(arguments: [UInt64(2), 3])
    func randomOrdersOnIntradayBarsWithSessionsAndCosts(_ seed: UInt64) async throws {
        var session = SessionPolicy.nyse
        session.flattenAtClose = seed % 2 == 0
        let config = BacktestConfig(initialCash: 250_000, account: .margin(initialMargin: 0.5, maintenanceMargin: 0.25),
                                    commission: CommissionModel(perShare: 0.005, minimum: 1), slippage: .basisPoints(2),
                                    fillTiming: seed % 3 == 0 ? .signalClose : .nextOpen, intrabar: seed % 2 == 0 ? .worst : .path,
                                    wholeShares: seed % 2 == 1, volumeParticipation: seed == 3 ? 0.05 : nil, session: session)
        let (b, r) = try await Self.both(seed, data: Self.minute, config: config)
        #expect(b.fills.count > 200, "seed \(seed): \(b.fills.count) fills; too few to prove much")
        #expect(Set(b.orderLog.map(\.status)).count >= 7, "seed \(seed): few kinds of order events")
        #expect(Self.firstDifference(r, b) == nil, "\(Self.firstDifference(r, b) ?? "")")
        ReplayParityTests.expectSame(r, b, "random orders, seed \(seed)")
    }

    @Test(arguments: [UInt64(6)])
    func randomOrdersOnDailyBarsInACashAccount(_ seed: UInt64) async throws {
        let all = try DataSource(parsing: "sample:sp500-50").load()
        let data = MarketDataset(Array(all.series.prefix(5)).map { $0.slice(0..<min($0.count, 1_500)) })
        let config = BacktestConfig(commission: CommissionModel(percent: 0.001), slippage: .halfSpread(0.01))
        let (b, r) = try await Self.both(seed, data: data, config: config)
        #expect(b.fills.count > 100)
        #expect(Self.firstDifference(r, b) == nil, "\(Self.firstDifference(r, b) ?? "")")
        ReplayParityTests.expectSame(r, b, "random orders daily, seed \(seed)")
    }
}

extension RandomOrderParityTests {
    /// The first event where two logs differ in anything but the reason text, with what led to it (for diagnosis).
    static func firstDifference(_ a: BacktestResult, _ b: BacktestResult) -> String? {
        for (k, (x, y)) in zip(a.orderLog, b.orderLog).enumerated() where x.orderID != y.orderID || x.status != y.status
            || x.step != y.step || abs(x.quantity - y.quantity) > 1e-9 * max(abs(x.quantity), 1) {
            let from = max(0, k - 6)
            return "event \(k):\n replay:   " + a.orderLog[from...k].map { "\($0.step) #\($0.orderID) \($0.symbol) \($0.type) \($0.status) q\($0.quantity) \($0.reason) [\($0.tag)]" }.joined(separator: "\n           ")
                + "\n backtest: " + b.orderLog[from...k].map { "\($0.step) #\($0.orderID) \($0.symbol) \($0.type) \($0.status) q\($0.quantity) \($0.reason) [\($0.tag)]" }.joined(separator: "\n           ")
        }
        return nil
    }
}
