import TradewindCore

/// The simulation's read-only market data: every symbol's OHLCV columns in contiguous memory, the common
/// time index, and per step each symbol's row (exact bar or latest earlier bar). Allocated once per run, or grown
/// step by step for a live or replayed market (`MarketColumns+Streaming.swift`).
///
/// The price, volume, time and corporate-action columns are not copied: they point into the element storage
/// of the series' arrays, which `retained` keeps alive (and, being a `let` of immutable values, unmutated)
/// for as long as this object lives. Nothing writes through these pointers.
@usableFromInline
final class MarketColumns: @unchecked Sendable {
    /// The series whose array storage `open`…`barTime`, `dividend`, `split` and (one symbol) `time` point into.
    private let retained: [BarSeries]
    @usableFromInline let symbols: [String]
    @usableFromInline let symbolCount: Int
    @usableFromInline @exclusivity(unchecked) var stepCount: Int
    /// The common (union) time index.
    @usableFromInline @exclusivity(unchecked) var time: UnsafeMutablePointer<UnixNanos>
    /// Whether `time` was allocated here (several symbols) or is the one series' `barTime`.
    private let ownsTime: Bool
    /// The allocation holding `day`, `minute`, `flags` and (one symbol) the shared row column.
    private let stepBlock: UnsafeMutableRawPointer
    /// The same index as an array, shared by every run's result (no copy per run).
    @exclusivity(unchecked) var timeIndex: [UnixNanos]
    @usableFromInline let open: UnsafeMutablePointer<UnsafeMutablePointer<Double>>
    @usableFromInline let high: UnsafeMutablePointer<UnsafeMutablePointer<Double>>
    @usableFromInline let low: UnsafeMutablePointer<UnsafeMutablePointer<Double>>
    @usableFromInline let close: UnsafeMutablePointer<UnsafeMutablePointer<Double>>
    @usableFromInline let volume: UnsafeMutablePointer<UnsafeMutablePointer<Double>>
    @usableFromInline let barTime: UnsafeMutablePointer<UnsafeMutablePointer<UnixNanos>>
    @usableFromInline @exclusivity(unchecked) var barCount: [Int]
    /// Corporate actions per symbol and bar (nil when the series has none): cash dividend on the ex-date,
    /// and new shares per old share on a split's ex-date (1 elsewhere).
    @exclusivity(unchecked) var dividend: [UnsafeMutablePointer<Double>?]
    @exclusivity(unchecked) var split: [UnsafeMutablePointer<Double>?]
    /// `exactRow[s][i]`: row of symbol s at step i, or -1 when it has no bar then.
    @usableFromInline let exactRow: UnsafeMutablePointer<UnsafeMutablePointer<Int32>>
    /// `latestRow[s][i]`: row of s's latest bar at or before step i, or -1 before its first bar.
    @usableFromInline let latestRow: UnsafeMutablePointer<UnsafeMutablePointer<Int32>>
    /// Session flags per step: bit 0 in session, bit 1 first in-session step of its session, bit 2 last one,
    /// bit 3 first step (in or out of hours) of a new calendar session.
    @usableFromInline @exclusivity(unchecked) var flags: UnsafeMutablePointer<UInt8>
    /// Local calendar day number (days since 1970-01-01 in the session zone) per step.
    @usableFromInline @exclusivity(unchecked) var day: UnsafeMutablePointer<Int64>
    /// Local minute of the day (0..<1440) of each step's start, in the session zone.
    @usableFromInline @exclusivity(unchecked) var minute: UnsafeMutablePointer<Int16>
    let intraday: Bool
    /// The growth state of a streamed market (nil for a market prepared from a whole dataset).
    let stream: StreamState?

    @usableFromInline static let inSession: UInt8 = 1
    @usableFromInline static let sessionFirst: UInt8 = 2
    @usableFromInline static let sessionLast: UInt8 = 4
    @usableFromInline static let newDay: UInt8 = 8
    /// Some symbol has a dividend or split on its bar at this step.
    @usableFromInline static let corporateAction: UInt8 = 16

