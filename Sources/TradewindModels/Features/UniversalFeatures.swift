import TradewindCore
import TradewindIndicators

/// One of the universal model's 18 ticker-agnostic features, in the AI trading server's order. Each is a
/// ratio, a percentage or a bounded oscillator, so one model can read every symbol. Indicators follow TA-Lib
/// (TradewindIndicators), warm-ups included; `Scripts/models/universal_features.py` recomputes them with pandas.
public enum UniversalFeature: Int, CaseIterable, Sendable, Codable {
    /// (closeₜ / closeₜ₋₁ − 1) · 100.
    case closeChange
    /// (highₜ / highₜ₋₁ − 1) · 100.
    case highChange
    /// (lowₜ / lowₜ₋₁ − 1) · 100.
    case lowChange
    /// (volumeₜ / volumeₜ₋₁ − 1) · 100; 0 when the previous volume is 0.
    case volumeChange
    /// RSI 14 (Wilder's smoothing seeded by the mean of the first 14 gains and losses), 0…100.
    case rsi14
    /// MACD line (EMA 12 − EMA 26 of the close, TA-Lib's SMA seeds and alignment) divided by the close.
    case macdToPrice
    /// Bollinger position (close − lower) / (upper − lower) for SMA 20 ± 2 population σ; 0.5 on an empty band.
    case bollingerPosition
    /// Bollinger width (upper − lower) / middle.
    case bollingerWidth
    /// ATR 14 (Wilder's smoothing of the true range, seeded by the mean of the first 14) / close · 100.
    case atrPercent
    /// (close / SMA 20 − 1) · 100.
    case sma20Distance
    /// (close / SMA 50 − 1) · 100.
    case sma50Distance
    /// Stochastic %K over 14 bars: (close − lowest low) / (highest high − lowest low) · 100; 0 on an empty range.
    case stochasticK
    /// Stochastic %D: the 3-bar SMA of %K.
    case stochasticD
    /// Rate of change over 10 bars: (closeₜ / closeₜ₋₁₀ − 1) · 100.
    case roc10
    /// Williams %R 14: (highest high − close) / (highest high − lowest low) · −100; 0 on an empty range.
    case williamsR14
    /// CCI 20: (TP − SMA 20 of TP) / (0.015 · mean absolute deviation), TP = (high + low + close) / 3; 0 when
    /// either term is 0.
    case cci20
    /// On-balance-volume change (OBVₜ − OBVₜ₋₁) / |OBVₜ₋₁| · 100, clipped to ±50; 0 when OBVₜ₋₁ is 0. OBV
    /// starts at the first bar's volume (TA-Lib).
    case obvChange
    /// 10-day momentum as a share of today's price: (closeₜ − closeₜ₋₁₀) / closeₜ · 100.
    case momentum10

    /// The column name in fixtures, CSV output and model configs.
    public var name: String {
        switch self {
        case .closeChange: "close_change"
        case .highChange: "high_change"
        case .lowChange: "low_change"
        case .volumeChange: "volume_change"
        case .rsi14: "rsi_14"
        case .macdToPrice: "macd_to_price"
        case .bollingerPosition: "bollinger_position"
        case .bollingerWidth: "bollinger_width"
        case .atrPercent: "atr_percent"
        case .sma20Distance: "sma20_distance"
        case .sma50Distance: "sma50_distance"
        case .stochasticK: "stochastic_k"
        case .stochasticD: "stochastic_d"
        case .roc10: "roc_10"
        case .williamsR14: "williams_r_14"
        case .cci20: "cci_20"
        case .obvChange: "obv_change"
        case .momentum10: "momentum_10"
        }
    }

    /// Bars before the first defined value: the SMA 50 needs 49, more than any other feature.
    public static let warmUp = 49
}

/// A symbol's features: one row of 18 values per bar (row-major, `UniversalFeature` order), aligned with
/// the bars' times. Rows before `UniversalFeature.warmUp` are NaN.
public struct FeatureTable: Sendable, Equatable {
    public let symbol: String
    public let time: [UnixNanos]
    /// The closes the features came from (for labels and targets).
    public let close: [Double]
    /// `time.count × UniversalFeature.allCases.count` values, row-major.
    public let values: [Double]

