import Foundation
import TradewindCore

/// Parses one file's bytes into validated rows (`RawBars`), directly on the bytes: no `String`
/// per field, numbers through `DecimalParsing`, stamps through `TimestampParsing`.
enum CSVTableParser {
    /// Longest accepted line. Longer lines are refused (`lineTooLong`) rather than buffered.
    static let maxLineBytes = 1 << 20

    static func text(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: p + s, count: max(0, e - s)), as: UTF8.self)
    }

    @inline(__always)
    static func trim(_ p: UnsafePointer<UInt8>, _ s: inout Int, _ e: inout Int) {
        while s < e && (p[s] == 32 || p[s] == 9) { s += 1 }
        while e > s && (p[e - 1] == 32 || p[e - 1] == 9) { e -= 1 }
        if e - s >= 2 && p[s] == 34 && p[e - 1] == 34 { s += 1; e -= 1 }
    }

    /// Parses `buf` (the whole decompressed file). `name` is used in errors. Inputs larger than
    /// `chunkBytes` are parsed in chunks of whole lines, in parallel within `options.threads`.
    static func parse(_ buf: UnsafeBufferPointer<UInt8>, name: String, options: LoadOptions,
                      chunkBytes: Int = 8 << 20) throws(DataError) -> RawBars {
        guard let p = buf.baseAddress, buf.count > 0 else {
            throw DataError(.emptyFile, file: name, "the file is empty; expected a header and rows of bars")
        }
        let n = buf.count
        // Binary content: control bytes other than tab, CR, LF, form feed.
        do {
            // Branch-free scan in 64 KiB blocks (vectorises); the exact byte is located only on a hit.
            var bad = -1
            var blockStart = 0
            while blockStart < n && bad < 0 {
                let blockEnd = min(n, blockStart + 65_536)
                var hit: UInt8 = 0
                for k in blockStart..<blockEnd {
                    let c = p[k]
                    let control: UInt8 = c < 32 ? 1 : 0
                    let allowed: UInt8 = (c == 9 || c == 10 || c == 13 || c == 12) ? 1 : 0
                    hit |= control & ~allowed
                }
                if hit != 0 {
                    for k in blockStart..<blockEnd {
                        let c = p[k]
                        if c < 32 && c != 9 && c != 10 && c != 13 && c != 12 { bad = k; break }
                    }
                }
                blockStart = blockEnd
            }
            if bad >= 0 {
                var lineNo = 1
                for k in 0..<bad where p[k] == 10 { lineNo += 1 }
                throw DataError(.notText, file: name, line: lineNo, value: String(format: "0x%02x", p[bad]),
                                "byte \(bad) is a binary control character: this is not a CSV text file (gzip files must start with the gzip magic bytes)")
            }
        }
        var start = 0
        if n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF { start = 3 }  // UTF-8 BOM
        var reader = LineReader(p: p, pos: start, end: n, lineNo: 0, name: name)

        // First non-blank line: delimiter and header.
        var first: (Int, Int)?
        while let l = try reader.next() {
            if !reader.isBlank(l.0, l.1) { first = l; break }
        }
        guard let (fs, fe) = first else {
            throw DataError(.emptyFile, file: name, "the file has no rows; expected a header and rows of bars")
        }
        var commas = 0, semis = 0, tabs = 0
        for k in fs..<fe {
            switch p[k] {
            case 44: commas += 1
            case 59: semis += 1
            case 9: tabs += 1
            default: break
            }
        }
        let delim: UInt8 = commas >= semis && commas >= tabs ? 44 : (semis >= tabs ? 59 : 9)
        if max(commas, semis, tabs) == 0 {
            throw DataError(.tooFewFields, file: name, line: reader.lineNo, value: text(p, fs, fe),
                            "no field separator (',', ';' or tab) in the first line; expected timestamp,open,high,low,close[,volume]")
        }
        var firstFields: [String] = []
        do {
            var s = fs
            var k = fs
            while true {
                if k == fe || p[k] == delim {
                    var a = s, b = k
                    trim(p, &a, &b)
                    firstFields.append(text(p, a, b))
                    if k == fe { break }
                    s = k + 1
                }
                k += 1
            }
        }
        let hasHeader = firstFields.contains { f in
            guard let c = f.unicodeScalars.first, c.properties.isAlphabetic || c == "\u{FEFF}" else { return f.isEmpty }
            let l = f.lowercased()
            return !["nan", "inf", "-inf", "infinity", "null", "na"].contains(l)
        }
        let cols: CSVColumns
        if hasHeader {
            cols = try CSVColumns.fromHeader(firstFields, file: name)
        } else {
            cols = try CSVColumns.positional(
                fieldCount: firstFields.count, secondFieldIsTime: firstFields.count > 1 && firstFields[1].contains(":"), file: name)
            reader.pos = fs
            reader.lineNo -= 1
        }
        // Rows: in parallel chunks of whole lines for large inputs, each chunk knowing its first line number.
        let dataStart = reader.pos
        var bounds = [dataStart]
        while bounds.last! < n {
            let target = bounds.last! + chunkBytes
            if target >= n { bounds.append(n); break }
            if let hit = memchr(p + target, 10, n - target) {
                bounds.append(p.distance(to: hit.assumingMemoryBound(to: UInt8.self)) + 1)
            } else {
                bounds.append(n)
            }
        }
        if bounds.count == 1 { bounds.append(n) }
        let chunks = bounds.count - 1
        let edges = bounds
        let bytes = SharedBytes(p: p)
        // Newlines per chunk bound its rows: every chunk writes into its own slice of shared columns.
        let counts = options.threads.map(chunks) { k in newlines(bytes.p, edges[k], edges[k + 1]) }
        var firstLines = [reader.lineNo + 1]
        var bases = [0]
        for k in 0..<(chunks - 1) {
            firstLines.append(firstLines[k] + counts[k])
            bases.append(bases[k] + counts[k] + 1)
        }
        let sink = ColumnSink(capacity: bases[chunks - 1] + counts[chunks - 1] + 1, cols: cols)
        defer { sink.deallocate() }
        let lines = firstLines
        let starts = bases
        let parts: [Result<RawBars, DataError>] = options.threads.map(chunks) { k in
            Result { () throws(DataError) in
                try parseRows(bytes.p, edges[k], edges[k + 1], firstLine: lines[k], cols: cols, delim: delim, name: name,
                              options: options, sink: sink, base: starts[k])
            }
        }
        var out = RawBars()
        var total = 0
        for (k, part) in parts.enumerated() {
            let flags = try part.get()
            if k == 0 { out = flags } else { out.mergeFlags(flags) }
            if out.firstNaiveLine != 0 && out.firstAbsoluteLine != 0 {
                let line = max(out.firstNaiveLine, out.firstAbsoluteLine)
                throw DataError(.mixedTimezones, file: name, line: line, column: cols.name(cols.time),
                                "line \(out.firstNaiveLine) has a naive timestamp (no offset) but line \(out.firstAbsoluteLine) has an explicit offset or epoch time; write every timestamp the same way")
            }
            sink.move(from: starts[k], count: flags.rowCount, to: total)
            total += flags.rowCount
        }
        sink.export(count: total, into: &out)
        out.files = [name]
        out.delimiter = delim
        out.hasHeader = hasHeader
        out.columns = cols
        out.volumePresent = cols.volume >= 0
        if out.count == 0 {
            throw DataError(.emptyFile, file: name, line: reader.lineNo, "the file has a header but no rows of bars")
        }
        out.fileIndex = [UInt16](repeating: 0, count: out.count)
        out.stampForm = out.allDates ? "date" : (out.sawAbsolute ? "absolute (offset, Z or epoch)" : "naive local time in \(options.zone.identifier)")
        return out
    }

    /// Newlines in `p[s..<e]`, eight bytes at a time (exact zero-byte test on `word ^ 0x0A…`).
    static func newlines(_ p: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> Int {
        var c = 0
        var k = s
        let raw = UnsafeRawPointer(p)
        let lf: UInt64 = 0x0A0A_0A0A_0A0A_0A0A, low7: UInt64 = 0x7F7F_7F7F_7F7F_7F7F
        while k + 8 <= e {
            let x = raw.loadUnaligned(fromByteOffset: k, as: UInt64.self) ^ lf
            // High bit set in each byte of x that is non-zero; the complement marks the newlines.
            let nonZero = ((x & low7) &+ low7) | x
            c &+= (~nonZero & 0x8080_8080_8080_8080).nonzeroBitCount
            k += 8
        }
        while k < e { c &+= p[k] == 10 ? 1 : 0; k += 1 }
        return c
    }

    /// Parses and validates the rows in `p[start..<end]` (whole lines; the first is line `firstLine`).
    /// Rows are written to `sink` from index `base`; the returned `RawBars` carries only the flags and `rowCount`.
    static func parseRows(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, firstLine: Int,
                          cols: CSVColumns, delim: UInt8, name: String, options: LoadOptions,
                          sink: ColumnSink, base: Int) throws(DataError) -> RawBars {
        var reader = LineReader(p: p, pos: start, end: end, lineNo: firstLine - 1, name: name)
        var out = RawBars()
        out.files = [name]
        let need = cols.required
        var r = base

        var zone = ZoneDayCache(options.zone)
        let sessionOpen: Int64 = (9 * 3600 + 30 * 60) * UnixTime.nanosPerSecond
        var fStart = [Int](repeating: 0, count: need)
        var fEnd = [Int](repeating: 0, count: need)
        var fValue = [Double](repeating: 0, count: need)
        var numberColumns = [Bool](repeating: false, count: need)
        for c in [cols.open, cols.high, cols.low, cols.close, cols.volume, cols.vwap, cols.tradeCount, cols.dividend, cols.split, cols.adjustedClose]
        where c >= 0 { numberColumns[c] = true }

        try fStart.withUnsafeMutableBufferPointer { (starts: inout UnsafeMutableBufferPointer<Int>) throws(DataError) in
        try fEnd.withUnsafeMutableBufferPointer { (ends: inout UnsafeMutableBufferPointer<Int>) throws(DataError) in
        try fValue.withUnsafeMutableBufferPointer { (values: inout UnsafeMutableBufferPointer<Double>) throws(DataError) in
        try numberColumns.withUnsafeBufferPointer { (isNumber: UnsafeBufferPointer<Bool>) throws(DataError) in
            func field(_ c: Int) -> String { text(p, starts[c], ends[c]) }
            func number(_ c: Int) throws(DataError) -> Double {
                guard let v = DecimalParsing.parse(p, starts[c], ends[c]) else {
                    throw DataError(.badNumber, file: name, line: reader.lineNo, column: cols.name(c), value: field(c),
                                    starts[c] == ends[c] ? "empty field; expected a number" : "not a number; expected a decimal like 123.45")
                }
                guard v.isFinite else {
                    throw DataError(.badNumber, file: name, line: reader.lineNo, column: cols.name(c), value: field(c),
                                    "not a finite number; expected a decimal like 123.45")
                }
                return v
            }
            func optional(_ c: Int, empty: Double) throws(DataError) -> Double {
                starts[c] == ends[c] ? empty : try number(c)
            }
            func price(_ c: Int) throws(DataError) -> Double {
                let v = values[c]
                guard v > 0 else {
                    throw DataError(.invalidPrice, file: name, line: reader.lineNo, column: cols.name(c), value: field(c),
                                    "price must be greater than 0")
                }
                return v
            }
            while let (ls, le) = try reader.next() {
                let lineNo = reader.lineNo
                if reader.isBlank(ls, le) { continue }
                // Fast path: numbers parsed while splitting, one pass over the row. Anything unusual
                // (quotes, spaces, empty fields, long numbers) falls back to the general path below.
                var fast = true
                var f = 0
                var s = ls
                while f < need {
                    if isNumber[f] {
                        if let (v, e) = DecimalParsing.parsePrefix(p, s, le), e == le || p[e] == delim {
                            values[f] = v
                            starts[f] = s
                            ends[f] = e
                            f += 1
                            if e >= le { break }
                            s = e + 1
                            continue
                        }
                        fast = false
                        break
                    }
                    var j = s
                    while j < le && p[j] != delim { j += 1 }
                    var a = s, b = j
                    trim(p, &a, &b)
                    starts[f] = a
                    ends[f] = b
                    f += 1
                    if j >= le { break }
                    s = j + 1
                }
                if !fast || f < need {
                    fast = false
                    f = 0
                    s = ls
                    while f < need {
                        var j = s
                        while j < le && p[j] != delim { j += 1 }
                        var a = s, b = j
                        trim(p, &a, &b)
                        starts[f] = a
                        ends[f] = b
                        f += 1
                        if j >= le { break }
                        s = j + 1
                    }
                    if f < need {
                        throw DataError(.tooFewFields, file: name, line: lineNo, value: text(p, ls, le),
                                        "row has \(f) fields; expected at least \(need) (\(cols.names.prefix(need).joined(separator: ","))) separated by '\(Character(Unicode.Scalar(delim)))'")
                    }
                }
                // Timestamp.
                let stamp: TimestampParsing.Stamp? = cols.timeOfDay >= 0
                    ? TimestampParsing.parse(date: p, starts[cols.time], ends[cols.time], time: starts[cols.timeOfDay], ends[cols.timeOfDay])
                    : TimestampParsing.parse(p, starts[cols.time], ends[cols.time])
                guard let stamp else {
                    let v = cols.timeOfDay >= 0 ? field(cols.time) + " " + field(cols.timeOfDay) : field(cols.time)
                    throw DataError(.badTimestamp, file: name, line: lineNo, column: cols.name(cols.time), value: v,
                                    "not a timestamp; expected yyyy-MM-dd, yyyy-MM-dd HH:mm:ss, ISO 8601 with Z or ±HH:MM, M/d/yyyy, yyyyMMdd [HHmmss] or epoch seconds/ms, in the years 1678 to 2261")
                }
                let t: Int64
                switch stamp.kind {
                case .date:
                    t = zone.utc(fromLocal: stamp.value * UnixTime.nanosPerDay + sessionOpen)
                    if out.firstNaiveLine == 0 { out.firstNaiveLine = lineNo; out.sawNaive = true }
                    out.allNaiveMidnight = false
                case .naive:
                    t = zone.utc(fromLocal: stamp.value)
                    out.allDates = false
                    if stamp.value % UnixTime.nanosPerDay != 0 { out.allNaiveMidnight = false }
                    if out.firstNaiveLine == 0 { out.firstNaiveLine = lineNo; out.sawNaive = true }
                case .absolute:
                    t = stamp.value
                    out.allDates = false
                    out.allNaiveMidnight = false
                    if out.firstAbsoluteLine == 0 { out.firstAbsoluteLine = lineNo; out.sawAbsolute = true }
                }
                if out.firstNaiveLine != 0 && out.firstAbsoluteLine != 0 {
                    throw DataError(.mixedTimezones, file: name, line: lineNo, column: cols.name(cols.time), value: field(cols.time),
                                    "line \(out.firstNaiveLine) has a naive timestamp (no offset) but line \(out.firstAbsoluteLine) has an explicit offset or epoch time; write every timestamp the same way")
                }
                if !fast {
                    // General path: numbers parsed (and refused) after the timestamp, in column order.
                    for c in [cols.open, cols.high, cols.low, cols.close, cols.volume] where c >= 0 { values[c] = try number(c) }
                    if cols.vwap >= 0 { values[cols.vwap] = try optional(cols.vwap, empty: .nan) }
                    if cols.tradeCount >= 0 { values[cols.tradeCount] = try optional(cols.tradeCount, empty: .nan) }
                    if cols.dividend >= 0 { values[cols.dividend] = try optional(cols.dividend, empty: 0) }
                    if cols.split >= 0 { values[cols.split] = try optional(cols.split, empty: 1) }
                    if cols.adjustedClose >= 0 { values[cols.adjustedClose] = try optional(cols.adjustedClose, empty: .nan) }
                }
                let o = try price(cols.open), h = try price(cols.high), l = try price(cols.low), c = try price(cols.close)
                if h < l {
                    throw DataError(.invalidPrice, file: name, line: lineNo, column: cols.name(cols.high), value: field(cols.high),
                                    "high \(h) is below low \(l)")
                }
                if o < l || o > h {
                    throw DataError(.invalidPrice, file: name, line: lineNo, column: cols.name(cols.open), value: field(cols.open),
                                    "open \(o) is outside the bar's range [low \(l), high \(h)]")
                }
                if c < l || c > h {
                    throw DataError(.invalidPrice, file: name, line: lineNo, column: cols.name(cols.close), value: field(cols.close),
                                    "close \(c) is outside the bar's range [low \(l), high \(h)]")
                }
                var v = 0.0
                if cols.volume >= 0 {
                    v = values[cols.volume]
                    if v < 0 {
                        throw DataError(.invalidValue, file: name, line: lineNo, column: cols.name(cols.volume), value: field(cols.volume),
                                        "volume must be 0 or more")
                    }
                }
                sink.time[r] = t
                sink.open[r] = o; sink.high[r] = h; sink.low[r] = l; sink.close[r] = c; sink.volume[r] = v
                sink.line[r] = Int32(truncatingIfNeeded: lineNo)
                if let col = sink.vwap { col[r] = values[cols.vwap] }
                if let col = sink.tradeCount { col[r] = values[cols.tradeCount] }
                if cols.dividend >= 0 {
                    let d = values[cols.dividend]
                    if d < 0 {
                        throw DataError(.invalidValue, file: name, line: lineNo, column: cols.name(cols.dividend), value: field(cols.dividend),
                                        "dividend must be 0 or more")
                    }
                    sink.dividend![r] = d
                }
                if cols.split >= 0 {
                    var sp = values[cols.split]
                    if sp == 0 { sp = 1 }  // yfinance writes 0 for "no split"
                    if sp < 0 {
                        throw DataError(.invalidValue, file: name, line: lineNo, column: cols.name(cols.split), value: field(cols.split),
                                        "split coefficient must be greater than 0 (new shares per old share)")
                    }
                    sink.split![r] = sp
                }
                if let col = sink.adjustedClose { col[r] = values[cols.adjustedClose] }
                r += 1
            }
        }
        }
        }
        }
        out.rowCount = r - base
        return out
    }
}

