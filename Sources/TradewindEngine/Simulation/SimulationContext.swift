import TradewindCore

/// The simulator's `TradingContext`: the current time step, every symbol's bars up to now, the portfolio and
/// the order API over a prepared market. One context lives for a whole run; hooks receive it by reference.
///
/// Symbols are addressed by index (`0..<symbolCount`, in `symbols` order, sorted by name) so that per-bar
/// access is an array read; `symbolIndex(_:)` maps a name once, in `onStart`.
public final class SimulationContext: TradingContext {
    @usableFromInline let market: MarketColumns
    @usableFromInline let config: BacktestConfig
    /// Configuration read on every step, copied out of `config` (which holds an existential and is costly to copy).
    let accruesFinancing: Bool
    let maintenanceMargin: Double?
    @usableFromInline let flattenAtClose: Bool
    /// Step flags that need the simulator's attention before `onBar` (new day when financing accrues, corporate
    /// actions); with `checksEveryStep` (maintenance margin) every step does.
    @usableFromInline let eventFlags: UInt8
    @usableFromInline let checksEveryStep: Bool
    /// What the strategy is told about (only those notices are queued) and where run sizes are remembered.
    let notifications: StrategyNotifications
    let sizeHints: RecordSizeHints?
    /// Orders submitted outside regular hours are rejected (fixed hours with `OutsideHours.reject`).
    let rejectsOutsideHours: Bool
    /// Whether the result keeps the order log and fills (`BacktestConfig.recordsOrderLog`, or an outside venue),
    /// and whether order events and fills are recorded at all (also when the strategy is told about them).
    let keepsOrderLog: Bool
    let recordsEvents: Bool
    let recordsFills: Bool
    /// The fresh buffers a helper may populate while the run writes them (`populateResultPages`): the equity
    /// and position columns and the reserved record lists.
    private var freshBuffers: [(start: UnsafeMutableRawPointer, bytes: Int)] = []
    /// Per-step mutable state behind a pointer: read on every bar without dynamic exclusivity checks.
    @usableFromInline let hot: UnsafeMutablePointer<HotState>
    @usableFromInline let currentRow: UnsafeMutablePointer<Int32>
    @usableFromInline let quantity: UnsafeMutablePointer<Double>
    let books: UnsafeMutablePointer<PositionBook>
    /// The recorded equity, one row per step, written in spans by `catchUp` (see `Recording.swift`): rows before
    /// `recordedSteps` are final. Created uninitialised (every row is written before `result()` reads it).
    @exclusivity(unchecked) var equityColumn: [Double]
    /// Cash from each step where it changed (the result's cash and exposure columns are computed from these, the
    /// positions and the closes: `DerivedEquityColumns`).
    @exclusivity(unchecked) var cashChanges: [DerivedEquityColumns.CashChange] = []
    /// Position per symbol per step.
    @exclusivity(unchecked) var heldColumns: [[Double]]
    /// Rows `0..<recordedSteps` of the curves are written; price extremes of open positions (MAE/MFE) include
    /// the bars of steps `0..<extremesSteps`.
    @exclusivity(unchecked) var recordedSteps = 0
    @exclusivity(unchecked) var extremesSteps = 0
    /// Rows `0..<heldSteps[s]` of `heldColumns[s]` are written.
    @exclusivity(unchecked) var heldSteps: [Int]
    /// Reused by `writeRows` (symbols with a position).
    @exclusivity(unchecked) var openScratch: [Int] = []

