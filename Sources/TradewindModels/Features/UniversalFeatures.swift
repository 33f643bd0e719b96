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
    /// not positive and finite or a volume negative (a change or ratio of it would be meaningless). Runs
    /// `FeatureStream` over the bars: the batch and streamed features are the same numbers.
    public static func compute(_ series: BarSeries) throws(ModelError) -> FeatureTable {
        let n = series.count, width = FeatureTable.width
        var stream = FeatureStream()
        var values = [Double](repeating: .nan, count: n * width)
        for i in 0..<n {
            let bar = OHLCV(open: series.open[i], high: series.high[i], low: series.low[i], close: series.close[i], volume: series.volume[i])
            if let row = try stream.update(bar, symbol: series.symbol) {
                values.replaceSubrange((i * width)..<((i + 1) * width), with: row)
            }
        }
        return FeatureTable(symbol: series.symbol, time: series.time, close: series.close, values: values)
    }
}
