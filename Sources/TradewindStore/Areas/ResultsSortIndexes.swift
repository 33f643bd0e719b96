extension StoreMigrations {
    /// The history's sorts read 50 rows from an index instead of sorting the whole table: every sort key in both
    /// orders, as `history` asks for it (`key ASC|DESC NULLS LAST, id DESC`). Without them `sort=max_gain`, `win_rate`
    /// and `max_drawdown` sorted all 100,000 results of the server benchmark per request (about a second each), and
    /// ascending sorts re-sorted ties by id. The single-column indexes they replace are dropped.
    static let resultsSortIndexes = StoreMigration(
        id: "011-results-sort-indexes",
        statements: ["DROP INDEX results_created", "DROP INDEX results_sharpe", "DROP INDEX results_total_return"]
            + HistorySort.allCases.flatMap { sort in
                ["DESC", "ASC"].map { order in
                    "CREATE INDEX results_\(sort.rawValue)_\(order.lowercased()) ON results (\(sort.column) \(order){nulls_last}, id DESC)"
                }
            })
}
