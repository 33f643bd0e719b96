/// An Alpaca API key pair, read from the official variables (`APCA_API_KEY_ID`, `APCA_API_SECRET_KEY`) or the
/// names other trading systems use (aliases, tried in order). Sent as the `APCA-API-KEY-ID` and
/// `APCA-API-SECRET-KEY` headers; printing or dumping a value shows neither the secret nor the whole key id.
public struct AlpacaCredentials: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public let keyID: String
    public let secretKey: String

    /// The variables a key id is read from, in order.
    public static let keyIDVariables = ["APCA_API_KEY_ID", "ALPACA_API_KEY_ID", "ALPACA_API_KEY"]
    /// The variables a secret key is read from, in order.
    public static let secretKeyVariables = ["APCA_API_SECRET_KEY", "ALPACA_API_SECRET_KEY", "ALPACA_SECRET_KEY", "ALPACA_API_SECRET"]

    public init(keyID: String, secretKey: String) {
        self.keyID = keyID
        self.secretKey = secretKey
    }

    /// The key pair in `environment`; nil when neither half is set. Throws `notConfigured` when only one half is.
    public static func from(_ environment: ProviderEnvironment) throws(ProviderError) -> AlpacaCredentials? {
        let id = environment.first(keyIDVariables)
        let secret = environment.first(secretKeyVariables)
        switch (id, secret) {
        case (nil, nil): return nil
        case let (id?, secret?): return AlpacaCredentials(keyID: id.value, secretKey: secret.value)
        case let (id?, nil):
            throw ProviderError(.notConfigured, .alpaca, "\(id.name) is set but no secret key: set APCA_API_SECRET_KEY (or one of "
                                    + secretKeyVariables.dropFirst().joined(separator: ", ") + ")")
        case let (nil, secret?):
            throw ProviderError(.notConfigured, .alpaca, "\(secret.name) is set but no key id: set APCA_API_KEY_ID (or one of "
                                    + keyIDVariables.dropFirst().joined(separator: ", ") + ")")
        }
    }

    /// The request headers that authenticate with Alpaca.
    public var headers: [(String, String)] {
        [("APCA-API-KEY-ID", keyID), ("APCA-API-SECRET-KEY", secretKey)]
    }

    /// The key id with all but its first and last two characters hidden (`PK…XY`).
    public var maskedKeyID: String {
        keyID.count <= 6 ? "…" : String(keyID.prefix(2)) + "…" + String(keyID.suffix(2))
    }

    public var description: String { "Alpaca key \(maskedKeyID) (secret hidden)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["keyID": maskedKeyID, "secretKey": "<hidden>"]) }
}
