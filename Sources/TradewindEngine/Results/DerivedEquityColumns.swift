import Synchronization
import TradewindCore

/// The equity curve's cash, positions value and exposure columns, computed on first use instead of written by the
/// simulator on every step.
///
/// Each is a function of what the run records anyway: cash is constant between the steps where it changes (the
/// simulator keeps those changes, `CashChange`), and a step's positions value is Σ quantity × latest close over the
/// symbols held, in symbol order, from the positions columns and the market's closes. Computing them here performs
/// the simulator's own operations in the same order, so the values are bit for bit those it would have written
/// (`DeferredRecordingTests`), while a run that only needs equity and positions — `tradewind backtest`, the
/// optimizer's engine path — never touches four columns of fresh memory per step.
///
/// A run over a finished dataset keeps a reference to its prepared market until the columns are first read
/// (then only the columns); a streamed market grows, so its runs compute the columns at once (`materialised`).
final class DerivedEquityColumns: Sendable {
    /// The four columns.
    struct Columns: Sendable, Hashable {
        var cash: [Double]
        var positionsValue: [Double]
        var grossExposure: [Double]
        var netExposure: [Double]
    }

    /// Cash from step `start` until the next change.
    struct CashChange: Sendable {
        var start: Int
        var cash: Double
    }

    /// What the columns are computed from, dropped once they are.
    struct Recipe: @unchecked Sendable {
        /// Immutable for the steps `0..<steps` (a market prepared from a whole dataset is never written after
        /// its initialiser); its closes and latest rows price the positions.
        let market: MarketColumns
        let steps: Int
        let positions: [[Double]]
        let cashChanges: [CashChange]
    }

    private let state: Mutex<(recipe: Recipe?, columns: Columns?)>

    /// Columns computed on first use from `recipe`.
    init(deferred recipe: Recipe) {
        state = Mutex((recipe, nil))
    }

    /// Columns given (computed already).
    init(_ columns: Columns) {
        state = Mutex((nil, columns))
    }

    /// Columns computed now from `recipe` (a market that keeps growing cannot be read later).
    static func materialised(_ recipe: Recipe) -> DerivedEquityColumns {
        DerivedEquityColumns(compute(recipe))
    }

    var columns: Columns {
        state.withLock { s in
            if let c = s.columns { return c }
            let c = Self.compute(s.recipe!)
            s = (nil, c)
            return c
        }
    }

    /// The simulator's row arithmetic (`SimulationContext.writeRows`), step by step.
    static func compute(_ r: Recipe) -> Columns {
        let n = r.steps, market = r.market
        var cash = [Double](repeating: 0, count: n), value = cash, gross = cash, net = cash
        var change = 0
        var current = r.cashChanges.first?.cash ?? 0
        var open: [Int] = []
        open.reserveCapacity(r.positions.count)
        for i in 0..<n {
            while change < r.cashChanges.count && r.cashChanges[change].start <= i {
                current = r.cashChanges[change].cash
                change += 1
            }
            open.removeAll(keepingCapacity: true)
            for s in r.positions.indices where r.positions[s][i] != 0 { open.append(s) }
            var v = 0.0, g = 0.0
            for s in open {
                let row = market.latestRow[s][i]
                if row < 0 { continue }
                let x = r.positions[s][i] * market.close[s][Int(row)]
                v += x
                g += abs(x)
            }
            let equity = current + v
            cash[i] = current
            value[i] = v
            gross[i] = equity != 0 ? g / equity : 0
            net[i] = equity != 0 ? v / equity : 0
        }
        return Columns(cash: cash, positionsValue: value, grossExposure: gross, netExposure: net)
    }
}
