import CZlib
import Foundation

/// Reading a whole file into memory, inflating gzip transparently.
enum FileBytes {
    /// Calls `body` with the file's bytes: plain files are memory-mapped (no copy), gzip content
    /// (magic `1f 8b`) is inflated first. Errors name `path`.
    static func withContents<R>(_ path: String, _ body: (UnsafeBufferPointer<UInt8>) throws(DataError) -> R) throws(DataError) -> R {
        let fd = open(path, O_RDONLY)
        if fd < 0 {
            let e = errno
            if e == ENOENT { throw DataError(.fileNotFound, file: path, "no such file") }
            throw DataError(.unreadable, file: path, "cannot open: \(String(cString: strerror(e)))")
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            close(fd)
            throw DataError(.unreadable, file: path, "cannot stat: \(String(cString: strerror(errno)))")
        }
        let size = Int(st.st_size)
        if (st.st_mode & S_IFMT) == S_IFREG && size > 0,
           let map = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), map != MAP_FAILED {
            close(fd)
            defer { munmap(map, size) }
            let bytes = UnsafeBufferPointer(start: map.assumingMemoryBound(to: UInt8.self), count: size)
            if isGzip(bytes) {
                let inflated = try gunzip(Array(bytes), name: path)
                return try inflated.withUnsafeBufferPointer { (b) throws(DataError) in try body(b) }
            }
            return try body(bytes)
        }
        close(fd)
        let all = try load(path)
        return try all.withUnsafeBufferPointer { (b) throws(DataError) in try body(b) }
    }

    /// The file's bytes; gzip content (magic `1f 8b`) is inflated. Errors name `path`.
    static func load(_ path: String) throws(DataError) -> [UInt8] {
        let fd = open(path, O_RDONLY)
        if fd < 0 {
            let e = errno
            if e == ENOENT { throw DataError(.fileNotFound, file: path, "no such file") }
            throw DataError(.unreadable, file: path, "cannot open: \(String(cString: strerror(e)))")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            throw DataError(.unreadable, file: path, "cannot stat: \(String(cString: strerror(errno)))")
        }
        if (st.st_mode & S_IFMT) == S_IFDIR { throw DataError(.unreadable, file: path, "is a directory, not a file") }
        var bytes = [UInt8](repeating: 0, count: Int(st.st_size))
        var off = 0
        var readError: Int32 = 0
        bytes.withUnsafeMutableBytes { buf in
            while off < buf.count {
                let n = read(fd, buf.baseAddress! + off, buf.count - off)
                if n < 0 { if errno == EINTR { continue }; readError = errno; return }
                if n == 0 { break }
                off += n
            }
        }
        if readError != 0 { throw DataError(.unreadable, file: path, "read failed: \(String(cString: strerror(readError)))") }
        if off < bytes.count { bytes.removeLast(bytes.count - off) }
        if isGzip(bytes) { return try gunzip(bytes, name: path) }
        return bytes
    }

    static func isGzip(_ b: some Collection<UInt8>) -> Bool {
        var it = b.makeIterator()
        return it.next() == 0x1f && it.next() == 0x8b
    }

    /// Inflates a gzip stream (several concatenated members allowed). A stream that ends before its
    /// trailer is a `truncatedGzip` error, never a silently shorter file.
    static func gunzip(_ input: [UInt8], name: String) throws(DataError) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(max(input.count * 4, 1 << 16))
        var strm = z_stream()
        var rc = inflateInit2_(&strm, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else { throw DataError(.unreadable, file: name, "zlib initialisation failed (\(rc))") }
        defer { inflateEnd(&strm) }
        let chunk = 1 << 18
        var buffer = [UInt8](repeating: 0, count: chunk)
        var failure: DataError?
        input.withUnsafeBufferPointer { inp in
            strm.next_in = UnsafeMutablePointer(mutating: inp.baseAddress)
            strm.avail_in = UInt32(inp.count)
            while true {
                let produced: Int = buffer.withUnsafeMutableBufferPointer { ob in
                    strm.next_out = ob.baseAddress
                    strm.avail_out = UInt32(chunk)
                    rc = inflate(&strm, Z_NO_FLUSH)
                    return chunk - Int(strm.avail_out)
                }
                out.append(contentsOf: buffer[0..<produced])
                if rc == Z_STREAM_END {
                    if strm.avail_in == 0 { return }
                    // Another gzip member follows (e.g. `cat a.gz b.gz`), unless it is trailing padding.
                    let rest = UnsafeBufferPointer(start: strm.next_in, count: Int(strm.avail_in))
                    if rest.allSatisfy({ $0 == 0 }) { return }
                    guard inflateReset(&strm) == Z_OK else {
                        failure = DataError(.unreadable, file: name, "zlib reset failed"); return
                    }
                    continue
                }
                if rc == Z_OK { continue }
                if rc == Z_BUF_ERROR {
                    if strm.avail_in == 0 {
                        failure = DataError(.truncatedGzip, file: name,
                                            "gzip stream ends before its end marker after \(out.count) bytes: the file is truncated; download it again")
                        return
                    }
                    continue
                }
                let msg = strm.msg.map { String(cString: $0) } ?? "error \(rc)"
                failure = DataError(.unreadable, file: name, "corrupt gzip data (\(msg)) after \(out.count) bytes")
                return
            }
        }
        if let failure { throw failure }
        return out
    }
}
