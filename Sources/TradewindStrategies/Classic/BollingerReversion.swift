import TradewindCore
import TradewindEngine
import TradewindIndicators

/// `bollinger-reversion`: buy when the close falls below the lower Bollinger band (SMA(`period`) − `std` ×
/// population standard deviation of the last `period` closes: TA-Lib's BBANDS with a simple average,
/// `TradewindIndicators.BBANDS`); sell
/// when the close reaches the middle band (close ≥ SMA). Long only; sizing and fills as `sma-cross`.
public struct BollingerReversion: ParameterizedStrategy {
    /// Implements neither `onOrderUpdate` nor `onFill`.
    public static var notifications: StrategyNotifications { [] }
    public static let name = "bollinger-reversion"
    public static let summary = "Buy below the lower Bollinger band, sell back at the middle band."
    public static let parameterSpecs: [ParameterSpec] = [
        ParameterSpec("period", .int(2...1000), default: .int(20), "Band window (bars)."),
        ParameterSpec("std", .real(0.1...10), default: .real(2), "Band width in standard deviations."),
    ]
    public let period: Int, width: Double
    private var bands: [BBANDS] = []

    public init(parameters p: StrategyParameters) throws(ParameterError) {
        period = try p.int("period"); width = try p.real("std")
    }

    public init() throws(ParameterError) { try self.init(parameters: StrategyParameters(defaultsOf: Self.parameterSpecs)) }

    public mutating func onStart(_ context: some TradingContext) throws {
        bands = Array(repeating: try BBANDS(timeperiod: period, nbdevup: width, nbdevdn: width), count: context.symbolCount)
    }

    public mutating func onBar(_ context: some TradingContext) throws {
        for s in 0..<context.symbolCount where context.hasBar(s) {
            let c = context.close(s)
            guard let b = bands[s].update(c) else { continue }
            LongOnly.act(context, symbol: s, buy: c < b.lowerband, sell: c >= b.middleband)
        }
    }
}

extension BollingerReversion: CatalogStrategy {
    /// The bands' `period` closes.
    public static func warmupBars(_ parameters: StrategyParameters) -> Int { (try? parameters.int("period")) ?? 0 }

    /// `LongOnlySignalKernel` with the signals `onBar` computes (the same bands).
    public static var kernel: ExactKernel? {
        LongOnlySignalKernel.make(name: name) { p, bars, _ in
            let period = try p.int("period"), width = try p.real("std")
            var bands = try BBANDS(timeperiod: period, nbdevup: width, nbdevdn: width)
            var buy = [Bool](repeating: false, count: bars.count), sell = buy
            for i in 0..<bars.count {
                let c = bars.close[i]
                guard let b = bands.update(c) else { continue }
                buy[i] = c < b.lowerband
                sell[i] = c >= b.middleband
            }
            return LongOnlySignals(buy: buy, sell: sell)
        }
    }

    public static let rules = """
          Long only. Buy when the close < SMA(period) − std × population σ(period); sell when the close ≥ SMA(period).
          Market orders at the next open.
        """

    public static func plots(_ parameters: StrategyParameters, bars: BarSeries) throws -> [StrategyPlot] {
        let period = try parameters.int("period"), width = try parameters.real("std")
        let bands = try BBANDS(timeperiod: period, nbdevup: width, nbdevdn: width).batch(bars.close)
        let k = NumberFormat.shortest(width)
        return [StrategyPlot("SMA(\(period))", bands[1], pane: .price),
                StrategyPlot("Upper band (\(k)σ)", bands[0], pane: .price),
                StrategyPlot("Lower band (\(k)σ)", bands[2], pane: .price)]
    }
}
