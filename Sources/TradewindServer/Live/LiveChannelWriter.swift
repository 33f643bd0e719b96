import NIOCore

/// Sends one WebSocket client's queued messages straight into its socket, on the socket's event loop: the shared,
/// already encoded frames of its `ClientQueue` are written and flushed once per batch, with no task, actor or
/// async-writer hop per client and message. It sits first in the upgraded channel's pipeline (next to the socket,
/// past the frame encoder, which the frames need no more) and hears there when the socket can take more: while the
/// client does not read, the channel is not writable, messages wait in the bounded queue (progress coalesced, the
/// oldest progress dropped past its capacity, the client disconnected past the drop limit) and nothing is written
/// or buffered for it; while it reads, every message is written.
///
/// It also reads the frames the connection's own WebSocket handler writes past it: once a Close frame went out
/// (answering the client's, or on shutdown), no message follows it (RFC 6455 §5.5.1) and the queue is closed.
final class LiveChannelWriter: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// The writer as the hub holds it: usable from any thread, called on its event loop only.
    struct Sink: Sendable {
        let loop: any EventLoop
        let writer: NIOLoopBound<LiveChannelWriter>
    }

    let queue: ClientQueue
    private var context: ChannelHandlerContext?
    /// Bytes of the current outbound frame's payload still to pass (0: the next byte starts a frame header).
    private var payloadLeft: UInt64 = 0
    /// A Close frame went out: nothing more is written.
    private(set) var closeSent = false

    init(queue: ClientQueue) {
        self.queue = queue
    }

    /// Adds a writer for `queue` first in `channel`'s pipeline and attaches it to the queue; what was queued before
    /// is sent at once. Ordering: frames written to the channel before this call (the hello) go out before the
    /// queue's.
    static func attach(_ queue: ClientQueue, to channel: any Channel) async throws {
        let loop = channel.eventLoop
        let sink = try await loop.submit {
            let writer = LiveChannelWriter(queue: queue)
            try channel.pipeline.syncOperations.addHandler(writer, position: .first)
            return Sink(loop: loop, writer: NIOLoopBound(writer, eventLoop: loop))
        }.get()
        queue.attach(sink)
        loop.execute { sink.writer.value.writePending() }
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    /// Writes everything queued while the socket can take it, then flushes once. Runs on the channel's event loop.
    func writePending() {
        guard let context, !closeSent else { return }
        guard context.channel.isWritable else {
            queue.keepingUp(false)
            return
        }
        let (messages, closed) = queue.drain()
        guard !closed, !messages.isEmpty else { return }
        for m in messages { context.write(wrapOutboundOut(m.wire), promise: nil) }
        context.flush()
    }

    /// The WebSocket handler's own frames (hello, pongs, Close), encoded: passed on unchanged, their headers read
    /// to see a Close frame (server frames are unmasked: 2 header bytes, then 2 or 8 of extended length).
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        var bytes = unwrapOutboundIn(data)
        while bytes.readableBytes > 0, !closeSent {
            if payloadLeft > 0 {
                let skipped = Int(min(payloadLeft, UInt64(bytes.readableBytes)))
                bytes.moveReaderIndex(forwardBy: skipped)
                payloadLeft -= UInt64(skipped)
                continue
            }
            guard let first = bytes.readInteger(as: UInt8.self), let second = bytes.readInteger(as: UInt8.self) else { break }
            if first & 0x0F == 0x8 {
                closeSent = true
                queue.close()
                break
            }
            switch second & 0x7F {
            case 126: payloadLeft = UInt64(bytes.readInteger(as: UInt16.self) ?? 0)
            case 127: payloadLeft = bytes.readInteger(as: UInt64.self) ?? 0
            case let n: payloadLeft = UInt64(n)
            }
        }
        context.write(data, promise: promise)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            queue.keepingUp(true)
            writePending()
        } else {
            queue.keepingUp(false)
        }
        context.fireChannelWritabilityChanged()
    }
}
