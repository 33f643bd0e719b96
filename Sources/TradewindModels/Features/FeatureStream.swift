import TradewindIndicators

/// The 18 universal features one bar at a time: the TradewindIndicators states behind `UniversalFeatures`,
/// updated per bar, so a strategy computes a bar's features in O(1) (CCI: O(20)) with exactly the batch values.
public struct FeatureStream: Sendable {
    var rsi = try! RSI(timeperiod: 14)
    var macd = try! MACD(fastperiod: 12, slowperiod: 26, signalperiod: 9)
    var bands = try! BBANDS(timeperiod: 20, nbdevup: 2, nbdevdn: 2)
    var atr = try! ATR(timeperiod: 14)
    var sma20 = try! SMA(timeperiod: 20)
    var sma50 = try! SMA(timeperiod: 50)
    var stochastic = try! STOCHF(fastkPeriod: 14, fastdPeriod: 3)
    var roc = try! RateOfChange(.roc, timeperiod: 10)
    var momentum = try! RateOfChange(.momentum, timeperiod: 10)
    var willr = try! WILLR(timeperiod: 14)
    var cci = try! CCI(timeperiod: 20)
    var obv = OBV()
    var previous: OHLCV?
    var previousOBV = 0.0
    /// Bars seen so far.
    public private(set) var count = 0

    public init() {}

    /// Feeds the next bar; returns its 18 features in `UniversalFeature` order, or nil within the first
    /// `UniversalFeature.warmUp` bars. Throws on a bar the features cannot use (see `UniversalFeatures.compute`).
    public mutating func update(_ bar: OHLCV, symbol: String = "") throws(ModelError) -> [Double]? {
        for (field, v) in [("open", bar.open), ("high", bar.high), ("low", bar.low), ("close", bar.close)] where !(v.isFinite && v > 0) {
            throw .invalidBar(symbol: symbol, index: count, field: field, value: v)
        }
        guard bar.volume.isFinite && bar.volume >= 0 else { throw .invalidBar(symbol: symbol, index: count, field: "volume", value: bar.volume) }
        defer {
            count += 1
            previous = bar
        }
        let c = bar.close
        let r = rsi.update(c), m = macd.update(c), b = bands.update(c), a = atr.update(bar)
        let s20 = sma20.update(c), s50 = sma50.update(c), k = stochastic.update(bar)
        let rc = roc.update(c), mo = momentum.update(c), w = willr.update(bar), cc = cci.update(bar)
        let o = obv.update(bar)!
        defer { previousOBV = o }
        guard count >= UniversalFeature.warmUp, let p = previous, let r, let m, let b, let a, let s20, let s50, let k,
              let rc, let mo, let w, let cc else { return nil }
        func change(_ x: Double, _ before: Double) -> Double { before == 0 ? 0 : (x / before - 1) * 100 }
        let band = b.upperband - b.lowerband
        let obvChange = previousOBV == 0 ? 0 : min(50, max(-50, (o - previousOBV) / abs(previousOBV) * 100))
        return [
            change(c, p.close), change(bar.high, p.high), change(bar.low, p.low), change(bar.volume, p.volume),
            r, m.macd / c,
            band == 0 ? 0.5 : (c - b.lowerband) / band, band / b.middleband,
            a / c * 100,
            (c / s20 - 1) * 100, (c / s50 - 1) * 100,
            k.first, k.second, rc, w, cc, obvChange,
            mo / c * 100,
        ]
    }
}
