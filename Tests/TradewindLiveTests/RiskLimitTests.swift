import Foundation
import Testing
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindLive
import TradewindStrategies

/// The risk manager between strategy and broker: each limit refuses what breaks it (with the reason), never an exit.
@Suite struct RiskLimitTests {
    static let daily = try! DataSource(parsing: "sample:spy-daily").load()

    static func replay<S: Strategy>(_ strategy: S, data: MarketDataset, config: BacktestConfig = BacktestConfig(),
                                    limits: RiskLimits) async throws -> (result: BacktestResult, status: RuntimeStatus) {
        let session = ReplaySession(data: data, config: config, risk: limits)
        let feed = try session.feed()
        let runtime = try session.runtime(for: feed) { setup throws(BacktestError) in try StreamingDriver(strategy, setup: setup) }
        let result = try await runtime.trade(feed)
        return (result, runtime.currentStatus())
    }

    static func refusals(_ r: BacktestResult) -> [Order] { r.orders.filter { $0.reason.hasPrefix("risk: ") } }

    @Test func theDrawdownLimitHaltsFlattensAndRefusesEveryNewEntry() async throws {
        let sma = try SMACross(parameters: StrategyCatalog.builtIn.named("sma-cross").parameters(["fast": "5", "slow": "20"]))
        let (r, status) = try await Self.replay(sma, data: Self.daily, limits: RiskLimits(maxDrawdown: 0.05))
        let halt = try #require(status.haltReason)
        #expect(halt.hasPrefix("max drawdown"))
        let haltStep = try #require(r.orders.first { $0.request.tag == "risk-halt" }?.submittedStep)
        #expect(r.positions[0].last == 0, "flat after the halt")
        let later = r.orders.filter { $0.submittedStep > haltStep && $0.side == .buy }
        #expect(!later.isEmpty && later.allSatisfy { $0.status == .rejected && $0.reason.contains("trading halted") })
        let peak = r.equity.equity[..<haltStep].max()!
        #expect(r.equity.equity[haltStep] <= peak * 0.95)
    }

    @Test func maxOpenPositionsHoldsAcrossTwentySymbols() async throws {
        let all = try DataSource(parsing: "sample:sp500-50").load()
        let data = MarketDataset(Array(all.series.prefix(20)))
        let sma = try SMACross(parameters: StrategyCatalog.builtIn.named("sma-cross").parameters(["fast": "5", "slow": "20"]))
        let (r, _) = try await Self.replay(sma, data: data, limits: RiskLimits(maxOpenPositions: 3, maxPositionFraction: 2))
        let steps = r.equity.time.count
        let mostHeld = (0..<steps).map { i in r.positions.filter { $0[i] != 0 }.count }.max() ?? 0
        #expect(mostHeld == 3)
        #expect(Self.refusals(r).contains { $0.reason.contains("positions open or opening, the limit is 3") })
    }

    @Test func entriesOnlyInsideTheTradingHours() async throws {
        let minute = try DataSource(parsing: "sample:eqker-1m").load()
        let d = try StrategyCatalog.builtIn.named("momentum")
        let p = try d.parameters([:])
        let config = try d.prepare(BacktestConfig(session: .nyse), parameters: p, data: minute).config
        let (r, _) = try await Self.replay(try Momentum(parameters: p), data: minute, config: config,
                                           limits: RiskLimits(tradingStartMinute: 600, tradingEndMinute: 720))
        let zone = ZoneRules.newYork
        let entries = r.fills.filter { f in r.orders[f.orderID].request.tag == "entry" }
        #expect(!entries.isEmpty)
        for f in r.orders.filter({ $0.request.tag == "entry" && $0.status != .rejected }) {
            let minuteOfDay = Int(zone.localTimeOfDayNanos(of: f.submittedAt) / UnixTime.nanosPerMinute)
            #expect((600..<720).contains(minuteOfDay), "entry sent at minute \(minuteOfDay)")
        }
        // momentum decides at 10:00: a window from 10:30 refuses every entry, and says when it was made.
        let (late, _) = try await Self.replay(try Momentum(parameters: p), data: minute, config: config,
                                              limits: RiskLimits(tradingStartMinute: 630, tradingEndMinute: 720))
        #expect(late.fills.isEmpty)
        #expect(Self.refusals(late).contains { $0.reason.contains("outside trading hours 10:30–12:00 (made at 10:00)") })
    }

