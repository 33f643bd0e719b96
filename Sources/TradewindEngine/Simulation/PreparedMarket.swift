import TradewindCore

/// A dataset made ready for simulation once and reused by any number of runs, also concurrently: prices
/// checked, columns copied into contiguous memory, the common time index, each step's rows, session flags,
/// local days and minutes computed.
///
/// `Backtest.run(_:data:config:)` prepares its data on every call; callers that run many strategies or
/// parameter sets on the same data (the optimizer's engine path, benchmarks) prepare it once. A prepared
/// market depends only on the dataset and on the configuration's session zone, hours and calendar and its
/// `from`/`to` period; a run whose configuration differs in those is refused (`matches(_:)`).
public final class PreparedMarket: Sendable {
    @usableFromInline let columns: MarketColumns
    /// The session rules and period the market was prepared for.
    public let session: SessionPolicy
    public let from: UnixNanos?
    public let to: UnixNanos?
    /// The record counts of earlier runs, so each run reserves its lists once.
    let sizeHints = RecordSizeHints()

    /// Prepares `data` for runs with `config`'s session and period (within `config.threads`: a helper maps the
    /// fresh per-step columns' pages while they are computed).
    public init(_ data: MarketDataset, config: BacktestConfig = BacktestConfig()) throws(BacktestError) {
        columns = try MarketColumns(dataset: data, session: config.session, from: config.from, to: config.to,
                                    threads: config.threads)
        session = config.session
        from = config.from
        to = config.to
    }

    /// The symbols, sorted by name (their indices in a run).
    public var symbols: [String] { columns.symbols }
    /// Time steps of a run: the union of the symbols' bar times within the period.
    public var stepCount: Int { columns.stepCount }

    /// True when a run with `config` sees exactly this market: same zone, hours, calendar and period
    /// (the other settings are the run's own).
    public func matches(_ config: BacktestConfig) -> Bool {
        config.session.zone == session.zone && config.session.hours == session.hours
            && config.session.calendar?.name == session.calendar?.name && config.from == from && config.to == to
    }
}
