import Foundation
import TradewindCore
import TradewindEngine
import TradewindIndicators

/// One externally produced signal.
public struct SignalEvent: Sendable, Hashable {
    public enum Action: String, Sendable, Hashable { case buy, sell }
    /// When the signal applies: a trading date (the symbol's first bar on or after that New York date), or an
    /// instant (its first bar starting at or after it).
    public enum When: Sendable, Hashable {
        case date(CivilDate)
        case instant(UnixNanos)

        /// The instant from which the signal is due (New York midnight for a date). A date outside the years
        /// 1678 to 2261 (only possible for events built in code: files are checked) is due from `UnixNanos.min`
        /// or `.max`: before or after every bar.
        public var dueFrom: UnixNanos {
            switch self {
            case .date(let d):
                let day = d.daysSinceEpoch
                guard day >= SignalFile.firstDay else { return .min }
                guard day <= SignalFile.lastDay else { return .max }
                return ZoneRules.newYork.utcNanos(fromLocal: Int64(day) * UnixTime.nanosPerDay)
            case .instant(let t): return t
            }
        }
    }
    public var when: When
    /// nil: every symbol of the run.
    public var symbol: String?
    public var action: Action

    public init(when: When, symbol: String?, action: Action) {
        self.when = when
        self.symbol = symbol
        self.action = action
    }
}

/// A signals file that cannot be used: the line, the value, and what is expected.
public struct SignalFileError: Error, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let message: String
    public var description: String { "\(file):\(line): \(message)" }

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }
}

/// Reads signals from CSV: a header naming `time` (or `date`/`datetime`/`timestamp`), `signal` (or `action`) and
/// optionally `symbol`. Times are `yyyy-MM-dd` (a trading date) or ISO 8601 instants with `Z` or an offset
/// (`2019-02-12T15:00:00Z`, `2019-02-12T10:00:00-05:00`). Signals are `buy`/`sell`, `entry`/`exit`, `long`/`flat`
/// or `1`/`-1` (`0` lines are ignored).
public enum SignalFile {
    public static func read(path: String) throws(SignalFileError) -> [SignalEvent] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw SignalFileError(file: path, line: 0, message: "cannot read the file as UTF-8 text")
        }
        return try parse(text, name: path)
    }

    public static func parse(_ text: String, name: String = "signals") throws(SignalFileError) -> [SignalEvent] {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        guard let header = lines.first else { throw SignalFileError(file: name, line: 1, message: "empty file; expected a header time,signal[,symbol]") }
        let cols = header.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        func column(_ names: [String]) -> Int? { cols.firstIndex { names.contains($0) } }
        guard let t = column(["time", "date", "datetime", "timestamp"]), let a = column(["signal", "action"]) else {
            throw SignalFileError(file: name, line: 1, message: "header '\(header)' must name a time column (time/date/datetime/timestamp) and a signal column (signal/action)")
        }
        let sym = column(["symbol", "ticker"])
        var out: [SignalEvent] = []
        for (k, line) in lines.enumerated().dropFirst() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard f.count == cols.count else {
                throw SignalFileError(file: name, line: k + 1, message: "\(f.count) fields, expected \(cols.count) as in the header")
            }
            guard let when = parseTime(f[t]) else {
                throw SignalFileError(file: name, line: k + 1, message: "time '\(f[t])' is not yyyy-MM-dd or an ISO 8601 instant with Z or an offset, in the years 1678 to 2261")
            }
            let action: SignalEvent.Action
            switch f[a].lowercased() {
            case "buy", "entry", "long", "1", "+1": action = .buy
            case "sell", "exit", "flat", "-1": action = .sell
            case "0", "": continue
            default:
                throw SignalFileError(file: name, line: k + 1, message: "signal '\(f[a])' is not buy/sell, entry/exit, long/flat, 1/-1 or 0")
            }
            let symbol = sym.map { f[$0] }.flatMap { $0.isEmpty ? nil : $0 }
            out.append(SignalEvent(when: when, symbol: symbol, action: action))
        }
        return out
    }

    /// Days since 1970 of 1678-01-01 and 2261-12-31: the years whose instants `UnixNanos` holds with room to spare
    /// (as the bar loader accepts), so a signal's instant cannot overflow.
    static let firstDay = -106_650, lastDay = 106_650

    static func parseTime(_ s: String) -> SignalEvent.When? {
        func inRange(_ d: CivilDate) -> Bool { (firstDay...lastDay).contains(d.daysSinceEpoch) }
        if s.count == 10, let d = CivilDate(iso: s) { return inRange(d) ? .date(d) : nil }
        guard s.count >= 20, let d = CivilDate(iso: String(s.prefix(10))), inRange(d) else { return nil }
        let chars = Array(s)
        /// Two ASCII digits (`Int("+1")` would accept a sign).
        func two(_ at: Int) -> Int? {
            let pair = chars[at...at + 1]
            guard pair.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
            return Int(String(pair))
        }
        guard chars[10] == "T" || chars[10] == " ", chars[13] == ":", chars[16] == ":", let h = two(11), let m = two(14),
              let sec = two(17), h < 24, m < 60, sec < 60 else { return nil }
        var rest = String(chars[19...])
        if rest.hasPrefix(".") { rest = String(rest.drop { $0 == "." || $0.isNumber }) }
        var offset = 0
        if rest == "Z" { offset = 0 } else if rest.count == 6, let sign = rest.first, sign == "+" || sign == "-",
                  let oh = Int(rest.dropFirst().prefix(2)), let om = Int(rest.suffix(2)) {
            offset = (sign == "-" ? -1 : 1) * (oh * 3600 + om * 60)
        } else { return nil }
        let secs = Int64(d.daysSinceEpoch) * 86_400 + Int64(h * 3600 + m * 60 + sec) - Int64(offset)
        return .instant(secs * UnixTime.nanosPerSecond)
    }
}