    /// Buys with a bracket whose stop is 10 % below the close, sized at all the equity.
    struct BracketBuyer: Strategy {
        static var notifications: StrategyNotifications { [] }
        mutating func onBar(_ context: some TradingContext) throws {
            guard context.position(0) == 0, context.openOrders.isEmpty, context.step % 5 == 0 else { return }
            let c = context.close(0)
            context.bracket(.buy(0, .units((context.equity * 0.99 / c).rounded(.down))), takeProfit: c * 1.05, stopLoss: c * 0.9)
        }
    }

    @Test func riskPerTradeRefusesABracketWhoseStopRisksTooMuch() async throws {
        let data = MarketDataset([Self.daily.series[0].slice(0..<200)])
        let (strict, _) = try await Self.replay(BracketBuyer(), data: data, limits: RiskLimits(maxRiskPerTrade: 0.05))
        #expect(strict.fills.isEmpty)
        #expect(Self.refusals(strict).first?.reason.contains("risk to the stop") == true)
        let (loose, _) = try await Self.replay(BracketBuyer(), data: data, limits: RiskLimits(maxRiskPerTrade: 0.2))
        #expect(!loose.fills.isEmpty && Self.refusals(loose).isEmpty)
    }

    @Test func aStopOutStartsTheSymbolsCooldown() async throws {
        let data = MarketDataset([Self.daily.series[0].slice(0..<1500)])
        let d = try StrategyCatalog.builtIn.named("rsi2")
        let p = try d.parameters(["stop_loss": "1"])
        let (free, _) = try await Self.replay(try RSI2(parameters: p), data: data, limits: RiskLimits())
        let (cooled, _) = try await Self.replay(try RSI2(parameters: p), data: data,
                                                limits: RiskLimits(cooldownSeconds: 10 * 86_400))
        let stops = free.orders.filter { $0.request.tag == "stop" && $0.status == .filled }
        #expect(!stops.isEmpty, "no stop-outs on the sample; the test proves nothing")
        let refused = Self.refusals(cooled).filter { $0.reason.contains("cooling down") }
        #expect(!refused.isEmpty)
        #expect(cooled.trades.count < free.trades.count)
    }

    @Test func configFilesAreValidatedWithTheFieldAndTheRange() throws {
        let dir = NSTemporaryDirectory() + "tw-risk-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        func load(_ text: String) throws(RiskConfigError) -> RiskLimits {
            try? text.write(toFile: dir + "/r.json", atomically: true, encoding: .utf8)
            return try RiskLimits.load(path: dir + "/r.json")
        }
        #expect(try load(#"{"trading": {"max_drawdown": 0.2, "max_open_positions": 5}}"#) == RiskLimits(maxOpenPositions: 5, maxDrawdown: 0.2))
        #expect(throws: RiskConfigError.invalid(field: "max_drawdown", value: "1.5", expected: "a fraction in (0, 1.0)")) {
            try load(#"{"max_drawdown": 1.5}"#)
        }
        #expect(throws: RiskConfigError.invalid(field: "trading_end_minute", value: "500", expected: "after trading_start_minute (600)")) {
            try load(#"{"trading_start_minute": 600, "trading_end_minute": 500}"#)
        }
        #expect(throws: RiskConfigError.self) { try load("[1, 2]") }
        #expect(throws: RiskConfigError.self) { try load(#"{"max_positions": 3}"#) }
        #expect(throws: RiskConfigError.unreadable(path: dir + "/missing.json")) { try RiskLimits.load(path: dir + "/missing.json") }
    }
}
