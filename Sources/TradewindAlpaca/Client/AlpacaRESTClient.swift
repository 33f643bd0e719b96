import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import TradewindCore
import TradewindProviders

/// Alpaca's Trading API v2 over async-http-client's pooled connections: the key headers on every call, the
/// provider's token bucket before it (200 requests a minute per key), retries with backoff, jitter and
/// `Retry-After` for idempotent calls (`TradewindProviders`' policy), and Alpaca's error body in the errors.
/// Historical bars are `TradewindProviders.AlpacaBarsClient`'s.
public final class AlpacaRESTClient: Sendable {
    public let endpoints: AlpacaEndpoints
    let credentials: AlpacaCredentials
    let http: HTTPClient
    public let policy: RequestPolicy

    /// Alpaca's documented limit: 200 requests a minute per key.
    public static func standardPolicy() -> RequestPolicy {
        RequestPolicy(limiter: TokenBucket(.perMinute(200)), retry: .standard, timeout: .seconds(15))
    }

    public init(credentials: AlpacaCredentials, endpoints: AlpacaEndpoints, policy: RequestPolicy = standardPolicy(),
                http: HTTPClient = .shared) {
        self.credentials = credentials
        self.endpoints = endpoints
        self.policy = policy
        self.http = http
    }

    var retry: RetryPolicy { policy.retry }

    /// One call: `(status, body)` of a 2xx answer; `AlpacaError.http` for others (after the retries an idempotent
    /// call gets).
    func call(_ method: HTTPMethod, _ base: String, _ path: String, query: [(String, String)] = [], body: Data? = nil,
              idempotent: Bool) async throws(AlpacaError) -> (status: Int, body: Data) {
        var url = base + path
        if !query.isEmpty {
            url += "?" + query.map { "\($0.0)=\(Self.escape($0.1))" }.joined(separator: "&")
        }
        var attempt = 0
        while true {
            if let limiter = policy.limiter {
                do { try await limiter.acquire() } catch { throw .unreachable(path: path, detail: "cancelled while waiting for the rate limit") }
            }
            var request = HTTPClientRequest(url: url)
            request.method = method
            for (name, value) in credentials.headers { request.headers.add(name: name, value: value) }
            request.headers.add(name: "Accept", value: "application/json")
            if let body {
                request.headers.add(name: "Content-Type", value: "application/json")
                request.body = .bytes(ByteBuffer(bytes: body))
            }
            var retryAfter: Duration?
            var failure: AlpacaError
            do {
                let response = try await http.execute(request, timeout: .nanoseconds(Int64(policy.timeout / .nanoseconds(1))))
                let buffer = try await response.body.collect(upTo: 256 << 20)
                let data = Data(buffer.readableBytesView)
                let status = Int(response.status.code)
                if (200..<300).contains(status) { return (status, data) }
                let e = try? AlpacaJSON.decoder().decode(AlpacaErrorBody.self, from: data)
                let answer = AlpacaError.http(status: status, code: e?.code,
                                              message: e?.message ?? String(decoding: data.prefix(200), as: UTF8.self), path: path)
                guard RetryPolicy.isRetryable(status: status) else { throw answer }
                retryAfter = response.headers.first(name: "Retry-After").flatMap { RetryPolicy.retryAfter($0) }
                if status == 429, let wait = retryAfter, let limiter = policy.limiter {
                    // Every request to Alpaca waits it out at the bucket (this one included).
                    await limiter.pause(for: wait)
                    retryAfter = .zero
                }
                failure = answer
            } catch let e as AlpacaError {
                throw e
            } catch {
                failure = .unreachable(path: path, detail: "\(error)")
            }
            // 429s are retried for every call (Alpaca did nothing); 5xx and no answer only for idempotent ones.
            let refused = failure.status == 429
            guard attempt < retry.maxRetries, idempotent || refused,
                  let wait = retry.delay(beforeRetry: attempt, retryAfter: retryAfter, unit: Double.random(in: 0..<1)) else { throw failure }
            attempt += 1
            try? await Task.sleep(for: wait)
        }
    }

    private static let allowed: CharacterSet = {
        var s = CharacterSet.alphanumerics
        s.insert(charactersIn: "-._~,")
        return s
    }()

    static func escape(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s }

    func decode<T: Decodable>(_ type: T.Type, _ data: Data, _ path: String) throws(AlpacaError) -> T {
        do {
            return try AlpacaJSON.decoder().decode(T.self, from: data)
        } catch {
            throw .malformed(path: path, detail: "\(error)")
        }
    }

    func get<T: Decodable>(_ type: T.Type, _ path: String, query: [(String, String)] = [],
                           data: Bool = false) async throws(AlpacaError) -> T {
        let r = try await call(.GET, data ? endpoints.data : endpoints.trading, path, query: query, idempotent: true)
        return try decode(T.self, r.body, path)
    }

    // MARK: Trading API

    public func account() async throws(AlpacaError) -> AlpacaAccount { try await get(AlpacaAccount.self, "/v2/account") }
    public func positions() async throws(AlpacaError) -> [AlpacaPosition] { try await get([AlpacaPosition].self, "/v2/positions") }
    public func clock() async throws(AlpacaError) -> AlpacaClock { try await get(AlpacaClock.self, "/v2/clock") }