/// Output columns shared by the chunk parsers; each chunk writes only its own index range.
final class ColumnSink: @unchecked Sendable {
    let time: UnsafeMutablePointer<Int64>
    let open, high, low, close, volume: UnsafeMutablePointer<Double>
    let line: UnsafeMutablePointer<Int32>
    let vwap, tradeCount, dividend, split, adjustedClose: UnsafeMutablePointer<Double>?

    init(capacity n: Int, cols: CSVColumns) {
        func column(_ present: Bool = true) -> UnsafeMutablePointer<Double>? { present ? .allocate(capacity: n) : nil }
        time = .allocate(capacity: n)
        open = .allocate(capacity: n); high = .allocate(capacity: n); low = .allocate(capacity: n)
        close = .allocate(capacity: n); volume = .allocate(capacity: n)
        line = .allocate(capacity: n)
        vwap = column(cols.vwap >= 0); tradeCount = column(cols.tradeCount >= 0); dividend = column(cols.dividend >= 0)
        split = column(cols.split >= 0); adjustedClose = column(cols.adjustedClose >= 0)
    }

    func deallocate() {
        time.deallocate(); open.deallocate(); high.deallocate(); low.deallocate(); close.deallocate(); volume.deallocate()
        line.deallocate()
        for c in [vwap, tradeCount, dividend, split, adjustedClose] { c?.deallocate() }
    }

