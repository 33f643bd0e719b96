import ArgumentParser
import TradewindBenchmarks
import TradewindEngine

/// `tradewind bench tpe`: TPE search overhead per trial vs Optuna, and quality vs the grid optimum.
struct BenchTPE: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tpe",
        abstract: "TPE overhead per trial vs Optuna's TPESampler, and best-found vs the grid optimum (sma-cross space)."
    )

    @Option(help: "Trials per search.")
    var trials = 200

    @Option(help: "Seeds, comma-separated.")
    var seeds = "0,1,2,3,4"

    @Flag(inversion: .prefixedNo, help: "Multivariate TPE on both sides.")
    var multivariate = true

    @Flag(help: "Skip the Optuna side.")
    var noOptuna = false

    @Option(help: ArgumentHelp("Instead: the TPE study over this many series (bundled sample:sp500-50 symbols, then "
                               + "synthetic daily ones): TPE's best over the grid optimum per series and seed, on the "
                               + "sma-cross space of `bench optimizer`.", valueName: "series"))
    var study: Int?

    @Flag(help: ArgumentHelp("Study: held-out series instead, those after the ones `--study 12` uses: sample symbols from "
                             + "the 11th on, synthetic seeds from 3 on (series the sampler's settings were not chosen on)."))
    var heldOut = false

    @Option(help: "Fills of the study: next-open or close.")
    var fill = "next-open"

    @Option(help: ArgumentHelp("Study: TPE settings to compare, each `key=value,…` over the defaults (multivariate, endpoints, "
                               + "repeats: 0|1; candidates, startup: integers; prior: a number; refine: a fraction 0…1); repeatable. Default: the "
                               + "sampler's defaults.", valueName: "settings"))
    var tpe: [String] = []

    func run() throws {
        var c = TPEBenchmark.Configuration()
        c.trials = trials
        let parsed = seeds.split(separator: ",").compactMap { UInt64($0) }
        guard !parsed.isEmpty, parsed.count == seeds.split(separator: ",").count else {
            throw ValidationError("--seeds must be comma-separated non-negative integers, e.g. 0,1,2")
        }
        guard trials >= 1 else { throw ValidationError("--trials must be at least 1") }
        c.seeds = parsed
        if let study {
            guard (1...60).contains(study) else { throw ValidationError("--study takes 1…60 series") }
            guard let timing = FillTiming(rawValue: fill) else {
                throw ValidationError("--fill must be next-open or close")
            }
            var s = TPEStudy.Configuration()
            // Two synthetic series from three on (more beyond the sample's 50 symbols), the rest bundled.
            s.synthetic = study >= 3 ? max(2, study - 50) : 0
            s.bundledCount = study - s.synthetic
            if heldOut {
                s.bundledOffset = 10
                s.syntheticFirstSeed = 3
                guard s.bundledOffset + s.bundledCount <= 50 else { throw ValidationError("--held-out takes --study up to 42") }
            }
            s.trials = trials
            s.seeds = parsed
            s.fill = timing
            if !tpe.isEmpty { s.variants = try tpe.map { try TPEStudy.Variant(parsing: $0) } }
            s.runOptuna = !noOptuna
            print(try TPEStudy.run(s).description)
            return
        }
        c.multivariate = multivariate
        c.runOptuna = !noOptuna
        print(try TPEBenchmark.run(c).text)
    }
}
