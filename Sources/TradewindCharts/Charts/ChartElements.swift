import TradewindCore

/// What the x axis of an `XYChart` measures.
public enum XAxis: Sendable, Equatable {
    /// Continuous time: x values are `UnixNanos` (as `Double`). Suits daily and longer bars.
    case time(zone: ZoneRules, intraday: Bool)
    /// Bar index: x values are indices into `times`, so nights and weekends take no room.
    /// Suits intraday bars; ticks are labelled with the bars' times.
    case ordinal(times: [UnixNanos], zone: ZoneRules, intraday: Bool)
    /// Plain numbers (a trial number, a return).
    case numeric(format: ValueFormat)

    /// The x value of instant `t` on this axis: itself on a time axis, the index of the first bar at
    /// or after `t` on an ordinal axis (the last bar when `t` is after every bar).
    public func position(of t: UnixNanos) -> Double {
        switch self {
        case .time, .numeric: return Double(t)
        case .ordinal(let times, _, _):
            var lo = 0, hi = times.count
            while lo < hi {
                let mid = (lo + hi) >> 1
                if times[mid] < t { lo = mid + 1 } else { hi = mid }
            }
            return Double(min(lo, max(times.count - 1, 0)))
        }
    }

    /// The text for x value `x` in a tooltip.
    public func label(_ x: Double) -> String {
        switch self {
        case .time(let zone, let intraday): return DateTicks.tooltip(UnixNanos(x), intraday: intraday, zone: zone)
        case .ordinal(let times, let zone, let intraday):
            guard !times.isEmpty else { return "" }
            let i = min(max(Int(x.rounded()), 0), times.count - 1)
            return DateTicks.tooltip(times[i], intraday: intraday, zone: zone)
        case .numeric(let f): return f.string(x)
        }
    }
}

/// How a series is drawn.
public enum SeriesStyle: Sendable, Equatable {
    case line
    /// A line with the area between it and `baseline` filled (the underwater chart).
    case area(baseline: Double)
    /// A line with a dot at every point (few points, such as optimization trials).
    case lineWithDots
    /// Dots only.
    case dots
}

/// One named series of an `XYChart`.
public struct ChartSeries: Sendable, Equatable {
    public var name: String
    /// Positions in the x axis' units (see `XAxis`); ascending.
    public var x: [Double]
    /// Values; non-finite values are not drawn.
    public var y: [Double]
    public var style: SeriesStyle
    /// A CSS colour; `nil` takes the palette colour for the series' position.
    public var color: String?
    public var dashed: Bool
    public var strokeWidth: Double

    public init(name: String, x: [Double], y: [Double], style: SeriesStyle = .line, color: String? = nil,
                dashed: Bool = false, strokeWidth: Double = 1.5) {
        self.name = name
        self.x = x
        self.y = y
        self.style = style
        self.color = color
        self.dashed = dashed
        self.strokeWidth = strokeWidth
    }

    /// A series over instants placed on `axis`.
    public init(name: String, times: [UnixNanos], values: [Double], on axis: XAxis, style: SeriesStyle = .line,
                color: String? = nil, dashed: Bool = false, strokeWidth: Double = 1.5) {
        let x: [Double]
        if case .ordinal(let axisTimes, _, _) = axis, axisTimes == times {
            x = (0..<times.count).map(Double.init)
        } else {
            x = times.map { axis.position(of: $0) }
        }
        self.init(name: name, x: x, y: values, style: style, color: color, dashed: dashed, strokeWidth: strokeWidth)
    }
}

/// A trade mark on a chart.
public struct ChartMarker: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        /// ▲ drawn below the point (a buy / position opened).
        case entry
        /// ▼ drawn above the point (a sell / position closed).
        case exit
    }
    public var x: Double
    public var y: Double
    public var kind: Kind
    /// Hover text.
    public var tip: String

    public init(x: Double, y: Double, kind: Kind, tip: String) {
        self.x = x
        self.y = y
        self.kind = kind
        self.tip = tip
    }
}

/// A horizontal reference line with a label (RSI 30/70, zero, a target).
public struct ReferenceLine: Sendable, Equatable {
    public var value: Double
    public var label: String
    public var color: String

    public init(value: Double, label: String, color: String = ChartTheme.reference) {
        self.value = value
        self.label = label
        self.color = color
    }
}