    // Orders and notifications (touched only when something happens; counts mirrored in `hot`).
    @exclusivity(unchecked) var orders: [Order] = []
    @exclusivity(unchecked) var liveOrders: [OrderID] = []
    @exclusivity(unchecked) var log: [OrderEvent] = []
    @exclusivity(unchecked) var fillList: [Fill] = []
    /// Number of held bracket children (so settling a final order can skip the search when there are none).
    @exclusivity(unchecked) var heldChildren = 0
    @exclusivity(unchecked) var tradeList: [Trade] = []
    @exclusivity(unchecked) var notices: [Notice] = []
    @exclusivity(unchecked) var noticeHead = 0
    @exclusivity(unchecked) var nextOCOGroup = 0
    /// Orders submitted during the current hook that fill at this bar's close (close-fill mode).
    @exclusivity(unchecked) var closeFillQueue: [OrderID] = []
    /// Reused by order matching (see `matchOrders`).
    @exclusivity(unchecked) var candidateScratch: [OrderID] = []
    @exclusivity(unchecked) var hitScratch: [Hit] = []
    /// Scheduled events (see `Scheduling.swift`): pending instants in firing order from `pendingHead`, the number
    /// of `schedule` calls, the market's sessions (computed on the first call), and the instant of the event
    /// whose handler is running.
    @exclusivity(unchecked) var pendingEvents: [PendingEvent] = []
    @exclusivity(unchecked) var pendingHead = 0
    @exclusivity(unchecked) var scheduleCount = 0
    @exclusivity(unchecked) var sessions: [(day: Int64, session: TradingSession)]?
    @exclusivity(unchecked) var eventInstant: UnixNanos?
    /// Extended-hours orders accepted and not yet final (the pre-market and after-hours work is skipped while there
    /// are none).
    @exclusivity(unchecked) var extendedHoursOrders = 0
    /// True while a session's remaining events run after its last bar: day and IOC orders they place expire at once.
    @exclusivity(unchecked) @usableFromInline var afterSessionsLastBar = false
    /// Where orders execute: nil when this context simulates them (backtests, the paper venue); a router when an
    /// outside venue does (the live runtime), which reports back through `apply(_:)` (`ExternalExecution.swift`).
    let router: (any OrderRouter)?
    /// Every schedule asked for (a streamed market places each new day's instants from them).
    @exclusivity(unchecked) var schedules: [(id: Int, schedule: EventSchedule)] = []
    /// Indicators the strategy registered (`register`), fed before `onBar`.
    @usableFromInline let registered = RegisteredIndicators()
    @exclusivity(unchecked) var totals = (commission: 0.0, slippage: 0.0, financing: 0.0, dividends: 0.0, splits: 0)
    /// Steps `0..<warmupSteps` are the run's warm-up (`BacktestConfig.warmup`; see `Warmup.swift`).
    @exclusivity(unchecked) public internal(set) var warmupSteps: Int

    /// `notifications`: only these notices are queued (the strategy's declaration); `sizeHints`: the prepared
    /// market's remembered record sizes.
    init(market: MarketColumns, config: BacktestConfig, notifications: StrategyNotifications,
         sizeHints: RecordSizeHints?, router: (any OrderRouter)? = nil) {
        self.market = market
        self.router = router
        self.config = config
        self.notifications = notifications
        self.sizeHints = sizeHints
        warmupSteps = config.warmup
        var fresh: [(start: UnsafeMutableRawPointer, bytes: Int)] = []
        keepsOrderLog = config.recordsOrderLog || router != nil
        recordsEvents = keepsOrderLog || notifications.contains(.orderUpdates)
        recordsFills = keepsOrderLog || notifications.contains(.fills)
        if let hints = sizeHints, hints.orders.load(ordering: .relaxed) > 0 {
            orders.reserveCapacity(hints.orders.load(ordering: .relaxed))
            if recordsEvents { log.reserveCapacity(hints.events.load(ordering: .relaxed)) }
            if recordsFills { fillList.reserveCapacity(hints.fills.load(ordering: .relaxed)) }
            tradeList.reserveCapacity(hints.trades.load(ordering: .relaxed))
        } else {
            // No earlier run on this market (a one-shot backtest): reserve from its size instead of growing the
            // lists by reallocation (each doubling copies the list and touches fresh memory). Reserving only
            // takes address space: a large block's pages are touched when rows are written, so an overestimate
            // costs no memory, and a run that records more grows its lists as before.
            // The reserved blocks ask for huge pages: their rows are written once, front to back.
            let estimate = min(max(market.stepCount * market.symbolCount / 16, 64), 1 << 18)
            orders = Self.emptyList(capacity: estimate, noting: &fresh)
            if recordsEvents { log = Self.emptyList(capacity: 4 * estimate, noting: &fresh) }
            if recordsFills { fillList = Self.emptyList(capacity: estimate, noting: &fresh) }
            tradeList = Self.emptyList(capacity: estimate / 2, noting: &fresh)
        }
        accruesFinancing = config.financing.shortBorrowRate > 0 || config.financing.marginInterestRate > 0
        if case .margin(_, let m) = config.account { maintenanceMargin = m } else { maintenanceMargin = nil }
        // With an outside venue, the venue matches, flattens and calls margin; financing and the corporate actions of
        // the bars are booked here as the venue books them.
        flattenAtClose = router == nil && config.session.flattenAtClose
        eventFlags = (accruesFinancing ? MarketColumns.newDay : 0) | MarketColumns.corporateAction
        checksEveryStep = router == nil && maintenanceMargin != nil
        rejectsOutsideHours = config.session.hours != nil && config.session.outsideHours == .reject
        let n = market.stepCount, k = market.symbolCount
        hot = .allocate(capacity: 1)
        hot.initialize(to: HotState(cash: config.initialCash))
        currentRow = .allocate(capacity: k)
        currentRow.initialize(repeating: -1, count: k)
        quantity = .allocate(capacity: k)
        quantity.initialize(repeating: 0, count: k)
        books = .allocate(capacity: k)
        books.initialize(repeating: PositionBook(), count: k)
        equityColumn = Self.uninitialisedColumn(n, noting: &fresh)
        heldColumns = (0..<k).map { _ in Self.uninitialisedColumn(n, noting: &fresh) }
        freshBuffers = fresh
        heldSteps = Array(repeating: 0, count: k)
    }

