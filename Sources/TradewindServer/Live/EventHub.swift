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
/// `dropLimit` dropped messages is disconnected, so a slow client never holds memory or slows others. Its
/// `LiveChannelWriter` (once attached) empties it into the client's socket whenever the socket can take more.
final class ClientQueue: Sendable {
    struct State {
        var pending: [LiveMessage] = []
        var all = true
        var jobs: Set<Int64> = []
        var dropped = 0
        var closed = false
        /// Closed by the hub: the client stayed behind past the drop limit.
        var tooSlow = false
        var writer: LiveChannelWriter?
    }

    /// What `offer` did with a message.
    struct Offer {
        /// The message waits in the queue (queued or coalesced with one not yet sent).
        var queued = false
        /// A message was dropped (the queue was full).
        var dropped = false
        /// The client is past its drop limit: disconnect it.
        var disconnect = false
        /// The writer that sends the queue (nil before the socket is attached, and in tests without one).
        var writer: LiveChannelWriter?
    }

    let capacity: Int
    let dropLimit: Int
    let state = Mutex(State())
    let closing: AsyncStream<Void>.Continuation
    /// Finishes when the queue is closed (by the hub, for a slow client, or when the socket ends).
    let closed: AsyncStream<Void>

    init(capacity: Int, dropLimit: Int) {
        self.capacity = capacity
        self.dropLimit = dropLimit
        (closed, closing) = AsyncStream.makeStream(of: Void.self)
    }

    /// Queues `message` if the client subscribed to it.
    func offer(_ message: LiveMessage) -> Offer {
        state.withLock { s in
            guard !s.closed else { return Offer() }
            if let job = message.jobID, !s.all, !s.jobs.contains(job) { return Offer() }
            if message.coalesces, let i = s.pending.lastIndex(where: { $0.coalesces && $0.jobID == message.jobID }) {
                s.pending[i] = message
                return Offer(queued: true, writer: s.writer)
            }
            if s.pending.count >= capacity {
                s.dropped += 1
                if s.dropped > dropLimit {
                    s.closed = true
                    s.tooSlow = true
                    return Offer(dropped: true, disconnect: true)
                }
                // Drop the oldest progress message if any, else the new message.
                if let i = s.pending.firstIndex(where: { $0.coalesces }) {
                    s.pending.remove(at: i)
                    s.pending.append(message)
                    return Offer(queued: true, dropped: true, writer: s.writer)
                }
                return Offer(dropped: true)
            }
            s.pending.append(message)
            return Offer(queued: true, writer: s.writer)
        }
    }

    /// Takes everything queued.
    func drain() -> (messages: [LiveMessage], closed: Bool) {
        state.withLock { s in
            let out = s.pending
            s.pending.removeAll(keepingCapacity: true)
            return (out, s.closed)
        }
    }

    /// Whether the hub closed the queue because the client stayed behind past the drop limit.
    var tooSlow: Bool { state.withLock { $0.tooSlow } }

    /// Messages dropped so far.
    var droppedCount: Int { state.withLock { $0.dropped } }

    /// From now on, `writer` sends what is queued (the hub schedules it on its channel's event loop).
    func attach(_ writer: LiveChannelWriter) {
        state.withLock { $0.writer = writer }
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
        state.withLock { s in
            s.closed = true
            s.writer = nil
        }
        closing.finish()
    }
}

/// Fans messages out to every connected client's queue; publishing never waits for a client. The message's frame
/// is encoded once; the clients' writers are then run in one task per event loop (not one per client), each writing
/// the shared frame into its socket and flushing it.
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
        var loops: [ObjectIdentifier: (loop: any EventLoop, writers: [LiveChannelWriter])] = [:]
        for q in targets {
            let offer = q.offer(message)
            if offer.dropped { metrics.wsDropped.increment() }
            if offer.disconnect {
                metrics.wsDisconnected.increment()
                self.disconnect(q)
            } else if offer.queued, let writer = offer.writer {
                let loop = writer.channel.eventLoop
                loops[ObjectIdentifier(loop), default: (loop, [])].writers.append(writer)
            }
        }
        for (_, batch) in loops {
            let writers = batch.writers
            batch.loop.execute { for w in writers { w.writePending() } }
        }
    }
}
