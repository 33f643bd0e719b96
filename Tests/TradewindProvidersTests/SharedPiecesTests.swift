import Foundation
import Testing
import TradewindCore
@testable import TradewindProviders

@Suite("Provider politeness: token bucket, retry policy, credentials")
struct SharedPiecesTests {
    @Test func tokenBucketLetsABurstThroughThenPacesAtItsRate() async throws {
        let bucket = TokenBucket(capacity: 3, refillPerSecond: 20)
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<3 { try await bucket.acquire() }
        let burst = start.duration(to: clock.now)
        #expect(burst < .milliseconds(150))
        for _ in 0..<4 { try await bucket.acquire() }
        // Four more tokens at 20/s take at least 200 ms (minus one refilled during the burst).
        #expect(start.duration(to: clock.now) >= .milliseconds(140))
        #expect(await bucket.tryAcquire() == false)
    }

    @Test func pausedTokenBucketHoldsRequestsForTheRetryAfter() async throws {
        let bucket = TokenBucket(capacity: 10, refillPerSecond: 100)
        await bucket.pause(for: .milliseconds(150))
        let clock = ContinuousClock()
        let start = clock.now
        try await bucket.acquire()
        #expect(start.duration(to: clock.now) >= .milliseconds(140))
    }

    @Test func rateLimitsParseInTheirWrittenForms() {
        #expect(RateLimit("200/min") == .perMinute(200))
        #expect(RateLimit("5/m") == .perMinute(5))
        #expect(RateLimit("10/s")?.perSecond == 10)
        #expect(RateLimit("1000/h")?.description == "1000/h")
        #expect(RateLimit("0/min") == nil)
        #expect(RateLimit("fast") == nil)
    }

    @Test func retryPolicyBacksOffExponentiallyWithJitterAndCap() {
        let p = RetryPolicy(maxRetries: 3, baseDelay: .milliseconds(100), maxDelay: .milliseconds(300), jitter: 0.5)
        #expect(p.delay(beforeRetry: 0, retryAfter: nil, unit: 0) == .milliseconds(100))
        #expect(p.delay(beforeRetry: 1, retryAfter: nil, unit: 0) == .milliseconds(200))
        #expect(p.delay(beforeRetry: 2, retryAfter: nil, unit: 0) == .milliseconds(300))  // capped
        #expect(p.delay(beforeRetry: 1, retryAfter: nil, unit: 1) == .milliseconds(100))  // half jittered away
        #expect(p.delay(beforeRetry: 5, retryAfter: .seconds(2), unit: 0.7) == .seconds(2))
        #expect(p.delay(beforeRetry: 0, retryAfter: .seconds(600), unit: 0) == nil)  // beyond maxRetryAfter
    }

    @Test func retryAfterReadsSecondsAndHTTPDates() {
        #expect(RetryPolicy.retryAfter("120") == .seconds(120))
        #expect(RetryPolicy.retryAfter(" 1.5 ") == .milliseconds(1500))
        let now = Date(timeIntervalSince1970: 1_445_412_470)  // 2015-10-21T07:27:50Z
        #expect(RetryPolicy.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT", now: now) == .seconds(10))
        #expect(RetryPolicy.retryAfter("soon") == nil)
        #expect(RetryPolicy.isRetryable(status: 429) && RetryPolicy.isRetryable(status: 503))
        #expect(!RetryPolicy.isRetryable(status: 404) && !RetryPolicy.isRetryable(status: 403))
    }

    @Test func alpacaCredentialsComeFromOfficialNamesThenAliases() throws {
        let official = try AlpacaCredentials.from(ProviderEnvironment(["APCA_API_KEY_ID": "PKOFFICIAL1", "APCA_API_SECRET_KEY": "s1",
                                                                       "ALPACA_API_KEY": "PKALIAS", "ALPACA_SECRET_KEY": "s2"]))
        #expect(official == AlpacaCredentials(keyID: "PKOFFICIAL1", secretKey: "s1"))
        for (idName, secretName) in [("ALPACA_API_KEY_ID", "ALPACA_API_SECRET_KEY"), ("ALPACA_API_KEY", "ALPACA_SECRET_KEY"),
                                     ("ALPACA_API_KEY", "ALPACA_API_SECRET")] {
            let c = try AlpacaCredentials.from(ProviderEnvironment([idName: "PKALIAS99", secretName: "sec"]))
            #expect(c == AlpacaCredentials(keyID: "PKALIAS99", secretKey: "sec"))
        }
        #expect(try AlpacaCredentials.from(ProviderEnvironment([:])) == nil)
    }

