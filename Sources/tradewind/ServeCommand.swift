import ArgumentParser
import Foundation
import Logging
import TradewindCore
import TradewindServer

/// `tradewind serve`: the HTTP + WebSocket server (TradewindServer). Parses flags only.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the Tradewind server: REST + WebSocket API, background jobs, a SQLite or PostgreSQL store.",
        discussion: """
            Runs in the foreground, logs to stderr and stops gracefully on SIGINT/SIGTERM (running jobs resume at the \
            next start). The API is described at /api/openapi.json. Binds 127.0.0.1 unless --host says otherwise; a \
            non-loopback address needs a user (tradewind user add NAME) or --insecure. When a user exists every API \
            route but /api/health needs a token (POST /api/auth/login with Basic credentials). \
            TRADEWIND_ADMIN_USER/TRADEWIND_ADMIN_PASSWORD (or ADMIN_USER/ADMIN_PASS) create a user at start.
            """
    )

    @OptionGroup var server: ServerOptions
    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "Port to listen on (0: any free port).") var port: Int = 8080
    @Option(help: "Jobs run at once (each with cores ÷ N threads).") var workers: Int = 2
    @Flag(help: "Allow a non-loopback --host without users.") var insecure = false
    @Option(help: "Allow this browser origin (CORS); off by default.") var cors: String?
    @Flag(help: "Serve /metrics without a token.") var publicMetrics = false
    @Option(help: "Data GET /api/prices reads when a request names none.") var data: String = "sample:spy-daily"
    @Option(name: .customLong("tz"), help: "Zone of times in responses (IANA name). Default: UTC.") var zone: String?
    @Option(help: "Write the bound port to this file once listening (for scripts that pass --port 0).") var portFile: String?
    @Option(help: "Seconds a running job's lease lasts unrenewed: after a crash, another server on the same database takes the job over once it expires.")
    var jobLease: Double = 30
    @Option(help: "Priority of the jobs' threads: idle (run only when the server's own threads leave a core free; the event loops and the WebSocket preempt a job at once), a nice increment 1 to 19 (a share of a busy core), or normal.")
    var jobPriority = "idle"
    @OptionGroup var continual: ServeContinualOptions

    func run() async throws {
        var configuration = try server.configuration()
        configuration.host = host
        configuration.port = port
        configuration.workers = workers
        configuration.insecure = insecure
        configuration.corsOrigin = cors
        configuration.publicMetrics = publicMetrics
        configuration.defaultData = data
        configuration.jobLease = jobLease
        guard let priority = ThreadPriority(jobPriority) else {
            throw ValidationError("--job-priority \(jobPriority): expected idle, normal or a nice increment 1 to 19")
        }
        configuration.jobPriority = priority
        configuration.continual = try continual.configuration()
        if let zone {
            do { configuration.zone = try ZoneRules.named(zone) } catch { throw ValidationError("--tz \(zone): \(error)") }
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = .info
            return handler
        }
        let portFile = self.portFile
        let host = ["0.0.0.0", "::"].contains(configuration.host) ? "127.0.0.1" : configuration.host
        do {
            let server = try await TradewindServer.make(configuration, catalog: strategyCatalog)
            try await server.run { port in
                if let portFile { try? String(port).write(toFile: portFile, atomically: true, encoding: .utf8) }
                // The address to open: the dashboard is served at `/`.
                let shown = host.contains(":") ? "[\(host)]" : host
                FileHandle.standardOutput.write(Data("Tradewind dashboard: http://\(shown):\(port)/\n".utf8))
            }
        } catch {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}

/// Where the server keeps its state: shared by `serve`, `user` and `token`.
struct ServerOptions: ParsableArguments {
    @Option(help: "Server directory (default: $TRADEWIND_HOME or ~/.tradewind).") var home: String?
    @Option(help: "Database: a SQLite file or postgres://user:pass@host:port/db (default: HOME/tradewind.sqlite).")
    var database: String?

    func configuration() throws -> ServerConfiguration {
        var c = ServerConfiguration()
        if let home { c.home = home }
        c.database = database
        return c
    }
}

/// `tradewind user add NAME`: adds a user; the password is read from stdin (one line; at a terminal, without echo).
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage the server's users.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a user; the password (at least 8 characters) is read from stdin or the terminal, and stored as a bcrypt hash.")

        @OptionGroup var server: ServerOptions
        @Argument(help: "User name (letters, digits, . _ - @).") var name: String

        func run() async throws {
            guard let password = SecretInput.readLine(prompt: "Password for \(name): "), !password.isEmpty else {
                throw ValidationError("no password on stdin: pipe it in, e.g. `echo \"$PASS\" | tradewind user add \(name)`")
            }
            try await ServerAdmin.withServer(server) { s in
                _ = try await s.credentials.addUser(name: name, password: password)
                print("added user \(name)")
            }
        }
    }
}

/// `tradewind token create --user NAME [--label TEXT]`: a long-lived API token for scripts.
struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Manage API tokens.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create", abstract: "Create an API token (printed once; only its SHA-256 digest is stored).")

        @OptionGroup var server: ServerOptions
        @Option(help: "The user the token acts as.") var user: String
        @Option(help: "What the token is for.") var label: String = "api"

        func run() async throws {
            try await ServerAdmin.withServer(server) { s in
                let (secret, _) = try await s.credentials.createAPIToken(user: user, label: label)
                print(secret)
            }
        }
    }
}

/// Opens the server's store for an administrative command and closes it after.
enum ServerAdmin {
    static func withServer(_ options: ServerOptions, _ body: (TradewindServer) async throws -> Void) async throws {
        var configuration = try options.configuration()
        configuration.port = 0
        do {
            let server = try await TradewindServer.make(configuration, environment: [:], catalog: strategyCatalog)
            do {
                try await body(server)
            } catch {
                await server.store.close()
                throw error
            }
            await server.store.close()
        } catch let e as ValidationError {
            throw e
        } catch {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
