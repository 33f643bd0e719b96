import NIOCore

/// A task executor that runs a task's jobs on one NIO event loop. A WebSocket client's writer task prefers its
/// connection's loop, so a published message is woken, handed to the WebSocket handler and written to the socket on
/// that thread, instead of hopping from Swift's cooperative pool to the handler and then to the loop for every client.
/// The work it runs there never blocks: it drains a queue and writes frames.
final class EventLoopExecutor: TaskExecutor {
    let loop: any EventLoop

    init(_ loop: any EventLoop) { self.loop = loop }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        loop.execute { job.runSynchronously(on: executor) }
    }
}
