/// The key pair the exchange accepts (`APCA-API-KEY-ID` / `APCA-API-SECRET-KEY` headers, the streams' `auth`).
public struct ExchangeKeys: Sendable, Hashable {
    public let keyID: String
    public let secretKey: String

    public init(keyID: String, secretKey: String) {
        self.keyID = keyID
        self.secretKey = secretKey
    }

    /// The verdict on a presented pair: 401 when absent, 403 when wrong (constant-time comparison).
    public func check(keyID: String?, secretKey: String?) -> KeyCheck {
        guard let keyID, let secretKey, !keyID.isEmpty, !secretKey.isEmpty else { return .missing }
        return Self.same(keyID, self.keyID) && Self.same(secretKey, self.secretKey) ? .valid : .wrong
    }

    public enum KeyCheck: Sendable { case valid, missing, wrong }

    private static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var diff = UInt8(x.count == y.count ? 0 : 1)
        for i in 0..<max(x.count, y.count) { diff |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0) }
        return diff == 0
    }
}
