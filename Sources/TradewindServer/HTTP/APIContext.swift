import Hummingbird
import HummingbirdWebSocket
import NIOCore

/// The request context of every route: the client's address (login rate limits) and the authenticated user.
public struct APIContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<APIContext>
    /// The client's IP address (`unknown` when the transport has none).
    public let remoteAddress: String
    /// The user the request's token belongs to (nil: none given, or authentication is off).
    public var user: String?
    /// The event loop of the connection the request came on (`/ws` runs its client's writer task there).
    let eventLoop: any EventLoop

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        webSocket = .init()
        remoteAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
        eventLoop = source.channel.eventLoop
    }

    /// Bodies above 1 MiB get 413.
    public var maxUploadSize: Int { JSON.maximumBody }
}
