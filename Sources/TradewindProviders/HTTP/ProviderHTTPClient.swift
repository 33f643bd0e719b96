import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// What a provider answered: the status, the headers Tradewind reads, and the whole body.
public struct ProviderResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: Data

    public init(status: Int, headers: [(name: String, value: String)] = [], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first value of header `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// How one provider's requests are sent: its rate limiter, retry policy and per-request timeout.
public struct RequestPolicy: Sendable {
    /// Shared by every request to the provider (one bucket per key).
    public var limiter: TokenBucket?
    public var retry: RetryPolicy
    /// The longest one attempt may take, connection to last byte.
    public var timeout: Duration

    public init(limiter: TokenBucket?, retry: RetryPolicy = .standard, timeout: Duration = .seconds(30)) {
        self.limiter = limiter
        self.retry = retry
        self.timeout = timeout
    }
}

/// Idempotent GETs over pooled keep-alive connections (async-http-client), with a token bucket, retries (backoff,
/// jitter, `Retry-After`) and a timeout per attempt. Redirects are not followed, so credentials sent in headers
/// never reach another host. Errors quote the URL without its query string.
public final class ProviderHTTPClient: Sendable {
    /// The process's client: up to 20 keep-alive connections per host (the optimizer console's pool size).
    public static let shared = ProviderHTTPClient(connectionsPerHost: 20)

    /// The largest body read (a longer answer fails as malformed instead of exhausting memory).
    public let maxBodyBytes: Int
    private let client: HTTPClient

    /// A client keeping up to `connectionsPerHost` connections per host alive. Call `shutdown()` when done with
    /// it (the `shared` client lives as long as the process).
    public init(connectionsPerHost: Int = 20, maxBodyBytes: Int = 256 << 20) {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow,
                                                     timeout: .init(connect: .seconds(10)))
        configuration.connectionPool = .init(idleTimeout: .seconds(60),
                                             concurrentHTTP1ConnectionsPerHostSoftLimit: max(1, connectionsPerHost))
        configuration.httpVersion = .http1Only
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
        self.maxBodyBytes = maxBodyBytes
    }

    /// Closes the pooled connections.
    public func shutdown() async throws {
        try await client.shutdown()
    }

    /// GETs `url` with `headers`. Returns any answer that is final: a 2xx, or a 4xx other than 408/429 (the caller
    /// reads it); retries the rest as `policy` allows, then throws `rateLimited`, `server`, `timeout` or `transport`.
    public func get(_ url: String, headers: [(String, String)] = [], provider: ProviderID, symbol: String? = nil,
                    policy: RequestPolicy) async throws(ProviderError) -> ProviderResponse {
        try await send("GET", url, headers: headers, idempotent: true, provider: provider, symbol: symbol, policy: policy)
    }

    /// Sends `method` (`GET`, `POST`, `PATCH`, `DELETE`, …) to `url` with a JSON `body` when given. Like `get`, but a
    /// request that is not `idempotent` is retried only after a 429 (the server refused it unprocessed), never after
    /// a 5xx, a timeout or a dropped connection, which may have acted on it; make submits idempotent (a client
    /// order id) to let them retry.
    public func send(_ method: String, _ url: String, headers: [(String, String)] = [], body: Data? = nil, idempotent: Bool,
                     provider: ProviderID, symbol: String? = nil, policy: RequestPolicy) async throws(ProviderError) -> ProviderResponse {
        var request = HTTPClientRequest(url: url)
        request.method = HTTPMethod(rawValue: method.uppercased())
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Tradewind/0.1")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let shown = Self.withoutQuery(url)
        var attempt = 0
        var rng = SystemRandomNumberGenerator()
        while true {
            if let limiter = policy.limiter {
                do { try await limiter.acquire() } catch {
                    throw ProviderError(.transport, provider, symbol: symbol, "cancelled while waiting for the rate limit")
                }
            }
            var failure: ProviderError
            var retryAfter: Duration?
            do {
                let response = try await client.execute(request, timeout: Self.timeAmount(policy.timeout))
                let status = Int(response.status.code)
                let body = try await Self.collect(response.body, expected: response.headers.first(name: "Content-Length").flatMap { Int($0) },
                                                  upTo: maxBodyBytes)
                let answer = ProviderResponse(status: status, headers: response.headers.map { ($0.name, $0.value) }, body: body)
                guard RetryPolicy.isRetryable(status: status) else { return answer }
                retryAfter = answer.header("Retry-After").flatMap { RetryPolicy.retryAfter($0) }
                if status == 429 {
                    if let retryAfter, let limiter = policy.limiter { await limiter.pause(for: retryAfter) }
                    failure = ProviderError(.rateLimited, provider, symbol: symbol, status: status,
                                            "too many requests" + (answer.header("Retry-After").map { " (Retry-After: \($0))" } ?? "")
                                                + "; lower this provider's rate (--rate) or try again later")
                } else {
                    failure = ProviderError(.server, provider, symbol: symbol, status: status,
                                            "the provider failed at \(shown): " + Self.snippet(answer.body))
                }
            } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout || error == .getConnectionFromPoolTimeout {
                failure = ProviderError(.timeout, provider, symbol: symbol,
                                        "no complete answer from \(shown) within \(policy.timeout) (per-request timeout)")
            } catch is NIOTooManyBytesError {
                throw ProviderError(.malformed, provider, symbol: symbol, "the answer from \(shown) is larger than \(maxBodyBytes) bytes")
            } catch is CancellationError {
                throw ProviderError(.transport, provider, symbol: symbol, "cancelled")
            } catch {
                failure = ProviderError(.transport, provider, symbol: symbol, "cannot reach \(shown): \(error)")
            }
            guard attempt < policy.retry.maxRetries, idempotent || failure.kind == .rateLimited,
                  let wait = policy.retry.delay(beforeRetry: attempt, retryAfter: retryAfter, unit: Double.random(in: 0..<1, using: &rng))
            else {
                throw failure
            }
            attempt += 1
            do { try await Task.sleep(for: wait) } catch { throw ProviderError(.transport, provider, symbol: symbol, "cancelled") }
        }
    }

    /// The whole body, each chunk copied once into a buffer sized from `Content-Length` when the answer gives it (a
    /// megabyte bars page is neither regrown chunk by chunk nor copied again into `Data`); more than `limit` bytes
    /// throws `NIOTooManyBytesError`.
    static func collect(_ body: HTTPClientResponse.Body, expected: Int?, upTo limit: Int) async throws -> Data {
        var data = Data()
        if let expected {
            guard expected <= limit else { throw NIOTooManyBytesError() }
            data.reserveCapacity(expected)
        }
        for try await chunk in body {
            guard data.count + chunk.readableBytes <= limit else { throw NIOTooManyBytesError() }
            chunk.withUnsafeReadableBytes { data.append($0.bindMemory(to: UInt8.self)) }
        }
        return data
    }

    /// `url` without its query string (which might carry a user's key in a proxy URL).
    public static func withoutQuery(_ url: String) -> String {
        url.firstIndex(of: "?").map { String(url[..<$0]) } ?? url
    }

    /// The start of a body, for error messages.
    static func snippet(_ body: Data) -> String {
        let text = String(decoding: body.prefix(200), as: UTF8.self)
        return text.isEmpty ? "(empty body)" : text
    }

    static func timeAmount(_ d: Duration) -> TimeAmount {
        let c = d.components
        return .nanoseconds(c.seconds * 1_000_000_000 + c.attoseconds / 1_000_000_000)
    }
}
