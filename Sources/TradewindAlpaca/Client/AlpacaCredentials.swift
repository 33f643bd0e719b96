import Foundation

/// An Alpaca key pair and the hosts to use. The secret never appears in `description`, logs or errors.
public struct AlpacaCredentials: Sendable, Hashable, CustomStringConvertible {
    public let keyID: String
    public let secretKey: String

    public init(keyID: String, secretKey: String) {
        self.keyID = keyID
        self.secretKey = secretKey
    }

    /// Names read for the key id, in order: Alpaca's official one, then the aliases the systems Tradewind replaces use.
    public static let keyIDVariables = ["APCA_API_KEY_ID", "ALPACA_API_KEY_ID", "ALPACA_API_KEY"]
    /// Names read for the secret, in order.
    public static let secretVariables = ["APCA_API_SECRET_KEY", "ALPACA_API_SECRET_KEY", "ALPACA_SECRET_KEY", "ALPACA_API_SECRET"]

    /// The pair from `environment`; an error naming the variables when either is missing.
    public static func from(environment: [String: String]) throws(AlpacaError) -> AlpacaCredentials {
        func first(_ names: [String]) -> String? { names.lazy.compactMap { environment[$0] }.first { !$0.isEmpty } }
        guard let id = first(keyIDVariables) else {
            throw .missingCredentials("no Alpaca key id: set \(keyIDVariables.joined(separator: " or "))")
        }
        guard let secret = first(secretVariables) else {
            throw .missingCredentials("no Alpaca secret key: set \(secretVariables.joined(separator: " or "))")
        }
        return AlpacaCredentials(keyID: id, secretKey: secret)
    }

    /// The key id's first four characters only.
    public var description: String { "Alpaca key \(keyID.prefix(4))…" }
}

/// Where the APIs are: trading REST (paper by default), market data REST, and the data stream.
public struct AlpacaEndpoints: Sendable, Hashable {
    /// `https://paper-api.alpaca.markets` (or `https://api.alpaca.markets` for a live account).
    public let trading: String
    /// `https://data.alpaca.markets`.
    public let data: String
    /// `wss://stream.data.alpaca.markets` (the data stream; `/v2/{feed}` is appended).
    public let stream: String

    public static let paper = AlpacaEndpoints(trading: "https://paper-api.alpaca.markets", data: "https://data.alpaca.markets",
                                              stream: "wss://stream.data.alpaca.markets")
    public static let live = AlpacaEndpoints(trading: "https://api.alpaca.markets", data: "https://data.alpaca.markets",
                                             stream: "wss://stream.data.alpaca.markets")

    public init(trading: String, data: String, stream: String) {
        self.trading = Self.trimmed(trading)
        self.data = Self.trimmed(data)
        self.stream = Self.trimmed(stream)
    }

    /// Every API on one server (`tradewind exchange` at `http://127.0.0.1:PORT`).
    public init(oneServer base: String) {
        let b = Self.trimmed(base)
        let ws = b.hasPrefix("https://") ? "wss://" + b.dropFirst(8) : "ws://" + b.replacingOccurrences(of: "http://", with: "")
        self.init(trading: b, data: b, stream: String(ws))
    }

    /// From `APCA_API_BASE_URL`, `APCA_API_DATA_URL`, `APCA_API_STREAM_URL` over `defaults` (paper unless live).
    public static func from(environment: [String: String], live: Bool = false) -> AlpacaEndpoints {
        let d = live ? AlpacaEndpoints.live : .paper
        return AlpacaEndpoints(trading: environment["APCA_API_BASE_URL"] ?? d.trading,
                               data: environment["APCA_API_DATA_URL"] ?? d.data,
                               stream: environment["APCA_API_STREAM_URL"] ?? d.stream)
    }

    /// The `trade_updates` stream's URL: the trading host's `/stream` over ws(s).
    public var tradeUpdates: String {
        (trading.hasPrefix("https://") ? "wss://" + trading.dropFirst(8) : "ws://" + trading.dropFirst(7)) + "/stream"
    }

    private static func trimmed(_ s: String) -> String {
        var s = s
        while s.hasSuffix("/") { s.removeLast() }
        if s.hasSuffix("/v2") { s.removeLast(3) }
        return s
    }
}