    @Test func halfAnAlpacaKeyPairIsAnErrorNamingTheMissingVariable() {
        do {
            _ = try AlpacaCredentials.from(ProviderEnvironment(["ALPACA_API_KEY": "PKHALF1234"]))
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .notConfigured)
            #expect(error.description.contains("APCA_API_SECRET_KEY"))
            #expect(!error.description.contains("PKHALF1234"))
        }
    }

    @Test func alpacaCredentialsNeverPrintTheSecret() {
        let c = AlpacaCredentials(keyID: "PKABCDEFGH12", secretKey: "topsecretvalue")
        for text in [c.description, String(describing: c), String(reflecting: c), "\(c)"] {
            #expect(!text.contains("topsecretvalue") && !text.contains("PKABCDEFGH12"))
        }
        var dumped = ""
        dump(c, to: &dumped)
        #expect(!dumped.contains("topsecretvalue"))
    }

    @Test func alpacaEndpointsComeFromTheEnvironmentWithPublicDefaults() {
        let d = AlpacaEndpoints.from(ProviderEnvironment([:]))
        #expect(d.trading == "https://paper-api.alpaca.markets" && d.data == "https://data.alpaca.markets")
        let e = AlpacaEndpoints.from(ProviderEnvironment(["APCA_API_BASE_URL": "http://127.0.0.1:9000/v2/",
                                                          "APCA_API_DATA_URL": "http://127.0.0.1:9001/",
                                                          "APCA_API_STREAM_URL": "ws://127.0.0.1:9002"]))
        #expect(e == AlpacaEndpoints(trading: "http://127.0.0.1:9000", data: "http://127.0.0.1:9001", stream: "ws://127.0.0.1:9002"))
    }

    @Test func rfc3339ReadsProvidersInstants() {
        #expect(RFC3339.parse("2022-02-01T05:00:00Z") == 1_643_691_600 * UnixTime.nanosPerSecond)
        #expect(RFC3339.parse("2022-02-01T00:00:00-05:00") == 1_643_691_600 * UnixTime.nanosPerSecond)
        #expect(RFC3339.parse("2022-03-09T05:00:02.183Z") == 1_646_802_002_183_000_000)
        #expect(RFC3339.parse("2022-02-01") == nil)
        #expect(RFC3339.parse("2022-02-01T05:00:00") == nil)
        #expect(RFC3339.format(1_643_691_600 * UnixTime.nanosPerSecond) == "2022-02-01T05:00:00Z")
    }
}

@Suite("Provider HTTP client: methods, bodies and what is retried")
struct ProviderHTTPClientTests {
    static let policy = RequestPolicy(limiter: nil, retry: RetryPolicy(maxRetries: 3, baseDelay: .milliseconds(5)), timeout: .seconds(60))

    @Test func aNonIdempotentRequestIsNotRetriedAfterAServerError() async throws {
        try await FakeProviderServer.with({ _, _ in .json(#"{"message":"boom"}"#, status: 500) }) { base, log in
            let error = await providerError { () async throws(ProviderError) in
                try await ProviderHTTPClient.shared.send("POST", base + "/v2/orders", body: Data(#"{"qty":"1"}"#.utf8), idempotent: false,
                                                         provider: .alpaca, policy: Self.policy)
            }
            #expect(error?.kind == .server)
            #expect(await log.requests.count == 1)
        }
    }

    @Test func aNonIdempotentRequestIsRetriedAfterTooManyRequests() async throws {
        try await FakeProviderServer.with({ _, n in
            n == 1 ? .json(#"{"message":"slow down"}"#, status: 429, headers: ["Retry-After": "0"]) : .json(#"{"id":"o1"}"#)
        }) { base, log in
            let reply = try await ProviderHTTPClient.shared.send("POST", base + "/v2/orders", body: Data("{}".utf8), idempotent: false,
                                                                 provider: .alpaca, policy: Self.policy)
            #expect(reply.status == 200 && String(decoding: reply.body, as: UTF8.self) == #"{"id":"o1"}"#)
            #expect(await log.requests.count == 2)
        }
    }
    /// The body is read whole, byte for byte, up to the client's limit; a longer answer is a `malformed` error naming
    /// the limit, never read into memory in full.
    @Test func aBodyIsReadWholeUpToTheLimitAndALongerOneIsRefused() async throws {
        let text = String(repeating: "0123456789", count: 30)
        try await FakeProviderServer.with({ _, _ in .json(text) }) { base, _ in
            let roomy = ProviderHTTPClient(connectionsPerHost: 1, maxBodyBytes: 300)
            let tight = ProviderHTTPClient(connectionsPerHost: 1, maxBodyBytes: 299)
            let reply = try await roomy.get(base + "/x", provider: .alpaca, policy: Self.policy)
            #expect(String(decoding: reply.body, as: UTF8.self) == text)
            let error = await providerError { () async throws(ProviderError) in
                try await tight.get(base + "/x", provider: .alpaca, policy: Self.policy)
            }
            #expect(error?.kind == .malformed && error?.message.contains("larger than 299 bytes") == true)
            try await roomy.shutdown()
            try await tight.shutdown()
        }
    }
}