    deinit {
        hot.deinitialize(count: 1)
        hot.deallocate()
        currentRow.deallocate()
        quantity.deallocate()
        books.deinitialize(count: market.symbolCount)
        books.deallocate()
    }

    /// An empty list with room for `capacity` elements, its storage advised to use huge pages (untouched until
    /// rows are appended) and noted in `fresh`.
    private static func emptyList<T>(capacity: Int, noting fresh: inout [(start: UnsafeMutableRawPointer, bytes: Int)]) -> [T] {
        [T](unsafeUninitializedCapacity: capacity) { buffer, count in
            if let base = buffer.baseAddress {
                MemoryPolicy.adviseHugePages(UnsafeMutableRawPointer(base), bytes: capacity * MemoryLayout<T>.stride)
                fresh.append((UnsafeMutableRawPointer(base), capacity * MemoryLayout<T>.stride))
            }
            count = 0
        }
    }

    /// A column of `n` doubles whose values are not set: `Double` has no invalid bit pattern, and the simulator
    /// writes every row before anything reads it, so zero-filling would only cost a pass over the memory.
    /// Large columns ask for huge pages first (`MemoryPolicy.adviseHugePages`); the storage is noted in `fresh`.
    private static func uninitialisedColumn(_ n: Int, noting fresh: inout [(start: UnsafeMutableRawPointer, bytes: Int)]) -> [Double] {
        [Double](unsafeUninitializedCapacity: n) { buffer, count in
            if let base = buffer.baseAddress {
                MemoryPolicy.adviseHugePages(UnsafeMutableRawPointer(base), bytes: n * 8)
                fresh.append((UnsafeMutableRawPointer(base), n * 8))
            }
            count = n
        }
    }

    /// Starts a helper populating the pages of the run's fresh buffers (equity and position columns, reserved
    /// record lists) where `config.threads` allows one (`PagePopulation`); the run calls `finish()` on it after
    /// `result()`. Nil when no helper starts. Populating maps pages without touching their contents, so the
    /// values are the same with or without it. A list that outgrows its reservation moves and frees its old
    /// block, which the helper may still be populating: on a range returned to the system `madvise` fails (ignored),
    /// and a range reused by another allocation keeps its contents (populating never writes a value).
    @usableFromInline func populateResultPages() -> PagePopulation? {
        let fresh = freshBuffers
        freshBuffers = []
        return PagePopulation.start(fresh, threads: config.threads)
    }

    /// True when the strategy registered indicators (the loop feeds them before `onBar`).
    @inlinable var hasIndicators: Bool { !registered.isEmpty }

    /// Current time step (index into the common time index).
    @inlinable public var step: Int { hot.pointee.step }
    @usableFromInline var cashBalance: Double {
        @inlinable get { hot.pointee.cash }
        set { hot.pointee.cash = newValue }
    }

    // MARK: Universe and time

