import Foundation
import TradewindAlpaca
import TradewindCore
import TradewindData

/// A recording's trades and quotes, which the exchange plays on the data stream and serves from the historical trades
/// and quotes API.
///
/// On disk: a directory with `SYMBOL.trades.jsonl` and `SYMBOL.quotes.jsonl` files (either may be absent), each line
/// one trade or quote exactly as Alpaca's historical API returns it (`{"t":"2022-04-11T12:00:36.002951946Z","x":"V",
/// "p":168.04,"s":50,"c":["@","T","I"],"i":1,"z":"C"}`; `{"t":…,"ax":"C","ap":387.7,"as":1,"bx":"N","bp":387.67,
/// "bs":1,"c":["R"],"z":"C"}`), in any order. Blank lines are skipped; a line that is not one is an error naming the
/// file and line.
public struct TickRecording: Sendable {
    /// One symbol's ticks, sorted by time (the instants beside them).
    public struct Tape<Tick: Sendable>: Sendable {
        public let times: [UnixNanos]
        public let ticks: [Tick]

        /// The ticks in `[from, to)`.
        public func range(from: UnixNanos, to: UnixNanos) -> ArraySlice<Tick> {
            ticks[times.partitionPoint { $0 < from }..<times.partitionPoint { $0 < to }]
        }
    }

    public let trades: [String: Tape<AlpacaTrade>]
    public let quotes: [String: Tape<AlpacaQuote>]

    public init(trades: [String: [AlpacaTrade]], quotes: [String: [AlpacaQuote]] = [:]) throws(DataError) {
        self.trades = try Self.tapes(trades, \.t)
        self.quotes = try Self.tapes(quotes, \.t)
    }

    /// Symbols with recorded trades or quotes.
    public var symbols: [String] { Set(trades.keys).union(quotes.keys).sorted() }

    /// The minute bars of every symbol with recorded trades, built by Alpaca's rules (`MinuteBarBuilder`): what the
    /// exchange replays and serves for those symbols.
    public func minuteBars() -> MarketDataset {
        MarketDataset(trades.keys.sorted().map { symbol in
            let built = MinuteBarBuilder.bars(symbol, from: trades[symbol]!.ticks)
            return BarSeries(symbol: symbol, interval: .minute, time: built.map(\.start), open: built.map(\.bar.o),
                             high: built.map(\.bar.h), low: built.map(\.bar.l), close: built.map(\.bar.c),
                             volume: built.map(\.bar.v), vwap: built.map { $0.bar.vw ?? .nan },
                             tradeCount: built.map { Double($0.bar.n ?? 0) })
        })
    }

    /// True when `path` is a directory holding at least one `*.trades.jsonl` or `*.quotes.jsonl` file.
    public static func isRecording(at path: String) -> Bool {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return false }
        return names.contains { $0.hasSuffix(".trades.jsonl") || $0.hasSuffix(".quotes.jsonl") }
    }

    /// Reads the recording in `directory` (the format above).
    public static func load(directory: String) throws(DataError) -> TickRecording {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted() } catch {
            throw DataError(.unreadable, file: directory, "cannot list the tick recording's directory: \(error.localizedDescription)")
        }
        var trades: [String: [AlpacaTrade]] = [:], quotes: [String: [AlpacaQuote]] = [:]
        for name in names {
            let path = directory + "/" + name
            if name.hasSuffix(".trades.jsonl") {
                trades[String(name.dropLast(".trades.jsonl".count)).uppercased()] = try lines(path, AlpacaTrade.self)
            } else if name.hasSuffix(".quotes.jsonl") {
                quotes[String(name.dropLast(".quotes.jsonl".count)).uppercased()] = try lines(path, AlpacaQuote.self)
            }
        }
        return try TickRecording(trades: trades, quotes: quotes)
    }

    private static func lines<T: Decodable>(_ path: String, _ type: T.Type) throws(DataError) -> [T] {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw DataError(.unreadable, file: path, "cannot read: \(error.localizedDescription)")
        }
        let decoder = JSONDecoder()
        var out: [T] = []
        for (k, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            guard !line.allSatisfy(\.isWhitespace) else { continue }
            do { out.append(try decoder.decode(T.self, from: Data(line.utf8))) } catch {
                throw DataError(.invalidValue, file: path, line: k + 1, value: String(line), "not one of Alpaca's \(T.self == AlpacaTrade.self ? "trade" : "quote") objects (t, p, s… as the historical API returns them)")
            }
        }
        return out
    }

    private static func tapes<T: Sendable>(_ bySymbol: [String: [T]], _ time: KeyPath<T, String>) throws(DataError) -> [String: Tape<T>] {
        var out: [String: Tape<T>] = [:]
        for (symbol, ticks) in bySymbol {
            var timed: [(UnixNanos, T)] = []
            for tick in ticks {
                guard let t = AlpacaJSON.instant(tick[keyPath: time]) else {
                    throw DataError(.badTimestamp, file: symbol, column: "t", value: tick[keyPath: time], "not an RFC 3339 time (2022-04-11T12:00:36.002951946Z)")
                }
                timed.append((t, tick))
            }
            timed.sort { $0.0 < $1.0 }
            out[symbol.uppercased()] = Tape(times: timed.map(\.0), ticks: timed.map(\.1))
        }
        return out
    }
}
