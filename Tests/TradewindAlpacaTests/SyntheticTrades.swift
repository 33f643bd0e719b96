import Foundation
import Logging
import Synchronization
import TradewindAlpaca
import TradewindCore
import TradewindExchange

/// SYNTHETIC trades and quotes for tests (not market data): for each NYSE minute of `days` sessions from 2019-02-14,
/// five trades per symbol at fixed seconds, with a deterministic price wave and a cycle of conditions that exercises
/// Alpaca's aggregation rules (regular, odd lot, intermarket sweep, sold out of sequence, official close), and one
/// quote per minute.
enum SyntheticTrades {
    static let conditionCycle: [[String]] = [["@"], ["@", "I"], ["@", "F"], ["@", "Z"], [" "], ["@", "M"], ["@", "T"]]

    static func recording(symbols: [String] = ["AAA", "BBB"], days: Int = 1) throws -> TickRecording {
        let sessions = try NYSECalendar.shared.sessions(from: CivilDate(year: 2019, month: 2, day: 14)!,
                                                        to: CivilDate(year: 2019, month: 3, day: 29)!).prefix(days)
        var trades: [String: [AlpacaTrade]] = [:], quotes: [String: [AlpacaQuote]] = [:]
        for (k, symbol) in symbols.enumerated() {
            var id = 0
            for session in sessions {
                var minute = session.open
                while minute < session.close {
                    for j in 0..<5 {
                        id += 1
                        let x = Double(id) + Double(k) * 11
                        let price = ((100 + Double(k) * 50 + 3 * sin(x / 40) + 0.3 * sin(x / 3)) * 100).rounded() / 100
                        // The first trade of each minute is regular, so every minute has a bar.
                        let conditions = j == 0 ? ["@"] : conditionCycle[(id + j) % conditionCycle.count]
                        let at = minute + UnixNanos(j * 11 + 3) * UnixTime.nanosPerSecond + UnixNanos(id % 997)
                        trades[symbol, default: []].append(AlpacaTrade(t: AlpacaJSON.preciseTime(at), x: "V", p: price,
                                                                       s: Double(1 + (id * 37) % 400), c: conditions, i: id, z: "C"))
                    }
                    let mid = trades[symbol]!.last!.p
                    quotes[symbol, default: []].append(AlpacaQuote(t: AlpacaJSON.time(minute + 30 * UnixTime.nanosPerSecond),
                                                                   bx: "V", bp: mid - 0.01, bs: 3, ax: "V", ap: mid + 0.01, as: 2,
                                                                   c: ["R"], z: "C"))
                    minute += UnixTime.nanosPerMinute
                }
            }
        }
        return try TickRecording(trades: trades, quotes: quotes)
    }
}

/// Log lines a test reads back.
final class CapturedLogs: Sendable {
    struct Line: Sendable {
        let level: Logger.Level
        let message: String
        let metadata: [String: String]
        /// The message and its metadata as one text.
        var text: String { ([message] + metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }).joined(separator: " ") }
    }

    private let lines = Mutex<[Line]>([])
    var all: [Line] { lines.withLock { $0 } }

    var logger: Logger { Logger(label: "test.captured") { _ in Handler(sink: self) } }

    fileprivate func append(_ line: Line) { lines.withLock { $0.append(line) } }

    struct Handler: LogHandler {
        let sink: CapturedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(level: Logger.Level, message: Logger.Message, metadata: Logger.Metadata?, source: String, file: String,
                 function: String, line: UInt) {
            let merged = self.metadata.merging(metadata ?? [:]) { $1 }
            sink.append(Line(level: level, message: message.description, metadata: merged.mapValues { "\($0)" }))
        }
    }
}
