import ArgumentParser
import Dispatch
import Foundation
import TradewindCore
import TradewindData
import TradewindEngine
import TradewindModels
import TradewindOptimizer
import TradewindReports
import TradewindStrategies

/// `tradewind optimize`: search a strategy's parameters on each symbol.
struct OptimizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "optimize",
        abstract: "Search a strategy's parameters (grid, random or TPE) on each symbol, with validation and overfitting figures.",
        discussion: """
            Parameters: every declared parameter of the strategy is part of the space; --grid/--choice/--fixed set \
            the ones searched (or pinned), the rest keep their defaults. --grid takes name=start:stop:step (stop \
            inclusive), name=start:stop (integers step 1; reals continuous, random/tpe only), name=log:low:high[:count]. \
            The strategy's own rules (`tradewind strategy show NAME`: Constraints) are constraints; --constraint adds \
            more (e.g. 'slow >= 2*fast').
            Objective: a metric of `tradewind backtest --json` (\(OptimizationMetric.names)), maximised, or \
            minimised when written -metric (e.g. -max_drawdown) or with --minimize. Trials with fewer than \
            --min-trades closed trades are infeasible. Ties go to the smaller trial number (grid order).
            Evaluation: the strategy's fast kernel when one reproduces the engine exactly for the settings \
            (`tradewind strategy show NAME`: Fast kernel; a cash account, no volume cap or financing, no dividends or \
            splits in the bars); kernels report every objective as the engine does. Otherwise the event-driven engine; the \
            progress line, the table (evaluator: ...) and the JSON (evaluator, engine_reason) say which ran and why. Loading, kernels \
            and engine runs use all cores, or --threads N. The best trial is always re-run on the engine: its figures are the `best` metrics.
            Validation: --split DATE optimises on the bars before DATE and trades the rest; --walk-forward \
            folds=5,train=252,test=63[,mode=anchored][,gap=N] optimises on each training window and trades the next \
            test window (one run over train+test bars, only test bars count), stitching out-of-sample returns. \
            ML strategies (ml-signal, ml-topk) given no model retrain the universal model on each in-sample window \
            (--train-*; each fold's model is in its params as model=DIR/<hash>/universal.json), so no fold's model \
            or thresholds see its test bars; a given model is refused with --split or --walk-forward.
            Overfitting: trials, probabilistic and deflated Sharpe ratio of the best run (DSR uses the variance of \
            all trials' Sharpe ratios), robustness score of the best point's one-step neighbours.
            Progress: one bar for the whole job on stderr when it is a terminal (--progress forces it, --quiet \
            silences it). Ctrl-C stops after the current batch and prints what finished; with --resume FILE each \
            finished symbol is saved (atomically), and rerunning with the same --resume FILE and the same job \
            continues without redoing them (a file of a different job is refused). With several symbols, --results \
            FILE.csv writes one table per symbol: FILE.SYMBOL.csv.
            """
    )

    @OptionGroup var dataOptions: DataOptions

    @Option(help: "Strategy name (\(strategyCatalog.names.joined(separator: ", "))).")
    var strategy: String

    @Option(help: "Symbols: a comma-separated list, @FILE (one per line or comma-separated), or all (default).")
    var symbols: String = "all"

    @Option(help: "A searched parameter: name=start:stop:step, name=start:stop, name=log:low:high[:count] (repeatable).")
    var grid: [String] = []
    @Option(help: "A parameter's alternatives: name=a,b,c (repeatable).") var choice: [String] = []
    @Option(help: "A parameter pinned to a value: name=v (repeatable).") var fixed: [String] = []
    @Option(help: "A constraint between parameters, e.g. 'fast < slow' (repeatable).") var constraint: [String] = []
    @Option(help: ArgumentHelp("Percentage trigger parameters (comma-separated, e.g. buy_trigger,sell_trigger) whose range is derived per symbol from its daily bars: start = ¼ × median 14-day ATR%, stop = max(95th percentile of the day's high over the previous close in %, 75th percentile of ATR%), step = the 1, 2, 2.5 or 5 × 10^k nearest above (stop − start)/20 (start rounded down, stop up, to steps; start ≥ one step). Measured before the first out-of-sample bar.", valueName: "names"))
    var autoBounds: String?

    @Option(help: "Search method: grid, random or tpe.") var method: String = "grid"
    @Option(help: "Trials for random and tpe.") var trials: Int = 100
    @Option(help: "Seed for random and tpe.") var seed: UInt64 = 0
    @Option(help: "Objective metric; prefix with - to minimise.") var objective: String = "sharpe"
    @Flag(help: "Minimise the objective.") var minimize = false
    @Option(help: "Trials with fewer closed trades are infeasible.") var minTrades: Int = 0
    @Option(help: "Trials kept and listed, best first.") var top: Int = 10
    @Option(help: "Points per batch (default: 4096 for grid/random, 32768 for a grid through a kernel, 1 for tpe).") var batch: Int?
    @Option(help: "Threads the job may use: loading, kernels and engine runs (default: all cores).") var threads: Int?
    @Flag(help: "Never use a fast kernel (engine only).") var noKernel = false
    @Flag(help: "Skip evaluating the best point's neighbours (robustness score).") var noRobustness = false

    @Option(help: "In-sample / out-of-sample split date (YYYY-MM-DD, in --tz): optimise before it.") var split: String?
    @Option(help: "Walk-forward folds, e.g. folds=5,train=252,test=63[,mode=anchored][,gap=N] (bars).") var walkForward: String?

    @Option(help: "Write every trial as CSV to this file.") var results: String?
    @Option(help: "Write an HTML report (heatmap, trials, walk-forward, overfitting, per-symbol table).") var report: String?
    @Option(help: "The two parameters of the report's heatmap: a,b (default: the first two searched).") var heatmap: String?
    @Option(help: "Write the report as PDF (headless Chromium).") var pdf: String?
    @Option(help: "Job file: records finished symbols and resumes an interrupted job.") var resume: String?
    @Flag(help: "Print JSON.") var json = false
    @Flag(help: "No progress bar.") var quiet = false
    @Flag(help: "Show the progress bar even when stderr is not a terminal.") var progress = false

    @OptionGroup var costs: BacktestOptions
    @OptionGroup(title: "ML strategies (model retrained on each in-sample window)") var training: FoldTrainingOptions

    func run() throws {
        do {
            try runJob()
        } catch let error as ValidationError {
            throw error
        } catch let error as ExitCode {
            throw error
        } catch {
            FileHandle.standardError.write(Data("Error: \(ErrorText.message(error, data: ErrorText.dataFlags.merging([.symbols: "--symbols"]) { a, _ in a }))\n".utf8))
            throw ExitCode.failure
        }
    }

    /// The options as a library request (`OptimizationRequest`: the rules and checks live there).
    func request() throws -> OptimizationRequest {
        let wanted: [String]?
        do {
            wanted = try ValueList.symbols(symbols)
        } catch {
            switch error {
            case let .unreadableFile(path, _): throw ValidationError("--symbols @\(path): cannot read the file")
            case .empty: throw ValidationError("--symbols \(symbols): no symbols given")
            }
        }
        return OptimizationRequest(
            strategy: strategy, data: dataOptions.data, adjust: dataOptions.loading.adjust, symbols: wanted, grids: grid,
            choices: choice, fixed: fixed, constraints: constraint,
            autoBounds: autoBounds.map { $0.split(separator: ",").map(String.init) } ?? [], method: method, trials: trials,
            seed: seed, objective: objective, minimize: minimize, minTrades: minTrades, top: top, batch: batch, split: split,
            walkForward: walkForward, kernel: !noKernel, robustness: !noRobustness, backtest: costs.settings)
    }

    func runJob() throws {
        let request = try request()
        let zone = try dataOptions.loading.loadOptions().zone
        if let threads, threads < 1 { throw ValidationError("--threads \(threads): expected an integer ≥ 1") }
        let budget = threads.map { ThreadBudget($0) } ?? .all
        var plan = try Self.flagging { try request.plan(catalog: strategyCatalog, zone: zone, threads: budget) }
        // An ML strategy's model is trained on each in-sample window (the searched range, each fold's training bars).
        let retraining = try training.retraining()
        defer { training.removeTemporaryModels(of: retraining) }
        let descriptor = plan.job.strategy
        let space = plan.job.space
        let kind = plan.job.settings.method
        let goal = plan.job.settings.objective
        var axes: (String, String)?
        if let heatmap {
            let names = heatmap.split(separator: ",").map(String.init)
            guard names.count == 2, names[0] != names[1] else { throw ValidationError("--heatmap \(heatmap): expected two parameter names a,b") }
            for n in names where space.index(of: n).map({ space.dimensions[$0].isFixed }) ?? true {
                throw ValidationError("--heatmap \(heatmap): '\(n)' is not a searched parameter (searched: \(space.dimensions.filter { !$0.isFixed }.map(\.name).joined(separator: ", ")))")
            }
            axes = (names[0], names[1])
        }
        // Reports draw every trial: keep up to 200,000 of them (points and objectives only).
        if report != nil || pdf != nil { plan.job.settings.recordTrials = 200_000 }

        let data = try dataOptions.load(symbols: request.symbols, threads: budget)
        // What the strategy needs (sessions, flattening) is applied and said; what data lacks is an error.
        // An ML strategy's model is retrained per window; its settings are part of the job's identity.
        let prepared = try Self.flagging { try plan.prepared(for: data, naming: BacktestOptions.flag) }.retrained(by: retraining)
        for note in prepared.notes { FileHandle.standardError.write(Data(("note: " + note + "\n").utf8)) }
        let (job, series, config) = (prepared.job, prepared.series, prepared.job.config)

        // A retrained model's settings decide the results too: a job file of other settings is refused.
        let file = resume.map { JobFile(path: $0, key: prepared.key) }
        let paths = try results.map { base in try Self.flagging { try ResultsTableWriter.symbolPaths(base: base, symbols: series.map(\.symbol)) } }
        let resultsPath: ((String) -> String?)? = paths.map { p in { p[$0] } }

        let cancel = CancellationFlag()
        signal(SIGINT, SIG_IGN)
        // A queue of its own: the job's symbols may keep every thread of the global queues' pool busy until it ends.
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: DispatchQueue(label: "tradewind.optimize.interrupt"))
        source.setEventHandler { cancel.cancel() }
        source.resume()
        defer { source.cancel(); signal(SIGINT, SIG_DFL) }

        let bar = ProgressBar(enabled: !quiet && (progress || isatty(2) == 1), symbols: series.count)
        let outcome = try Self.flagging {
            try JobRunner.run(job, series: series, jobFile: file, resultsPath: resultsPath, cancel: cancel,
                              progress: { bar.update($0, finished: $1) },
                              evaluatorChosen: { _, why in bar.evaluator = why.map { "engine: " + $0 } ?? "kernel" })
        }
        bar.finish()
        if report != nil || pdf != nil {
            let times = series.flatMap { [$0.time.first!, $0.time.last!] }
            let period = ReportPeriod(start: times.min()!, end: times.max()!, interval: series[0].interval, zone: zone)
            let costText = "commission \(costs.commission * 100) %, slippage \(costs.slippageBps) bps, fill \(costs.fill)"
            if var input = OptimizationFigures.input(outcome: outcome, strategy: descriptor.name, method: kind.rawValue, objective: goal,
                                                     dataSource: dataOptions.data, costs: costText, period: period, heatmap: axes) {
                try OptimizationFigures.attachBacktests(to: &input, outcome: outcome, series: series, strategy: descriptor,
                                                        config: config, dataSource: dataOptions.data, runData: job.dataset)
                if let lead = OptimizationFigures.lead(outcome: outcome, objective: goal), let bars = series.first(where: { $0.symbol == lead.symbol }) {
                    input.modelSection = ModelReportSection.optimization(lead, series: bars, job: job)
                }
                try ReportExport.optimization(input, html: report, pdf: pdf)
            } else {
                FileHandle.standardError.write(Data("No report: no symbol has a feasible trial.\n".utf8))
            }
        }
        if json {
            print(try JobReport.json(outcome, method: kind, objective: goal))
        } else {
            print(JobReport.table(outcome, objective: goal))
            print(JobReport.throughput(outcome))
        }
        if outcome.interrupted { throw ExitCode(130) }
    }

    /// Runs `body`, saying the library's errors about the request's fields with the flags' names.
    static func flagging<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as BacktestSettingsError {
            throw BacktestOptions.validationError(error)
        } catch let error as OptimizerError {
            switch error {
            case let .invalidArgument(name, value, valid) where name == "job file":
                throw CommandError(description: "--resume \(value): expected \(valid)")
            case let .invalidArgument(name, value, valid):
                guard let flag = flag(name) else { throw error }
                throw ValidationError("\(flag) \(value): expected \(valid)")
            case let .exclusiveArguments(a, b):
                throw ValidationError("give \(flag(a) ?? a) or \(flag(b) ?? b), not both")
            case let .noBars(data, _, _):
                throw ValidationError("no bars to optimise in --data \(data) (check --symbols, --from, --to)")
            case let .sharedResultsFile(path, symbols):
                throw CommandError(description: "--results: symbols \(symbols.joined(separator: " and ")) would both write \(path); optimise them in separate jobs")
            default:
                throw error
            }
        }
    }

    /// The flag of a request field (`OptimizationRequest.Field`); nil for other names.
    static func flag(_ name: String) -> String? {
        guard let field = OptimizationRequest.Field(rawValue: name) else { return nil }
        switch field {
        case .strategy: return "--strategy"
        case .data: return "--data"
        case .adjust: return "--adjust"
        case .symbols: return "--symbols"
        case .grids: return "--grid"
        case .choices: return "--choice"
        case .fixed: return "--fixed"
        case .constraints: return "--constraint"
        case .autoBounds: return "--auto-bounds"
        case .method: return "--method"
        case .trials: return "--trials"
        case .seed: return "--seed"
        case .objective: return "--objective"
        case .minimize: return "--minimize"
        case .minTrades: return "--min-trades"
        case .top: return "--top"
        case .batch: return "--batch"
        case .split: return "--split"
        case .walkForward: return "--walk-forward"
        case .kernel: return "--no-kernel"
        case .robustness: return "--no-robustness"
        case .backtest: return nil
        }
    }
}

