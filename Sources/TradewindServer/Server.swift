import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle
import TradewindCore
import TradewindProviders
import TradewindStore
import TradewindStrategies

/// What every route shares.
final class ServerState: Sendable {
    let configuration: ServerConfiguration
    let store: any TradewindStore
    let credentials: Credentials
    let metrics: ServerMetrics
    let hub: EventHub
    let scheduler: JobScheduler
    let loader: MarketLoader
    let backtests: BacktestRun
    /// The threads of `POST /api/backtest`: one per core, at most 64 requests waiting; one pool per process, as its
    /// threads live as long as the process (servers started one after another in a process reuse them).
    let backtestThreads = BacktestThreads.process
    let times: Timestamps
    let catalog: StrategyCatalog
    let limiter: LoginRateLimiter
    /// Paper-trading bots (`/api/trading/*`).
    let bots: BotRegistry
    /// Live prices (`/api/prices`, `/api/chart-cache`), from `TRADEWIND_PRICE_PROVIDERS`.
    let prices: LivePrices
    let started = ContinuousClock.now
    let logger: Logger
    /// The work queue `tradewind worker` processes serve (PostgreSQL stores only; nil with SQLite).
    let queue: WorkQueue?
    /// Continual learning's schedule (nil unless configured).
    let continual: ContinualRunner?

    init(configuration: ServerConfiguration, store: any TradewindStore, credentials: Credentials, metrics: ServerMetrics,
         catalog: StrategyCatalog, logger: Logger, prices: LivePrices = LivePrices(chain: nil),
         providers: ProviderEnvironment = ProviderEnvironment([:])) {
        self.configuration = configuration
        self.store = store
        self.credentials = credentials
        self.metrics = metrics
        self.catalog = catalog
        self.logger = logger
        hub = EventHub(metrics: metrics, capacity: configuration.webSocketQueueCapacity,
                       dropLimit: configuration.webSocketDropLimit)
        times = Timestamps(zone: configuration.zone)
        loader = MarketLoader(home: configuration.home)
        backtests = BacktestRun(loader: loader, times: times, catalog: catalog)
        limiter = LoginRateLimiter(store: store, limit: configuration.loginAttemptsPerMinute, window: 60)
        self.prices = prices
        let hub = hub
        bots = BotRegistry(loader: loader, catalog: catalog, store: store,
                           publish: { type, _, view in hub.publish(LiveMessage(type: type, jobID: nil, data: view)) },
                           notifier: { id in HubNotifier(botID: id, hub: hub) })
        queue = (store as? SQLStore).flatMap { try? WorkQueue(store: $0) }
        scheduler = JobScheduler(store: store, hub: hub, metrics: metrics, workers: configuration.workers, loader: loader,
                                 backtests: backtests, catalog: catalog, queue: queue, providers: providers, logger: logger,
                                 jobLease: configuration.jobLease, jobPriority: configuration.jobPriority)
        let scheduler = scheduler
        continual = configuration.continual.map { ContinualRunner(configuration: $0, store: store, wake: { scheduler.wake() }) }
    }
}

/// The Tradewind server: `make` opens the store and builds the application; `run` serves until SIGINT/SIGTERM,
/// then stops the jobs at their next batch (they resume at the next start) and closes the store.
public final class TradewindServer: Sendable {
    let state: ServerState

    /// The store the server uses.
    public var store: any TradewindStore { state.store }
    /// The server's credentials (users and tokens).
    public var credentials: Credentials { state.credentials }

    init(state: ServerState) { self.state = state }

    /// Opens the store (applying migrations), creates the admin user from the environment when asked
    /// (`TRADEWIND_ADMIN_USER`/`TRADEWIND_ADMIN_PASSWORD`, or `ADMIN_USER`/`ADMIN_PASS`), reads the live-price
    /// providers from it (`TRADEWIND_PRICE_PROVIDERS` and the providers' keys and base URLs), and checks that a
    /// non-loopback address has users (or `insecure`). Data-fetch jobs read the providers' keys and base URLs from
    /// `environment` too.
    public static func make(_ configuration: ServerConfiguration, environment: [String: String] = ProcessInfo.processInfo.environment,
                            catalog: StrategyCatalog = .builtIn, logger: Logger = Logger(label: "tradewind.server")) async throws -> TradewindServer {
        try configuration.validate()
        try FileManager.default.createDirectory(atPath: configuration.home, withIntermediateDirectories: true)
        let metrics = ServerMetrics()
        let store = try await SQLStore.open(configuration.databaseLocation) { area, seconds in
            metrics.store(area: area, seconds: seconds)
        }
        do {
            let credentials = await Credentials(store: store, secret: try Credentials.secret(home: configuration.home),
                                                accessLifetime: configuration.accessTokenLifetime,
                                                bcryptCost: configuration.bcryptCost)
            let adminUser = environment["TRADEWIND_ADMIN_USER"] ?? environment["ADMIN_USER"]
            let adminPassword = environment["TRADEWIND_ADMIN_PASSWORD"] ?? environment["ADMIN_PASS"]
            if let adminUser, let adminPassword, try await store.user(adminUser) == nil {
                _ = try await credentials.addUser(name: adminUser, password: adminPassword)
                logger.info("created the admin user from the environment", metadata: ["user": "\(adminUser)"])
            }
            if !configuration.bindsLoopback, !configuration.insecure, try await store.userCount() == 0 {
                throw ServerStartError(description: """
                    refusing to listen on \(configuration.host) without users: anyone who can reach it could run jobs and \
                    read results. Add a user (tradewind user add NAME), bind 127.0.0.1, or pass --insecure
                    """)
            }
            return TradewindServer(state: ServerState(configuration: configuration, store: store, credentials: credentials,
                                                      metrics: metrics, catalog: catalog, logger: logger,
                                                      prices: LivePrices.fromEnvironment(ProviderEnvironment(environment)),
                                                      providers: ProviderEnvironment(environment)))
        } catch {
            await store.close()
            throw error
        }
    }

