import Foundation

/// Bollinger Bands (TA-Lib BBANDS): a `matype` moving average ± `nbdevup`/`nbdevdn` population standard
/// deviations over the same `timeperiod` (TA-Lib 0.8's accurate variance, see `VAR`).
///
/// The SMA middle band is the window mean the deviation's `WindowVariance` keeps anyway (a sliding update
/// `mean += (x − oldest)/n`, recomputed exactly from the window every `timeperiod` bars): no second running
/// sum and no division per bar. It agrees with TA-Lib's `sum/n` to rounding (~1e-16 relative); the refresh
/// keeps rounding from drifting and makes the state at each refresh bar depend on the window alone, which
/// lets the batch kernel compute a long column in parts on both cores with the same bits as one pass.
public struct BBANDS: StreamingIndicator {
    public let timeperiod: Int
    public let nbdevup: Double
    public let nbdevdn: Double
    public let matype: MAType
    @usableFromInline var average: MovingAverage
    @usableFromInline var deviation: STDDEV

    /// - Parameters: timeperiod 2...100000 (default 20); nbdevup, nbdevdn (default 2); matype (default SMA).
    public init(timeperiod: Int = 20, nbdevup: Double = 2, nbdevdn: Double = 2, matype: MAType = .sma) throws(IndicatorError) {
        try Check.period(timeperiod, "timeperiod", in: 2...maxIndicatorPeriod, "BBANDS")
        try Check.real(nbdevup, "nbdevup", in: -realParameterBound...realParameterBound, "BBANDS")
        try Check.real(nbdevdn, "nbdevdn", in: -realParameterBound...realParameterBound, "BBANDS")
        self.timeperiod = timeperiod
        self.nbdevup = nbdevup
        self.nbdevdn = nbdevdn
        self.matype = matype
        average = MovingAverage(unchecked: timeperiod, matype: matype)
        deviation = STDDEV(unchecked: timeperiod, nbdev: 1.0)
    }

    public var lookback: Int { max(average.lookback, timeperiod - 1) }

    @inlinable
    public mutating func update(_ x: Double) -> Bands? {
        let sd = deviation.update(x)
        let ma: Double?
        if matype == .sma {
            ma = sd == nil ? nil : deviation.variance.window.mean
        } else {
            ma = average.update(x)
        }
        guard let ma, let sd else { return nil }
        if nbdevup == nbdevdn {
            if nbdevup == 1.0 {
                return Bands(upperband: ma + sd, middleband: ma, lowerband: ma - sd)
            }
            let t = sd * nbdevup
            return Bands(upperband: ma + t, middleband: ma, lowerband: ma - t)
        }
        if nbdevup == 1.0 {
            return Bands(upperband: ma + sd, middleband: ma, lowerband: ma - sd * nbdevdn)
        }
        if nbdevdn == 1.0 {
            return Bands(upperband: ma + sd * nbdevup, middleband: ma, lowerband: ma - sd)
        }
        return Bands(upperband: ma + sd * nbdevup, middleband: ma, lowerband: ma - sd * nbdevdn)
    }
}
