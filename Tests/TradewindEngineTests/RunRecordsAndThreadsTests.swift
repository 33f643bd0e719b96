import Foundation
import Testing
import TradewindCore
import TradewindData
@testable import TradewindEngine

/// `BacktestConfig.recordsOrderLog` and `BacktestConfig.threads` change what a run keeps and how its fresh pages are
/// mapped, never a figure: runs without the order log, or with a helper thread populating the market's and the
/// result's pages, equal the reference run (one thread, everything recorded) bit for bit.
@Suite struct RunRecordsAndThreadsTests {
    /// Random market, limit and stop orders on a few percent of the bars; counts what it is told.
    private struct Trader: Strategy {
        static var notifications: StrategyNotifications { [.fills] }
        var rng: SplitMix64
        var fillsSeen = 0

        mutating func onBar(_ ctx: some TradingContext) throws {
            guard Int.random(in: 0..<40, using: &rng) == 0 else { return }
            let c = ctx.close(0)
            let side: OrderSide = ctx.position(0) > 0 ? .sell : .buy
            let away = side == .buy ? -1.0 : 1.0
            switch Int.random(in: 0..<4, using: &rng) {
            case 0: ctx.submit(OrderRequest(symbol: 0, side: side, type: .limit(c * (1 + away * 0.001)), size: .equityFraction(0.5)))
            case 1: ctx.submit(OrderRequest(symbol: 0, side: side, type: .stop(c * (1 - away * 0.001)), size: .units(20)))
            case 2: ctx.closePosition(0)
            default: ctx.submit(OrderRequest(symbol: 0, side: side, type: .market, size: .equityFraction(0.9)))
            }
        }

        mutating func onFill(_ ctx: some TradingContext, fill: Fill) throws { fillsSeen += 1 }
    }

    /// A year and a half of synthetic minute bars (about 147,000): the run's fresh result buffers and the market's
    /// per-step block are each over the 2 MB a helper thread needs to start.
    private static let data: MarketDataset = {
        // Generation cannot fail for these fixed, valid arguments; a failure fails every test that reads `data`.
        (try? SyntheticMarket(seed: 11).generate(symbols: 1, from: CivilDate(year: 2020, month: 7, day: 1)!,
                                                 to: CivilDate(year: 2021, month: 12, day: 31)!, interval: .minute))
            ?? MarketDataset([])
    }()

    private func run(records: Bool, threads: ThreadBudget, config base: BacktestConfig) throws -> (BacktestResult, Int) {
        var config = base
        config.recordsOrderLog = records
        config.threads = threads
        var trader = Trader(rng: SplitMix64(seed: 3))
        let result = try Backtest.run(&trader, data: Self.data, config: config)
        return (result, trader.fillsSeen)
    }

    @Test(arguments: [BacktestConfig(), BacktestConfig(commission: .percentOfValue(0.001), fillTiming: .signalClose, wholeShares: true)])
    func runsWithoutTheLogOrWithAHelperEqualTheReferenceBitForBit(config: BacktestConfig) throws {
        #expect(Self.data.series.first?.count ?? 0 > 140_000)
        let (reference, referenceFills) = try run(records: true, threads: .single, config: config)
        #expect(reference.fills.count > 500 && reference.orderLog.count > reference.fills.count)
        #expect(referenceFills == reference.fills.count)
        for (records, threads) in [(true, ThreadBudget(2)), (false, .single), (false, ThreadBudget(2))] {
            let (r, fillsSeen) = try run(records: records, threads: threads, config: config)
            #expect(r.equity.time == reference.equity.time)
            #expect(r.equity.equity.map(\.bitPattern) == reference.equity.equity.map(\.bitPattern))
            #expect(r.equity.cash.map(\.bitPattern) == reference.equity.cash.map(\.bitPattern))
            #expect(r.positions == reference.positions)
            #expect(r.trades == reference.trades)
            // Orders hold NaN (an untriggered trailing stop's extreme), which `==` never equals: compared as text,
            // which spells every Double exactly.
            let sameOrders = r.orders.map { String(describing: $0) } == reference.orders.map { String(describing: $0) }
            #expect(sameOrders)
            #expect(r.totalCommission.bitPattern == reference.totalCommission.bitPattern)
            #expect(r.totalSlippage.bitPattern == reference.totalSlippage.bitPattern)
            // The strategy is told of every fill either way.
            #expect(fillsSeen == referenceFills)
            if records {
                #expect(r.orderLog == reference.orderLog)
                #expect(r.fills == reference.fills)
            } else {
                #expect(r.orderLog.isEmpty && r.fills.isEmpty)
            }
            // `backtest --json`'s bytes.
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let a = try encoder.encode(BacktestSummary(result: r, interval: .minute, strategy: "t", parameters: ""))
            let b = try encoder.encode(BacktestSummary(result: reference, interval: .minute, strategy: "t", parameters: ""))
            #expect(a == b)
        }
    }

    @Test func aPreparedMarketIsTheSameOnAnyNumberOfThreads() throws {
        let one = try PreparedMarket(Self.data, config: BacktestConfig(session: .nyse))
        var config = BacktestConfig(session: .nyse)
        config.threads = 2
        let two = try PreparedMarket(Self.data, config: config)
        let n = one.stepCount
        #expect(n == two.stepCount && n > 140_000)
        let a = one.columns, b = two.columns
        #expect((0..<n).allSatisfy { a.day[$0] == b.day[$0] && a.minute[$0] == b.minute[$0] && a.flags[$0] == b.flags[$0] })
        #expect((0..<n).allSatisfy { a.exactRow[0][$0] == b.exactRow[0][$0] && a.latestRow[0][$0] == b.latestRow[0][$0] })
    }
}
