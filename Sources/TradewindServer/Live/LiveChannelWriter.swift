import NIOCore

/// Sends one WebSocket client's queued messages straight into its socket, on the socket's event loop: the shared,
/// already encoded frames of its `ClientQueue` are written and flushed once per batch, with no task, actor or
/// async-writer hop per client and message. It sits first in the upgraded channel's pipeline (next to the socket,
/// past the frame encoder, which the frames need no more) and hears there when the socket can take more: while the
/// client does not read, the channel is not writable, messages wait in the bounded queue (progress coalesced, the
/// oldest progress dropped past its capacity, the client disconnected past the drop limit) and nothing is written
/// or buffered for it; while it reads, every message is written.
final class LiveChannelWriter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// The writer as the hub holds it: usable from any thread, called on its event loop only.
    struct Sink: Sendable {
        let loop: any EventLoop
        let writer: NIOLoopBound<LiveChannelWriter>
    }

    let queue: ClientQueue
    private var context: ChannelHandlerContext?

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
        guard let context else { return }
        guard context.channel.isWritable else {
            queue.keepingUp(false)
            return
        }
        let (messages, closed) = queue.drain()
        guard !closed, !messages.isEmpty else { return }
        for m in messages { context.write(wrapOutboundOut(m.wire), promise: nil) }
        context.flush()
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