    public static let width = UniversalFeature.allCases.count

    /// Number of bars.
    public var count: Int { time.count }

    /// The value of `feature` at bar `row`.
    public func value(_ feature: UniversalFeature, at row: Int) -> Double { values[row * Self.width + feature.rawValue] }

    /// One feature's column.
    public func column(_ feature: UniversalFeature) -> [Double] { (0..<count).map { value(feature, at: $0) } }
}

/// Computes the 18 universal features of a bar series with TradewindIndicators.
public enum UniversalFeatures {
    /// The feature table of `series`; its rows before `UniversalFeature.warmUp` are NaN. Throws when a price is
    /// not positive and finite (a change or ratio of it would be meaningless).
    public static func compute(_ series: BarSeries) throws(ModelError) -> FeatureTable {
        let n = series.count
        for i in 0..<n {
            for (field, v) in [("open", series.open[i]), ("high", series.high[i]), ("low", series.low[i]), ("close", series.close[i])]
            where !(v.isFinite && v > 0) {
                throw .invalidBar(symbol: series.symbol, index: i, field: field, value: v)
            }
            let volume = series.volume[i]
            guard volume.isFinite && volume >= 0 else {
                throw .invalidBar(symbol: series.symbol, index: i, field: "volume", value: volume)
            }
        }
        let close = series.close, high = series.high, low = series.low, volume = series.volume
        let bars = PriceColumns(open: series.open, high: high, low: low, close: close, volume: volume)
        // Every period below is a valid constant, so the indicators' initialisers cannot throw.
        let rsi = try! RSI(timeperiod: 14)(close)
        let macd = try! MACD(fastperiod: 12, slowperiod: 26, signalperiod: 9).batch(close)[0]
        let bands = try! BBANDS(timeperiod: 20, nbdevup: 2, nbdevdn: 2).batch(close)
        let atr = try! ATR(timeperiod: 14).batch(bars)[0]
        let sma20 = try! SMA(timeperiod: 20)(close)
        let sma50 = try! SMA(timeperiod: 50)(close)
        let stochastic = try! STOCHF(fastkPeriod: 14, fastdPeriod: 3).batch(bars)
        let roc = try! RateOfChange(.roc, timeperiod: 10)(close)
        let momentum = try! RateOfChange(.momentum, timeperiod: 10)(close)
        let willr = try! WILLR(timeperiod: 14).batch(bars)[0]
        let cci = try! CCI(timeperiod: 20).batch(bars)[0]
        let obv = OBV().batch(bars)[0]

        func change(_ x: [Double], _ i: Int) -> Double { x[i - 1] == 0 ? 0 : (x[i] / x[i - 1] - 1) * 100 }
        let width = FeatureTable.width
        var values = [Double](repeating: .nan, count: n * width)
        for i in UniversalFeature.warmUp..<max(UniversalFeature.warmUp, n) {
            let (upper, middle, lower) = (bands[0][i], bands[1][i], bands[2][i])
            let band = upper - lower
            let obvChange = obv[i - 1] == 0 ? 0 : min(50, max(-50, (obv[i] - obv[i - 1]) / abs(obv[i - 1]) * 100))
            let row: [Double] = [
                change(close, i), change(high, i), change(low, i), change(volume, i),
                rsi[i], macd[i] / close[i],
                band == 0 ? 0.5 : (close[i] - lower) / band, band / middle,
                atr[i] / close[i] * 100,
                (close[i] / sma20[i] - 1) * 100, (close[i] / sma50[i] - 1) * 100,
                stochastic[0][i], stochastic[1][i], roc[i], willr[i], cci[i], obvChange,
                momentum[i] / close[i] * 100,
            ]
            values.replaceSubrange((i * width)..<((i + 1) * width), with: row)
        }
        return FeatureTable(symbol: series.symbol, time: series.time, close: close, values: values)
    }
}
