import TradewindCore

/// Deferred recording of the equity curve, positions and open positions' price extremes.
///
/// Between two changes of cash or positions, every step's row is a function of that unchanging state and the
/// step's closes, and an open position's highest high and lowest low only grow over the bars. So the simulator
/// does not touch them on quiet steps: just before cash or a position changes (a fill, financing, a dividend or
/// a split), `willChangeHoldings()` writes the rows of the steps since the last change and folds their bars into
/// the extremes, in one pass; `result()` writes the rest. The rows and extremes are the same as recording every
/// step (same operations in the same order); only the work on steps where nothing happens is gone.
extension SimulationContext {
    /// Call before cash or a position changes at the current step. Rows of earlier steps keep the state about to
    /// change; the current bar's high and low count for the position before the change only once the bar has
    /// been matched (a fill at the open starts a position that sees the whole bar).
    func willChangeHoldings() {
        let i = step
        guard i >= 0 else { return }
        foldExtremes(upTo: hot.pointee.beforeMatching ? i : i + 1)
        writeRows(upTo: i)
    }

    /// Writes every row and extreme through step `last` (end of the run).
    func catchUp(throughStep last: Int) {
        foldExtremes(upTo: last + 1)
        writeRows(upTo: last + 1)
        for s in 0..<market.symbolCount { writeHeld(s, upTo: last + 1) }
    }

    /// Call before symbol `s`'s position changes at the current step: its position column gets the quantity
    /// held since its last change for the steps before this one. (Per symbol: a fill in one symbol of a
    /// portfolio does not rewrite the columns of the others.)
    func willChangePosition(_ s: Int) {
        writeHeld(s, upTo: max(step, 0))
    }

    private func writeHeld(_ s: Int, upTo end: Int) {
        let start = heldSteps[s]
        guard end > start else { return }
        heldSteps[s] = end
        let q = quantity[s]
        heldColumns[s].withUnsafeMutableBufferPointer { column in
            for i in start..<end { column[i] = q }
        }
    }

    /// Folds the bars of steps `extremesSteps..<end` into the highest/lowest of each open position.
    private func foldExtremes(upTo end: Int) {
        let start = extremesSteps
        guard end > start else { return }
        extremesSteps = end
        for s in 0..<market.symbolCount where quantity[s] != 0 {
            let rows = market.exactRow[s], high = market.high[s], low = market.low[s]
            var highest = books[s].highest, lowest = books[s].lowest
            for i in start..<end {
                let r = rows[i]
                if r >= 0 {
                    highest = max(highest, high[Int(r)])
                    lowest = min(lowest, low[Int(r)])
                }
            }
            books[s].highest = highest
            books[s].lowest = lowest
        }
    }

    /// Writes rows `recordedSteps..<end` of the equity column (cash + Σ quantity × latest close, in symbol order) and
    /// notes the cash they share when it changed (positions: `writeHeld`; the other curves: `DerivedEquityColumns`,
    /// which repeats this arithmetic).
    private func writeRows(upTo end: Int) {
        let start = recordedSteps
        guard end > start else { return }
        recordedSteps = end
        let cash = cashBalance
        if cashChanges.last?.cash.bitPattern != cash.bitPattern {
            cashChanges.append(DerivedEquityColumns.CashChange(start: start, cash: cash))
        }
        var open = openScratch
        openScratch = []
        open.removeAll(keepingCapacity: true)
        for s in 0..<market.symbolCount where quantity[s] != 0 { open.append(s) }
        defer { openScratch = open }
        equityColumn.withUnsafeMutableBufferPointer { equityRows in
            if open.isEmpty {
                let equity = cash + 0.0
                for i in start..<end { equityRows[i] = equity }
                return
            }
            if open.count == 1 {
                // One open position (the common case): the same sum, without the loop over symbols.
                let s = open[0], q = quantity[s], rows = market.latestRow[s], close = market.close[s]
                for i in start..<end {
                    var value = 0.0
                    let r = rows[i]
                    if r >= 0 { value += q * close[Int(r)] }
                    equityRows[i] = cash + value
                }
                return
            }
            for i in start..<end {
                var value = 0.0
                for s in open {
                    let r = market.latestRow[s][i]
                    if r < 0 { continue }
                    value += quantity[s] * market.close[s][Int(r)]
                }
                equityRows[i] = cash + value
            }
        }
    }

    /// The equity curve of steps `0..<market.stepCount` (rows written through the last step): its derived columns
    /// computed when first read, or at once for a streamed market (which keeps growing).
    func equityCurve() -> EquityCurve {
        let recipe = DerivedEquityColumns.Recipe(market: market, steps: market.stepCount, positions: heldColumns,
                                                 cashChanges: cashChanges)
        return EquityCurve(time: market.timeIndex, equity: equityColumn,
                           derived: market.stream == nil ? DerivedEquityColumns(deferred: recipe)
                                                         : DerivedEquityColumns.materialised(recipe))
    }
}
