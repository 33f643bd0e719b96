import TradewindCharts
import TradewindCore

/// A strategy or optimizer parameter as shown in a report (`fast = 10`).
public struct ReportParameter: Sendable, Equatable {
    public var name: String
    public var value: ReportParameterValue

    public init(name: String, value: ReportParameterValue) {
        self.name = name
        self.value = value
    }
}

/// A parameter value: a number or a choice. Numbers order before text; both print without noise.
public enum ReportParameterValue: Sendable, Hashable, Comparable, CustomStringConvertible {
    case number(Double)
    case text(String)

    public var description: String {
        switch self {
        case .number(let v):
            return NumberText.shortest(v)
        case .text(let s): return s
        }
    }

    public var number: Double? {
        if case .number(let v) = self { return v }
        return nil
    }

    public static func < (a: ReportParameterValue, b: ReportParameterValue) -> Bool {
        switch (a, b) {
        case (.number(let x), .number(let y)): return x < y
        case (.number, .text): return true
        case (.text, .number): return false
        case (.text(let x), .text(let y)): return x < y
        }
    }
}

/// One figure of the metrics table (or a card): a value and how to print it.
public struct ReportMetric: Sendable, Equatable {
    /// A stable key (`sharpe`, `max_drawdown`), used as the row id and in tests.
    public var key: String
    /// The label shown to people (`Sharpe ratio`).
    public var label: String
    /// The value; non-finite values print as `—` (not defined, e.g. a Sharpe ratio without variance).
    public var value: Double
    public var format: ValueFormat
    /// Appended after the number (` days`, `×`).
    public var suffix: String

    public init(key: String, label: String, value: Double, format: ValueFormat, suffix: String = "") {
        self.key = key
        self.label = label
        self.value = value
        self.format = format
        self.suffix = suffix
    }

    /// The value as printed in the report.
    public var display: String { value.isFinite ? format.string(value) + suffix : "—" }
}

/// Values over time (equity, drawdown, a rolling ratio).
public struct TimeSeries: Sendable, Equatable {
    /// Ascending instants (a bar's start, or its end for equity sampled at the close: the adapter decides).
    public var times: [UnixNanos]
    public var values: [Double]

    public init(times: [UnixNanos], values: [Double]) {
        precondition(times.count == values.count, "TimeSeries needs one value per time")
        self.times = times
        self.values = values
    }

    public static let empty = TimeSeries(times: [], values: [])
    public var count: Int { times.count }
    public var isEmpty: Bool { times.isEmpty }
}

/// The span of data a run covered.
public struct ReportPeriod: Sendable, Equatable {
    public var start: UnixNanos
    public var end: UnixNanos
    public var interval: BarInterval
    /// The zone in which dates are shown (the exchange's).
    public var zone: ZoneRules

    public init(start: UnixNanos, end: UnixNanos, interval: BarInterval, zone: ZoneRules = .utc) {
        self.start = start
        self.end = end
        self.interval = interval
        self.zone = zone
    }

    /// `2004-01-02 → 2024-05-31 (daily)`; intraday periods show times too.
    public var description: String {
        let intra = interval.isIntraday
        return DateTicks.tooltip(start, intraday: intra, zone: zone) + " → " + DateTicks.tooltip(end, intraday: intra, zone: zone)
            + " (" + interval.description + ")"
    }
}
