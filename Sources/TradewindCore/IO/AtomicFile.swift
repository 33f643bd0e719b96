#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why an atomic write failed: the destination and what went wrong (the system's reason included).
public struct AtomicFileError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The destination path.
    public let path: String
    public let message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path + ": " + message }
}

/// Writes files so that readers only ever see the old complete file or the new complete file:
/// the bytes go to a temporary file in the same directory, are flushed to disk, and the temporary
/// file is renamed over the destination (an atomic replace on POSIX file systems). If the process is
/// interrupted, at most a stray `.tmp` file remains; the destination is never half-written.
public enum AtomicFile {
    /// Streams chunks produced by `produce` into `path` atomically. `produce` receives a sink that appends
    /// bytes; an error thrown by `produce` removes the temporary file and is rethrown. The write's own
    /// failures (creating, writing, flushing or renaming the file) are turned into the caller's error type by
    /// `failure` (TradewindData's overload makes them `DataError`s of kind `.io`).
    public static func write<E: Error>(
        to path: String,
        _ produce: (_ sink: (UnsafeRawBufferPointer) throws(E) -> Void) throws(E) -> Void,
        failure: (AtomicFileError) -> E
    ) throws(E) {
        let dir = parentDirectory(of: path)
        let tmp = dir + "/." + lastComponent(of: path) + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else {
            throw failure(AtomicFileError(path: path, "cannot create a temporary file in \(dir): \(String(cString: strerror(errno)))"))
        }
        var ok = false
        defer {
            if !ok {
                close(fd)
                unlink(tmp)
            }
        }
        let sink: (UnsafeRawBufferPointer) throws(E) -> Void = { (chunk: UnsafeRawBufferPointer) throws(E) in
            var offset = 0
            while offset < chunk.count {
                #if canImport(Glibc)
                let n = Glibc.write(fd, chunk.baseAddress! + offset, chunk.count - offset)
                #else
                let n = Darwin.write(fd, chunk.baseAddress! + offset, chunk.count - offset)
                #endif
                if n < 0 {
                    if errno == EINTR { continue }
                    throw failure(AtomicFileError(path: path, "write failed: \(String(cString: strerror(errno)))"))
                }
                offset += n
            }
        }
        try produce(sink)
        guard fsync(fd) == 0 else { throw failure(AtomicFileError(path: path, "fsync failed: \(String(cString: strerror(errno)))")) }
        guard close(fd) == 0 else {
            unlink(tmp)
            ok = true
            throw failure(AtomicFileError(path: path, "close failed: \(String(cString: strerror(errno)))"))
        }
        ok = true
        guard rename(tmp, path) == 0 else {
            let e = errno
            unlink(tmp)
            throw failure(AtomicFileError(path: path, "cannot move the new file into place: \(String(cString: strerror(e)))"))
        }
        syncDirectory(dir)
    }

    /// Renames `source` over `destination` (an atomic replace on POSIX file systems; both in one directory) and makes
    /// the rename durable: the last step of a commit whose new state was written to `source` first.
    public static func move(_ source: String, over destination: String) throws(AtomicFileError) {
        guard rename(source, destination) == 0 else {
            throw AtomicFileError(path: destination, "cannot move \(source) into place: \(String(cString: strerror(errno)))")
        }
        syncDirectory(parentDirectory(of: destination))
    }

    /// Flushes a directory's entries (a rename in it) to disk.
    private static func syncDirectory(_ dir: String) {
        let dfd = open(dir, O_RDONLY)
        if dfd >= 0 {
            fsync(dfd)
            close(dfd)
        }
    }

    /// Writes `bytes` to `path` atomically.
    public static func write(_ bytes: [UInt8], to path: String) throws(AtomicFileError) {
        try write(to: path, { (sink) throws(AtomicFileError) in
            let r: Result<Void, AtomicFileError> = bytes.withUnsafeBytes { b in Result { () throws(AtomicFileError) in try sink(b) } }
            try r.get()
        }, failure: { $0 })
    }

    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let d = String(path[..<slash])
        return d.isEmpty ? "/" : d
    }

    static func lastComponent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }
}