    /// The symbols, sorted by name; a symbol's index is its position here.
    public var symbols: [String] { market.symbols }
    @inlinable public var symbolCount: Int { market.symbolCount }
    public func symbolIndex(_ name: String) -> Int? { market.symbols.firstIndex(of: name) }
    /// Number of time steps in the run.
    @usableFromInline var stepCount: Int { market.stepCount }
    /// The current step's instant (bar start, UTC nanoseconds).
    @inlinable public var time: UnixNanos { market.time[step] }
    /// True on the first in-session bar of a session.
    @inlinable public var isSessionOpen: Bool { market.flags[step] & MarketColumns.sessionFirst != 0 }
    /// True on the last in-session bar of a session (known from the exchange's hours, not from future bars' prices).
    @inlinable public var isSessionClose: Bool { market.flags[step] & MarketColumns.sessionLast != 0 }
    /// True when the current bar is inside regular trading hours.
    @inlinable public var isInSession: Bool { market.flags[step] & MarketColumns.inSession != 0 }
    /// The local calendar date of the current step in the session zone.
    public var sessionDate: CivilDate { CivilDate(daysSinceEpoch: Int(market.day[step])) }
    /// The local day number of the current step in the session zone (`sessionDate.daysSinceEpoch`, read from the
    /// market's day column).
    @inlinable public var sessionDay: Int { Int(market.day[step]) }
    /// Minutes after local midnight of the current bar's start, in the session zone (600 = 10:00).
    @inlinable public var minuteOfDay: Int { Int(market.minute[step]) }

    // MARK: Current bars

    /// True when `symbol` has a bar exactly at this step (multi-asset data may have gaps).
    @inlinable public func hasBar(_ symbol: Int) -> Bool { market.exactRow[symbol][step] >= 0 }
    /// Index of the symbol's latest bar at or before now (-1 before its first bar).
    @inlinable public func barIndex(_ symbol: Int) -> Int { Int(currentRow[symbol]) }
    /// The latest bar's prices (NaN before the symbol's first bar).
    @inlinable public func open(_ symbol: Int) -> Double { price(market.open[symbol], symbol) }
    @inlinable public func high(_ symbol: Int) -> Double { price(market.high[symbol], symbol) }
    @inlinable public func low(_ symbol: Int) -> Double { price(market.low[symbol], symbol) }
    @inlinable public func close(_ symbol: Int) -> Double { price(market.close[symbol], symbol) }
    @inlinable public func volume(_ symbol: Int) -> Double { price(market.volume[symbol], symbol) }

    @inlinable func price(_ column: UnsafeMutablePointer<Double>, _ symbol: Int) -> Double {
        let r = currentRow[symbol]
        return r >= 0 ? column[Int(r)] : .nan
    }

    /// The symbol's bars up to and including the current one.
    @inlinable public func history(_ symbol: Int) -> BarHistory {
        BarHistory(store: market, symbol: symbol, count: Int(currentRow[symbol]) + 1)
    }

    // MARK: Portfolio

    /// Signed position (negative = short), in units.
    @inlinable public func position(_ symbol: Int) -> Double { quantity[symbol] }
    /// Average entry price of the open position (0 when flat).
    public func averageEntryPrice(_ symbol: Int) -> Double { books[symbol].averagePrice }
    @inlinable public var cash: Double { cashBalance }
    /// Cash plus positions marked at the latest closes.
    public var equity: Double { markedEquity() }
    /// The positions' absolute value at the latest closes (long plus short), for gross exposure.
    public var grossPositionValue: Double { grossValue() }
    /// Initial cash of the run.
    public var initialCash: Double { config.initialCash }

    // MARK: Orders

    /// Submits an order; it becomes working on the next bar (market orders in close-fill mode fill at this
    /// bar's close). Invalid requests are rejected at once, with the reason in the order log.
    @discardableResult
    public func submit(_ request: OrderRequest) -> OrderID {
        let id = enqueue(request, parent: nil, oco: nil, replaces: nil)
        if router != nil { route(.submit(id)) }
        return id
    }

