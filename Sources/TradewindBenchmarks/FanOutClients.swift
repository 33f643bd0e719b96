import Foundation
import NIOCore
import NIOPosix
import Synchronization
import TradewindCore

/// The measuring WebSocket clients of `bench server`'s fan-out: many plain sockets on a few event-loop threads (epoll
/// through NIO), each reading the server's frames with a few lines of RFC 6455 and taking its arrival time the moment
/// its bytes are read, before any task is scheduled or any text parsed. A client costs a socket and a handler, not a
/// task, an async stream and a WebSocket pipeline, so the measuring side takes little of the CPU the server measured
/// needs.
final class FanOutClients: Sendable {
    /// One `job.progress` delivery: when its bytes were read (Unix nanoseconds) and the message's `emitted_at` text.
    struct Arrival: Sendable {
        var receivedNanos: Int64
        var emittedAt: String
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    let group: MultiThreadedEventLoopGroup
    let port: Int
    /// Clients that have had the server's hello (their queue is in the server's hub).
    let greeted = Atomic<Int>(0)

    init(port: Int, threads: Int) {
        group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        self.port = port
    }

    /// Connects `count` clients (in batches, within the server's accept backlog); each one's future completes with
    /// its arrivals when the server ends the job (`job.finished` or `job.failed`) or the connection.
    func connect(_ count: Int) async throws -> [EventLoopFuture<[Arrival]>] {
        var done: [EventLoopFuture<[Arrival]>] = []
        let port = port
        var next = 0
        while next < count {
            let batch = min(50, count - next)
            var upgrades: [EventLoopFuture<Void>] = []
            for _ in 0..<batch {
                let loop = group.next()
                let finished = loop.makePromise(of: [Arrival].self)
                let upgraded = loop.makePromise(of: Void.self)
                let channel = ClientBootstrap(group: loop)
                    .channelOption(.socketOption(.tcp_nodelay), value: 1)
                    .channelInitializer { [clients = self] channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(
                                FanOutClientHandler(port: port, upgraded: upgraded, finished: finished, clients: clients))
                        }
                    }
                    .connect(host: "127.0.0.1", port: port)
                channel.whenFailure { error in
                    upgraded.fail(error)
                    finished.fail(error)
                }
                upgrades.append(upgraded.futureResult)
                done.append(finished.futureResult)
            }
            for u in upgrades { try await u.get() }
            next += batch
        }
        return done
    }

    func shutdown() async {
        try? await group.shutdownGracefully()
    }

    /// Now, in Unix nanoseconds (the clock `emitted_at` is written from).
    static func nowNanos() -> Int64 {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        return Int64(t.tv_sec) * 1_000_000_000 + Int64(t.tv_nsec)
    }

    /// `2026-12-07T01:02:03.123456789+00:00` (fraction optional, `Z` or an offset) in Unix nanoseconds.
    static func parseInstant(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        func num(_ at: Int, _ n: Int) -> Int64? {
            guard at + n <= b.count else { return nil }
            var v: Int64 = 0
            for c in b[at..<(at + n)] {
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int64(c - 48)
            }
            return v
        }
        guard b.count >= 20, let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), let h = num(11, 2), let mi = num(14, 2),
              let s = num(17, 2), let date = CivilDate(year: Int(y), month: Int(mo), day: Int(d)) else { return nil }
        var i = 19
        var fraction: Int64 = 0
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            var digits = 0
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                if digits < 9 { fraction = fraction * 10 + Int64(b[i] - 48); digits += 1 }
                i += 1
            }
            for _ in digits..<9 { fraction *= 10 }
        }
        var offset: Int64 = 0
        if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            guard let oh = num(i + 1, 2), let om = num(i + 4, 2) else { return nil }
            offset = (oh * 3600 + om * 60) * (b[i] == UInt8(ascii: "-") ? -1 : 1)
        }
        let seconds = Int64(date.daysSinceEpoch) * UnixTime.secondsPerDay + h * 3600 + mi * 60 + s - offset
        return seconds * UnixTime.nanosPerSecond + fraction
    }
}

