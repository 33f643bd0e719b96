import NIOCore
import NIOWebSocket

/// Sends one WebSocket client's queued messages straight into its channel, on the channel's event loop: the shared
/// frames of its `ClientQueue` are written and flushed once per batch, with no task, actor or async-writer hop per
/// client and message. It sits at the end of the upgraded channel's pipeline to hear when the socket can take more:
/// while the client does not read, the channel is not writable, messages wait in the bounded queue (coalesced,
/// dropped past its capacity, the client disconnected past the drop limit) and nothing is written or buffered for it.
final class LiveChannelWriter: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = WebSocketFrame

    let queue: ClientQueue
    let channel: any Channel

    init(queue: ClientQueue, channel: any Channel) {
        self.queue = queue
        self.channel = channel
    }

    /// Writes everything queued while the channel is writable, then flushes once. Runs on the channel's event loop.
    func writePending() {
        guard channel.isWritable else { return }
        let (messages, closed) = queue.drain()
        guard !closed, !messages.isEmpty else { return }
        for m in messages { channel.write(m.frame, promise: nil) }
        channel.flush()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { writePending() }
        context.fireChannelWritabilityChanged()
    }
}
