import TradewindCore
@testable import TradewindEngine

/// A strategy driven by a closure called on every bar (and optionally on fills/order updates).
struct Scripted: Strategy {
    var bar: (any TradingContext) throws -> Void
    var fills: [Fill] = []
    var updates: [Order] = []

    init(_ bar: @escaping (any TradingContext) throws -> Void) { self.bar = bar }

    mutating func onBar(_ context: some TradingContext) throws { try bar(context) }
    mutating func onFill(_ context: some TradingContext, fill: Fill) throws { fills.append(fill) }
    mutating func onOrderUpdate(_ context: some TradingContext, order: Order) throws { updates.append(order) }
}

/// Daily bars from (open, high, low, close) tuples, one per day from 2024-01-02.
func daily(_ bars: [(Double, Double, Double, Double)], symbol: String = "TEST", volume: Double = 1_000_000,
           startDay: Int = 0) -> BarSeries {
    let d0 = CivilDate(year: 2024, month: 1, day: 2)!
    let time = (0..<bars.count).map { UnixTime.midnightUTC(d0.adding(days: $0 + startDay)) }
    return BarSeries(symbol: symbol, interval: .daily, time: time, open: bars.map(\.0), high: bars.map(\.1),
                     low: bars.map(\.2), close: bars.map(\.3), volume: [Double](repeating: volume, count: bars.count))
}

/// Hourly bars on New York local times `hhmm` of the given day offsets.
func intraday(_ bars: [(day: Int, hhmm: Int, ohlc: (Double, Double, Double, Double))], symbol: String = "TEST") -> BarSeries {
    let d0 = CivilDate(year: 2024, month: 3, day: 4)!
    let time = bars.map { ZoneRules.newYork.instant(d0.adding(days: $0.day), hour: $0.hhmm / 100, minute: $0.hhmm % 100) }
    return BarSeries(symbol: symbol, interval: .hours(1), time: time, open: bars.map(\.ohlc.0), high: bars.map(\.ohlc.1),
                     low: bars.map(\.ohlc.2), close: bars.map(\.ohlc.3), volume: [Double](repeating: 1e6, count: bars.count))
}

/// Flat bars at a constant price.
func flat(_ price: Double, _ n: Int) -> [(Double, Double, Double, Double)] {
    Array(repeating: (price, price, price, price), count: n)
}

func run(_ series: BarSeries..., config: BacktestConfig = BacktestConfig(),
         _ bar: @escaping (any TradingContext) throws -> Void) throws -> BacktestResult {
    try Backtest.run(Scripted(bar), data: MarketDataset(series), config: config)
}

extension BacktestResult {
    func events(_ id: OrderID) -> [OrderEvent] { orderLog.filter { $0.orderID == id } }
}

/// Order numbers written as literals in tests (the simulator numbers orders 0, 1, … in submission order).
extension OrderID: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) { self.init(rawValue: value) }
}
