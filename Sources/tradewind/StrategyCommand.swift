import ArgumentParser
import TradewindStrategies

/// `tradewind strategy list|show`: the strategy catalog.
struct StrategyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "strategy",
        abstract: "List the built-in strategies, or show one's rules and parameters.",
        subcommands: [StrategyList.self, StrategyShow.self]
    )
}

struct StrategyList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List every strategy with its summary.")

    @Flag(name: .long, help: "Print JSON (name, summary, kernel, parameters with type, default and valid values).")
    var json = false

    func run() throws {
        print(StrategyListing.list(json: json, catalog: strategyCatalog), terminator: "")
    }
}

struct StrategyShow: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a strategy's rules and parameters.")

    @Argument(help: "Strategy name (see `tradewind strategy list`).")
    var name: String

    func run() throws {
        do {
            print(try StrategyListing.show(name, catalog: strategyCatalog, naming: BacktestOptions.flag), terminator: "")
        } catch {
            throw ValidationError(error.description)
        }
    }
}
