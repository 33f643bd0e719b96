/// Every indicator Tradewind provides, by TA-Lib name, with its inputs, parameters and outputs.
public enum IndicatorRegistry {
    /// All descriptors, grouped as TA-Lib groups them.
    public static let all: [IndicatorDescriptor] = overlap + momentum + volume + volatility + priceTransforms
        + statistics + cycle + mathOperators + mathTransforms + extras

    private static let byName: [String: IndicatorDescriptor] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// The descriptor named `name` (case-insensitive).
    public static func descriptor(named name: String) throws(IndicatorError) -> IndicatorDescriptor {
        guard let d = byName[name.uppercased()] else { throw .unknownIndicator(name) }
        return d
    }

    typealias D = IndicatorDescriptor

    static let overlap: [IndicatorDescriptor] = [
        D.real("SMA", .overlap, "Simple Moving Average", [D.period(30)], kernel: { [ColumnKernel.sma($1, period: $0.timeperiod, threads: $2)] }) { try SMA(timeperiod: $0.int("timeperiod")) },
        D.real("EMA", .overlap, "Exponential Moving Average", [D.period(30, min: 1)], kernel: { [ColumnKernel.ema($1, $0, threads: $2)] }) { try EMA(timeperiod: $0.int("timeperiod")) },
        D.real("WMA", .overlap, "Weighted Moving Average", [D.period(30)]) { try WMA(timeperiod: $0.int("timeperiod")) },
        D.real("DEMA", .overlap, "Double Exponential Moving Average", [D.period(30)]) { try DEMA(timeperiod: $0.int("timeperiod")) },
        D.real("TEMA", .overlap, "Triple Exponential Moving Average", [D.period(30)]) { try TEMA(timeperiod: $0.int("timeperiod")) },
        D.real("TRIMA", .overlap, "Triangular Moving Average", [D.period(30)]) { try TRIMA(timeperiod: $0.int("timeperiod")) },
        D.real("KAMA", .overlap, "Kaufman Adaptive Moving Average", [D.period(30)]) { try KAMA(timeperiod: $0.int("timeperiod")) },
        D.real("MAMA", .overlap, "MESA Adaptive Moving Average",
               [D.real("fastlimit", 0.5, 0.01...0.99), D.real("slowlimit", 0.05, 0.01...0.99)]) {
            try MAMA(fastlimit: $0.real("fastlimit"), slowlimit: $0.real("slowlimit"))
        },
        D.real("T3", .overlap, "Triple Exponential Moving Average (T3)", [D.period(5), D.real("vfactor", 0.7, 0...1)]) {
            try T3(timeperiod: $0.int("timeperiod"), vfactor: $0.real("vfactor"))
        },
        D.real("HMA", .overlap, "Hull Moving Average", [D.period(20, min: 1)]) { try HMA(timeperiod: $0.int("timeperiod")) },
        D.real("ZLEMA", .overlap, "Zero-Lag Exponential Moving Average", [D.period(30, min: 1)]) {
            try ZLEMA(timeperiod: $0.int("timeperiod"))
        },
        D.real("RMA", .overlap, "Wilder's Smoothed Moving Average", [D.period(30, min: 1)]) { try RMA(timeperiod: $0.int("timeperiod")) },
        D.real("MA", .overlap, "Moving average of any type", [D.period(30, min: 1), D.ma()],
               kernel: { [ColumnKernel.movingAverage($1, $0, threads: $2)] }) {
            try MovingAverage(timeperiod: $0.int("timeperiod"), matype: $0.maType("matype"))
        },
        D.real("BBANDS", .overlap, "Bollinger Bands",
               [D.period(20), D.real("nbdevup", 2), D.real("nbdevdn", 2), D.ma()], kernel: { ColumnKernel.bbands($1, $0, threads: $2) }) {
            try BBANDS(timeperiod: $0.int("timeperiod"), nbdevup: $0.real("nbdevup"), nbdevdn: $0.real("nbdevdn"),
                       matype: $0.maType("matype"))
        },
        D.real("MIDPOINT", .overlap, "MidPoint over period", [D.period(14)]) {
            try WindowExtremeIndicator(.midpoint, timeperiod: $0.int("timeperiod"))
        },
        D.real("HT_TRENDLINE", .overlap, "Hilbert Transform - Instantaneous Trendline", []) { _ in HilbertIndicator(.trendline) },
        D.pair("MAVP", .overlap, "Moving average with variable period",
               inputs: [InputSpec(name: "real", column: .close), InputSpec(name: "periods", column: .periods)],
               [D.period("minperiod", 2), D.period("maxperiod", 30), D.ma()]) {
            try MAVP(minperiod: $0.int("minperiod"), maxperiod: $0.int("maxperiod"), matype: $0.maType("matype"))
        },
        D.bars("SAR", .overlap, "Parabolic SAR", [.high, .low],
               [D.real("acceleration", 0.02, 0...realParameterBound), D.real("maximum", 0.2, 0...realParameterBound)]) {
            try SAR(acceleration: $0.real("acceleration"), maximum: $0.real("maximum"))
        },
        D.bars("SAREXT", .overlap, "Parabolic SAR - Extended", [.high, .low],
               [D.real("startvalue", 0), D.real("offsetonreverse", 0, 0...realParameterBound)]
               + ["accelerationinitlong", "accelerationlong"].map { D.real($0, 0.02, 0...realParameterBound) }
               + [D.real("accelerationmaxlong", 0.2, 0...realParameterBound)]
               + ["accelerationinitshort", "accelerationshort"].map { D.real($0, 0.02, 0...realParameterBound) }
               + [D.real("accelerationmaxshort", 0.2, 0...realParameterBound)]) {
            try SAREXT(startvalue: $0.real("startvalue"), offsetonreverse: $0.real("offsetonreverse"),
                       accelerationinitlong: $0.real("accelerationinitlong"), accelerationlong: $0.real("accelerationlong"),
                       accelerationmaxlong: $0.real("accelerationmaxlong"),
                       accelerationinitshort: $0.real("accelerationinitshort"), accelerationshort: $0.real("accelerationshort"),
                       accelerationmaxshort: $0.real("accelerationmaxshort"))
        },
        D.bars("MIDPRICE", .overlap, "Midpoint Price over period", [.high, .low], [D.period(14)]) {
            try MIDPRICE(timeperiod: $0.int("timeperiod"))
        },
    ]

