import NIOCore
import NIOEmbedded
import NIOWebSocket
import Testing
@testable import TradewindServer

@Suite("WebSocket fan-out written into the sockets")
struct LiveChannelWriterTests {
    struct Payload: Encodable { var n: Int; var padding: String }

    /// A channel with a writer for `queue` first in its pipeline, attached to the queue as `LiveChannelWriter.attach`
    /// attaches it (on an embedded loop, which runs what the hub schedules on `run()`).
    static func socket(for queue: ClientQueue, on loop: EmbeddedEventLoop = EmbeddedEventLoop()) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel(loop: loop)
        let writer = LiveChannelWriter(queue: queue)
        try channel.pipeline.syncOperations.addHandler(writer, position: .first)
        queue.attach(LiveChannelWriter.Sink(loop: channel.eventLoop, writer: NIOLoopBound(writer, eventLoop: channel.eventLoop)))
        return channel
    }

    static func written(_ channel: EmbeddedChannel) throws -> [ByteBuffer] {
        var out: [ByteBuffer] = []
        while let b = try channel.readOutbound(as: ByteBuffer.self) { out.append(b) }
        return out
    }

    @Test(arguments: [0, 5, 125, 126, 400, 65_535, 65_536, 70_000])
    func theSharedFrameIsTheBytesNIOsEncoderWritesForThatText(padding: Int) throws {
        let message = LiveMessage(type: "job.log", jobID: 1, data: Payload(n: padding, padding: String(repeating: "é", count: padding / 2)))
        let channel = EmbeddedChannel(handler: WebSocketFrameEncoder())
        try channel.writeOutbound(WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(string: message.text)))
        var encoded = ByteBuffer()
        while var part = try channel.readOutbound(as: ByteBuffer.self) { encoded.writeBuffer(&part) }
        #expect(message.wire == encoded)
        _ = try channel.finish()
    }

    @Test func eachMessageIsWrittenOnceIntoEverySubscribedSocketInOrderWithOneFlushPerPublication() throws {
        let hub = EventHub(metrics: ServerMetrics(), capacity: 8, dropLimit: 16)
        let queues = (0..<3).map { _ in hub.connect() }
        queues[2].subscribe(all: false, jobs: [2])
        let loop = EmbeddedEventLoop()
        let sockets = try queues.map { try Self.socket(for: $0, on: loop) }
        let messages = (0..<5).map { LiveMessage(type: "job.log", jobID: 1, data: Payload(n: $0, padding: "")) }
        for m in messages { hub.publish(m) }
        let other = LiveMessage(type: "job.log", jobID: 2, data: Payload(n: 9, padding: ""))
        hub.publish(other)
        // Every socket is on the same (embedded) loop: one job per publication writes into all of them.
        loop.run()
        for i in 0..<2 {
            #expect(try Self.written(sockets[i]) == messages.map(\.wire) + [other.wire])
        }
        #expect(try Self.written(sockets[2]) == [other.wire])
        for q in queues { #expect(q.drain().messages.isEmpty) }
        for s in sockets { _ = try s.finish() }
    }

    @Test func aSocketThatCannotTakeMoreKeepsItsMessagesInTheBoundedQueueWithProgressCoalescedUntilItCan() throws {
        let hub = EventHub(metrics: ServerMetrics(), capacity: 4, dropLimit: 100)
        let queue = hub.connect()
        let socket = try Self.socket(for: queue)
        socket.isWritable = false
        socket.pipeline.fireChannelWritabilityChanged()
        for n in 0..<3 { hub.publish(LiveMessage(type: "job.progress", jobID: 1, data: Payload(n: n, padding: ""))) }
        let log = LiveMessage(type: "job.log", jobID: 1, data: Payload(n: 3, padding: ""))
        hub.publish(log)
        socket.embeddedEventLoop.run()
        #expect(try Self.written(socket).isEmpty)
        // Progress was coalesced while it waited: the latest progress, then the log line.
        socket.isWritable = true
        socket.pipeline.fireChannelWritabilityChanged()
        let last = LiveMessage(type: "job.progress", jobID: 1, data: Payload(n: 2, padding: ""))
        #expect(try Self.written(socket) == [last.wire, log.wire])
        _ = try socket.finish()
    }

    @Test func aClientThatKeepsUpGetsEveryProgressMessageHoweverClosePublished() throws {
        let hub = EventHub(metrics: ServerMetrics(), capacity: 8, dropLimit: 16)
        let queue = hub.connect()
        let socket = try Self.socket(for: queue)
        let progress = (0..<3).map { LiveMessage(type: "job.progress", jobID: 1, data: Payload(n: $0, padding: "")) }
        // All three are published before the loop comes round to write the first.
        for m in progress { hub.publish(m) }
        socket.embeddedEventLoop.run()
        #expect(try Self.written(socket) == progress.map(\.wire))
        _ = try socket.finish()
    }

    /// The connection's own frames pass the writer unchanged; once its Close frame went out nothing follows it, even a
    /// message published in the same instant, and the queue is closed. A payload that looks like a Close header (here
    /// a binary payload of 300 bytes starting 0x88, with an extended length) is not taken for one.
    @Test func noMessageFollowsTheConnectionsCloseFrame() throws {
        let hub = EventHub(metrics: ServerMetrics(), capacity: 8, dropLimit: 16)
        let queue = hub.connect()
        let loop = EmbeddedEventLoop()
        let socket = try Self.socket(for: queue, on: loop)
        try socket.pipeline.syncOperations.addHandler(WebSocketFrameEncoder())
        var payload = ByteBuffer(bytes: [0x88, 0x02, 0x03, 0xE8])
        payload.writeRepeatingByte(0x88, count: 296)
        try socket.writeOutbound(WebSocketFrame(fin: true, opcode: .binary, data: payload))
        try socket.writeOutbound(WebSocketFrame(fin: true, opcode: .pong, data: ByteBuffer(bytes: [0x88, 0x00])))
        let before = LiveMessage(type: "job.log", jobID: 1, data: Payload(n: 1, padding: ""))
        hub.publish(before)
        loop.run()
        var out = try Self.written(socket).reduce(into: ByteBuffer()) { all, b in var b = b; all.writeBuffer(&b) }
        #expect(out.readableBytes == 4 + 300 + 2 + 2 + before.wire.readableBytes)
        out.moveReaderIndex(forwardBy: 4 + 300 + 2 + 2)
        #expect(out == before.wire)
        #expect(!queue.drain().closed)

        let after = LiveMessage(type: "job.log", jobID: 1, data: Payload(n: 2, padding: ""))
        hub.publish(after)
        try socket.writeOutbound(WebSocketFrame(fin: true, opcode: .connectionClose, data: ByteBuffer(bytes: [0x03, 0xE8])))
        loop.run()
        let closing = try Self.written(socket).reduce(into: ByteBuffer()) { all, b in var b = b; all.writeBuffer(&b) }
        #expect(Array(closing.readableBytesView) == [0x88, 0x02, 0x03, 0xE8])
        #expect(queue.drain().closed)
        hub.publish(after)
        loop.run()
        #expect(try Self.written(socket).isEmpty)
        _ = try socket.finish()
    }
}
