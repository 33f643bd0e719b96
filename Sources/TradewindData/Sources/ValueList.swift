import Foundation

/// A list of values (symbols, names) given inline or in a file.
///
/// Inline: values separated by commas, spaces or line breaks (`AAPL,MSFT`). `@PATH`: the same read from the file
/// at PATH (one value a line, or comma-separated; CRLF line ends and a UTF-8 byte-order mark are accepted).
/// Empty pieces are skipped; an empty list is an error.
public enum ValueList {
    /// The values of `text` (inline, or `@PATH`), in order.
    public static func parse(_ text: String) throws(ValueListError) -> [String] {
        var body = text
        if text.hasPrefix("@") {
            let path = String(text.dropFirst())
            do {
                body = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw .unreadableFile(path: path, reason: (error as NSError).localizedDescription)
            }
            if body.hasPrefix("\u{FEFF}") { body.removeFirst() }
        }
        // `isWhitespace` covers "\r\n", which Swift reads as one Character.
        let list = body.split(whereSeparator: { $0 == "," || $0.isWhitespace }).map(String.init)
        guard !list.isEmpty else { throw .empty(text) }
        return list
    }

    /// A symbol selection: `all` (every symbol of the data: nil) or a list as `parse` reads it.
    public static func symbols(_ text: String) throws(ValueListError) -> [String]? {
        text == "all" ? nil : try parse(text)
    }
}

/// Why a `ValueList` could not be read.
public enum ValueListError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `@PATH` names a file that cannot be read as UTF-8 text.
    case unreadableFile(path: String, reason: String)
    /// The text (or the file it names) holds no values; `text` is as given.
    case empty(String)

    public var description: String {
        switch self {
        case let .unreadableFile(path, reason): return "cannot read the list of values in \(path): \(reason)"
        case let .empty(text): return "no values in '\(text)'; give values separated by commas or line breaks"
        }
    }
}
