import CStrategyKernels
import TradewindCore

/// `fastRun` (or `fastCloseRun`) for eight pairs at once: the C loop `tw_sma_cross8_run` (CStrategyKernels, AVX-512)
/// runs one pair per lane, each lane's arithmetic operation for operation the pass's, so each pair's figures are bit
/// for bit the same
/// (`SMACrossKernelEightLaneTests`). It marks every lane on every bar where some lane is long or fills (for a flat
/// lane the mark changes nothing) and handles fills, crossings and new drawdown lows under lane masks, so the eight
/// pairs need not trade together. The eight pairs share a slow window and have consecutive fast windows — a row of a
/// grid — so that each bar's eight fast averages are one load from the bar-major averages (`averageRows`); two rows'
/// last few pairs can share a vector (two loads). The loop also sums each lane's closed
/// trades' net P&L in the order `fastRun` closes them (`BarLedger.close`), so the trades are read back only for their
/// list.
extension SMACrossKernel {
    /// Whether this CPU runs the eight-lane loop (x86-64 with AVX-512 F); elsewhere every pair takes `fastRun`.
    static let eightLanesAvailable = tw_sma_cross8_available() != 0

    /// Up to eight pairs with one slow window and consecutive fast windows: lane l's fast average is column
    /// `fastColumn + l`, and `pairs[l]` the pair it evaluates (an index into the evaluated list), or nil for a lane
    /// that only fills the vector (a row's last few pairs: its result is dropped). With a `second` run, the lanes
    /// before its `split` are one row's last pairs and the lanes from it on another row's.
    struct EightLaneGroup: Sendable {
        var pairs: [Int?]
        var fastColumn: Int
        var slowColumn: Int
        /// The slow window's first full bar (the earlier of two runs'): before it nothing can happen (the lanes'
        /// marks are no-ops).
        var firstBar: Int
        var second: SecondRun? = nil

        /// Lanes `split` ..< `split + lanes`: fast columns from `fastColumn` on, with slow column `slowColumn`.
        struct SecondRun: Sendable, Equatable {
            var split: Int
            var fastColumn: Int
            var slowColumn: Int
            var lanes: Int
        }
    }

    /// The evaluated pairs split into eight-lane groups and pairs evaluated one by one.
    struct EightLanePlan: Sendable {
        /// A row's last `minimumLanes` or more pairs run as a group with idle lanes when no other row's last pairs fit
        /// beside them: the eight-lane loop costs about as much as three `fastRun`s (`tradewind bench optimizer`, perf
        /// shares of both).
        static let minimumLanes = 3

        var groups: [EightLaneGroup] = []
        var singles: [Int] = []

        /// Every pair one by one.
        init(singles count: Int) { singles = Array(0..<count) }

        /// The pairs of each slow window with consecutive fast columns (of `width` columns in all), eight at a time in
        /// slow-then-fast order. The runs' last one to seven pairs are then packed two runs to a group where they fit
        /// and fill `minimumLanes` lanes or more (the longest first, each beside the longest that fits); a run left
        /// alone of `minimumLanes` to seven pairs is a group whose other lanes take the columns just before them; every
        /// other pair (a shorter rest, a repeated pair, random pairs) is evaluated alone.
        init(pairs: [Pair], columnOf: [Int], width: Int) {
            let order = pairs.indices.sorted { (pairs[$0].slow, pairs[$0].fast, $0) < (pairs[$1].slow, pairs[$1].fast, $1) }
            var run: [Int] = []
            var rests: [[Int]] = []
            func group(_ lanes: ArraySlice<Int>) {
                let first = pairs[lanes[lanes.startIndex]]
                let column = columnOf[first.fast], base = min(column, width - 8)
                var slots = [Int?](repeating: nil, count: 8)
                for (j, k) in lanes.enumerated() { slots[column - base + j] = k }
                groups.append(EightLaneGroup(pairs: slots, fastColumn: base, slowColumn: columnOf[first.slow],
                                             firstBar: first.slow - 1))
            }
            func close() {
                var start = 0
                while start + 8 <= run.count {
                    group(run[start ..< start + 8])
                    start += 8
                }
                if start < run.count { rests.append(Array(run[start...])) }
                run.removeAll(keepingCapacity: true)
            }
            for k in order {
                if let last = run.last, pairs[last].slow != pairs[k].slow
                    || columnOf[pairs[k].fast] != columnOf[pairs[last].fast] + 1 {
                    close()
                }
                run.append(k)
            }
            close()
            // The rests, longest first (then in row order), each beside the longest rest after it that fits, when the
            // two fill at least `minimumLanes` lanes: buckets by length, so packing stays linear in the rests (a batch
            // of random pairs is a rest of one pair each).
            rests.sort { ($0.count, pairs[$1[0]].slow, pairs[$1[0]].fast, $1[0]) > ($1.count, pairs[$0[0]].slow, pairs[$0[0]].fast, $0[0]) }
            var byLength = [[Int]](repeating: [], count: 8), cursor = [Int](repeating: 0, count: 8)
            for (r, rest) in rests.enumerated() { byLength[rest.count].append(r) }
            var taken = [Bool](repeating: false, count: rests.count)
            func longestFitting(_ room: Int, atLeast: Int) -> Int? {
                for length in stride(from: room, through: max(atLeast, 1), by: -1) {
                    while cursor[length] < byLength[length].count && taken[byLength[length][cursor[length]]] { cursor[length] += 1 }
                    if cursor[length] < byLength[length].count { return byLength[length][cursor[length]] }
                }
                return nil
            }
            for a in rests.indices where !taken[a] {
                taken[a] = true
                let rest = rests[a]
                if width >= 8, let b = longestFitting(8 - rest.count, atLeast: Self.minimumLanes - rest.count) {
                    taken[b] = true
                    let other = rests[b]
                    let one = pairs[rest[0]], two = pairs[other[0]]
                    var slots = [Int?](repeating: nil, count: 8)
                    for (j, k) in (rest + other).enumerated() { slots[j] = k }
                    groups.append(EightLaneGroup(pairs: slots, fastColumn: columnOf[one.fast], slowColumn: columnOf[one.slow],
                                                 firstBar: min(one.slow, two.slow) - 1,
                                                 second: .init(split: rest.count, fastColumn: columnOf[two.fast],
                                                               slowColumn: columnOf[two.slow], lanes: other.count)))
                } else if rest.count >= Self.minimumLanes && width >= 8 {
                    group(rest[...])
                } else {
                    singles += rest
                }
            }
            singles.sort()
        }
    }

