#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the bytes of a cache file image come from: the file itself (`ReadOnlyFile`, read with `pread` straight
/// into the memory that keeps them) or bytes already in memory. The cache decoder copies every range it needs
/// once, into its final place.
protocol CacheBytes {
    /// The image's length in bytes.
    var count: Int { get }
    /// Copies `length` bytes starting at `offset` (within `0..<count`) to `destination`.
    func copy(to destination: UnsafeMutableRawPointer, length: Int, from offset: Int) throws(DataError)
}

extension UnsafeRawBufferPointer: CacheBytes {
    func copy(to destination: UnsafeMutableRawPointer, length: Int, from offset: Int) throws(DataError) {
        if length > 0 { destination.copyMemory(from: baseAddress! + offset, byteCount: length) }
    }
}

/// An open regular file read with positioned reads (`pread`), closed when the value goes.
///
/// The cache reads a column with `pread` into the column's own new storage: the kernel copies from the page cache
/// into it directly, with no mapping of the file to set up and take down, and nothing read twice.
final class ReadOnlyFile: CacheBytes {
    let path: String
    let count: Int
    private let descriptor: Int32

    /// Opens `path` for reading. A missing file is `.fileNotFound`; a directory or unreadable file `.unreadable`.
    init(path: String) throws(DataError) {
        self.path = path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let e = errno
            throw DataError(e == ENOENT ? .fileNotFound : .unreadable, file: path,
                            e == ENOENT ? "no such file" : "cannot open: \(String(cString: strerror(e)))")
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let e = errno
            close(fd)
            throw DataError(.unreadable, file: path, "cannot stat: \(String(cString: strerror(e)))")
        }
        guard (st.st_mode & S_IFMT) != S_IFDIR else {
            close(fd)
            throw DataError(.unreadable, file: path, "is a directory, not a file")
        }
        descriptor = fd
        count = Int(st.st_size)
    }

    deinit { close(descriptor) }

    func copy(to destination: UnsafeMutableRawPointer, length: Int, from offset: Int) throws(DataError) {
        var done = 0
        while done < length {
            let n = pread(descriptor, destination + done, length - done, off_t(offset + done))
            if n > 0 {
                done += n
            } else if n == 0 {
                throw DataError(.badCache, file: path, "the file ended at byte \(offset + done) while being read (was it replaced "
                                + "or truncated meanwhile?); read it again, or re-create it with `tradewind data import`")
            } else if errno != EINTR {
                throw DataError(.unreadable, file: path, "read failed: \(String(cString: strerror(errno)))")
            }
        }
    }
}
