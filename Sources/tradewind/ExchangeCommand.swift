import ArgumentParser
import Foundation
import Logging
import TradewindCore
import TradewindExchange

/// `tradewind exchange serve`: a local Alpaca-compatible paper exchange replaying recorded bars.
struct ExchangeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exchange",
        abstract: "A local Alpaca-compatible paper exchange that replays recorded bars.",
        subcommands: [ExchangeServeCommand.self],
        defaultSubcommand: ExchangeServeCommand.self
    )
}

struct ExchangeServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve Alpaca's Trading API v2 subset, trade_updates, historical bars and the bar stream on loopback.",
        discussion: """
            Every path is served on one port as Alpaca's hosts serve it: /v2/account, /v2/orders, /v2/positions, \
            /v2/clock, /v2/calendar, /stream (trade_updates), /v2/stocks/bars and /v2/stocks/{symbol}/bars, and the \
            data stream at /v2/iex and /v2/sip. --data may also be a trades-and-quotes recording: a directory of \
            SYMBOL.trades.jsonl and SYMBOL.quotes.jsonl files, one trade or quote per line as Alpaca's historical API \
            returns it; the stream then sends each minute's trades and quotes, and the bars are built from the trades \
            by Alpaca's rules. Point an SDK's base URL, data URL and stream URL at \
            http://127.0.0.1:PORT. The paper account fills with the engine's fill models (the cost flags below). \
            The replay clock starts at --from (bars before it are history) and runs at --speed: market seconds per \
            second, or `manual` (POST /tradewind/clock/advance?steps=N advances it). Keys: APCA_API_KEY_ID and \
            APCA_API_SECRET_KEY in the environment, or --key-id/--secret-key; wrong keys get 401/403. With \
            --state DIR the exchange survives kill -9: it writes each command before answering it and resumes from them.
            """
    )

    @OptionGroup var data: DataOptions
    @OptionGroup var costs: BacktestOptions
    @Option(help: "Replay speed: market seconds per second (60 = an hour a minute), or manual.") var speed: String = "60"
    @Option(help: "Port to listen on (0: any free port).") var port: Int = 8765
    @Option(help: "Write the bound port to this file once listening.") var portFile: String?
    @Option(help: "The key id clients must present (default: $APCA_API_KEY_ID).") var keyID: String?
    @Option(help: "The secret key clients must present (default: $APCA_API_SECRET_KEY; prefer the environment: other users can read a command line).")
    var secretKey: String?
    @Option(help: "Keep the exchange's state in this directory: every order, cancel, replace and clock step is written there (fsync) before it is answered, and a restart (after kill -9 too) resumes with the same orders, fills, positions and event ids.")
    var state: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        guard let id = keyID ?? environment["APCA_API_KEY_ID"], let secret = secretKey ?? environment["APCA_API_SECRET_KEY"],
              !id.isEmpty, !secret.isEmpty else {
            throw ValidationError("the exchange needs its keys: set APCA_API_KEY_ID and APCA_API_SECRET_KEY (or --key-id/--secret-key)")
        }
        let pace: ExchangeServer.Pace
        if speed == "manual" {
            pace = .manual
        } else if let f = Double(speed), f > 0, f.isFinite {
            pace = .factor(f)
        } else {
            throw ValidationError("--speed \(speed): expected a positive number of market seconds per second, or manual")
        }
        do {
            let options = try data.loading.loadOptions()
            let config = try costs.config(zone: options.zone)
            let market: ExchangeMarket
            if TickRecording.isRecording(at: data.data) {
                // A trades-and-quotes recording: its trades' minute bars are the bars.
                let ticks = try TickRecording.load(directory: data.data)
                market = try ExchangeMarket(data: MarketDataset([]), ticks: ticks, from: config.from, to: config.to, config: config)
            } else {
                market = try ExchangeMarket(data: try data.load(), from: config.from, to: config.to, config: config)
            }
            let dataset = market.history
            if let state {
                let replayed = try market.keepState(in: state)
                if replayed > 0 {
                    FileHandle.standardError.write(Data("tradewind exchange: resumed from \(state) (\(replayed) commands played again, clock at step \(market.stepsPlayed))\n".utf8))
                }
            }
            let server = ExchangeServer(market: market, keys: ExchangeKeys(keyID: id, secretKey: secret), port: port, pace: pace)
            var logger = Logger(label: "tradewind.exchange")
            logger.logLevel = .warning
            let portFile = self.portFile, symbols = dataset.symbols, steps = market.replay.stepCount
            try await server.application(logger: logger) { bound in
                if let portFile { try? String(bound).write(toFile: portFile, atomically: true, encoding: .utf8) }
                FileHandle.standardError.write(Data("tradewind exchange: http://127.0.0.1:\(bound) replaying \(symbols.count) symbols, \(steps) steps at speed \(pace)\n".utf8))
            }.runService()
        } catch let error as ValidationError {
            throw error
        } catch {
            FileHandle.standardError.write(Data("Error: \(ErrorText.message(error, data: ErrorText.dataFlags))\n".utf8))
            throw ExitCode.failure
        }
    }
}
