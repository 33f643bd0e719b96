import Testing
@testable import TradewindServer

@Suite("WebSocket event hub")
struct EventHubTests {
    struct Progress: Encodable { var n: Int }

    static func progress(_ job: Int64, _ n: Int) -> LiveMessage { LiveMessage(type: "job.progress", jobID: job, data: Progress(n: n)) }
    static func log(_ job: Int64, _ n: Int) -> LiveMessage { LiveMessage(type: "job.log", jobID: job, data: Progress(n: n)) }

    @Test func progressOfAJobIsCoalescedInAQueueNotYetSent() {
        let q = ClientQueue(capacity: 8, dropLimit: 100)
        for n in 0..<50 { _ = q.offer(Self.progress(1, n)) }
        _ = q.offer(Self.progress(2, 7))
        let (messages, closed) = q.drain()
        #expect(!closed)
        #expect(messages.map(\.text) == [#"{"data":{"n":49},"type":"job.progress"}"#, #"{"data":{"n":7},"type":"job.progress"}"#])
    }

    @Test func aFullQueueDropsAndASlowClientIsDisconnectedPastTheLimit() {
        let metrics = ServerMetrics()
        let hub = EventHub(metrics: metrics, capacity: 4, dropLimit: 3)
        let slow = hub.connect()
        let fast = hub.connect()
        #expect(hub.clientCount == 2)
        for n in 0..<4 { hub.publish(Self.log(1, n)) }
        _ = fast.drain()
        // The slow client's queue is full: the next three are dropped, the fourth drop disconnects it.
        for n in 4..<8 { hub.publish(Self.log(1, n)) }
        #expect(hub.clientCount == 1)
        #expect(slow.drain().closed)
        // The fast client got everything.
        #expect(fast.drain().messages.count == 4)
        #expect(metrics.exposition(jobs: [:]).contains("tradewind_websocket_dropped_messages_total 4"))
    }

    @Test func aClientSubscribedToSomeJobsGetsOnlyThoseAndServerWideMessages() {
        let q = ClientQueue(capacity: 16, dropLimit: 100)
        q.subscribe(all: false, jobs: [2])
        _ = q.offer(Self.log(1, 0))
        _ = q.offer(Self.log(2, 1))
        _ = q.offer(LiveMessage(type: "server.status", jobID: nil, data: Progress(n: 2)))
        #expect(q.drain().messages.map(\.type) == ["job.log", "server.status"])
        q.unsubscribe(jobs: [2])
        _ = q.offer(Self.log(2, 3))
        #expect(q.drain().messages.isEmpty)
    }
}