    /// `threads`: with two or more, a helper populates the fresh per-step block's pages while it is written
    /// (`PagePopulation`; the values do not depend on it).
    init(dataset: MarketDataset, session: SessionPolicy, from: UnixNanos?, to: UnixNanos?,
         threads: ThreadBudget = .single) throws(BacktestError) {
        let series = try dataset.simulatedSeries(from: from, to: to)
        symbols = series.map(\.symbol)
        symbolCount = series.count
        intraday = series.contains { $0.interval.isIntraday }

        retained = series
        func copy<T>(_ a: [T]) -> UnsafeMutablePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: max(a.count, 1))
            p.initialize(from: a, count: a.count)
            return p
        }
        /// The address of `a`'s elements (no copy). Valid while `a`'s storage lives unmutated: every array
        /// passed here belongs to a series of `retained`. A native array's storage is one contiguous heap
        /// object whose address does not change while it is alive and not mutated.
        func storage<T>(_ a: [T]) -> UnsafeMutablePointer<T> {
            a.withUnsafeBufferPointer { UnsafeMutablePointer(mutating: $0.baseAddress!) }
        }
        open = copy(series.map { storage($0.open) })
        high = copy(series.map { storage($0.high) })
        low = copy(series.map { storage($0.low) })
        close = copy(series.map { storage($0.close) })
        volume = copy(series.map { storage($0.volume) })
        barTime = copy(series.map { storage($0.time) })
        barCount = series.map(\.count)
        dividend = series.map { s in s.dividend.flatMap { d in d.contains { $0 != 0 } ? storage(d) : nil } }
        split = series.map { s in s.splitCoefficient.flatMap { c in c.contains { $0 != 1 } ? storage(c) : nil } }
        let aligned = series.count == 1 ? nil : MarketDataset(series).aligned(.union)
        let stepTimes = aligned?.time ?? series[0].time
        let n = stepTimes.count
        // One block for the per-step columns, each written once (huge pages asked for the whole): day (Int64),
        // the one symbol's rows (Int32; several symbols have their own), minute (Int16), flags (UInt8).
        let rowBytes = aligned == nil ? n * 4 : 0
        let blockBytes = max(n * 8 + rowBytes + n * 2 + n, 8)
        let block = UnsafeMutableRawPointer.allocate(byteCount: blockBytes, alignment: 8)
        MemoryPolicy.adviseHugePages(block, bytes: blockBytes)
        let population = PagePopulation.start([(start: block, bytes: blockBytes)], threads: threads)
        defer { population?.finish() }
        stepBlock = block
        day = block.bindMemory(to: Int64.self, capacity: n)
        minute = (block + n * 8 + rowBytes).bindMemory(to: Int16.self, capacity: n)
        flags = (block + n * 8 + rowBytes + n * 2).bindMemory(to: UInt8.self, capacity: n)
        if let aligned {
            exactRow = copy(aligned.rows.map { copy($0) })
            latestRow = copy((0..<series.count).map { s in copy((0..<aligned.time.count).map { aligned.lastRow(symbol: s, at: $0) }) })
            time = copy(stepTimes)
            ownsTime = true
        } else {
            // One symbol: the common index is its own; every step has its bar, so the exact and the latest
            // row of step i are both i (one shared column, in the block).
            let rows = (block + n * 8).bindMemory(to: Int32.self, capacity: n)
            for i in 0..<n { rows[i] = Int32(i) }
            exactRow = copy([rows])
            latestRow = copy([rows])
            time = barTime[0]
            ownsTime = false
        }
        timeIndex = stepTimes
        stepCount = n
        stream = nil

        let zone = session.zone
        var cached: (day: Int64, session: TradingSession?)? = nil
        // One zone-table lookup per span of constant offset, and one division per local day (steps are in time
        // order; a step before the day's start, as after a zone's clock goes back, looks its day up again).
        var span = (offset: Int64(0), start: UnixNanos.max, end: UnixNanos.min)
        var dayNumber: Int64 = 0, dayStart = Int64.max, dayEnd = Int64.min
        let plainHours = session.calendar == nil && session.hours == nil
        let withActions = (0..<symbolCount).filter { dividend[$0] != nil || split[$0] != nil }
        // The in-hours steps of the current session (its calendar day; each daily bar is its own): the first and
        // last of them are flagged once the session ends.
        var firstInHours = -1, lastInHours = -1
        @inline(__always) func endSession() {
            if lastInHours >= 0 {
                flags[firstInHours] |= Self.sessionFirst
                flags[lastInHours] |= Self.sessionLast
            }
            firstInHours = -1
            lastInHours = -1
        }
        for i in 0..<n {
            let t = stepTimes[i]
            if t < span.start || t >= span.end { span = zone.offsetSpan(at: t) }
            let local = t + span.offset
            if local < dayStart || local >= dayEnd {
                dayNumber = UnixTime.floorDiv(local, UnixTime.nanosPerDay)
                dayStart = dayNumber * UnixTime.nanosPerDay
                dayEnd = dayStart + UnixTime.nanosPerDay
            }
            day[i] = dayNumber
            minute[i] = Int16(truncatingIfNeeded: UInt64(local - dayStart) / UInt64(UnixTime.nanosPerMinute))
            // Daily and longer bars (stamped at their session's open): each bar is its own session, in hours.
            let inHours = plainHours || !intraday || session.isInSession(t, local: local, cachedSession: &cached)
            var f: UInt8 = inHours ? Self.inSession : 0
            let newSession = i == 0 || dayNumber != day[i - 1] || !intraday
            if newSession {
                f |= Self.newDay
                endSession()
            }
            for k in withActions {
                let r = Int(exactRow[k][i])
                if r >= 0 && ((dividend[k]?[r] ?? 0) != 0 || (split[k]?[r] ?? 1) != 1) { f |= Self.corporateAction }
            }
            flags[i] = f
            if inHours {
                if firstInHours < 0 { firstInHours = i }
                lastInHours = i
            }
        }
        endSession()
    }

    /// An empty market that grows a step at a time (`appendStep`): the columns of `symbols` (in this order), the
    /// session rules of `session` and bars of `interval`. Room for `capacity` steps and bars per symbol is reserved
    /// first; the columns double when full.
    init(streaming symbols: [String], session: SessionPolicy, interval: BarInterval, capacity: Int = 1024) {
        let k = symbols.count, c = max(capacity, 16)
        self.symbols = symbols
        symbolCount = k
        stepCount = 0
        intraday = interval.isIntraday
        retained = []
        ownsTime = true
        stepBlock = UnsafeMutableRawPointer.allocate(byteCount: 8, alignment: 8)
        time = .allocate(capacity: c)
        day = .allocate(capacity: c)
        minute = .allocate(capacity: c)
        flags = .allocate(capacity: c)
        timeIndex = []
        func columns<T>(_ make: () -> UnsafeMutablePointer<T>) -> UnsafeMutablePointer<UnsafeMutablePointer<T>> {
            let outer = UnsafeMutablePointer<UnsafeMutablePointer<T>>.allocate(capacity: max(k, 1))
            for s in 0..<k { (outer + s).initialize(to: make()) }
            return outer
        }
        open = columns { .allocate(capacity: c) }
        high = columns { .allocate(capacity: c) }
        low = columns { .allocate(capacity: c) }
        close = columns { .allocate(capacity: c) }
        volume = columns { .allocate(capacity: c) }
        barTime = columns { .allocate(capacity: c) }
        exactRow = columns { .allocate(capacity: c) }
        latestRow = columns { .allocate(capacity: c) }
        barCount = Array(repeating: 0, count: k)
        dividend = (0..<k).map { _ in .allocate(capacity: c) }
        split = (0..<k).map { _ in .allocate(capacity: c) }
        stream = StreamState(session: session, interval: interval, stepCapacity: c,
                             barCapacity: Array(repeating: c, count: k))
    }

    deinit {
        if stream != nil {
            stepBlock.deallocate()
            releaseStreamedColumns()
            return
        }
        if ownsTime {
            // Several symbols: the time index and every row column were allocated on their own.
            time.deallocate()
            for s in 0..<symbolCount {
                latestRow[s].deallocate()
                exactRow[s].deallocate()
            }
        }
        for p in [open, high, low, close, volume] { p.deallocate() }
        barTime.deallocate()
        exactRow.deallocate()
        latestRow.deallocate()
        stepBlock.deallocate()
    }
}

extension MarketDataset {
    /// The series a run simulates: the bars starting in `[from, to)`, empty series dropped, sorted by symbol; an empty
    /// period or a bar with a non-finite price is `BacktestError.noData` naming it.
    public func simulatedSeries(from: UnixNanos?, to: UnixNanos?) throws(BacktestError) -> [BarSeries] {
        var series = self.series
        if from != nil || to != nil {
            series = series.map { $0.between(from ?? .min, to ?? .max) }
        }
        series.removeAll { $0.isEmpty }
        guard !series.isEmpty else {
            throw BacktestError.noData(isEmpty ? "the dataset has no symbols"
                : "no bars of \(symbols.joined(separator: ", ")) fall in the requested period")
        }
        for s in series {
            for k in 0..<s.count where !(s.open[k].isFinite && s.high[k].isFinite && s.low[k].isFinite && s.close[k].isFinite) {
                throw BacktestError.noData("\(s.symbol) bar \(k) (\(ISO8601.utc(s.time[k]))) has a non-finite price; clean or drop it first")
            }
        }
        return series.count > 1 ? MarketDataset(series).series : series
    }
}