/// `signals`: trades entries and exits produced anywhere else. On each symbol's first bar at or after a buy signal
/// (see `SignalEvent.When`), if flat, buy with all available cash (1/N of equity with N symbols); on its first bar at
/// or after a sell signal, if long, sell the whole position. Orders are placed on that bar's close: market orders
/// fill at the next bar's open (or this close with close-fill timing). Several signals reaching one bar apply in
/// file order. Long only.
public struct SignalStrategy: Strategy {
    public let events: [SignalEvent]
    private var next: [Int] = []
    private var queue: [[SignalEvent]] = []

    public init(events: [SignalEvent]) {
        self.events = events
    }

    public init(file path: String) throws(SignalFileError) {
        self.init(events: try SignalFile.read(path: path))
    }
}

extension SignalStrategy: ParameterizedStrategy {
    public static let name = "signals"
    public static let summary = "Trades buy/sell signals read from a CSV file (file=PATH): buy with all cash on buy, sell all on sell."
    public static let parameterSpecs: [ParameterSpec] = [
        ParameterSpec("file", .path, default: .string(""),
                      "CSV of signals: header time,signal[,symbol]; time yyyy-MM-dd or ISO 8601; signal buy/sell (required)."),
    ]

    /// Reads the signals file named by `file`; a missing or malformed file is a `ParameterError` naming `file`.
    public init(parameters: StrategyParameters) throws(ParameterError) {
        let path = try parameters.string("file")
        guard !path.isEmpty else { throw ParameterError.missing(name: "file", expected: ParameterKind.path.validValues) }
        do {
            try self.init(file: path)
        } catch {
            throw ParameterError.badFile(name: "file", detail: error.description)
        }
    }

    public mutating func onStart(_ context: some TradingContext) throws {
        let n = context.symbolCount
        for e in events {
            if let s = e.symbol, context.symbolIndex(s) == nil {
                throw SignalFileError(file: "signals", line: 0,
                                      message: "symbol '\(s)' is not in the data (\(context.symbols.joined(separator: ", ")))")
            }
        }
        // Per symbol, its signals in time order (stable: file order among equal times).
        queue = (0..<n).map { s in
            events.enumerated().filter { $0.element.symbol == nil || $0.element.symbol == context.symbols[s] }
                .sorted { $0.element.when.dueFrom != $1.element.when.dueFrom ? $0.element.when.dueFrom < $1.element.when.dueFrom
                                                                    : $0.offset < $1.offset }
                .map(\.element)
        }
        next = Array(repeating: 0, count: n)
    }

    public mutating func onBar(_ context: some TradingContext) throws {
        for s in 0..<context.symbolCount where context.hasBar(s) {
            while next[s] < queue[s].count {
                let e = queue[s][next[s]]
                guard context.time >= e.when.dueFrom else { break }
                next[s] += 1
                LongOnly.act(context, symbol: s, buy: e.action == .buy, sell: e.action == .sell)
            }
        }
    }
}

extension SignalStrategy: CatalogStrategy {
    public static let rules = """
          Long only. file names a CSV with a header naming a time column (time/date/datetime/timestamp), a signal
          column (signal/action) and optionally symbol. On each symbol's first bar at or after a buy signal (a date
          means New York midnight of that date), if flat, buy with all available cash (1/N of equity with N
          symbols); at or after a sell signal, if long, sell everything. Orders are placed on that bar's close and
          fill at the next open (or that close with close-fill timing). A signal without symbol applies to all.
        """
}
