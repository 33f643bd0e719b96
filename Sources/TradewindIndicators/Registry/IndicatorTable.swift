import Foundation
import TradewindCore

/// Runs registry indicators over a `BarSeries` and renders the results (the logic behind
/// `tradewind indicator`; the command only parses and prints).
public enum IndicatorTable {
    /// Parses `k=v` parameter spellings (`nbdev=1` and `nbdev=1.0` alike) for `descriptor`.
    public static func parameters(_ specs: [String], for descriptor: IndicatorDescriptor) throws(IndicatorError) -> [String: Double] {
        var values: [String: Double] = [:]
        for spec in specs {
            let parts = spec.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, let v = Double(parts[1]) else {
                throw .invalidCombination(indicator: descriptor.name, reason: "parameter '\(spec)' is not of the form name=number")
            }
            values[parts[0].lowercased()] = v
        }
        _ = try descriptor.resolve(values)
        return values
    }

    /// The input columns `descriptor` reads, from `series`. Sessions (VWAP) are the bars' local dates in `zone`;
    /// a per-bar periods input (MAVP) is `periods`, one value per bar (see `periods(csv:file:bars:)`).
    public static func inputs(for descriptor: IndicatorDescriptor, series: BarSeries, zone: ZoneRules,
                              periods: [Double]? = nil) throws(IndicatorError) -> [[Double]] {
        var columns: [[Double]] = []
        for input in descriptor.inputs {
            switch input.column {
            case .open: columns.append(series.open)
            case .high: columns.append(series.high)
            case .low: columns.append(series.low)
            case .close: columns.append(series.close)
            case .volume: columns.append(series.volume)
            case .session: columns.append(sessionIDs(series.time, zone: zone))
            case .periods:
                guard let periods else {
                    throw .missingPeriods(indicator: descriptor.name)
                }
                guard periods.count == series.count else {
                    throw .invalidCombination(indicator: descriptor.name,
                                              reason: "the periods file has \(periods.count) values for \(series.count) bars")
                }
                columns.append(periods)
            }
        }
        return columns
    }

    /// One period per bar from a text file: one line per bar in bar order, the period being the line's last
    /// comma-separated field (so both a bare column and `timestamp,period` rows work); a first line whose last
    /// field is not a number is a header. Blank lines are ignored. Each value must be a finite number.
    public static func periods(csv text: String, file: String) throws(IndicatorError) -> [Double] {
        var out: [Double] = []
        var lineNumber = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw[...]
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) { continue }
            let field = line.split(separator: ",", omittingEmptySubsequences: false).last.map {
                $0.trimmingCharacters(in: .whitespaces)
            } ?? ""
            guard let v = Double(field), v.isFinite else {
                if out.isEmpty && lineNumber == 1 { continue }  // header
                throw .invalidCombination(indicator: "MAVP",
                                          reason: "\(file) line \(lineNumber): '\(field)' is not a finite number of bars")
            }
            out.append(v)
        }
        return out
    }

    /// One id per bar: its local calendar day in `zone` (a new session starts where the day changes).
    public static func sessionIDs(_ times: [UnixNanos], zone: ZoneRules) -> [Double] {
        let day: Int64 = 86_400_000_000_000
        return times.map { t in
            let local = zone.localNanos(fromUTC: t)
            let d = local >= 0 ? local / day : (local - day + 1) / day
            return Double(d)
        }
    }

    /// Outputs whose values are integers in TA-Lib (printed without a fraction).
    static func isInteger(_ output: String) -> Bool { ["integer", "minidx", "maxidx", "trend"].contains(output) }

    static func format(_ v: Double, integer: Bool) -> String {
        guard !v.isNaN else { return "" }
        if integer, let i = Int(exactly: v) { return String(i) }
        return "\(v)"
    }

    /// CSV: header `timestamp,<outputs>`, ISO 8601 UTC bar start times, empty cells inside the lookback.
    public static func csv(_ descriptor: IndicatorDescriptor, times: [UnixNanos], outputs: [[Double]]) -> String {
        var lines = ["timestamp," + descriptor.outputs.joined(separator: ",")]
        lines.reserveCapacity(times.count + 1)
        let integer = descriptor.outputs.map(isInteger)
        for i in times.indices {
            var row = ISO8601.utc(times[i])
            for k in outputs.indices {
                row += ","
                row += format(outputs[k][i], integer: integer[k])
            }
            lines.append(row)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// JSON: an array of objects, one per bar: `timestamp` plus each output (null inside the lookback).
    public static func json(_ descriptor: IndicatorDescriptor, times: [UnixNanos], outputs: [[Double]]) -> String {
        let integer = descriptor.outputs.map(isInteger)
        var rows: [String] = []
        rows.reserveCapacity(times.count)
        for i in times.indices {
            var fields = ["\"timestamp\":\"\(ISO8601.utc(times[i]))\""]
            for k in outputs.indices {
                let v = outputs[k][i]
                fields.append("\"\(descriptor.outputs[k])\":" + (v.isFinite ? format(v, integer: integer[k]) : "null"))
            }
            rows.append("{" + fields.joined(separator: ",") + "}")
        }
        return "[\n" + rows.joined(separator: ",\n") + "\n]\n"
    }

    /// `indicator list`: one line per indicator (name, group, inputs, parameters with defaults, outputs).
    public static func listText() -> String {
        IndicatorRegistry.all.map { d in
            let params = d.parameters.map { p in
                "\(p.name)=\(p.kind == .real ? "\(p.defaultValue)" : "\(Int(p.defaultValue))")"
            }.joined(separator: " ")
            let name = d.name.padding(toLength: 20, withPad: " ", startingAt: 0)
            return "\(name) \(d.summary) | inputs: \(d.inputs.map(\.name).joined(separator: ",")) | "
                + "params: \(params.isEmpty ? "-" : params) | outputs: \(d.outputs.joined(separator: ","))"
        }.joined(separator: "\n") + "\n"
    }

    /// `indicator list --json`: every descriptor with inputs, parameters (kind, default, range) and outputs.
    public static func listJSON() throws -> String {
        struct Entry: Encodable {
            let name: String, group: String, summary: String
            let inputs: [InputSpec], parameters: [IndicatorParameter], outputs: [String]
        }
        let entries = IndicatorRegistry.all.map {
            Entry(name: $0.name, group: $0.group.rawValue, summary: $0.summary, inputs: $0.inputs,
                  parameters: $0.parameters, outputs: $0.outputs)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(entries), as: UTF8.self) + "\n"
    }
}