    /// The moving averages bar by bar, `rows[i × windows.count + k]` the average of `windows[k]` at bar i (NaN before
    /// its window is full) from the running sums of the closes: `averageColumns`' values, bit for bit
    /// (`tw_window_average_rows`: eight windows at a time where the CPU has AVX-512). Bar ranges are split among `threads`.
    static func averageRows(sumsOfCloses sums: [Double], windows: [Int], threads: ThreadBudget) -> [Double] {
        let n = sums.count, width = windows.count
        return [Double](unsafeUninitializedCapacity: n * width) { buffer, count in
            count = n * width
            guard let out = buffer.baseAddress, count > 0 else { return }
            let address = Int(bitPattern: out)
            let parts = threads.workers(for: n / 1_024)
            let lengths = windows.map(Double.init)
            threads.forEach(parts) { part in
                sums.withUnsafeBufferPointer { sums in
                windows.withUnsafeBufferPointer { windows in
                lengths.withUnsafeBufferPointer { lengths in
                    guard let rows = UnsafeMutablePointer<Double>(bitPattern: address), let sums = sums.baseAddress,
                          let windowList = windows.baseAddress, let lengthList = lengths.baseAddress else { return }
                    // Eight windows at a time where AVX-512 is, one at a time elsewhere: the same bits.
                    tw_window_average_rows(sums, windowList, lengthList, width, n * part / parts, n * (part + 1) / parts, rows)
                }}}
            }
        }
    }

    /// One worker's trade buffers for `eightLaneRun`, reused for all its groups.
    final class EightLaneScratch {
        let capacity: Int
        let entryBar: UnsafeMutablePointer<Int>
        let exitBar: UnsafeMutablePointer<Int>
        let entryPrice: UnsafeMutablePointer<Double>
        let exitPrice: UnsafeMutablePointer<Double>
        let quantity: UnsafeMutablePointer<Double>

        init(bars: Int) {
            // A closed trade takes at least two bars (the buy's fill bar, then the sell's).
            capacity = bars / 2 + 1
            entryBar = .allocate(capacity: 8 * capacity)
            exitBar = .allocate(capacity: 8 * capacity)
            entryPrice = .allocate(capacity: 8 * capacity)
            exitPrice = .allocate(capacity: 8 * capacity)
            quantity = .allocate(capacity: 8 * capacity)
        }

        deinit {
            entryBar.deallocate()
            exitBar.deallocate()
            entryPrice.deallocate()
            exitPrice.deallocate()
            quantity.deallocate()
        }
    }

