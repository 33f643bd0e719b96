import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization
import Testing
@testable import TradewindAlpaca
import TradewindProviders

/// The REST client against a local server that answers from a script: 429 with `Retry-After`, 500s, timeouts,
/// malformed and truncated JSON, a submit whose answer is lost.
@Suite struct RESTFaultTests {
    /// One scripted answer: status, body, headers, and a delay before answering.
    struct Answer: Sendable {
        var status = 200
        var body = "{}"
        var retryAfter: String?
        var delay: Duration = .zero
    }

    final class Script: Sendable {
        let answers: Mutex<[String: [Answer]]>
        let hits = Mutex<[String: Int]>([:])
        init(_ answers: [String: [Answer]]) { self.answers = Mutex(answers) }

        func next(_ key: String) -> Answer {
            hits.withLock { $0[key, default: 0] += 1 }
            return answers.withLock { a in
                guard var list = a[key], !list.isEmpty else { return Answer(status: 404, body: #"{"code":40410000,"message":"no script"}"#) }
                let first = list.removeFirst()
                a[key] = list.isEmpty ? [first] : list
                return first
            }
        }

        func count(_ key: String) -> Int { hits.withLock { $0[key] ?? 0 } }
    }

    static func account(cash: String = "1000") -> String {
        let a = AlpacaAccount(id: "a", cash: cash, equity: cash, lastEquity: cash, buyingPower: cash, longMarketValue: "0",
                              shortMarketValue: "0", multiplier: "1", shortingEnabled: false, createdAt: "2021-01-01T00:00:00Z")
        return String(decoding: try! AlpacaJSON.encoder().encode(a), as: UTF8.self)
    }

    static func order(_ client: String) -> String {
        let o = AlpacaOrder(id: "00000000-0000-4000-8000-000000000001", clientOrderId: client, createdAt: "2021-01-01T00:00:00Z",
                            updatedAt: nil, submittedAt: nil, assetId: "x", symbol: "SPY", qty: "1", notional: nil, filledQty: "0",
                            orderClass: "simple", type: "market", side: "buy", timeInForce: "day", status: "new")
        return String(decoding: try! AlpacaJSON.encoder().encode(o), as: UTF8.self)
    }

    static func with(_ script: Script, policy: RequestPolicy = ExchangeHarness.quick,
                     _ body: (AlpacaRESTClient) async throws -> Void) async throws {
        let router = Router()
        for (method, path) in [(HTTPRequest.Method.get, "/v2/account"), (.post, "/v2/orders"), (.get, "/v2/orders:by_client_order_id")] {
            router.on(RouterPath(path), method: method) { _, _ -> Response in
                let a = script.next("\(method) \(path)")
                if a.delay > .zero { try await Task.sleep(for: a.delay) }
                var headers: HTTPFields = [.contentType: "application/json"]
                if let r = a.retryAfter { headers[HTTPField.Name("Retry-After")!] = r }
                return Response(status: .init(code: a.status), headers: headers, body: .init(byteBuffer: ByteBuffer(string: a.body)))
            }
        }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                              onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: quiet)
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        defer { task.cancel() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        let client = AlpacaRESTClient(credentials: ExchangeHarness.credentials,
                                      endpoints: AlpacaEndpoints(oneServer: "http://127.0.0.1:\(port)"), policy: policy)
        try await body(client)
    }

    @Test func a429IsRetriedAfterItsRetryAfter() async throws {
        let script = Script(["GET /v2/account": [Answer(status: 429, body: #"{"code":42910000,"message":"rate limit exceeded"}"#, retryAfter: "0.2"),
                                                  Answer(body: Self.account())]])
        try await Self.with(script) { c in
            let start = ContinuousClock.now
            let account = try await c.account()
            #expect(account.cash == "1000")
            #expect(ContinuousClock.now - start >= .milliseconds(200), "Retry-After was honoured")
            #expect(script.count("GET /v2/account") == 2)
        }
    }

    @Test func serverErrorsAreRetriedAtMostThreeTimesForIdempotentCalls() async throws {
        let failing = Script(["GET /v2/account": [Answer(status: 500, body: "oops")]])
        try await Self.with(failing) { c in
            do {
                _ = try await c.account()
                Issue.record("a failing server answered")
            } catch let error as AlpacaError {
                #expect(error.status == 500)
            }
            #expect(failing.count("GET /v2/account") == 4, "one try and three retries")
        }
        let recovering = Script(["GET /v2/account": [Answer(status: 500), Answer(status: 503), Answer(body: Self.account(cash: "7"))]])
        try await Self.with(recovering) { c in
            let account = try await c.account()
            #expect(account.cash == "7")
        }
    }

    @Test func malformedAndTruncatedJSONAreClearErrors() async throws {
        for body in ["not json", String(Self.account().prefix(40))] {
            let script = Script(["GET /v2/account": [Answer(body: body)]])
            try await Self.with(script) { c in
                do {
                    _ = try await c.account()
                    Issue.record("decoded \(body)")
                } catch let error as AlpacaError {
                    guard case .malformed(let path, _) = error else { Issue.record("\(error)"); return }
                    #expect(path == "/v2/account")
                }
            }
        }
    }

    @Test func aTimeoutIsRetriedThenReported() async throws {
        let script = Script(["GET /v2/account": [Answer(body: Self.account(), delay: .seconds(60)), Answer(body: Self.account(cash: "5"))]])
        let policy = RequestPolicy(limiter: nil, retry: RetryPolicy(maxRetries: 1, baseDelay: .milliseconds(1), maxDelay: .milliseconds(5)),
                                   timeout: .seconds(3))
        try await Self.with(script, policy: policy) { c in
            let account = try await c.account()
            #expect(account.cash == "5")
        }
    }

    @Test func aSubmitWhoseAnswerWasLostIsFoundByItsClientOrderIDNotPlacedTwice() async throws {
        let script = Script(["POST /v2/orders": [Answer(status: 502, body: "bad gateway")],
                             "GET /v2/orders:by_client_order_id": [Answer(body: Self.order("mine-7"))]])
        try await Self.with(script) { c in
            let placed = try await c.submit(AlpacaOrderRequest(symbol: "SPY", qty: "1", side: "buy", type: "market",
                                                               timeInForce: "day", clientOrderId: "mine-7"))
            #expect(placed.clientOrderId == "mine-7")
            #expect(script.count("POST /v2/orders") == 1, "the submit was not repeated")
        }
    }

    @Test func aRejectedSubmitIsNotRetried() async throws {
        let script = Script(["POST /v2/orders": [Answer(status: 403, body: #"{"code":40310000,"message":"insufficient buying power"}"#)]])
        try await Self.with(script) { c in
            do {
                _ = try await c.submit(AlpacaOrderRequest(symbol: "SPY", qty: "1", side: "buy", type: "market", timeInForce: "day",
                                                          clientOrderId: "x"))
                Issue.record("accepted")
            } catch let error as AlpacaError {
                #expect(error == .http(status: 403, code: 40310000, message: "insufficient buying power", path: "/v2/orders"))
            }
            #expect(script.count("POST /v2/orders") == 1)
        }
    }
}
