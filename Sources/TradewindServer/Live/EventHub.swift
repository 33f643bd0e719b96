import Foundation
import NIOCore
import Synchronization
import TradewindCore

/// A message to WebSocket clients: `{"type": …, "data": …}`, encoded once for every client into one complete text
/// frame (`wire`). A server's frames are unmasked, so the same bytes go to every client: a fan-out to 1,000 clients
/// shares one buffer and encodes nothing per client.
struct LiveMessage: Sendable {
    /// `job.progress`, `job.log`, `job.finished`, `job.failed`, `job.cancelled`, `result.stored`, `server.status`,
    /// `training.progress` (a training job's batches, coalesced like job progress), `training.epoch`.
    var type: String
    /// The job it is about (nil: server-wide).
    var jobID: Int64?
    /// The whole message as JSON text.
    var text: String
    /// `text` as one final, unmasked WebSocket text frame: header and payload, as written to the socket.
    var wire: ByteBuffer
    /// Progress messages of one job replace each other in a queue not yet sent while its client is behind.
    var coalesces: Bool { type == "job.progress" || type == "training.progress" }

    init<T: Encodable>(type: String, jobID: Int64?, data: T) {
        self.type = type
        self.jobID = jobID
        text = (try? JSON.string(LiveEnvelope(type: type, data: data))) ?? #"{"type":"\#(type)","data":null}"#
        wire = Self.textFrame(text)
    }

    /// `text` as a final text frame from a server (RFC 6455 §5.2: FIN and opcode 1, no mask, the payload length in
    /// 7, 7+16 or 7+64 bits), the bytes NIO's `WebSocketFrameEncoder` writes for it.
    static func textFrame(_ text: String) -> ByteBuffer {
        let length = text.utf8.count
        var buffer = ByteBufferAllocator().buffer(capacity: length + 10)
        buffer.writeInteger(UInt8(0x81))
        if length < 126 {
            buffer.writeInteger(UInt8(length))
        } else if length <= Int(UInt16.max) {
            buffer.writeInteger(UInt8(126))
            buffer.writeInteger(UInt16(length))
        } else {
            buffer.writeInteger(UInt8(127))
            buffer.writeInteger(UInt64(length))
        }
        buffer.writeString(text)
        return buffer
    }
}

/// The JSON shape of every message.
struct LiveEnvelope<T: Encodable>: Encodable {
    var type: String
    var data: T
}

/// One client's outgoing queue: bounded, progress coalesced per job while the client is behind. A client whose queue
/// stays full past `dropLimit` dropped messages is disconnected, so a slow client never holds memory or slows others.
/// Once its socket is attached (`attach`), the hub has the socket's `LiveChannelWriter` empty the queue into it; while
/// that socket takes what it is given, every message is kept (a client that keeps up sees every progress message,
/// however close together they were published), and once it cannot take more, progress is coalesced again.
final class ClientQueue: Sendable {
    struct State {
        var pending: [LiveMessage] = []
        var all = true
        var jobs: Set<Int64> = []
        var dropped = 0
        var closed = false
        /// Closed by the hub: the client stayed behind past the drop limit.
        var tooSlow = false
        var sink: LiveChannelWriter.Sink?
        /// The attached socket takes messages as they come (false before it is attached and while it cannot take
        /// more): progress is coalesced only when false.
        var keepingUp = false
    }

    /// What `offer` did with a message.
    struct Offer {
        /// The message waits in the queue (queued, or in place of an unsent progress message).
        var queued = false
        /// A message was dropped (the queue was full).
        var dropped = false
        /// The client is past its drop limit: disconnect it.
        var disconnect = false
        /// The socket's writer, to run on its event loop (nil before the socket is attached, and in tests without one).
        var sink: LiveChannelWriter.Sink?
        /// The attached socket takes messages as they come (false before it is attached and while it cannot take
        /// more): progress is coalesced only when false.
        var keepingUp = false
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
            if message.coalesces, !s.keepingUp, let i = s.pending.lastIndex(where: { $0.coalesces && $0.jobID == message.jobID }) {
                s.pending[i] = message
                return Offer(queued: true, sink: s.sink)
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
                    return Offer(queued: true, dropped: true, sink: s.sink)
                }
                return Offer(dropped: true)
            }
            s.pending.append(message)
            return Offer(queued: true, sink: s.sink)
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

    /// From now on the hub has `sink` send what is queued, on its channel's event loop.
    func attach(_ sink: LiveChannelWriter.Sink) {
        state.withLock { s in
            s.sink = sink
            s.keepingUp = true
        }
    }

    /// Whether the attached socket takes messages as they come (its writer says so when its writability changes).
    func keepingUp(_ value: Bool) {
        state.withLock { $0.keepingUp = value }
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
            s.sink = nil
            s.keepingUp = false
        }
        closing.finish()
    }
}

/// Fans messages out to every connected client's queue; publishing never waits for a client. Each message's frame
/// is encoded once; then, per event loop, one job writes it into every client socket of that loop that has it
/// queued and flushes each once (no task, actor or async-writer hop per client).
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

    /// Offers `message` to every subscriber and has their event loops write it. From a job's lowered thread
    /// (`ThreadPriority`) the offers run on the relay at the server's priority, after what that thread handed it before.
    func publish(_ message: LiveMessage) {
        ThreadPriority.atNormalPriority { [self] in deliver(message) }
    }

    private func deliver(_ message: LiveMessage) {
        let targets = clients.withLock { Array($0.values) }
        var loops: [(loop: any EventLoop, sinks: [LiveChannelWriter.Sink])] = []
        for q in targets {
            let offer = q.offer(message)
            if offer.dropped { metrics.wsDropped.increment() }
            if offer.disconnect {
                metrics.wsDisconnected.increment()
                self.disconnect(q)
            } else if offer.queued, let sink = offer.sink {
                // A server has a few event loops: a linear search beats hashing them.
                if let i = loops.firstIndex(where: { $0.loop === sink.loop }) {
                    loops[i].sinks.append(sink)
                } else {
                    loops.append((sink.loop, [sink]))
                }
            }
        }
        for (loop, sinks) in loops {
            loop.execute { for sink in sinks { sink.writer.value.writePending() } }
        }
    }
}
