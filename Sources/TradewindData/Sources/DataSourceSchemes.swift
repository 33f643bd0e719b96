import Synchronization
import TradewindCore

/// Reads the data of a source spelled `SCHEME:SPEC` on behalf of a layer above the data layer (the market-data
/// providers register `provider:`), so that `--data` accepts it without the data layer knowing that layer.
public protocol DataSourceLoader: Sendable {
    /// One line on the spelling, for error messages (`provider:NAME:SYMBOLS:FROM:TO[:INTERVAL]`).
    var usage: String { get }
    /// Checks `spec` (the text after `SCHEME:`) without loading; throws what is wrong with it.
    func validate(_ spec: String) throws(DataError)
    /// The data `spec` names, optionally only `symbols`.
    func load(_ spec: String, options: LoadOptions, symbols: [String]?) throws(DataError) -> MarketDataset
}

/// The schemes registered for `DataSource` (`DataSource.registered`). Registration is process-wide; the last
/// loader registered for a scheme wins.
public enum DataSourceSchemes {
    private static let loaders = Mutex<[String: any DataSourceLoader]>([:])

    /// Makes `SCHEME:SPEC` a data source read by `loader`. `scheme` is lower-case letters, without the colon.
    public static func register(_ scheme: String, _ loader: any DataSourceLoader) {
        loaders.withLock { $0[scheme] = loader }
    }

    /// The loader of `scheme`, if one is registered.
    public static func loader(for scheme: String) -> (any DataSourceLoader)? {
        loaders.withLock { $0[scheme] }
    }

    /// The registered schemes, sorted.
    public static var schemes: [String] { loaders.withLock { $0.keys.sorted() } }
}
