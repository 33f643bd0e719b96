import Foundation
import NIOCore
import NIOWebSocket
import Synchronization

/// A message to WebSocket clients: `{"type": …, "data": …}`, encoded once for every client: one text frame whose
/// bytes every client's writer shares (a fan-out to 1,000 clients copies nothing per client).
struct LiveMessage: Sendable {
    /// `job.progress`, `job.log`, `job.finished`, `job.failed`, `job.cancelled`, `result.stored`, `server.status`,
    /// `training.progress` (a training job's batches, coalesced like job progress), `training.epoch`.
    var type: String
    /// The job it is about (nil: server-wide).
    var jobID: Int64?
    /// The whole message as JSON text.
    var text: String
    /// `text` as a WebSocket text frame.
    var frame: WebSocketFrame
    /// Progress messages of one job replace each other in a queue that has not been sent yet.
    var coalesces: Bool { type == "job.progress" || type == "training.progress" }

    init<T: Encodable>(type: String, jobID: Int64?, data: T) {
        self.type = type
        self.jobID = jobID
        text = (try? JSON.string(LiveEnvelope(type: type, data: data))) ?? #"{"type":"\#(type)","data":null}"#
        frame = WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(string: text))
    }
}

/// The JSON shape of every message.
struct LiveEnvelope<T: Encodable>: Encodable {
    var type: String
    var data: T
}

/// One client's outgoing queue: bounded, progress coalesced per job. A client whose queue stays full past
/// `dropLimit` dropped messages is disconnected, so a slow client never holds memory or slows others.
final class ClientQueue: Sendable {
    struct State {
        var pending: [LiveMessage] = []
        var all = true
        var jobs: Set<Int64> = []
        var dropped = 0
        var closed = false
    }

    let capacity: Int
    let dropLimit: Int
    let state = Mutex(State())
    let wake: AsyncStream<Void>.Continuation
    let signals: AsyncStream<Void>

    init(capacity: Int, dropLimit: Int) {
        self.capacity = capacity
        self.dropLimit = dropLimit
        (signals, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues `message` if the client subscribed to it. Returns (dropped one, must disconnect).
    func offer(_ message: LiveMessage) -> (dropped: Bool, disconnect: Bool) {
        let outcome: (Bool, Bool) = state.withLock { s in
            guard !s.closed else { return (false, false) }
            if let job = message.jobID, !s.all, !s.jobs.contains(job) { return (false, false) }
            if message.coalesces, let i = s.pending.lastIndex(where: { $0.coalesces && $0.jobID == message.jobID }) {
                s.pending[i] = message
                return (false, false)
            }
            if s.pending.count >= capacity {
                s.dropped += 1
                if s.dropped > dropLimit {
                    s.closed = true
                    return (true, true)
                }
                // Drop the oldest progress message if any, else the new message.
                if let i = s.pending.firstIndex(where: { $0.coalesces }) {
                    s.pending.remove(at: i)
                    s.pending.append(message)
                }
                return (true, false)
            }
            s.pending.append(message)
            return (false, false)
        }
        wake.yield()
        return outcome
    }

    /// Takes everything queued.
    func drain() -> (messages: [LiveMessage], closed: Bool) {
        state.withLock { s in
            let out = s.pending
            s.pending.removeAll(keepingCapacity: true)
            return (out, s.closed)
        }
    }

    func subscribe(all: Bool, jobs: [Int64]) {
        state.withLock { s in
            if all { s.all = true; s.jobs = [] } else { s.all = false; s.jobs.formUnion(jobs) }
        }
    }

    func unsubscribe(jobs: [Int64]) {
        state.withLock { s in
            if jobs.isEmpty { s.all = false; s.jobs = [] } else { s.jobs.subtract(jobs) }
        }
    }

    func close() {
        state.withLock { $0.closed = true }
        wake.finish()
    }
}

/// Fans messages out to every connected client's queue; publishing never waits for a client.
final class EventHub: Sendable {
    let clients = Mutex<[ObjectIdentifier: ClientQueue]>([:])
    let metrics: ServerMetrics
    let capacity: Int
    let dropLimit: Int

    init(metrics: ServerMetrics, capacity: Int = 256, dropLimit: Int = 1024) {
        self.metrics = metrics
        self.capacity = capacity
        self.dropLimit = dropLimit
    }

    var clientCount: Int { clients.withLock { $0.count } }

    func connect() -> ClientQueue {
        let q = ClientQueue(capacity: capacity, dropLimit: dropLimit)
        let n = clients.withLock { c in
            c[ObjectIdentifier(q)] = q
            return c.count
        }
        metrics.wsClients.record(Double(n))
        return q
    }

    func disconnect(_ q: ClientQueue) {
        q.close()
        let n = clients.withLock { c in
            c[ObjectIdentifier(q)] = nil
            return c.count
        }
        metrics.wsClients.record(Double(n))
    }

    func publish(_ message: LiveMessage) {
        let targets = clients.withLock { Array($0.values) }
        for q in targets {
            let (dropped, disconnect) = q.offer(message)
            if dropped { metrics.wsDropped.increment() }
            if disconnect {
                metrics.wsDisconnected.increment()
                self.disconnect(q)
            }
        }
    }
}