    /// An entry with a take-profit limit and/or a stop-loss stop. The children are held until the entry fills,
    /// work from the next bar for the filled quantity, and cancel each other (OCO). When both are touched
    /// within one bar, the `IntrabarPolicy` decides which fills.
    @discardableResult
    public func bracket(_ entry: OrderRequest, takeProfit: Double?, stopLoss: Double?,
                        exitTimeInForce: TimeInForce) -> BracketIDs {
        let parent = enqueue(entry, parent: nil, oco: nil, replaces: nil)
        let group = (takeProfit != nil && stopLoss != nil) ? newOCOGroup() : nil
        let exitSide = entry.side.opposite
        var tp: OrderID?
        var sl: OrderID?
        if let p = takeProfit {
            tp = enqueue(OrderRequest(symbol: entry.symbol, side: exitSide, type: .limit(p), size: .units(0),
                                      timeInForce: exitTimeInForce, tag: "take-profit"), parent: parent, oco: group, replaces: nil)
        }
        if let p = stopLoss {
            sl = enqueue(OrderRequest(symbol: entry.symbol, side: exitSide, type: .stop(p), size: .units(0),
                                      timeInForce: exitTimeInForce, tag: "stop-loss"), parent: parent, oco: group, replaces: nil)
        }
        let ids = BracketIDs(entry: parent, takeProfit: tp, stopLoss: sl)
        if router != nil { route(.bracket(ids, exitTimeInForce: exitTimeInForce)) }
        return ids
    }

    /// Submits orders as one-cancels-other: the first (partial) fill of any cancels the rest.
    @discardableResult
    public func oco(_ requests: [OrderRequest]) -> [OrderID] {
        let g = newOCOGroup()
        let ids = requests.map { enqueue($0, parent: nil, oco: g, replaces: nil) }
        if router != nil { route(.oco(ids)) }
        return ids
    }

    /// Cancels a live order (and, for a bracket entry not yet filled, its children). False if already final.
    @discardableResult
    public func cancel(_ id: OrderID) -> Bool {
        guard orders.contains(id: id), !orders[id].status.isFinal else { return false }
        finish(id, .cancelled, reason: "cancelled by strategy")
        if router != nil { route(.cancel(id)) }
        return true
    }

    /// Cancel-and-replace: the old order becomes `replaced` and a new one with the changed type and/or size
    /// (same symbol, side, time in force, OCO group and parent) is submitted. Nil if the old one is final.
    @discardableResult
    public func replace(_ id: OrderID, type: OrderType?, size: OrderSize?) -> OrderID? {
        guard orders.contains(id: id), !orders[id].status.isFinal else { return nil }
        let old = orders[id]
        var req = old.request
        if let t = type { req.type = t }
        if let s = size { req.size = s }
        if old.filledQuantity > 0, case .units(let q) = req.size, size == nil {
            req.size = .units(max(q - old.filledQuantity, 0))
        }
        let wasHeld = old.status == .held
        finish(id, .replaced, reason: "replaced by order \(orders.count)")
        let newID = enqueue(req, parent: wasHeld ? old.parent : nil, oco: old.ocoGroup, replaces: id)
        // The replacement continues the order: fees charged once per order are not charged again.
        orders[newID].commissionBasis = old.commissionBasis
        // …and an extended-hours order keeps working until its own session's after-hours end.
        if req.extendedHours && !orders[newID].status.isFinal { orders[newID].extendedHoursUntil = old.extendedHoursUntil }
        if router != nil { route(.replace(old: id, new: newID)) }
        return newID
    }

    /// The current state of an order.
    public func order(_ id: OrderID) -> Order { orders[id] }

    /// The current status of an order (cheaper than `order(_:)` when only the status matters).
    public func orderStatus(_ id: OrderID) -> OrderStatus { orders[id].status }

    /// Orders that can still fill (submitted, held, working, triggered or partially filled).
    public var openOrders: [Order] { liveOrders.map { orders[$0] } }

    func newOCOGroup() -> Int {
        nextOCOGroup += 1
        return nextOCOGroup
    }
}

/// Something to tell the strategy after the simulator's own processing: an order-log entry or a fill, by index.
@usableFromInline
enum Notice: Sendable {
    case order(Int)
    case fill(Int)
}

/// The simulator's per-step scalars.
@usableFromInline
struct HotState {
    @usableFromInline var step = -1
    @usableFromInline var cash: Double
    /// Mirrors of the event collections' sizes, so the quiet path never touches them.
    @usableFromInline var liveOrders = 0
    @usableFromInline var pendingNotices = 0
    @usableFromInline var closeQueue = 0
    /// The instant of the next scheduled event (`.max` when none).
    @usableFromInline var nextEvent = UnixNanos.max
    /// True while the step's bar has not been matched yet (financing, corporate actions, open fills): a change
    /// of position then must not count the bar's high and low for the position before it.
    var beforeMatching = false

    init(cash: Double) {
        self.cash = cash
    }
}