/// One measuring client: the upgrade request, then the server's frames (unmasked, RFC 6455 §5.2) parsed from the
/// bytes as they are read. Only `job.progress` messages are kept, with the time their read began.
final class FanOutClientHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let port: Int
    let upgraded: EventLoopPromise<Void>
    let finished: EventLoopPromise<[FanOutClients.Arrival]>
    let clients: FanOutClients
    var buffer = ByteBuffer()
    var isUpgraded = false
    var isGreeted = false
    var isFinished = false
    var arrivals: [FanOutClients.Arrival] = []

    init(port: Int, upgraded: EventLoopPromise<Void>, finished: EventLoopPromise<[FanOutClients.Arrival]>, clients: FanOutClients) {
        self.port = port
        self.upgraded = upgraded
        self.finished = finished
        self.clients = clients
        arrivals.reserveCapacity(64)
    }

    func channelActive(context: ChannelHandlerContext) {
        let request = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: request)), promise: nil)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let now = FanOutClients.nowNanos()
        var bytes = unwrapInboundIn(data)
        // Most reads hold whole frames: the read's own buffer is taken as it is, not copied into the handler's.
        if buffer.readableBytes == 0 { buffer = bytes } else { buffer.writeBuffer(&bytes) }
        if !isUpgraded {
            guard let end = buffer.readableBytesView.firstRange(of: Array("\r\n\r\n".utf8)) else { return }
            let head = buffer.readString(length: end.upperBound - buffer.readerIndex) ?? ""
            guard head.hasPrefix("HTTP/1.1 101") else {
                fail(context, "the server refused the WebSocket upgrade: \(head.prefix(40))")
                return
            }
            isUpgraded = true
        }
        while let (opcode, payload) = nextFrame() {
            switch opcode {
            case 0x1: text(context, payload, at: now)
            case 0x8:
                finish(context)
                return
            case 0x9:
                // A ping: answer with the same payload, masked (a client's frames are) with a zero key.
                var pong = ByteBuffer()
                pong.writeBytes([0x8A, 0x80 | UInt8(payload.readableBytes), 0, 0, 0, 0])
                var p = payload
                pong.writeBuffer(&p)
                context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
            default: continue
            }
        }
        if buffer.readableBytes > 0 { buffer.discardReadBytes() }
    }

    /// The next whole frame's opcode and payload, nil until all of it has been read.
    func nextFrame() -> (UInt8, ByteBuffer)? {
        guard let b0 = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self),
              let b1 = buffer.getInteger(at: buffer.readerIndex + 1, as: UInt8.self) else { return nil }
        var header = 2
        var length = Int(b1 & 0x7F)
        if length == 126 {
            guard let l = buffer.getInteger(at: buffer.readerIndex + 2, as: UInt16.self) else { return nil }
            length = Int(l)
            header = 4
        } else if length == 127 {
            guard let l = buffer.getInteger(at: buffer.readerIndex + 2, as: UInt64.self) else { return nil }
            length = Int(l)
            header = 10
        }
        guard buffer.readableBytes >= header + length else { return nil }
        buffer.moveReaderIndex(forwardBy: header)
        guard let payload = buffer.readSlice(length: length) else { return nil }
        return (b0 & 0x0F, payload)
    }

    /// The message's kind and `emitted_at`, found in its bytes (`find`): no `String` made of the message and no
    /// `String` search, which were most of a client's 22 µs per delivery on the cores the server measured shares.
    func text(_ context: ChannelHandlerContext, _ payload: ByteBuffer, at now: Int64) {
        enum Kind { case hello, progress(String), end, other }
        let kind = payload.withUnsafeReadableBytes { bytes -> Kind in
            if !isGreeted, Self.find(Self.hello, in: bytes) != nil { return .hello }
            if Self.find(Self.progress, in: bytes) != nil, let start = Self.find(Self.emittedAt, in: bytes) {
                let from = start + Self.emittedAt.count
                guard let quote = bytes[from...].firstIndex(of: UInt8(ascii: "\"")) else { return .other }
                return .progress(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[from..<quote]), as: UTF8.self))
            }
            if Self.find(Self.finished, in: bytes) != nil || Self.find(Self.failed, in: bytes) != nil { return .end }
            return .other
        }
        switch kind {
        case .hello:
            isGreeted = true
            clients.greeted.add(1, ordering: .relaxed)
            upgraded.succeed()
        case .progress(let emittedAt):
            arrivals.append(.init(receivedNanos: now, emittedAt: emittedAt))
        case .end:
            finish(context)
        case .other:
            break
        }
    }

    static let hello = Array(#""type":"server.status""#.utf8)
    static let progress = Array(#""type":"job.progress""#.utf8)
    static let emittedAt = Array(#""emitted_at":""#.utf8)
    static let finished = Array(#""type":"job.finished""#.utf8)
    static let failed = Array(#""type":"job.failed""#.utf8)

    /// The offset of `needle`'s first occurrence in `bytes`: each candidate start found with `memchr`, then compared.
    static func find(_ needle: [UInt8], in bytes: UnsafeRawBufferPointer) -> Int? {
        guard let base = bytes.baseAddress, let first = needle.first, bytes.count >= needle.count else { return nil }
        let lastStart = bytes.count - needle.count
        return needle.withUnsafeBytes { n -> Int? in
            var from = 0
            while from <= lastStart {
                guard let hit = memchr(base + from, Int32(first), lastStart - from + 1) else { return nil }
                let at = base.distance(to: UnsafeRawPointer(hit))
                if memcmp(hit, n.baseAddress!, n.count) == 0 { return at }
                from = at + 1
            }
            return nil
        }
    }

    func finish(_ context: ChannelHandlerContext) {
        end(nil)
        context.close(promise: nil)
    }

    func fail(_ context: ChannelHandlerContext, _ reason: String) {
        end(reason)
        context.close(promise: nil)
    }

    /// Completes both promises once: the arrivals so far, or the reason the client failed before its hello.
    func end(_ reason: String?) {
        guard !isFinished else { return }
        isFinished = true
        if !isGreeted {
            let failure = FanOutClients.Failure(description: reason ?? "the server closed the connection before its hello")
            upgraded.fail(failure)
            finished.fail(failure)
        } else if let reason {
            finished.fail(FanOutClients.Failure(description: reason))
        } else {
            finished.succeed(arrivals)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        end(nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(context, "\(error)")
    }
}