    static let momentum: [IndicatorDescriptor] = [
        D.real("RSI", .momentum, "Relative Strength Index", [D.period(14)], kernel: { [ColumnKernel.rsi($1, $0, threads: $2)] }) { try RSI(timeperiod: $0.int("timeperiod")) },
        D.real("CMO", .momentum, "Chande Momentum Oscillator", [D.period(14)]) { try CMO(timeperiod: $0.int("timeperiod")) },
        D.real("MACD", .momentum, "Moving Average Convergence/Divergence",
               [D.period("fastperiod", 12), D.period("slowperiod", 26), D.period("signalperiod", 9, min: 1)],
               kernel: { ColumnKernel.macd($1, $0, threads: $2) }) {
            try MACD(fastperiod: $0.int("fastperiod"), slowperiod: $0.int("slowperiod"), signalperiod: $0.int("signalperiod"))
        },
        D.real("MACDEXT", .momentum, "MACD with controllable MA type",
               [D.period("fastperiod", 12), D.ma("fastmatype"), D.period("slowperiod", 26), D.ma("slowmatype"),
                D.period("signalperiod", 9, min: 1), D.ma("signalmatype")]) {
            try MACDEXT(fastperiod: $0.int("fastperiod"), fastmatype: $0.maType("fastmatype"),
                        slowperiod: $0.int("slowperiod"), slowmatype: $0.maType("slowmatype"),
                        signalperiod: $0.int("signalperiod"), signalmatype: $0.maType("signalmatype"))
        },
        D.real("MACDFIX", .momentum, "MACD Fix 12/26", [D.period("signalperiod", 9, min: 1)]) {
            try MACDFIX(signalperiod: $0.int("signalperiod"))
        },
        D.real("APO", .momentum, "Absolute Price Oscillator", [D.period("fastperiod", 12), D.period("slowperiod", 26), D.ma("matype", .ema)]) {
            try APO(fastperiod: $0.int("fastperiod"), slowperiod: $0.int("slowperiod"), matype: $0.maType("matype"))
        },
        D.real("PPO", .momentum, "Percentage Price Oscillator", [D.period("fastperiod", 12), D.period("slowperiod", 26), D.ma("matype", .ema)]) {
            try PPO(fastperiod: $0.int("fastperiod"), slowperiod: $0.int("slowperiod"), matype: $0.maType("matype"))
        },
        D.real("MOM", .momentum, "Momentum", [D.period(10, min: 1)]) { try RateOfChange(.momentum, timeperiod: $0.int("timeperiod")) },
        D.real("ROC", .momentum, "Rate of change: ((price/prevPrice)-1)*100", [D.period(10, min: 1)]) {
            try RateOfChange(.roc, timeperiod: $0.int("timeperiod"))
        },
        D.real("ROCP", .momentum, "Rate of change Percentage: (price-prevPrice)/prevPrice", [D.period(10, min: 1)]) {
            try RateOfChange(.rocp, timeperiod: $0.int("timeperiod"))
        },
        D.real("ROCR", .momentum, "Rate of change ratio: (price/prevPrice)", [D.period(10, min: 1)]) {
            try RateOfChange(.rocr, timeperiod: $0.int("timeperiod"))
        },
        D.real("ROCR100", .momentum, "Rate of change ratio 100 scale: (price/prevPrice)*100", [D.period(10, min: 1)]) {
            try RateOfChange(.rocr100, timeperiod: $0.int("timeperiod"))
        },
        D.real("TRIX", .momentum, "1-day Rate-Of-Change (ROC) of a Triple Smooth EMA", [D.period(30, min: 1)]) {
            try TRIX(timeperiod: $0.int("timeperiod"))
        },
        D.real("STOCHRSI", .momentum, "Stochastic Relative Strength Index",
               [D.period(14), D.period("fastk_period", 5, min: 1), D.period("fastd_period", 3, min: 1), D.ma("fastd_matype")]) {
            try STOCHRSI(timeperiod: $0.int("timeperiod"), fastkPeriod: $0.int("fastk_period"),
                         fastdPeriod: $0.int("fastd_period"), fastdMatype: $0.maType("fastd_matype"))
        },
        D.bars("STOCH", .momentum, "Stochastic", [.high, .low, .close],
               [D.period("fastk_period", 5, min: 1), D.period("slowk_period", 3, min: 1), D.ma("slowk_matype"),
                D.period("slowd_period", 3, min: 1), D.ma("slowd_matype")],
               kernel: { ColumnKernel.stoch(high: $1[0], low: $1[1], close: $1[2], $0, threads: $2) }) {
            try STOCH(fastkPeriod: $0.int("fastk_period"), slowkPeriod: $0.int("slowk_period"),
                      slowkMatype: $0.maType("slowk_matype"), slowdPeriod: $0.int("slowd_period"),
                      slowdMatype: $0.maType("slowd_matype"))
        },
        D.bars("STOCHF", .momentum, "Stochastic Fast", [.high, .low, .close],
               [D.period("fastk_period", 5, min: 1), D.period("fastd_period", 3, min: 1), D.ma("fastd_matype")]) {
            try STOCHF(fastkPeriod: $0.int("fastk_period"), fastdPeriod: $0.int("fastd_period"),
                       fastdMatype: $0.maType("fastd_matype"))
        },
        D.bars("WILLR", .momentum, "Williams' %R", [.high, .low, .close], [D.period(14)]) { try WILLR(timeperiod: $0.int("timeperiod")) },
        D.bars("ADX", .momentum, "Average Directional Movement Index", [.high, .low, .close], [D.period(14)],
               kernel: { [ColumnKernel.adx(high: $1[0], low: $1[1], close: $1[2], $0, threads: $2)] }) {
            try ADX(timeperiod: $0.int("timeperiod"))
        },
        D.bars("ADXR", .momentum, "Average Directional Movement Index Rating", [.high, .low, .close], [D.period(14)]) {
            try ADXR(timeperiod: $0.int("timeperiod"))
        },
        D.bars("DX", .momentum, "Directional Movement Index", [.high, .low, .close], [D.period(14)]) {
            try DX(timeperiod: $0.int("timeperiod"))
        },
        D.bars("PLUS_DI", .momentum, "Plus Directional Indicator", [.high, .low, .close], [D.period(14, min: 1)]) {
            try DirectionalIndicator(.plus, timeperiod: $0.int("timeperiod"))
        },
        D.bars("MINUS_DI", .momentum, "Minus Directional Indicator", [.high, .low, .close], [D.period(14, min: 1)]) {
            try DirectionalIndicator(.minus, timeperiod: $0.int("timeperiod"))
        },
        D.bars("PLUS_DM", .momentum, "Plus Directional Movement", [.high, .low], [D.period(14, min: 1)]) {
            try DirectionalMovement(.plus, timeperiod: $0.int("timeperiod"))
        },
        D.bars("MINUS_DM", .momentum, "Minus Directional Movement", [.high, .low], [D.period(14, min: 1)]) {
            try DirectionalMovement(.minus, timeperiod: $0.int("timeperiod"))
        },
        D.bars("AROON", .momentum, "Aroon", [.high, .low], [D.period(14)]) { try AROON(timeperiod: $0.int("timeperiod")) },
        D.bars("AROONOSC", .momentum, "Aroon Oscillator", [.high, .low], [D.period(14)]) { try AROONOSC(timeperiod: $0.int("timeperiod")) },
        D.bars("BOP", .momentum, "Balance Of Power", [.open, .high, .low, .close], []) { _ in BOP() },
        D.bars("CCI", .momentum, "Commodity Channel Index", [.high, .low, .close], [D.period(14)]) { try CCI(timeperiod: $0.int("timeperiod")) },
        D.bars("MFI", .momentum, "Money Flow Index", [.high, .low, .close, .volume], [D.period(14)]) { try MFI(timeperiod: $0.int("timeperiod")) },
        D.bars("ULTOSC", .momentum, "Ultimate Oscillator", [.high, .low, .close],
               [D.period("timeperiod1", 7, min: 1), D.period("timeperiod2", 14, min: 1), D.period("timeperiod3", 28, min: 1)]) {
            try ULTOSC(timeperiod1: $0.int("timeperiod1"), timeperiod2: $0.int("timeperiod2"), timeperiod3: $0.int("timeperiod3"))
        },
    ]

