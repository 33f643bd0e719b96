#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only memory map of a whole file. The mapping lives as long as the value's owner keeps it;
/// `withBytes` exposes it without copying.
public final class MappedFile: @unchecked Sendable {
    // Immutable after init; the mapping is read-only, so sharing across threads is safe.
    public let path: String
    public let count: Int
    private let base: UnsafeRawPointer?

    /// Maps `path`. Empty files map to an empty buffer.
    public init(path: String) throws(DataError) {
        self.path = path
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            let e = errno
            throw DataError(e == ENOENT ? .fileNotFound : .unreadable, file: path,
                            e == ENOENT ? "no such file" : "cannot open: \(String(cString: strerror(e)))")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            throw DataError(.unreadable, file: path, "cannot stat: \(String(cString: strerror(errno)))")
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            throw DataError(.unreadable, file: path, "is a directory, not a file")
        }
        count = Int(st.st_size)
        if count == 0 {
            base = nil
            return
        }
        #if os(Linux)
        let flags = MAP_PRIVATE | MAP_POPULATE  // fault every page in with one call: far cheaper than page by page
        #else
        let flags = MAP_PRIVATE
        #endif
        guard let p = mmap(nil, count, PROT_READ, flags, fd, 0), p != MAP_FAILED else {
            throw DataError(.unreadable, file: path, "cannot map: \(String(cString: strerror(errno)))")
        }
        base = UnsafeRawPointer(p)
    }

    deinit {
        if let base { munmap(UnsafeMutableRawPointer(mutating: base), count) }
    }

    /// Calls `body` with the file's bytes.
    public func withBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }
}
