import Foundation
import HTTPTypes
import Hummingbird
import Logging
import HummingbirdTesting
import NIOCore
import TradewindProviders

/// A request the fake server received.
struct ReceivedRequest: Sendable {
    let path: String
    let query: String
    /// Header values by lower-cased name.
    let headers: [String: String]

    /// The value of query parameter `name`.
    func parameter(_ name: String) -> String? {
        for pair in query.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1)
            if kv.count == 2, kv[0] == name { return String(kv[1]).removingPercentEncoding }
        }
        return nil
    }
}

/// What the fake server answers.
struct FakeAnswer: Sendable {
    var status: Int = 200
    var headers: [String: String] = [:]
    var body: Data
    /// Waits this long before answering (timeouts).
    var delay: Duration?

    static func json(_ text: String, status: Int = 200, headers: [String: String] = [:]) -> FakeAnswer {
        FakeAnswer(status: status, headers: headers, body: Data(text.utf8))
    }

    /// A recorded payload under Tests/Fixtures/providers.
    static func fixture(_ path: String, status: Int = 200) -> FakeAnswer {
        FakeAnswer(status: status, body: Fixture.data(path))
    }
}

enum Fixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/providers")

    static func data(_ path: String) -> Data {
        do { return try Data(contentsOf: root.appendingPathComponent(path)) } catch {
            fatalError("fixture \(path) is missing: \(error)")
        }
    }
}

/// The requests received, in order.
actor RequestLog {
    private(set) var requests: [ReceivedRequest] = []
    func record(_ r: ReceivedRequest) -> Int {
        requests.append(r)
        return requests.count
    }
}

/// A loopback HTTP server that answers every GET with `answer(request, n)` (n: the 1-based count of requests so
/// far), for the duration of `body(baseURL, log)`.
enum FakeProviderServer {
    static func with(
        _ answer: @escaping @Sendable (ReceivedRequest, Int) async -> FakeAnswer,
        _ body: @escaping @Sendable (String, RequestLog) async throws -> Void
    ) async throws {
        let log = RequestLog()
        let router = Router()
        router.get("**") { request, _ -> Response in
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
            let received = ReceivedRequest(path: request.uri.path, query: request.uri.query ?? "", headers: headers)
            let n = await log.record(received)
            let a = await answer(received, n)
            if let delay = a.delay { try? await Task.sleep(for: delay) }
            var fields = HTTPFields()
            fields[.contentType] = "application/json"
            for (k, v) in a.headers { fields[HTTPField.Name(k)!] = v }
            return Response(status: .init(code: a.status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: a.body)))
        }
        var logger = Logger(label: "fake-provider")
        logger.logLevel = .error
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
        try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(client.port!)", log)
        }
    }
}

/// The provider error `body` throws, nil when it returns.
func providerError<T>(_ body: () async throws(ProviderError) -> T) async -> ProviderError? {
    do throws(ProviderError) {
        _ = try await body()
        return nil
    } catch {
        return error
    }
}
