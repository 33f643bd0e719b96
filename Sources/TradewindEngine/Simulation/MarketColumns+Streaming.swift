import TradewindCore

/// One symbol's bar arriving at a step of a streamed market.
public struct StreamedBar: Sendable, Hashable {
    /// The symbol's index in the run (`TradingContext.symbols` order).
    public let symbol: Int
    public let open: Double
    public let high: Double
    public let low: Double
    public let close: Double
    public let volume: Double
    /// Cash dividend per share going ex at this bar (0 = none).
    public let dividend: Double
    /// New shares per old share of a split taking effect at this bar (1 = none).
    public let splitCoefficient: Double

    public init(symbol: Int, open: Double, high: Double, low: Double, close: Double, volume: Double,
                dividend: Double = 0, splitCoefficient: Double = 1) {
        self.symbol = symbol
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
        self.dividend = dividend
        self.splitCoefficient = splitCoefficient
    }
}

/// Why a bar could not be added to a streamed market.
public enum StreamingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Steps must arrive in strictly increasing time.
    case outOfOrder(time: UnixNanos, latest: UnixNanos)
    /// A bar names a symbol index outside the run's symbols.
    case unknownSymbol(index: Int, symbolCount: Int)
    /// A bar's prices are not finite numbers.
    case invalidPrices(symbol: String, time: UnixNanos)
    /// Two bars of one symbol at one step.
    case duplicateBar(symbol: String, time: UnixNanos)

    public var description: String {
        switch self {
        case .outOfOrder(let t, let latest):
            return "a step at \(ISO8601.utc(t)) arrived after the step at \(ISO8601.utc(latest)); steps must be in increasing time"
        case .unknownSymbol(let i, let n): return "bar for symbol index \(i); valid indices are 0..<\(n)"
        case .invalidPrices(let s, let t): return "\(s) bar at \(ISO8601.utc(t)) has a non-finite price; the bar was not used"
        case .duplicateBar(let s, let t): return "two \(s) bars at \(ISO8601.utc(t)); one bar per symbol and step"
        }
    }
}

/// The growth state of a streamed market: the session rules it applies to each new step, the reserved room, and
/// the session that is open (an in-session step seen, its last step not yet known).
final class StreamState {
    let session: SessionPolicy
    let interval: BarInterval
    /// True when the policy has regular hours (a calendar or fixed hours) and the bars are intraday.
    let hasHours: Bool
    var stepCapacity: Int
    var barCapacity: [Int]
    var cachedSession: (day: Int64, session: TradingSession?)? = nil
    /// The zone offset of the latest span looked up (instants are classified in time order).
    var span = (offset: Int64(0), start: UnixNanos.max, end: UnixNanos.min)
    /// The local day key of the open session and the step of its latest in-session bar.
    var openSession: (day: Int64, step: Int)? = nil
    /// Per symbol, the last `appendStep` call whose bars named it (a second bar in one call is a duplicate), and
    /// the number of calls (refused ones included, so a refused step's marks never match a later one's).
    var namedAt: [Int]
    var appendCalls = 0

    init(session: SessionPolicy, interval: BarInterval, stepCapacity: Int, barCapacity: [Int]) {
        self.session = session
        self.interval = interval
        namedAt = Array(repeating: -1, count: barCapacity.count)
        hasHours = interval.isIntraday && (session.calendar != nil || session.hours != nil)
        self.stepCapacity = stepCapacity
        self.barCapacity = barCapacity
    }
}

extension MarketColumns {
    /// The local day key (session zone) and regular-hours flag of a bar starting at `t`.
    func classify(_ t: UnixNanos, _ state: StreamState) -> (day: Int64, minute: Int16, inSession: Bool) {
        if t < state.span.start || t >= state.span.end { state.span = state.session.zone.offsetSpan(at: t) }
        let local = t + state.span.offset
        let day = UnixTime.floorDiv(local, UnixTime.nanosPerDay)
        let minute = Int16(UnixTime.floorMod(local, UnixTime.nanosPerDay) / UnixTime.nanosPerMinute)
        guard state.hasHours else { return (day, minute, true) }
        return (day, minute, state.session.isInSession(t, local: local, cachedSession: &state.cachedSession))
    }

    /// True when the open session (an in-session step whose session's last step is not known yet) has ended before
    /// an instant `t`: `t` falls on another local day or outside regular hours. The caller then marks the latest
    /// step as the session's last (`markSessionLast`) before adding a step at `t`.
    func sessionEnds(before t: UnixNanos) -> Bool {
        guard let state = stream, let open = state.openSession else { return false }
        let c = classify(t, state)
        return c.day != open.day || !c.inSession
    }

    /// Marks the open session's latest in-session step as its last (the clock or the next bar showed it ended).
    func markSessionLast() {
        guard let open = stream?.openSession else { return }
        flags[open.step] |= Self.sessionLast
        stream?.openSession = nil
    }

