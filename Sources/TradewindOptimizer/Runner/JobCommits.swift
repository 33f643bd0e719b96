import Synchronization
import TradewindCore

/// The bookkeeping of a multi-symbol job whose symbols run side by side (`JobRunner`): each finished symbol is
/// committed (appended to the results, saved in the job file, reported to `progress` and `symbolFinished`) in the
/// job's symbol order, as soon as every symbol before it is committed, so that the job file and the callbacks see
/// what a one-symbol-at-a-time run would have shown them.
///
/// - A symbol that fails stops the job: no new symbol starts, the symbols before it are committed, and its error
///   is the job's (the first failing symbol's in symbol order, as one at a time).
/// - A cancelled symbol (nil), or a cancellation seen before committing a symbol, stops committing: the job is
///   interrupted, and the symbols not committed by then are dropped.
///
/// Every call goes through one lock, and the caller's callbacks are called only under it, so they are never called
/// concurrently (they need not be `Sendable`; that is why the class is `@unchecked Sendable`).
final class JobCommits: @unchecked Sendable {
    /// The caller's callbacks, called under the lock only.
    struct Callbacks {
        var resultsPath: ((String) -> String?)?
        var progress: ((Double, Int) -> Void)?
        var symbolFinished: ((SymbolOptimization) -> Void)?
        var evaluatorChosen: ((_ symbol: String, _ engineReason: String?) -> Void)?
    }

    private struct State {
        var finished: [SymbolOptimization]
        /// Finished symbols (resumed ones included).
        var done: Int
        /// The next pending index to commit, and the results waiting for the ones before them.
        var next = 0
        var waiting: [Int: Result<SymbolOptimization?, any Error>] = [:]
        /// Each running (or waiting) symbol's progress in [0, 1].
        var partial: [Int: Double] = [:]
        var evaluations = 0
        var validationEvaluations = 0
        var halted = false
        /// A symbol failed: none after it starts (the ones before it still finish and are committed).
        var failing = false
        var interrupted = false
        var failure: (any Error)?
    }

    private let state: Mutex<State>
    private let callbacks: Callbacks
    private let cancel: CancellationFlag?
    private let jobFile: JobFile?
    private let total: Double

    init(finished: [SymbolOptimization], total: Int, cancel: CancellationFlag?, jobFile: JobFile?, callbacks: Callbacks) {
        state = Mutex(State(finished: finished, done: finished.count))
        self.callbacks = callbacks
        self.cancel = cancel
        self.jobFile = jobFile
        self.total = Double(max(total, 1))
    }

    /// True when no further symbol should start: the job was cancelled, a symbol failed or was cancelled.
    var stopped: Bool { cancel?.isCancelled == true || state.withLock { $0.halted || $0.failing } }

    /// True when the caller asked to hear which evaluator each symbol uses.
    var reportsEvaluator: Bool { callbacks.evaluatorChosen != nil }

    /// The caller's results table path for `symbol`.
    func resultsPath(_ symbol: String) -> String? {
        state.withLock { _ in callbacks.resultsPath?(symbol) }
    }

    /// Which evaluator `symbol`'s search uses (nil: the kernel), reported to the caller.
    func evaluatorChosen(_ symbol: String, _ engineReason: String?) {
        state.withLock { _ in callbacks.evaluatorChosen?(symbol, engineReason) }
    }

    /// Pending symbol `k` is `fraction` done: the job's progress is the finished symbols plus each running one's part.
    func progress(_ k: Int, _ fraction: Double) {
        guard callbacks.progress != nil else { return }
        state.withLock { s in
            s.partial[k] = min(fraction, 1)
            report(s)
        }
    }

    /// Pending symbol `k`'s outcome; commits it and every waiting symbol after it that is now next in order.
    func record(_ k: Int, _ result: Result<SymbolOptimization?, any Error>) {
        state.withLock { s in
            s.waiting[k] = result
            if case .failure = result { s.failing = true }
            while !s.halted, let r = s.waiting.removeValue(forKey: s.next) {
                // Once cancelled, nothing more is committed: a symbol still running at the cancellation is dropped
                // (even when it finished after it), and so is one that finished while an earlier one ran (one at a
                // time, it would not have started).
                if cancel?.isCancelled == true {
                    s.interrupted = true
                    s.halted = true
                    break
                }
                s.partial[s.next] = nil
                s.next += 1
                switch r {
                case let .failure(error):
                    s.failure = error
                    s.halted = true
                case .success(nil):
                    s.interrupted = true
                    s.halted = true
                case let .success(symbol?):
                    s.finished.append(symbol)
                    s.evaluations += symbol.evaluations
                    s.validationEvaluations += symbol.validationEvaluations ?? 0
                    s.done += 1
                    do { try jobFile?.save(s.finished) } catch {
                        s.failure = error
                        s.halted = true
                        break
                    }
                    report(s)
                    callbacks.symbolFinished?(symbol)
                }
            }
        }
    }

    private func report(_ s: State) {
        callbacks.progress?((Double(s.done) + s.partial.values.reduce(0, +)) / total, s.done)
    }

    /// After every worker returned: the committed symbols (resumed ones first), this run's evaluations, and whether
    /// the job stopped before its end; throws the first failing symbol's error.
    func outcome(pending: Int) throws -> (finished: [SymbolOptimization], evaluations: Int, validationEvaluations: Int,
                                          interrupted: Bool) {
        let s = state.withLock { $0 }
        if let failure = s.failure { throw failure }
        // A symbol before a failing one may not have started (it saw the failure first): then the failure is still
        // waiting behind it, and it is the job's error, not an interruption.
        if cancel?.isCancelled != true {
            for k in s.waiting.keys.sorted() { if case let .failure(error)? = s.waiting[k] { throw error } }
        }
        return (s.finished, s.evaluations, s.validationEvaluations, s.interrupted || s.next < pending)
    }
}
