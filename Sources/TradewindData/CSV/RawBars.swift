import TradewindCore

/// One or more files' rows after parsing and per-row validation, in file order, before sorting,
/// de-duplication, interval inference and the bar-label shift.
struct RawBars {
    var files: [String] = []
    /// UTC instants as stamped (date-only rows already at their session open).
    var time: [Int64] = []
    var open: [Double] = [], high: [Double] = [], low: [Double] = [], close: [Double] = [], volume: [Double] = []
    var vwap: [Double]?, tradeCount: [Double]?, dividend: [Double]?, split: [Double]?, adjustedClose: [Double]?
    /// 1-based line of each row in its file, and the file's index in `files`.
    var line: [Int32] = []
    var fileIndex: [UInt16] = []
    /// Every row was a date without a time.
    var allDates = true
    /// Every row was a naive stamp at local midnight (candidate for daily bars written as `yyyy-MM-dd 00:00:00`).
    var allNaiveMidnight = true
    var sawNaive = false, sawAbsolute = false
    /// First line with a naive (or date) stamp and with an absolute one; 0 = none.
    var firstNaiveLine = 0, firstAbsoluteLine = 0
    /// Dialect facts for the report (of the first file).
    var delimiter: UInt8 = UInt8(ascii: ",")
    var hasHeader = true
    var columns = CSVColumns()
    var stampForm = ""
    var volumePresent = true

    var count: Int { time.count }
    /// Rows a chunk parser wrote to its `ColumnSink` (the arrays above are filled afterwards).
    var rowCount = 0

    /// Combines the flags of a later chunk of the same file.
    mutating func mergeFlags(_ o: RawBars) {
        allDates = allDates && o.allDates
        allNaiveMidnight = allNaiveMidnight && o.allNaiveMidnight
        sawNaive = sawNaive || o.sawNaive
        sawAbsolute = sawAbsolute || o.sawAbsolute
        if firstNaiveLine == 0 { firstNaiveLine = o.firstNaiveLine }
        if firstAbsoluteLine == 0 { firstAbsoluteLine = o.firstAbsoluteLine }
    }

    mutating func reserve(_ n: Int) {
        time.reserveCapacity(n); open.reserveCapacity(n); high.reserveCapacity(n); low.reserveCapacity(n)
        close.reserveCapacity(n); volume.reserveCapacity(n); line.reserveCapacity(n)
    }

    /// Appends another file's rows (optional columns missing on one side are filled with neutral
    /// values: vwap/trade count/adjusted close NaN, dividend 0, split 1).
    mutating func append(_ o: RawBars) {
        let n = count, m = o.count
        func merge(_ a: inout [Double]?, _ b: [Double]?, _ fill: Double) {
            if a == nil && b == nil { return }
            if a == nil { a = [Double](repeating: fill, count: n) }
            a!.append(contentsOf: b ?? [Double](repeating: fill, count: m))
        }
        merge(&vwap, o.vwap, .nan); merge(&tradeCount, o.tradeCount, .nan)
        merge(&dividend, o.dividend, 0); merge(&split, o.split, 1); merge(&adjustedClose, o.adjustedClose, .nan)
        let base = UInt16(files.count)
        files += o.files
        time += o.time; open += o.open; high += o.high; low += o.low; close += o.close; volume += o.volume
        line += o.line
        fileIndex += o.fileIndex.map { $0 + base }
        allDates = allDates && o.allDates
        allNaiveMidnight = allNaiveMidnight && o.allNaiveMidnight
        sawNaive = sawNaive || o.sawNaive
        sawAbsolute = sawAbsolute || o.sawAbsolute
        if firstNaiveLine == 0 { firstNaiveLine = o.firstNaiveLine }
        if firstAbsoluteLine == 0 { firstAbsoluteLine = o.firstAbsoluteLine }
        volumePresent = volumePresent && o.volumePresent
    }
}