    static let volume: [IndicatorDescriptor] = [
        D.bars("AD", .volume, "Chaikin A/D Line", [.high, .low, .close, .volume], []) { _ in AD() },
        D.bars("ADOSC", .volume, "Chaikin A/D Oscillator", [.high, .low, .close, .volume],
               [D.period("fastperiod", 3), D.period("slowperiod", 10)]) {
            try ADOSC(fastperiod: $0.int("fastperiod"), slowperiod: $0.int("slowperiod"))
        },
        D.bars("OBV", .volume, "On Balance Volume", [.close, .volume], []) { _ in OBV() },
    ]

    static let volatility: [IndicatorDescriptor] = [
        D.bars("TRANGE", .volatility, "True Range", [.high, .low, .close], []) { _ in TRANGE() },
        D.bars("ATR", .volatility, "Average True Range", [.high, .low, .close], [D.period(14, min: 1)],
               kernel: { [ColumnKernel.atr(high: $1[0], low: $1[1], close: $1[2], $0, threads: $2)] }) {
            try ATR(timeperiod: $0.int("timeperiod"))
        },
        D.bars("NATR", .volatility, "Normalized Average True Range", [.high, .low, .close], [D.period(14, min: 1)]) {
            try NATR(timeperiod: $0.int("timeperiod"))
        },
    ]

