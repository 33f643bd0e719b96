import ArgumentParser
import TradewindBenchmarks

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

    func run() throws {
        var c = TPEBenchmark.Configuration()
        c.trials = trials
        let parsed = seeds.split(separator: ",").compactMap { UInt64($0) }
        guard !parsed.isEmpty, parsed.count == seeds.split(separator: ",").count else {
            throw ValidationError("--seeds must be comma-separated non-negative integers, e.g. 0,1,2")
        }
        guard trials >= 1 else { throw ValidationError("--trials must be at least 1") }
        c.seeds = parsed
        c.multivariate = multivariate
        c.runOptuna = !noOptuna
        print(try TPEBenchmark.run(c).text)
    }
}