    /// The HTTP router with every route and middleware (tests drive it with HummingbirdTesting).
    func router() -> Router<APIContext> {
        let router = Router(context: APIContext.self)
        router.add(middleware: MetricsMiddleware(metrics: state.metrics))
        router.add(middleware: ErrorMiddleware())
        if let origin = state.configuration.corsOrigin {
            router.add(middleware: CORSMiddleware(allowOrigin: .custom(origin),
                                                  allowHeaders: [.accept, .authorization, .contentType, .origin],
                                                  allowMethods: [.get, .post, .put, .delete, .options]))
        }
        router.add(middleware: DashboardMiddleware(files: .bundled))
        router.add(middleware: AuthMiddleware(credentials: state.credentials, publicMetrics: state.configuration.publicMetrics))
        Routes.addSystem(to: router, state)
        Routes.addAuth(to: router, state)
        Routes.addHistory(to: router, state)
        Routes.addJobs(to: router, state)
        Routes.addConsole(to: router, state)
        Routes.addJournal(to: router, state)
        Routes.addStrategies(to: router, state)
        Routes.addReports(to: router, state)
        Routes.addTrading(to: router, state)
        Routes.addPrices(to: router, state)
        Routes.addCatalog(to: router, state)
        Routes.addWorkers(to: router, state)
        Routes.addModels(to: router, state)
        return router
    }

    /// The WebSocket router: `/ws`, authenticated by `?token=` or an `Authorization: Bearer` header.
    func webSocketRouter() -> Router<APIContext> {
        let router = Router(context: APIContext.self)
        LiveSocket.add(to: router, state)
        return router
    }

    /// The application; `onRunning` receives the bound port.
    public func application(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let configuration = state.configuration
        let logger = state.logger
        let backend = state.store.backend
        return Application(
            router: router(),
            server: .http1WebSocketUpgrade(webSocketRouter: webSocketRouter()),
            configuration: ApplicationConfiguration(address: .hostname(configuration.host, port: configuration.port),
                                                    serverName: "tradewind"),
            services: services(),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? configuration.port
                logger.info("listening", metadata: ["address": "http://\(configuration.host):\(port)",
                                                    "database": "\(backend)"])
                await onRunning(port)
            },
            logger: logger)
    }

    /// The job scheduler, and continual learning's schedule when configured.
    func services() -> [any Service] {
        guard let runner = state.continual else { return [state.scheduler] }
        return [state.scheduler, ContinualService(runner: runner, clock: state.configuration.continualClock, logger: state.logger)]
    }

    /// Serves until SIGINT or SIGTERM, then lets the jobs record their stop and closes the store.
    public func run(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        do {
            try await application(onRunning: onRunning).runService()
        } catch {
            await state.store.close()
            throw error
        }
        await state.store.close()
    }
}

/// Why the server would not start.
public struct ServerStartError: Error, CustomStringConvertible {
    public var description: String
}

/// Requires a valid token on every route but the public ones once any user exists.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = APIContext
    let credentials: Credentials
    let publicMetrics: Bool

    static let publicPaths: Set<String> = ["/api/health", "/api/openapi.json", "/api/auth/login", "/api/auth/refresh"]

    func handle(_ request: Request, context: APIContext, next: (Request, APIContext) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        let protected = path == "/metrics" ? !publicMetrics : (path.hasPrefix("/api/") && !Self.publicPaths.contains(path))
        guard protected, request.method != .options, await credentials.authenticationRequired() else {
            return try await next(request, context)
        }
        guard let bearer = Self.bearer(request.headers[.authorization]) else {
            throw APIError.unauthorized("this server has users: send Authorization: Bearer TOKEN (POST /api/auth/login gives one)")
        }
        guard let user = await credentials.user(bearer: bearer) else {
            throw APIError.unauthorized("the token is invalid or expired: log in again or refresh (POST /api/auth/refresh)")
        }
        var context = context
        context.user = user
        return try await next(request, context)
    }

    static func bearer(_ header: String?) -> String? {
        guard let header, header.count > 7, header.lowercased().hasPrefix("bearer ") else { return nil }
        let token = header.dropFirst(7).trimmingCharacters(in: .whitespaces)
        return token.isEmpty ? nil : token
    }
}
