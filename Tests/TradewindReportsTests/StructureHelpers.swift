import Foundation
import Testing
import TradewindTestSupport
@testable import TradewindReports

/// Shared checks on a rendered page.
enum Page {
    /// Parses the page as XML (the reports are XHTML-compatible) or records a test issue.
    static func parse(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) -> XMLCheck? {
        let xml = XMLCheck.parse(html)
        #expect(xml != nil, "the report is not well-formed", sourceLocation: sourceLocation)
        return xml
    }

    static func ids(_ xml: XMLCheck) -> Set<String> { Set(xml.elements.compactMap { $0.attributes["id"] }) }

    /// Nothing that a browser would fetch: no scheme URLs, no protocol-relative links, no imports.
    static func externalReferences(_ html: String) -> [String] {
        var found: [String] = []
        for needle in ["http://", "https://", "src=\"//", "href=\"//", "@import", "<link", "<img", "<iframe", "ftp://", "url(http", "url(//"]
            where html.contains(needle) { found.append(needle) }
        // Every href is an in-page anchor.
        var rest = Substring(html)
        while let r = rest.range(of: "href=\"") {
            let after = rest[r.upperBound...]
            if !after.hasPrefix("#") { found.append("href=\"" + String(after.prefix(20))) }
            rest = after
        }
        for needle in ["src=\""] where html.contains(needle) { found.append(needle) }
        return found
    }

    /// The SVG charts (root `svg` elements and the counts of drawing elements under each).
    static func charts(_ html: String) -> [(id: String, drawn: Int)] {
        var out: [(String, Int)] = []
        var rest = Substring(html)
        while let r = rest.range(of: "<svg") {
            guard let end = rest[r.upperBound...].range(of: "</svg>") else { break }
            let svg = rest[r.lowerBound..<end.upperBound]
            let id = svg.range(of: " id=\"").map { m in String(svg[m.upperBound...].prefix { $0 != "\"" }) } ?? ""
            let drawn = ["<path", "<rect", "<circle", "<line"].map { svg.components(separatedBy: $0).count - 1 }.reduce(0, +)
            out.append((id, drawn))
            rest = rest[end.upperBound...]
        }
        return out
    }
}