/// A failure of the job (not of its arguments), said with the flags' names: printed as `Error: …`, exit status 1.
struct CommandError: Error, CustomStringConvertible {
    let description: String
}

/// One progress line on stderr for the whole job, redrawn in place with \r: percent, symbols done, ETA.
final class ProgressBar: @unchecked Sendable {
    let enabled: Bool
    let symbols: Int
    let start = ContinuousClock.now
    var lastDraw = ContinuousClock.now - .seconds(1)
    var drawn = false
    /// The evaluator of the symbol in progress (`kernel`, or `engine: why`), shown after the ETA.
    var evaluator = ""

    init(enabled: Bool, symbols: Int) {
        self.enabled = enabled
        self.symbols = symbols
    }

    func update(_ fraction: Double, finished: Int) {
        guard enabled else { return }
        let now = ContinuousClock.now
        guard now - lastDraw >= .milliseconds(100) || fraction >= 1 else { return }
        lastDraw = now
        let elapsed = seconds(now - start)
        let width = 30
        let filled = Int((fraction * Double(width)).rounded(.down))
        let eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : .nan
        let bar = String(repeating: "#", count: min(filled, width)) + String(repeating: ".", count: max(0, width - filled))
        let line = String(format: "\r[%@] %5.1f%%  %d/%d symbols  %@ elapsed  ETA %@", bar, fraction * 100, finished, symbols,
                          clock(elapsed), eta.isFinite ? clock(eta) : "--:--") + (evaluator.isEmpty ? "" : "  " + evaluator)
        FileHandle.standardError.write(Data(line.utf8))
        drawn = true
    }

    func finish() {
        if drawn { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }
    func clock(_ s: Double) -> String {
        let t = Int(s.rounded())
        return t >= 3600 ? String(format: "%d:%02d:%02d", t / 3600, t / 60 % 60, t % 60) : String(format: "%02d:%02d", t / 60, t % 60)
    }
}