    /// Moves rows `[from, from + count)` down to `to` (to ≤ from), closing the gap a chunk left.
    func move(from: Int, count: Int, to: Int) {
        guard from != to, count > 0 else { return }
        func mv<T>(_ p: UnsafeMutablePointer<T>) { (p + to).update(from: p + from, count: count) }
        mv(time); mv(open); mv(high); mv(low); mv(close); mv(volume); mv(line)
        for c in [vwap, tradeCount, dividend, split, adjustedClose] { if let c { mv(c) } }
    }

    /// Copies the first `count` rows into `out`'s arrays.
    func export(count n: Int, into out: inout RawBars) {
        func arr<T>(_ p: UnsafeMutablePointer<T>) -> [T] { Array(UnsafeBufferPointer(start: p, count: n)) }
        out.time = arr(time)
        out.open = arr(open); out.high = arr(high); out.low = arr(low); out.close = arr(close); out.volume = arr(volume)
        out.line = arr(line)
        out.vwap = vwap.map(arr); out.tradeCount = tradeCount.map(arr); out.dividend = dividend.map(arr)
        out.split = split.map(arr); out.adjustedClose = adjustedClose.map(arr)
    }
}

/// The input bytes, shared read-only by the chunk parsers (they only read, and the buffer outlives them).
struct SharedBytes: @unchecked Sendable {
    let p: UnsafePointer<UInt8>
}

