/// An error message from Alpaca's data stream (`[{"T":"error","code":N,"msg":…}]`) and what the feed does about it:
/// - stops, with this error (the run cannot go on as asked): 402 auth failed, 405 symbol limit exceeded, 406 connection
///   limit exceeded, 408 v2 not enabled, 409 insufficient subscription;
/// - reconnects (resubscribing and backfilling from REST): 401 not authenticated, 404 auth timeout, 407 slow client,
///   500 internal error, and any other code;
/// - logs and goes on: 400 invalid syntax (an action of ours the server did not take) and 403 already authenticated.
public struct DataStreamError: Error, Sendable, Hashable, CustomStringConvertible {
    public let code: Int
    public let message: String
    /// The stream's path (`/v2/iex`, `/v2/sip`).
    public let path: String

    public init(code: Int, message: String, path: String) {
        self.code = code
        self.message = message
        self.path = path
    }

    /// What the feed does on this error.
    public enum Handling: Sendable, Hashable { case stop, reconnect, ignore }

    public var handling: Handling {
        switch code {
        case 402, 405, 406, 408, 409: .stop
        case 400, 403: .ignore
        default: .reconnect
        }
    }

    public var description: String {
        let advice: String
        switch code {
        case 400: advice = "the server did not understand an action the feed sent"
        case 401: advice = "the feed subscribed before authenticating; it reconnects"
        case 402: advice = "the keys were refused: check APCA_API_KEY_ID and APCA_API_SECRET_KEY (paper and live keys differ)"
        case 403: advice = "the connection was already authenticated"
        case 404: advice = "authentication took too long; the feed reconnects"
        case 405: advice = "more symbols than the subscription allows (IEX: 30 for trades and quotes); trade fewer symbols"
        case 406: advice = "another connection with these keys is open (one per account): close the other client first"
        case 407: advice = "the feed read too slowly; it reconnects and backfills the gap"
        case 408: advice = "the account has no access to market data v2"
        case 409: advice = "the subscription does not include this feed: use --feed alpaca:iex, or subscribe to SIP data"
        case 500: advice = "Alpaca's internal error; the feed reconnects"
        default: advice = "an error code Alpaca does not document; the feed reconnects"
        }
        return "Alpaca data stream \(path): error \(code) (\(message)): \(advice)"
    }
}
