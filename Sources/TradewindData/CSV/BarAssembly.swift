import TradewindCore

/// Turns parsed rows into a `BarSeries`: sort, de-duplicate, infer the interval, convert daily
/// midnight stamps to session opens, decide the bar label and shift end-labelled stamps to starts.
enum BarAssembly {
    static let sessionOpen: Int64 = (9 * 3600 + 30 * 60) * UnixTime.nanosPerSecond

    static func assemble(_ raw: RawBars, symbol: String, options: LoadOptions) throws(DataError) -> (BarSeries, CSVLoadReport) {
        let n = raw.count
        let t = raw.time
        // 1. Order.
        var ascending = true, descending = true
        if n > 1 {
            t.withUnsafeBufferPointer { tb in
                for i in 1..<n {
                    if tb[i] < tb[i - 1] { ascending = false }
                    if tb[i] > tb[i - 1] { descending = false }
                    if !ascending && !descending { break }
                }
            }
        }
        var order: [Int]?  // nil = identity
        if !ascending {
            if descending { order = Array((0..<n).reversed()) }
            else { order = Array(0..<n).sorted { t[$0] != t[$1] ? t[$0] < t[$1] : $0 < $1 } }
        }
        // 2. Duplicates: the row latest in file order (highest raw index) wins under keep-last.
        var dropped = 0
        var keep: [Int]?
        do {
            var hasDup = false
            if n > 1 {
                if let order { for k in 1..<n where t[order[k]] == t[order[k - 1]] { hasDup = true; break } }
                else { for k in 1..<n where t[k] == t[k - 1] { hasDup = true; break } }
            }
            if hasDup {
                let ord = order ?? Array(0..<n)
                var kept: [Int] = []
                kept.reserveCapacity(n)
                var k = 0
                while k < n {
                    var best = ord[k], lowest = ord[k]
                    var j = k + 1
                    while j < n && t[ord[j]] == t[ord[k]] {
                        best = max(best, ord[j]); lowest = min(lowest, ord[j]); j += 1
                    }
                    if j - k > 1 {
                        if options.duplicates == .error {
                            var second = Int.max
                            for q in k..<j where ord[q] != lowest { second = min(second, ord[q]) }
                            let f1 = raw.files[Int(raw.fileIndex[lowest])], f2 = raw.files[Int(raw.fileIndex[second])]
                            let where2 = f1 == f2 ? "line \(raw.line[second])" : "\(f2):\(raw.line[second])"
                            throw DataError(.duplicateTimestamp, file: f1, line: Int(raw.line[lowest]), column: raw.columns.name(raw.columns.time),
                                            value: ISO8601.utc(t[lowest]),
                                            input: .duplicates, suggestion: DuplicatePolicy.keepLast.rawValue,
                                            "the same timestamp appears again at \(where2); remove one row or load with duplicates keep-last")
                        }
                        dropped += j - k - 1
                    }
                    kept.append(best)
                    k = j
                }
                keep = kept
            } else {
                keep = order
            }
        }
        func gather(_ a: [Double]) -> [Double] {
            guard let keep else { return a }
            return a.withUnsafeBufferPointer { src in keep.map { src[$0] } }
        }
        var time = keep.map { k in t.withUnsafeBufferPointer { src in k.map { src[$0] } } } ?? t
        let volume = gather(raw.volume)
        // 3. Interval.
        var intervalInferred = false
        let interval: BarInterval
        if let given = options.interval {
            interval = given
        } else if let inferred = inferInterval(time, allDates: raw.allDates) {
            interval = inferred
            intervalInferred = true
        } else if raw.allDates {
            interval = .daily
            intervalInferred = true
        } else {
            throw DataError(.badOption, file: raw.files[0], input: .interval,
                            "cannot infer the bar interval from \(time.count) bar(s) (need two distinct whole-second-spaced timestamps); give the interval (e.g. 1m)")
        }
        // 4. Daily bars written as local midnight: move to the session open of that date.
        if !interval.isIntraday && raw.allNaiveMidnight && raw.sawNaive {
            var cache = ZoneDayCache(options.zone)
            for i in 0..<time.count {
                let day = options.zone.localDate(of: time[i]).daysSinceEpoch
                time[i] = cache.utc(fromLocal: Int64(day) * UnixTime.nanosPerDay + sessionOpen)
            }
        }
        // 5. Bar label.
        let verdict: LabelDetection.Verdict
        if !interval.isIntraday {
            verdict = .init(label: .start, source: .notApplicable, startVotes: 0, endVotes: 0, sessions: 0)
        } else if let label = options.label {
            verdict = .init(label: label, source: .option, startVotes: 0, endVotes: 0, sessions: 0)
        } else {
            verdict = LabelDetection.detect(time: time, volume: volume, interval: interval)
        }
        if interval.isIntraday && verdict.label == .end {
            let step = interval.nominalNanos
            for i in 0..<time.count {
                let (start, overflow) = time[i].subtractingReportingOverflow(step)
                guard !overflow, start >= TimestampParsing.instantRange.lowerBound else {
                    throw DataError(.badOption, file: raw.files[0], value: interval.description, input: .label, suggestion: BarLabel.start.rawValue,
                                    "moving the end-labelled stamp \(ISO8601.utc(time[i])) back by one \(interval) bar leaves the years 1678 to 2261; give a shorter interval, or the label start")
                }
                time[i] = start
            }
        }
        let series = BarSeries(
            symbol: symbol, interval: interval, time: time,
            open: gather(raw.open), high: gather(raw.high), low: gather(raw.low), close: gather(raw.close), volume: volume,
            vwap: raw.vwap.map(gather), tradeCount: raw.tradeCount.map(gather),
            dividend: raw.dividend.map(gather), splitCoefficient: raw.split.map(gather),
            sourceAdjustedClose: raw.adjustedClose.map(gather))
        let report = CSVLoadReport(
            files: raw.files, delimiter: Character(Unicode.Scalar(raw.delimiter)), hasHeader: raw.hasHeader,
            columns: raw.columns, timestampForm: raw.stampForm,
            rowOrder: ascending ? .ascending : (descending ? .descending : .unordered),
            rows: n, bars: series.count, duplicatesDropped: dropped,
            interval: interval, intervalInferred: intervalInferred, label: verdict, volumePresent: raw.volumePresent)
        return (series, report)
    }