    static let priceTransforms: [IndicatorDescriptor] = [
        D.bars("AVGPRICE", .priceTransform, "Average Price", [.open, .high, .low, .close], []) { _ in PriceTransform(.avgprice) },
        D.bars("MEDPRICE", .priceTransform, "Median Price", [.high, .low], []) { _ in PriceTransform(.medprice) },
        D.bars("TYPPRICE", .priceTransform, "Typical Price", [.high, .low, .close], []) { _ in PriceTransform(.typprice) },
        D.bars("WCLPRICE", .priceTransform, "Weighted Close Price", [.high, .low, .close], []) { _ in PriceTransform(.wclprice) },
    ]

    static let statistics: [IndicatorDescriptor] = [
        D.pair("BETA", .statistics, "Beta", [D.period(5, min: 1)]) { try BETA(timeperiod: $0.int("timeperiod")) },
        D.pair("CORREL", .statistics, "Pearson's Correlation Coefficient (r)", [D.period(30, min: 1)]) {
            try CORREL(timeperiod: $0.int("timeperiod"))
        },
        D.real("STDDEV", .statistics, "Standard Deviation", [D.period(5), D.real("nbdev", 1)]) {
            try STDDEV(timeperiod: $0.int("timeperiod"), nbdev: $0.real("nbdev"))
        },
        D.real("VAR", .statistics, "Variance", [D.period(5, min: 1), D.real("nbdev", 1)]) {
            try VAR(timeperiod: $0.int("timeperiod"), nbdev: $0.real("nbdev"))
        },
    ] + RegressionOutput.allCases.map { kind in
        D.real(kind.rawValue, .statistics, "Linear regression: \(kind)", [D.period(14)]) {
            try LinearRegression(kind, timeperiod: $0.int("timeperiod"))
        }
    }

