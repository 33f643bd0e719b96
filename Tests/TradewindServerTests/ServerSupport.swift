import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
@testable import TradewindServer

/// A server on a fresh home directory (SQLite store, cheap bcrypt) for route tests.
enum TestServer {
    static func home() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tw-server-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    static func make(_ adjust: (inout ServerConfiguration) -> Void = { _ in }) async throws -> TradewindServer {
        var c = ServerConfiguration(port: 0, home: try home(), workers: 2)
        c.bcryptCost = 4
        // Jobs at the test process's priority: a suite running beside them must not starve them past the tests'
        // waits (JobPriorityTests proves the lowering).
        c.jobPriority = .normal
        adjust(&c)
        return try await TradewindServer.make(c, environment: [:])
    }
}

/// A response's status and body text.
struct Reply {
    var status: HTTPResponse.Status
    var text: String
    var headers: HTTPFields

    /// The body as a JSON object.
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }
}

extension TestClientProtocol {
    /// Sends a request and returns its reply.
    func send(_ method: HTTPRequest.Method, _ uri: String, body: String? = nil, token: String? = nil,
              headers extra: HTTPFields = [:]) async throws -> Reply {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            Reply(status: response.status, text: String(buffer: response.body), headers: response.headers)
        }
    }
}
