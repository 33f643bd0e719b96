import TradewindCore

/// The regular-hours (RTH) sessions present in one intraday series, computed once in O(n) and
/// stored as contiguous arrays for hot loops (intraday strategies, their fast kernels).
///
/// A bar belongs to a session's regular hours when its **start** lies in `[open, close)`, so on a
/// 13:00 early close the last RTH one-minute bar is the 12:59 bar. Bars outside regular hours
/// (pre-market, after-hours, closed days) have `sessionOfBar[i] == -1`.
///
/// Sessions are numbered `0..<sessionCount` in the order they appear in the data (only sessions
/// with at least one RTH bar are listed). For session `s`, `firstBar[s]..<endBar[s]` is the range of
/// bar indices of its RTH bars in the series (contiguous, since extended-hours bars of the same day
/// lie before the open or after the close).
///
/// Look-ahead: `endBar`/`lastBar` describe the whole session and are known only once it is over;
/// a strategy deciding at bar `i` should test the session's `close` instant instead
/// (e.g. `series.time[i] + barLength >= view.close[s]` for "the last bar of the day").
public struct SessionView: Sendable, Equatable {
    /// Per bar: the index of its session in this view, or -1 outside regular hours.
    public let sessionOfBar: [Int32]
    /// Per session: its trading date.
    public let dates: [CivilDate]
    /// Per session: the regular open and close instants (UTC ns; close is 13:00 local on early closes).
    public let open: [UnixNanos]
    public let close: [UnixNanos]
    /// Per session: the index of its first RTH bar.
    public let firstBar: [Int]
    /// Per session: one past the index of its last RTH bar.
    public let endBar: [Int]
    /// Per session: the close of the last RTH bar of the previous session present in the data
    /// (NaN for the first session). Sessions missing from the data are skipped, not filled.
    public let previousClose: [Double]

    /// Number of sessions with at least one RTH bar.
    @inlinable public var sessionCount: Int { dates.count }

    /// The RTH bar indices of session `s`.
    @inlinable public func bars(ofSession s: Int) -> Range<Int> { firstBar[s]..<endBar[s] }

    /// The index of the last RTH bar of session `s`.
    @inlinable public func lastBar(ofSession s: Int) -> Int { endBar[s] - 1 }

    /// Builds the view of `series` on `calendar` (the NYSE by default). O(bars).
    public init(series: BarSeries, calendar: some ExchangeCalendar = NYSECalendar.shared) {
        let n = series.count
        var ofBar = [Int32](repeating: -1, count: n)
        var dates: [CivilDate] = [], open: [UnixNanos] = [], close: [UnixNanos] = []
        var first: [Int] = [], end: [Int] = [], prev: [Double] = []
        var cursor = SessionCursor(calendar: calendar)
        var lastRTHClose = Double.nan
        series.time.withUnsafeBufferPointer { time in
            series.close.withUnsafeBufferPointer { px in
                for i in 0..<n {
                    let t = time[i]
                    cursor.move(to: t)
                    guard let s = cursor.session, t >= s.open, t < s.close else { continue }
                    if dates.last != s.date {
                        if !first.isEmpty { lastRTHClose = px[end[end.count - 1] - 1] }
                        dates.append(s.date)
                        open.append(s.open)
                        close.append(s.close)
                        first.append(i)
                        end.append(i + 1)
                        prev.append(lastRTHClose)
                    } else {
                        end[end.count - 1] = i + 1
                    }
                    ofBar[i] = Int32(dates.count - 1)
                }
            }
        }
        self.sessionOfBar = ofBar
        self.dates = dates
        self.open = open
        self.close = close
        self.firstBar = first
        self.endBar = end
        self.previousClose = prev
    }
}