    public func calendar(start: String, end: String) async throws(AlpacaError) -> [AlpacaCalendarDay] {
        try await get([AlpacaCalendarDay].self, "/v2/calendar", query: [("start", start), ("end", end)])
    }

    /// Submits an order. A submit is made idempotent by its `client_order_id`: when no answer came, the order is
    /// looked up by that id before trying again, so it is never placed twice.
    public func submit(_ order: AlpacaOrderRequest) async throws(AlpacaError) -> AlpacaOrder {
        let body: Data
        do { body = try AlpacaJSON.encoder().encode(order) } catch { throw .malformed(path: "/v2/orders", detail: "\(error)") }
        var attempt = 0
        while true {
            do {
                let r = try await call(.POST, endpoints.trading, "/v2/orders", body: body, idempotent: false)
                return try decode(AlpacaOrder.self, r.body, "/v2/orders")
            } catch {
                let unanswered: Bool
                switch error {
                case .unreachable: unanswered = true
                case .http(let s, _, _, _): unanswered = s >= 500
                default: unanswered = false
                }
                guard unanswered, let client = order.clientOrderId, attempt < retry.maxRetries else { throw error }
                if let placed = try? await self.order(clientOrderID: client) { return placed }
                try? await Task.sleep(for: retry.delay(beforeRetry: attempt, retryAfter: nil, unit: Double.random(in: 0..<1)) ?? .zero)
                attempt += 1
            }
        }
    }

    public func order(id: String) async throws(AlpacaError) -> AlpacaOrder { try await get(AlpacaOrder.self, "/v2/orders/\(id)") }

    public func order(clientOrderID: String) async throws(AlpacaError) -> AlpacaOrder {
        try await get(AlpacaOrder.self, "/v2/orders:by_client_order_id", query: [("client_order_id", clientOrderID)])
    }

    /// `GET /v2/orders` (oldest first when `ascending`), with `after` (exclusive) as a time filter.
    public func orders(status: String = "all", limit: Int = 500, ascending: Bool = true, after: String? = nil,
                       nested: Bool = true) async throws(AlpacaError) -> [AlpacaOrder] {
        var q = [("status", status), ("limit", String(limit)), ("direction", ascending ? "asc" : "desc"),
                 ("nested", nested ? "true" : "false")]
        if let after { q.append(("after", after)) }
        return try await get([AlpacaOrder].self, "/v2/orders", query: q)
    }

    /// Every order submitted after `after` (all when nil), oldest first, paging by submission time.
    public func allOrders(after: String? = nil) async throws(AlpacaError) -> [AlpacaOrder] {
        var out: [AlpacaOrder] = [], cursor = after, seen = Set<String>()
        for _ in 0..<10_000 {
            let page = try await orders(after: cursor)
            let fresh = page.filter { seen.insert($0.id).inserted }
            out += fresh
            guard page.count == 500, let last = page.last else { break }
            // Orders submitted in the same instant as the page's last one are fetched again and skipped by id.
            if let t = AlpacaJSON.instant(last.submittedAt ?? last.createdAt) { cursor = AlpacaJSON.time(t - 1) }
            if fresh.isEmpty { break }
        }
        return out
    }

    public func replace(orderID: String, _ change: AlpacaReplaceRequest) async throws(AlpacaError) -> AlpacaOrder {
        let body: Data
        do { body = try AlpacaJSON.encoder().encode(change) } catch { throw .malformed(path: "/v2/orders", detail: "\(error)") }
        let r = try await call(.PATCH, endpoints.trading, "/v2/orders/\(orderID)", body: body, idempotent: change.clientOrderId != nil)
        return try decode(AlpacaOrder.self, r.body, "/v2/orders/\(orderID)")
    }

    /// Cancels an order (Alpaca answers 204; 422 when it can no longer be cancelled).
    public func cancel(orderID: String) async throws(AlpacaError) {
        _ = try await call(.DELETE, endpoints.trading, "/v2/orders/\(orderID)", idempotent: true)
    }

    public func cancelAll() async throws(AlpacaError) -> [AlpacaMultiStatus<AlpacaErrorBody>] {
        let r = try await call(.DELETE, endpoints.trading, "/v2/orders", idempotent: true)
        return try decode([AlpacaMultiStatus<AlpacaErrorBody>].self, r.body, "/v2/orders")
    }

    /// Closes a position: all of it, `qty` shares or `percentage` percent.
    public func closePosition(_ symbol: String, qty: Double? = nil, percentage: Double? = nil) async throws(AlpacaError) -> AlpacaOrder {
        var q: [(String, String)] = []
        if let qty { q.append(("qty", AlpacaJSON.decimal(qty))) }
        if let percentage { q.append(("percentage", AlpacaJSON.decimal(percentage))) }
        let r = try await call(.DELETE, endpoints.trading, "/v2/positions/\(symbol)", query: q, idempotent: false)
        return try decode(AlpacaOrder.self, r.body, "/v2/positions/\(symbol)")
    }
}
