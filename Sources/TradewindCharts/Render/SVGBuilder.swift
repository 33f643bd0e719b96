/// Accumulates SVG markup. Every attribute value and text passes through `XMLEscape`, so the
/// output is well-formed whatever the labels contain.
public struct SVGBuilder {
    public private(set) var body = ""

    public init() {
        body.reserveCapacity(16_384)
    }

    /// Appends raw markup the caller has already escaped.
    public mutating func raw(_ s: String) { body += s }

    /// `<name a="v" …/>` or, with `text`, `<name …>text</name>`.
    public mutating func element(_ name: String, _ attributes: KeyValuePairs<String, String>, text: String? = nil) {
        body += "<" + name
        for (k, v) in attributes { body += " " + k + "=\"" + XMLEscape.escape(v) + "\"" }
        if let text {
            body += ">" + XMLEscape.escape(text) + "</" + name + ">"
        } else {
            body += "/>"
        }
    }

    /// `<name …>` (close it with `close(name)`).
    public mutating func open(_ name: String, _ attributes: KeyValuePairs<String, String> = [:]) {
        body += "<" + name
        for (k, v) in attributes { body += " " + k + "=\"" + XMLEscape.escape(v) + "\"" }
        body += ">"
    }

    public mutating func close(_ name: String) { body += "</" + name + ">" }

    /// Text at `(x, y)` with an anchor (`start`, `middle`, `end`).
    public mutating func text(_ s: String, x: Double, y: Double, anchor: String = "start", size: Double = ChartTheme.fontSize,
                              fill: String = ChartTheme.text, weight: String? = nil, cls: String? = nil) {
        body += "<text x=\"" + NumberText.coord(x) + "\" y=\"" + NumberText.coord(y) + "\""
        if anchor != "start" { body += " text-anchor=\"" + anchor + "\"" }
        if size != ChartTheme.fontSize { body += " font-size=\"" + NumberText.coord(size) + "\"" }
        body += " fill=\"" + fill + "\""
        if let weight { body += " font-weight=\"" + weight + "\"" }
        if let cls { body += " class=\"" + XMLEscape.escape(cls) + "\"" }
        body += ">" + XMLEscape.escape(s) + "</text>"
    }

    /// The root `<svg>` element around `body`: responsive (`viewBox`, `width="100%"`), titled for
    /// screen readers, with extra `data-` attributes the reports and tests read. Inline SVG in
    /// HTML needs no namespace (so a report holds no URL at all); `standalone` adds it for `.svg` files.
    public static func document(width: Double, height: Double, title: String, id: String?, kind: String,
                                data: [(String, String)] = [], standalone: Bool = false, maxWidth: Double? = nil,
                                body: String) -> String {
        var s = "<svg"
        if standalone { s += " xmlns=\"http" + "://www.w3.org/2000/svg\"" }
        s += " class=\"tw-chart\" data-kind=\"" + kind + "\""
        if let id { s += " id=\"" + XMLEscape.escape(id) + "\"" }
        s += " viewBox=\"0 0 " + NumberText.coord(width) + " " + NumberText.coord(height) + "\""
        if let maxWidth { s += " style=\"max-width:" + NumberText.coord(maxWidth) + "px\"" }
        s += " width=\"100%\" preserveAspectRatio=\"xMidYMid meet\" role=\"img\" aria-label=\"" + XMLEscape.escape(title) + "\""
        s += " font-family=\"" + XMLEscape.escape(ChartTheme.fontFamily) + "\" font-size=\"" + NumberText.coord(ChartTheme.fontSize) + "\""
        for (k, v) in data { s += " data-" + k + "=\"" + XMLEscape.escape(v) + "\"" }
        s += "><title>" + XMLEscape.escape(title) + "</title>" + body + "</svg>"
        return s
    }
}
