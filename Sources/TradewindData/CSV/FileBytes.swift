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
            if isGzip(bytes) { return try withInflated(bytes, name: path, body) }
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

    /// Inflates a gzip stream into a new array (see `inflate`).
    static func gunzip(_ input: [UInt8], name: String) throws(DataError) -> [UInt8] {
        try input.withUnsafeBufferPointer { (inp) throws(DataError) in
            let (p, n) = try inflate(inp, name: name)
            defer { free(p) }
            return Array(UnsafeBufferPointer(start: p, count: n))
        }
    }

    /// Calls `body` with the inflated content of a gzip stream, without copying it into an array.
    static func withInflated<R>(_ input: UnsafeBufferPointer<UInt8>, name: String,
                                _ body: (UnsafeBufferPointer<UInt8>) throws(DataError) -> R) throws(DataError) -> R {
        let (p, n) = try inflate(input, name: name)
        defer { free(p) }
        return try body(UnsafeBufferPointer(start: p, count: n))
    }

    /// Inflates a gzip stream (several concatenated members allowed) into a `malloc`ed buffer that the
    /// caller frees. The buffer is sized from the gzip trailer's length field, so a single-member
    /// file inflates without any copy. A stream that ends before its trailer is a `truncatedGzip`
    /// error, never a silently shorter file; corrupt data is `unreadable`.
    static func inflate(_ inp: UnsafeBufferPointer<UInt8>, name: String) throws(DataError) -> (UnsafeMutablePointer<UInt8>, Int) {
        var capacity = max(inp.count * 4, 1 << 16)
        if inp.count >= 18 {
            // ISIZE: uncompressed length mod 2^32, little-endian, in the last four bytes.
            let t = inp.count - 4
            let isize = Int(inp[t]) | Int(inp[t + 1]) << 8 | Int(inp[t + 2]) << 16 | Int(inp[t + 3]) << 24
            if isize > 0 && isize < inp.count * 1100 { capacity = max(isize + 1, 1 << 12) }
        }
        guard var out = malloc(capacity)?.assumingMemoryBound(to: UInt8.self) else {
            throw DataError(.unreadable, file: name, "out of memory inflating \(capacity) bytes")
        }
        var produced = 0
        var strm = z_stream()
        var rc = inflateInit2_(&strm, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else {
            free(out)
            throw DataError(.unreadable, file: name, "zlib initialisation failed (\(rc))")
        }
        defer { inflateEnd(&strm) }
        strm.next_in = UnsafeMutablePointer(mutating: inp.baseAddress)
        strm.avail_in = UInt32(clamping: inp.count)
        var failure: DataError?
        while true {
            if produced == capacity {
                capacity *= 2
                guard let grown = realloc(out, capacity) else {
                    failure = DataError(.unreadable, file: name, "out of memory inflating \(capacity) bytes")
                    break
                }
                out = grown.assumingMemoryBound(to: UInt8.self)
            }
            let room = min(capacity - produced, Int(UInt32.max))
            strm.next_out = out + produced
            strm.avail_out = UInt32(room)
            rc = CZlib.inflate(&strm, Z_NO_FLUSH)
            produced += room - Int(strm.avail_out)
            if rc == Z_STREAM_END {
                if strm.avail_in == 0 { break }
                // Another gzip member follows (e.g. `cat a.gz b.gz`), unless it is trailing padding.
                let rest = UnsafeBufferPointer(start: strm.next_in, count: Int(strm.avail_in))
                if rest.allSatisfy({ $0 == 0 }) { break }
                guard inflateReset(&strm) == Z_OK else {
                    failure = DataError(.unreadable, file: name, "zlib reset failed")
                    break
                }
                continue
            }
            if rc == Z_OK { continue }
            if rc == Z_BUF_ERROR {
                if strm.avail_in == 0 {
                    failure = DataError(.truncatedGzip, file: name,
                                        "gzip stream ends before its end marker after \(produced) bytes: the file is truncated; download it again")
                    break
                }
                continue
            }
            let msg = strm.msg.map { String(cString: $0) } ?? "error \(rc)"
            failure = DataError(.unreadable, file: name, "corrupt gzip data (\(msg)) after \(produced) bytes")
            break
        }
        if let failure {
            free(out)
            throw failure
        }
        return (out, produced)
    }
}