/// Iterates the lines of `p[pos..<end]`, refusing lines longer than `CSVTableParser.maxLineBytes`.
struct LineReader {
    let p: UnsafePointer<UInt8>
    var pos: Int
    let end: Int
    /// 1-based number of the line last returned.
    var lineNo: Int
    let name: String

    /// Next line [s, e) without its CR/LF; nil at the end.
    @inline(__always)
    mutating func next() throws(DataError) -> (Int, Int)? {
        guard pos < end else { return nil }
        lineNo += 1
        let maxLine = CSVTableParser.maxLineBytes
        let limit = min(end - pos, maxLine + 1)
        let s = pos
        var e: Int
        if let hit = memchr(p + pos, 10, limit) {
            e = p.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            pos = e + 1
        } else if limit > maxLine {
            throw DataError(.lineTooLong, file: name, line: lineNo,
                            "line is longer than \(maxLine) bytes; a bar row is at most a few hundred bytes (is this a CSV file?)")
        } else {
            e = end
            pos = end
        }
        if e - s > maxLine {
            throw DataError(.lineTooLong, file: name, line: lineNo,
                            "line is longer than \(maxLine) bytes; a bar row is at most a few hundred bytes (is this a CSV file?)")
        }
        if e > s && p[e - 1] == 13 { e -= 1 }
        return (s, e)
    }

    /// Blank (spaces, tabs) or a `#` comment.
    @inline(__always)
    func isBlank(_ s: Int, _ e: Int) -> Bool {
        var k = s
        while k < e && (p[k] == 32 || p[k] == 9 || p[k] == 12) { k += 1 }
        return k == e || p[k] == UInt8(ascii: "#")
    }
}
