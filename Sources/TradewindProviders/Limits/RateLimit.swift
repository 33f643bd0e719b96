/// A request rate: at most `requests` per `seconds`, written `200/min`, `5/min`, `10/s` or `1000/h`.
public struct RateLimit: Sendable, Equatable, Hashable, CustomStringConvertible {
    public let requests: Int
    public let seconds: Double

    public init(requests: Int, seconds: Double) {
        self.requests = requests
        self.seconds = seconds
    }

    /// `n` requests per minute.
    public static func perMinute(_ n: Int) -> RateLimit { RateLimit(requests: n, seconds: 60) }

    /// Reads `N/s`, `N/min` or `N/h` (N a whole number above 0).
    public init?(_ text: String) {
        let parts = text.lowercased().split(separator: "/")
        guard parts.count == 2, let n = Int(parts[0]), n > 0 else { return nil }
        switch parts[1] {
        case "s", "sec", "second": seconds = 1
        case "m", "min", "minute": seconds = 60
        case "h", "hour": seconds = 3600
        default: return nil
        }
        requests = n
    }

    /// Requests per second.
    public var perSecond: Double { Double(requests) / seconds }

    public var description: String {
        switch seconds {
        case 1: return "\(requests)/s"
        case 60: return "\(requests)/min"
        case 3600: return "\(requests)/h"
        default: return "\(requests)/\(seconds)s"
        }
    }
}
