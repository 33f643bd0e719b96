import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWSClient
import HummingbirdWSTesting
import Synchronization
import Testing
@testable import TradewindServer

#if canImport(Glibc)
import Glibc
#endif

@Suite("WebSocket fan-out to a slow client")
struct SlowWebSocketClientTests {
    /// What the reading client and the publisher saw.
    final class Tally: Sendable {
        let received = Atomic<Int>(0)
        let maxQueued = Atomic<Int>(0)
        let clientsAtEnd = Atomic<Int>(-1)
    }

    struct Bulk: Encodable {
        var n: Int
        var padding: String
    }

    /// A WebSocket client that completes the upgrade and then never reads (a 4 KiB receive buffer), so the server's
    /// socket to it fills up. Returns its file descriptor.
    static func stalledClient(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(fd >= 0)
        var small: Int32 = 4096
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, socklen_t(MemoryLayout<Int32>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(connected == 0)
        let request = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        _ = request.withCString { send(fd, $0, strlen($0), 0) }
        // Read the 101 response (and whatever follows it in the same segment), then stop reading.
        var buffer = [UInt8](repeating: 0, count: 1024)
        let n = recv(fd, &buffer, buffer.count, 0)
        try #require(n > 0 && String(decoding: buffer[0..<n], as: UTF8.self).hasPrefix("HTTP/1.1 101"))
        return fd
    }

    /// The writer tasks (one per client): the stalled client's writer waits on its socket while the reading client's
    /// writer goes on; the stalled client's queue stays within its capacity and the hub lets it go past the drop limit.
    @Test func aClientThatStopsReadingIsDisconnectedWithoutDelayingTheOthersOrGrowingItsQueue() async throws {
        let server = try await TestServer.make { c in
            c.webSocketQueueCapacity = 8
            c.webSocketDropLimit = 16
        }
        let hub = server.state.hub
        try await server.application().test(.live) { client in
            let port = try #require(client.port)
            let stalled = try Self.stalledClient(port: port)
            defer { close(stalled) }
            let padding = String(repeating: "x", count: 64 * 1024)
            let total = 400  // 26 MB: far more than the stalled socket's kernel buffers take before it stops being writable
            let tally = Tally()
            let deadline = ContinuousClock.now + .seconds(60)
            try await client.ws("/ws", configuration: WebSocketClientConfiguration(maxFrameSize: 1 << 20)) { inbound, outbound, _ in
                var publisher: Task<Void, any Error>?
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    guard case let .text(text) = message else { continue }
                    if text.contains(#""type":"server.status""#) {
                        // Both clients are connected: publish in bursts of the queue's capacity, each once the reading
                        // client has had the last, as a job's progress would arrive.
                        publisher = Task {
                            for _ in 0..<500 where hub.clientCount < 2 { try await Task.sleep(for: .milliseconds(10)) }
                            #expect(hub.clientCount == 2)
                            var sent = 0
                            while sent < total, ContinuousClock.now < deadline {
                                for _ in 0..<8 {
                                    hub.publish(LiveMessage(type: "job.log", jobID: 1, data: Bulk(n: sent, padding: padding)))
                                    sent += 1
                                }
                                let queued = hub.clients.withLock { $0.values.map { $0.state.withLock { $0.pending.count } }.max() ?? 0 }
                                tally.maxQueued.max(queued, ordering: .relaxed)
                                while tally.received.load(ordering: .relaxed) < sent, ContinuousClock.now < deadline {
                                    try await Task.sleep(for: .milliseconds(1))
                                }
                            }
                            tally.clientsAtEnd.store(hub.clientCount, ordering: .relaxed)
                            hub.publish(LiveMessage(type: "job.finished", jobID: 1, data: Bulk(n: total, padding: "")))
                        }
                    } else if text.contains(#""type":"job.log""#) {
                        tally.received.add(1, ordering: .relaxed)
                    } else if text.contains(#""type":"job.finished""#) {
                        break
                    }
                }
                try await publisher?.value
                try await outbound.close(.normalClosure, reason: nil)
            }
            // The reading client got every message, in step; the stalled one was cut off past the drop limit, with
            // its queue never above its capacity.
            #expect(tally.received.load(ordering: .relaxed) == total)
            #expect(tally.clientsAtEnd.load(ordering: .relaxed) == 1)
            #expect(tally.maxQueued.load(ordering: .relaxed) <= 8)
            #expect(server.state.metrics.exposition(jobs: [:]).contains("tradewind_websocket_slow_disconnects_total 1"))
        }
    }
}
