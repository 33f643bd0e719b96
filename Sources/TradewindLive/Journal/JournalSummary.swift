import Foundation

/// What a journal file says about a run, for `tradewind trade status`: counts by kind, the last entry's time, halts
/// and the latest risk refusals. A torn last line (a crash while writing) is counted, not fatal.
public struct JournalSummary: Sendable, Equatable {
    public var intents = 0
    public var updates = 0
    public var fills = 0
    public var riskRejections = 0
    public var halts: [String] = []
    public var starts = 0
    public var ends = 0
    public var lastTime: String?
    public var latestRejections: [String] = []
    public var tornLines = 0
    /// What the start-up reconciliations found (orders adopted, external orders, fills made while down).
    public var reconciliationNotes: [String] = []

    /// Reads the journal file at `path`.
    public init(path: String) throws(JournalError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .cannotOpen(path: path, reason: "no such file, or not readable")
        }
        self.init(lines: String(decoding: data, as: UTF8.self).split(separator: "\n"))
    }

    /// Summarises a journal's lines (any medium's: `TradingJournal.lines()`).
    public init(lines: some Sequence<some StringProtocol>) {
        for object in JournalLines.objects(lines, torn: &tornLines) {
            let kind = object["kind"] as? String ?? ""
            if let t = object["time"] as? String { lastTime = t }
            switch kind {
            case "intent": intents += 1
            case "update":
                updates += 1
                if object["event"] as? String == "fill" { fills += 1 }
            case "risk_rejection":
                riskRejections += 1
                latestRejections.append(object["reason"] as? String ?? "")
                if latestRejections.count > 5 { latestRejections.removeFirst() }
            case "halt": halts.append(object["reason"] as? String ?? "")
            case "lifecycle":
                if object["event"] as? String == "start" { starts += 1 }
                if object["event"] as? String == "end" { ends += 1 }
            case "reconciliation": reconciliationNotes.append(object["note"] as? String ?? "")
            default: tornLines += 1
            }
        }
    }

    /// A few lines for a terminal.
    public var text: String {
        var lines = [
            "runs started: \(starts), finished: \(ends)\(starts > ends ? " (the last run did not finish: it is running or was stopped)" : "")",
            "order intents: \(intents), broker reports: \(updates) (fills: \(fills)), risk refusals: \(riskRejections)",
            "last entry: \(lastTime ?? "none")",
        ]
        for h in halts { lines.append("halted: \(h)") }
        for r in latestRejections { lines.append("refused: \(r)") }
        for n in reconciliationNotes { lines.append("reconciled: \(n)") }
        if tornLines > 0 { lines.append("unreadable lines: \(tornLines) (a write interrupted by a crash)") }
        return lines.joined(separator: "\n")
    }
}