    /// The bar interval of ascending stamps: the smallest spacing between consecutive distinct stamps
    /// that makes up at least 5 % of all spacings; ≥ 20 h (or date-only stamps) is daily, 5–8 days
    /// weekly, 25–35 days monthly; shorter spacings are that many seconds.
    /// nil with fewer than two stamps or a sub-second spacing. At most 20,000 evenly spread gaps are examined.
    static func inferInterval(_ time: [Int64], allDates: Bool) -> BarInterval? {
        let n = time.count
        guard n >= 2 else { return nil }
        let stride = max(1, (n - 1) / 20_000)
        var counts: [Int64: Int] = [:]
        var k = 1
        while k < n {
            // Stamps centuries apart overflow the difference: such a gap is no bar interval.
            let (d, overflow) = time[k].subtractingReportingOverflow(time[k - 1])
            if d > 0 && !overflow { counts[d, default: 0] += 1 }
            k += stride
        }
        // The smallest spacing that is common (≥ 5 % of the gaps): sparse data that misses many bars still
        // gives its true interval (the mode would not: an illiquid 1-minute series is mostly 2–3 minute gaps),
        // while a rare odd stamp does not shrink it.
        let total = counts.values.reduce(0, +)
        let threshold = max(1, (total + 19) / 20)
        guard let mode = counts.filter({ $0.value >= threshold }).keys.min() else { return nil }
        let hour = UnixTime.nanosPerHour
        if allDates || mode >= 20 * hour {
            let days = mode / UnixTime.nanosPerDay + (mode % UnixTime.nanosPerDay >= 12 * hour ? 1 : 0)
            switch days {
            case ...4: return .daily
            case 5...8: return .weekly
            case 25...35: return .monthly
            default: return BarInterval("\(days)d")
            }
        }
        guard mode % UnixTime.nanosPerSecond == 0 else { return nil }
        return BarInterval(seconds: Int(mode / UnixTime.nanosPerSecond))
    }
}

/// What the loader found out about a file (for `tradewind data info`).
public struct CSVLoadReport: Sendable, Equatable {
    public enum RowOrder: String, Sendable { case ascending, descending, unordered }
    public var files: [String]
    public var delimiter: Character
    public var hasHeader: Bool
    public var columns: CSVColumns
    /// `date`, `naive local time in <zone>` or `absolute (offset, Z or epoch)`.
    public var timestampForm: String
    public var rowOrder: RowOrder
    /// Data rows read, and bars kept after de-duplication.
    public var rows: Int
    public var bars: Int
    public var duplicatesDropped: Int
    public var interval: BarInterval
    public var intervalInferred: Bool
    public var label: LabelDetection.Verdict
    /// False when the file had no volume column (volume is then 0 for every bar).
    public var volumePresent: Bool
}