    /// Adds a step at `t` with the bars that start then (any subset of the symbols), computing its session flags as
    /// the whole-dataset preparation would: the first in-session step of a day opens a session; a step is known to be
    /// the session's last at once when its bar ends at or after the session's close (daily bars: always); otherwise
    /// later, by `markSessionLast`.
    func appendStep(_ t: UnixNanos, bars: ArraySlice<StreamedBar>) throws(StreamingError) {
        guard let state = stream else { preconditionFailure("appendStep on a market prepared from a whole dataset") }
        let i = stepCount
        if i > 0 && t <= time[i - 1] { throw .outOfOrder(time: t, latest: time[i - 1]) }
        state.appendCalls += 1
        let call = state.appendCalls
        for k in bars.indices {
            let b = bars[k]
            guard b.symbol >= 0 && b.symbol < symbolCount else { throw .unknownSymbol(index: b.symbol, symbolCount: symbolCount) }
            guard b.open.isFinite && b.high.isFinite && b.low.isFinite && b.close.isFinite else {
                throw .invalidPrices(symbol: symbols[b.symbol], time: t)
            }
            if state.namedAt[b.symbol] == call { throw .duplicateBar(symbol: symbols[b.symbol], time: t) }
            state.namedAt[b.symbol] = call
        }
        if i == state.stepCapacity { growSteps(state) }
        let c = classify(t, state)
        time[i] = t
        day[i] = c.day
        minute[i] = c.minute
        var f: UInt8 = c.inSession ? Self.inSession : 0
        if i == 0 || c.day != day[i - 1] || !intraday { f |= Self.newDay }
        for s in 0..<symbolCount {
            exactRow[s][i] = -1
            latestRow[s][i] = i > 0 ? latestRow[s][i - 1] : -1
        }
        for b in bars {
            let s = b.symbol, r = barCount[s]
            if r == state.barCapacity[s] { growBars(s, state) }
            open[s][r] = b.open
            high[s][r] = b.high
            low[s][r] = b.low
            close[s][r] = b.close
            volume[s][r] = b.volume
            barTime[s][r] = t
            dividend[s]![r] = b.dividend.isFinite ? b.dividend : 0
            split[s]![r] = b.splitCoefficient.isFinite && b.splitCoefficient > 0 ? b.splitCoefficient : 1
            if dividend[s]![r] != 0 || split[s]![r] != 1 { f |= Self.corporateAction }
            barCount[s] = r + 1
            exactRow[s][i] = Int32(r)
            latestRow[s][i] = Int32(r)
        }
        if c.inSession {
            if state.openSession?.day != c.day { f |= Self.sessionFirst }
            state.openSession = (c.day, i)
            if !intraday || endsSession(t, day: c.day, state) {
                f |= Self.sessionLast
                state.openSession = nil
            }
        }
        flags[i] = f
        timeIndex.append(t)
        stepCount = i + 1
    }

    /// True when a bar starting at `t` on local day `day` ends at or after its session's close.
    private func endsSession(_ t: UnixNanos, day: Int64, _ state: StreamState) -> Bool {
        let end = t + state.interval.nominalNanos
        if let calendar = state.session.calendar {
            if state.cachedSession?.day != day {
                state.cachedSession = (day, calendar.session(on: CivilDate(daysSinceEpoch: Int(day))))
            }
            guard let session = state.cachedSession?.session else { return false }
            return end >= session.close
        }
        if let hours = state.session.hours {
            let zone = state.session.zone
            let date = CivilDate(daysSinceEpoch: Int(day))
            let close = zone.instant(date, hour: hours.upperBound / 60, minute: hours.upperBound % 60)
            return end >= close
        }
        return false
    }

    private func growSteps(_ state: StreamState) {
        let old = state.stepCapacity, new = old * 2
        func grown<T>(_ p: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<T> {
            let q = UnsafeMutablePointer<T>.allocate(capacity: new)
            q.moveInitialize(from: p, count: old)
            p.deallocate()
            return q
        }
        time = grown(time)
        day = grown(day)
        minute = grown(minute)
        flags = grown(flags)
        for s in 0..<symbolCount {
            exactRow[s] = grown(exactRow[s])
            latestRow[s] = grown(latestRow[s])
        }
        state.stepCapacity = new
    }

    private func growBars(_ s: Int, _ state: StreamState) {
        let old = state.barCapacity[s], new = old * 2
        func grown<T>(_ p: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<T> {
            let q = UnsafeMutablePointer<T>.allocate(capacity: new)
            q.moveInitialize(from: p, count: old)
            p.deallocate()
            return q
        }
        open[s] = grown(open[s])
        high[s] = grown(high[s])
        low[s] = grown(low[s])
        close[s] = grown(close[s])
        volume[s] = grown(volume[s])
        barTime[s] = grown(barTime[s])
        dividend[s] = grown(dividend[s]!)
        split[s] = grown(split[s]!)
        state.barCapacity[s] = new
    }

    /// Frees a streamed market's own columns (called by `deinit`).
    func releaseStreamedColumns() {
        time.deallocate()
        day.deallocate()
        minute.deallocate()
        flags.deallocate()
        for s in 0..<symbolCount {
            for p in [open[s], high[s], low[s], close[s], volume[s]] { p.deallocate() }
            barTime[s].deallocate()
            dividend[s]?.deallocate()
            split[s]?.deallocate()
            exactRow[s].deallocate()
            latestRow[s].deallocate()
        }
        for p in [open, high, low, close, volume] { p.deallocate() }
        barTime.deallocate()
        exactRow.deallocate()
        latestRow.deallocate()
    }
}
