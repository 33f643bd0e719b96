/// Test support shared by the Charts and Reports test targets: well-formedness checks and SVG path parsing.
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Parses markup with Foundation's XMLParser and collects every element with its attributes.
public final class XMLCheck: NSObject, XMLParserDelegate {
    public struct Element: Sendable {
        public let name: String
        public let attributes: [String: String]
    }
    public private(set) var elements: [Element] = []
    public private(set) var text = ""
    public private(set) var error: String?

    /// Parses `markup`; `nil` when it is not well-formed XML.
    public static func parse(_ markup: String) -> XMLCheck? {
        let check = XMLCheck()
        let parser = XMLParser(data: Data(markup.utf8))
        parser.delegate = check
        guard parser.parse() else { return nil }
        return check
    }

    public func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        elements.append(Element(name: name, attributes: attributes))
    }

    public func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    public func all(_ name: String) -> [Element] { elements.filter { $0.name == name } }

    public func withClass(_ cls: String) -> [Element] {
        elements.filter { ($0.attributes["class"] ?? "").split(separator: " ").contains(Substring(cls)) }
    }
}

/// The (x, y) points of an SVG path made of M/L commands with absolute coordinates.
public func pathPoints(_ d: String) -> [(Double, Double)] {
    var out: [(Double, Double)] = []
    var token = ""
    var numbers: [Double] = []
    func flush() {
        if let v = Double(token) { numbers.append(v) }
        token = ""
    }
    for ch in d {
        if ch == "M" || ch == "L" || ch == " " || ch == "," || ch == "Z" || ch == "h" || ch == "V" {
            flush()
        } else if ch == "-" && !token.isEmpty {
            flush()
            token.append(ch)
        } else {
            token.append(ch)
        }
    }
    flush()
    var i = 0
    while i + 1 < numbers.count {
        out.append((numbers[i], numbers[i + 1]))
        i += 2
    }
    return out
}
