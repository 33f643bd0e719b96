/// A `--feed` value: where bars come from.
public enum FeedSpec: Sendable, Hashable {
    /// Recorded bars from a data source (anything `--data` accepts), replayed.
    case replay(source: String)
    /// Alpaca's real-time minute bars (`iex` or `sip`), with `--broker alpaca`.
    case alpaca(feed: String)

    /// Parses `replay:SOURCE`, `alpaca`, `alpaca:iex` or `alpaca:sip`.
    public init(parsing text: String) throws(FeedSpecError) {
        if text == "alpaca" { self = .alpaca(feed: "iex"); return }
        guard let colon = text.firstIndex(of: ":") else { throw FeedSpecError(text: text) }
        let kind = text[..<colon], rest = String(text[text.index(after: colon)...])
        switch kind {
        case "replay" where !rest.isEmpty: self = .replay(source: rest)
        case "alpaca" where rest == "iex" || rest == "sip": self = .alpaca(feed: rest)
        default: throw FeedSpecError(text: text)
        }
    }
}

/// A `--feed` value that names no known feed.
public struct FeedSpecError: Error, Sendable, Equatable, CustomStringConvertible {
    public let text: String
    public var description: String {
        "unknown feed '\(text)'; expected replay:DATA (DATA as for --data: a CSV file, a directory, a cache or sample:NAME), or alpaca[:iex|sip]"
    }
}

/// A `--speed` value for a replay.
extension ReplayFeed.Speed {
    /// Parses `max` or a positive factor (60 = an hour of market time per minute).
    public init(parsing text: String) throws(FeedSpecError) {
        if text == "max" {
            self = .max
        } else if let f = Double(text), f > 0, f.isFinite {
            self = .factor(f)
        } else {
            throw FeedSpecError(text: "--speed \(text)")
        }
    }
}