    /// The results of a group's pairs as `fastRun` gives them (`fastCloseRun` with `fillAtClose`), under its premises
    /// (averages that are numbers from each pair's first full slow window on, the plain costs); nil for an idle lane, for a lane that left them (the
    /// caller runs the pair alone), and eight nils where the CPU lacks AVX-512.
    static func eightLaneRun(open: UnsafeBufferPointer<Double>, close: UnsafeBufferPointer<Double>,
                             rows: UnsafeBufferPointer<Double>, rowLength: Int, group: EightLaneGroup, initialCash: Double,
                             costs: KernelCosts, fillAtClose: Bool, periodsPerYear: Double, record: Bool,
                             scratch: EightLaneScratch) -> [PairResult?] {
        let n = close.count
        let firstLanes = group.second?.split ?? 8
        guard group.pairs.count == 8, group.fastColumn >= 0, group.fastColumn + firstLanes <= rowLength,
              group.slowColumn >= 0, group.slowColumn < rowLength, rows.count == n * rowLength, open.count == n,
              group.second.map({ $0.split >= 1 && $0.lanes >= 1 && $0.split + $0.lanes <= 8 && $0.fastColumn >= 0
                                 && $0.fastColumn + $0.lanes <= rowLength && $0.slowColumn >= 0 && $0.slowColumn < rowLength }) ?? true,
              scratch.capacity == n / 2 + 1, let openBase = open.baseAddress, let closeBase = close.baseAddress,
              let rowsBase = rows.baseAddress, initialCash.isFinite, initialCash >= 1e-100
        else { return [PairResult?](repeating: nil, count: 8) }
        let c = costs.commission
        var job = tw_sma_cross8()
        job.averages = rowsBase
        job.row_length = rowLength
        job.fast_column = group.fastColumn
        job.slow_column = group.slowColumn
        job.first_bar = group.firstBar
        if let second = group.second {
            job.split = second.split
            job.second_fast_column = second.fastColumn
            job.second_slow_column = second.slowColumn
            job.second_lanes = second.lanes
        }
        job.fill_at_close = fillAtClose ? 1 : 0
        job.open = openBase
        job.close = closeBase
        job.bars = n
        job.initial_cash = initialCash
        job.commission = c
        job.buy_factor = costs.buyFactor
        job.sell_factor = costs.sellFactor
        job.record_trades = record ? 1 : 0
        job.trade_capacity = scratch.capacity
        job.entry_bar = scratch.entryBar
        job.exit_bar = scratch.exitBar
        job.entry_price = scratch.entryPrice
        job.exit_price = scratch.exitPrice
        job.quantity = scratch.quantity
        guard tw_sma_cross8_run(&job) == 1 else { return [PairResult?](repeating: nil, count: 8) }
        return (0..<8).map { l -> PairResult? in
            guard group.pairs[l] != nil, lane(job.outside_premises, l, as: Int32.self) == 0 else { return nil }
            let trades = lane(job.trades, l, as: Int.self), wins = lane(job.wins, l, as: Int.self)
            // The closed trades' figures as `BarLedger.close` counts them, summed in the loop in trade order.
            var ledger = BarLedger(initialCash: initialCash)
            ledger.winners = lane(job.winners, l, as: Int.self)
            ledger.losers = lane(job.losers, l, as: Int.self)
            ledger.grossProfit = lane(job.gross_profit, l, as: Double.self)
            ledger.grossLoss = lane(job.gross_loss, l, as: Double.self)
            var list: [KernelTrade] = []
            if record {
                list.reserveCapacity(trades)
                for k in 0..<trades {
                    let at = l * scratch.capacity + k
                    list.append(KernelTrade(entryBar: scratch.entryBar[at], exitBar: scratch.exitBar[at],
                                            entryPrice: scratch.entryPrice[at], exitPrice: scratch.exitPrice[at],
                                            quantity: scratch.quantity[at], reason: .signal))
                }
            }
            return pairResult(ledger: ledger, sum: lane(job.sum, l, as: Double.self),
                              sumSquares: lane(job.sum_squares, l, as: Double.self),
                              downsideSquares: lane(job.downside_squares, l, as: Double.self),
                              peak: lane(job.peak, l, as: Double.self), minRatio: lane(job.min_ratio, l, as: Double.self),
                              heldBars: lane(job.held_bars, l, as: Int.self),
                              finalEquity: lane(job.final_equity, l, as: Double.self), trades: trades, wins: wins, bars: n,
                              periodsPerYear: periodsPerYear, initialCash: initialCash, list: list)
        }
    }

    /// Element `l` of a C array imported as a tuple of `T`.
    @inline(__always)
    static func lane<Tuple, T>(_ values: Tuple, _ l: Int, as _: T.Type) -> T {
        withUnsafeBytes(of: values) { $0.load(fromByteOffset: l * MemoryLayout<T>.stride, as: T.self) }
    }
}
