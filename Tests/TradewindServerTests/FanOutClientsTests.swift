import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import TradewindCore
@testable import TradewindBenchmarks
@testable import TradewindServer

/// `bench server`'s measuring clients against a real server: what they time is what the hub published, to every
/// client, in order.
@Suite("Fan-out measuring clients")
struct FanOutClientsTests {
    @Test func anInstantWithAFractionAndAnOffsetIsReadToTheNanosecond() {
        #expect(FanOutClients.parseInstant("1970-01-01T00:00:01.5Z") == 1_500_000_000)
        #expect(FanOutClients.parseInstant("2026-12-07T02:00:00.123456789+01:00") == 1_796_605_200_123_456_789)
        #expect(FanOutClients.parseInstant("2026-12-07T01:00:00-00:30") == 1_796_607_000_000_000_000)
        #expect(FanOutClients.parseInstant("2026-13-07T01:00:00Z") == nil)
        #expect(FanOutClients.parseInstant("yesterday") == nil)
    }

    @Test func findingAMessagesFieldEqualsANaiveSearchOnRandomBytes() {
        var rng = SplitMix64(seed: 6455)
        for _ in 0..<3_000 {
            // A small alphabet, so partial matches, overlaps and matches at either end are common.
            let haystack = (0..<Int(rng.next() % 40)).map { _ in UInt8(ascii: "a") + UInt8(rng.next() % 3) }
            let needle = (0..<Int(rng.next() % 4 + 1)).map { _ in UInt8(ascii: "a") + UInt8(rng.next() % 3) }
            let naive = haystack.count < needle.count ? nil
                : (0...(haystack.count - needle.count)).first { Array(haystack[$0..<($0 + needle.count)]) == needle }
            #expect(haystack.withUnsafeBytes { FanOutClientHandler.find(needle, in: $0) } == naive, "\(haystack) \(needle)")
        }
    }

    @Test func everyClientOnEveryLoopReceivesEveryProgressMessageInOrderTimedFromItsPublication() async throws {
        let server = try await TestServer.make()
        let hub = server.state.hub
        try await server.application().test(.live) { client in
            let port = try #require(client.port)
            let clients = FanOutClients(port: port, threads: 2)
            let done = try await clients.connect(40)
            #expect(clients.greeted.load(ordering: .relaxed) == 40)
            for _ in 0..<500 where hub.clientCount < 40 { try await Task.sleep(for: .milliseconds(10)) }
            var published: [Int64] = []
            for n in 0..<20 {
                let now = FanOutClients.nowNanos()
                published.append(now)
                hub.publish(LiveMessage(type: "job.progress", jobID: 1, data: JobProgressEvent(
                    jobID: 1, fraction: Double(n) / 20, symbolsDone: 0, symbolsTotal: 1, symbol: "SPY", etaSeconds: nil,
                    evaluationsPerSecond: nil, emittedAt: server.state.times.string(now))))
                try await Task.sleep(for: .milliseconds(20))
            }
            hub.publish(LiveMessage(type: "job.finished", jobID: 1, data: JobEndEvent(jobID: 1, status: "finished")))
            for d in done {
                let arrivals = try await d.get()
                // A client that keeps up gets every progress message, in order, however late its loop came round.
                #expect(arrivals.compactMap { FanOutClients.parseInstant($0.emittedAt) } == published)
                for (a, sent) in zip(arrivals, published) { #expect(a.receivedNanos >= sent) }
            }
            await clients.shutdown()
        }
    }
}
