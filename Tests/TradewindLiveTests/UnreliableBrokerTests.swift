import Foundation
import Testing
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindLive
import TradewindStrategies

/// The runtime against a broker whose reports arrive duplicated, reordered, late or not at all (until the
/// connection comes back), and which rejects orders: every fill is booked exactly once and the books end equal to
/// the broker's account.
@Suite struct UnreliableBrokerTests {
    struct Runner {
        let data: MarketDataset
        let config: BacktestConfig
        let faults: FaultInjectingBroker.Faults
        let seed: UInt64

        func trade<S: Strategy>(_ strategy: S) async throws
            -> (result: BacktestResult, broker: FaultInjectingBroker, status: RuntimeStatus) {
            let feed = try ReplayFeed(data)
            let paper = try PaperBroker(symbols: feed.symbols, interval: feed.interval, config: config)
            let broker = FaultInjectingBroker(paper, faults: faults, seed: seed)
            let runtime = try TradingRuntime(strategy: strategy, symbols: feed.symbols, interval: feed.interval,
                                             config: config, broker: broker)
            let result = try await runtime.trade(feed)
            try await runtime.catchUp()
            return (result, broker, runtime.currentStatus())
        }
    }

    static let daily = try! DataSource(parsing: "sample:spy-daily").load()
    static let minute = try! DataSource(parsing: "sample:eqker-1m").load()

    /// Books equal the broker's account, and every broker fill was booked once.
    static func expectBooksMatchBroker(_ trade: (result: BacktestResult, broker: FaultInjectingBroker, status: RuntimeStatus),
                                       _ label: String) async throws {
        let account = trade.broker.inner.snapshot()
        let held = trade.status.positions
        #expect(Set(held.keys) == Set(account.positions.keys), "\(label): held \(held) vs broker \(account.positions)")
        for (symbol, q) in account.positions {
            #expect(abs((held[symbol] ?? 0) - q) <= 1e-9 * max(abs(q), 1), "\(label): \(symbol) \(held[symbol] ?? 0) vs \(q)")
        }
        #expect(abs(trade.status.cash - account.cash) <= 1e-6 * max(abs(account.cash), 1), "\(label): cash \(trade.status.cash) vs \(account.cash)")
        let brokerFills = try await trade.broker.inner.updates(after: nil).filter {
            if case .fill = $0.kind { return true } else { return false }
        }.count
        #expect(trade.result.fills.count == brokerFills, "\(label): booked \(trade.result.fills.count) fills, the broker made \(brokerFills)")
    }

    @Test func duplicatedReportsAreBookedOnceAndTheRunEqualsTheBacktest() async throws {
        let d = try StrategyCatalog.builtIn.named("sma-cross")
        let p = try d.parameters(["fast": "5", "slow": "20"])
        let config = BacktestConfig()
        let runner = Runner(data: Self.daily, config: config, faults: .init(duplicateEvery: 2), seed: 7)
        let replay = try await runner.trade(try SMACross(parameters: p)).result
        let backtest = try d.run(p, Self.daily, config)
        ReplayParityTests.expectSame(replay, backtest, "duplicated reports")
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func reorderedDelayedAndLostReportsLeaveTheBooksEqualToTheBroker(_ seed: UInt64) async throws {
        let faults = FaultInjectingBroker.Faults(duplicateEvery: 3, reorder: true, maxDelay: 2, disconnectEvery: 40,
                                                 disconnectFor: 5)
        let trade = try await Runner(data: Self.daily, config: BacktestConfig(), faults: faults, seed: seed)
            .trade(try SMACross(parameters: StrategyCatalog.builtIn.named("sma-cross").parameters(["fast": "5", "slow": "20"])))
        #expect(trade.broker.lost > 0 && trade.broker.duplicated > 0, "the faults did not happen; the test proves nothing")
        #expect(trade.status.reconnects > 0)
        try await Self.expectBooksMatchBroker(trade, "seed \(seed)")
    }

    @Test func intradayFlatteningWithLostReportsLeavesTheBooksEqualToTheBroker() async throws {
        let d = try StrategyCatalog.builtIn.named("momentum")
        let p = try d.parameters([:])
        let config = try d.prepare(BacktestConfig(session: .nyse), parameters: p, data: Self.minute).config
        let faults = FaultInjectingBroker.Faults(duplicateEvery: 4, reorder: true, maxDelay: 1, disconnectEvery: 500,
                                                 disconnectFor: 30)
        let trade = try await Runner(data: Self.minute, config: config, faults: faults, seed: 11)
            .trade(try Momentum(parameters: p))
        #expect(trade.broker.lost > 0)
        try await Self.expectBooksMatchBroker(trade, "momentum")
    }

    @Test func brokerRejectionsSurfaceWithTheBrokersReason() async throws {
        let faults = FaultInjectingBroker.Faults(rejectEvery: 2)
        let trade = try await Runner(data: Self.daily, config: BacktestConfig(), faults: faults, seed: 5)
            .trade(try SMACross(parameters: StrategyCatalog.builtIn.named("sma-cross").parameters(["fast": "5", "slow": "20"])))
        #expect(trade.broker.rejected > 0)
        let rejected = trade.result.orders.filter { $0.status == .rejected }
        #expect(rejected.count == trade.broker.rejected)
        #expect(rejected.allSatisfy { $0.reason == "insufficient buying power (injected)" })
        try await Self.expectBooksMatchBroker(trade, "rejections")
    }

    @Test func aPositionChangedAtTheBrokerWithoutAReportStopsTradingAtTheReconnectAndIsJournaled() async throws {
        let path = NSTemporaryDirectory() + "tw-reconnect-\(UInt64.random(in: 0..<UInt64.max)).jsonl"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let faults = FaultInjectingBroker.Faults(disconnectEvery: 40, disconnectFor: 5, positionsChangedWhileDown: ["SPY": 7])
        let feed = try ReplayFeed(Self.daily)
        let paper = try PaperBroker(symbols: feed.symbols, interval: feed.interval, config: BacktestConfig())
        let broker = FaultInjectingBroker(paper, faults: faults, seed: 3)
        let runtime = try TradingRuntime(strategy: try SMACross(parameters: StrategyCatalog.builtIn.named("sma-cross").parameters(["fast": "5", "slow": "20"])),
                                         symbols: feed.symbols, interval: feed.interval, config: BacktestConfig(), broker: broker,
                                         journal: try FileJournal(path: path))
        do {
            _ = try await runtime.trade(feed)
            Issue.record("the run went on with the broker holding 7 SPY more than its books")
        } catch let e as ReconciliationError {
            #expect(e.afterReconnect)
            #expect(e.report.mismatches.count == 1 && e.report.mismatches[0].hasPrefix("SPY: the broker holds"), "\(e.report.mismatches)")
            #expect(e.description.contains("after a restored connection"))
        }
        #expect(runtime.currentStatus().reconnects == 1, "stopped at the first reconnect")
        let journal = try String(contentsOfFile: path, encoding: .utf8)
        #expect(journal.contains("mismatch after a reconnect, trading stopped: SPY: the broker holds"))
    }
}
