/// A market-data provider Tradewind can fetch from.
public enum ProviderID: String, Sendable, CaseIterable, Hashable, Codable, CustomStringConvertible {
    case alpaca, polygon, finnhub, yahoo

    /// The order `auto` tries providers in unless told otherwise.
    public static let defaultFallbackOrder: [ProviderID] = [.alpaca, .polygon, .finnhub, .yahoo]

    /// The provider's name as users write it (`--provider polygon`).
    public var description: String { rawValue }

    /// The provider named `text` (case-insensitive; `massive` is Polygon's new name).
    public init?(named text: String) {
        let t = text.lowercased()
        if t == "massive" { self = .polygon; return }
        guard let id = ProviderID(rawValue: t) else { return nil }
        self = id
    }
}
