import TradewindCharts
import TradewindCore

/// Small helpers for writing the report's markup. The reports are XHTML-compatible (every element
/// closed, every attribute quoted, scripts in CDATA), so they parse as XML as well as HTML.
enum HTMLText {
    static func esc(_ s: String) -> String { XMLEscape.escape(s) }

    /// A fragment safe for an `id`: letters, digits, `-` and `_`; anything else becomes `-`.
    static func idFragment(_ s: String) -> String {
        let mapped = s.unicodeScalars.map { c -> Character in
            (c.properties.isAlphabetic && c.isASCII) || ("0"..."9").contains(c) || c == "-" || c == "_" ? Character(c) : "-"
        }
        let out = String(mapped)
        return out.isEmpty ? "x" : out
    }

    static func date(_ t: UnixNanos, _ period: ReportPeriod) -> String {
        DateTicks.tooltip(t, intraday: period.interval.isIntraday, zone: period.zone)
    }

    /// A duration in words: `12 days`, `3 h 20 min`, `45 min`.
    static func duration(_ nanos: Int64) -> String {
        let minutes = max(nanos, 0) / UnixTime.nanosPerMinute
        if nanos >= 2 * UnixTime.nanosPerDay { return String(nanos / UnixTime.nanosPerDay) + " days" }
        if minutes >= 60 { return String(minutes / 60) + " h " + String(minutes % 60) + " min" }
        return String(minutes) + " min"
    }

    /// `<table>` with a header row and body rows of pre-escaped cells.
    static func table(_ headers: [String], _ rows: [[String]], cls: String = "data", id: String? = nil) -> String {
        var s = "<div class=\"table-wrap\"><table class=\"\(cls)\"" + (id.map { " id=\"\(esc($0))\"" } ?? "") + "><thead><tr>"
        for h in headers { s += "<th>" + esc(h) + "</th>" }
        s += "</tr></thead><tbody>"
        for r in rows { s += "<tr>" + r.map { "<td>" + $0 + "</td>" }.joined() + "</tr>" }
        return s + "</tbody></table></div>"
    }

    /// A definition list of (term, value) pairs.
    static func facts(_ items: [(String, String)]) -> String {
        "<dl class=\"facts\">" + items.map { "<div><dt>" + esc($0.0) + "</dt><dd>" + esc($0.1) + "</dd></div>" }.joined() + "</dl>"
    }

    /// A figure: a titled block around one chart's SVG.
    static func figure(_ title: String, _ svg: String, cls: String = "chart") -> String {
        "<figure class=\"\(cls)\"><figcaption>" + esc(title) + "</figcaption><div class=\"chart-scroll\">" + svg + "</div></figure>"
    }

    static func note(_ text: String) -> String { "<p class=\"empty\">" + esc(text) + "</p>" }

    static func parameters(_ ps: [ReportParameter]) -> String {
        ps.isEmpty ? "none" : ps.map { $0.name + " = " + $0.value.description }.joined(separator: ", ")
    }
}