    static let cycle: [IndicatorDescriptor] = [
        D.real("HT_DCPERIOD", .cycle, "Hilbert Transform - Dominant Cycle Period", []) { _ in HilbertIndicator(.dcPeriod) },
        D.real("HT_DCPHASE", .cycle, "Hilbert Transform - Dominant Cycle Phase", []) { _ in HilbertIndicator(.dcPhase) },
        D.real("HT_PHASOR", .cycle, "Hilbert Transform - Phasor Components", []) { _ in HT_PHASOR() },
        D.real("HT_SINE", .cycle, "Hilbert Transform - SineWave", []) { _ in HT_SINE() },
        D.real("HT_TRENDMODE", .cycle, "Hilbert Transform - Trend vs Cycle Mode", [], outputs: ["integer"]) { _ in
            HilbertIndicator(.trendMode)
        },
    ]

    static let mathOperators: [IndicatorDescriptor] = [
        D.real("MAX", .mathOperators, "Highest value over a specified period", [D.period(30)]) {
            try WindowExtremeIndicator(.max, timeperiod: $0.int("timeperiod"))
        },
        D.real("MIN", .mathOperators, "Lowest value over a specified period", [D.period(30)]) {
            try WindowExtremeIndicator(.min, timeperiod: $0.int("timeperiod"))
        },
        D.real("MAXINDEX", .mathOperators, "Index of highest value over a specified period", [D.period(30)], outputs: ["integer"]) {
            try WindowExtremeIndicator(.maxIndex, timeperiod: $0.int("timeperiod"))
        },
        D.real("MININDEX", .mathOperators, "Index of lowest value over a specified period", [D.period(30)], outputs: ["integer"]) {
            try WindowExtremeIndicator(.minIndex, timeperiod: $0.int("timeperiod"))
        },
        D.real("MINMAX", .mathOperators, "Lowest and highest values over a specified period", [D.period(30)]) {
            try MINMAX(timeperiod: $0.int("timeperiod"))
        },
        D.real("MINMAXINDEX", .mathOperators, "Indexes of lowest and highest values over a specified period", [D.period(30)]) {
            try MINMAXINDEX(timeperiod: $0.int("timeperiod"))
        },
        D.real("SUM", .mathOperators, "Summation", [D.period(30)]) { try SUM(timeperiod: $0.int("timeperiod")) },
    ] + MathOperatorKind.allCases.map { kind in
        D.pair(kind.rawValue, .mathOperators, "Vector arithmetic: \(kind)", []) { _ in MathOperator(kind) }
    }

    static let mathTransforms: [IndicatorDescriptor] = MathTransformKind.allCases.map { kind in
        D.real(kind.rawValue, .mathTransform, "Vector math transform: \(kind)", []) { _ in MathTransform(kind) }
    }

    static let extras: [IndicatorDescriptor] = [
        D.session("VWAP", "Session-anchored Volume Weighted Average Price (resets where the session id changes)", [],
                  kernel: { _, c, threads in [ColumnKernel.vwap(high: c[0], low: c[1], close: c[2], volume: c[3], session: c[4], threads: threads)] }) { _ in VWAP() },
        D.session("VWAP_BANDS", "Session-anchored VWAP with volume-weighted standard-deviation bands",
                  [D.real("nbdevup", 1), D.real("nbdevdn", 1)]) {
            try VWAPBands(nbdevup: $0.real("nbdevup"), nbdevdn: $0.real("nbdevdn"))
        },
        D.bars("ROLLING_VWAP", .extras, "Rolling VWAP over the last timeperiod bars", [.high, .low, .close, .volume],
               [D.period(20, min: 1)]) { try RollingVWAP(timeperiod: $0.int("timeperiod")) },
        D.bars("DONCHIAN", .extras, "Donchian Channels", [.high, .low], [D.period(20)]) { try DONCHIAN(timeperiod: $0.int("timeperiod")) },
        D.bars("KC", .extras, "Keltner Channels", [.high, .low, .close],
               [D.period(20), D.period("atrperiod", 10, min: 1), D.real("nbdev", 2)]) {
            try KC(timeperiod: $0.int("timeperiod"), atrperiod: $0.int("atrperiod"), nbdev: $0.real("nbdev"))
        },
        D.bars("SUPERTREND", .extras, "SuperTrend", [.high, .low, .close], [D.period(10, min: 1), D.real("multiplier", 3)]) {
            try SUPERTREND(timeperiod: $0.int("timeperiod"), multiplier: $0.real("multiplier"))
        },
        D.bars("HA", .extras, "Heikin-Ashi Candles", [.open, .high, .low, .close], []) { _ in HeikinAshi() },
        D.real("ZSCORE", .extras, "Rolling z-score: (x - SMA) / STDDEV", [D.period(20)]) { try ZSCORE(timeperiod: $0.int("timeperiod")) },
    ]
}
