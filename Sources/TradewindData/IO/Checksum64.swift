/// A fast 64-bit non-cryptographic checksum (xxHash64-style rounds over four independent lanes),
/// used to detect corrupted or truncated cache files. It checks several GB/s, so verifying a cache on
/// every read costs little next to reading it.
///
/// `hash` takes the bytes at once; `Stream` takes them in pieces of any size (a cache column as it is read,
/// while the piece is still in the processor's cache) and gives the same value as `hash` of the whole.
public struct Checksum64 {
    fileprivate static let p1: UInt64 = 0x9E37_79B1_85EB_CA87
    fileprivate static let p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    fileprivate static let p3: UInt64 = 0x1656_67B1_9E37_79F9
    fileprivate static let p4: UInt64 = 0x85EB_CA77_C2B2_AE63
    fileprivate static let p5: UInt64 = 0x27D4_EB2F_1656_67C5

    @inline(__always)
    fileprivate static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }

    @inline(__always)
    fileprivate static func round(_ acc: UInt64, _ input: UInt64) -> UInt64 {
        rotl(acc &+ input &* p2, 31) &* p1
    }

    @inline(__always)
    fileprivate static func merge(_ acc: UInt64, _ v: UInt64) -> UInt64 {
        (acc ^ round(0, v)) &* p1 &+ p4
    }

    /// The checksum of `bytes` with `seed`.
    public static func hash(_ bytes: UnsafeRawBufferPointer, seed: UInt64 = 0) -> UInt64 {
        var stream = Stream(seed: seed)
        stream.add(bytes)
        return stream.finish()
    }

    /// A checksum computed over bytes given in consecutive pieces: `add` each piece in order, then `finish`.
    /// The value equals `Checksum64.hash` of the pieces joined, however they are cut.
    public struct Stream {
        private let seed: UInt64
        private var v1: UInt64, v2: UInt64, v3: UInt64, v4: UInt64
        /// Bytes added so far.
        private var total = 0
        /// The bytes after the last whole 32-byte stripe (fewer than 32).
        private var pending: [UInt8] = []

        /// An empty stream with `seed`.
        public init(seed: UInt64 = 0) {
            self.seed = seed
            v1 = seed &+ p1 &+ p2
            v2 = seed &+ p2
            v3 = seed
            v4 = seed &- p1
        }

        /// Adds the next piece.
        public mutating func add(_ bytes: UnsafeRawBufferPointer) {
            guard var base = bytes.baseAddress, bytes.count > 0 else { return }
            var n = bytes.count
            total += n
            if !pending.isEmpty {
                let take = min(32 - pending.count, n)
                pending.append(contentsOf: UnsafeRawBufferPointer(start: base, count: take))
                base += take
                n -= take
                guard pending.count == 32 else { return }
                pending.withUnsafeBytes { stripes($0.baseAddress!, 32) }
                pending.removeAll(keepingCapacity: true)
            }
            let whole = n & ~31
            if whole > 0 { stripes(base, whole) }
            if whole < n { pending.append(contentsOf: UnsafeRawBufferPointer(start: base + whole, count: n - whole)) }
        }

        /// Runs the four lanes over `count` bytes (a multiple of 32) at `base`.
        @inline(__always)
        private mutating func stripes(_ base: UnsafeRawPointer, _ count: Int) {
            var a = v1, b = v2, c = v3, d = v4
            var i = 0
            while i < count {
                a = round(a, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
                b = round(b, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self)))
                c = round(c, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i + 16, as: UInt64.self)))
                d = round(d, UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i + 24, as: UInt64.self)))
                i += 32
            }
            v1 = a; v2 = b; v3 = c; v4 = d
        }

        /// The checksum of every byte added.
        public func finish() -> UInt64 {
            var h: UInt64
            if total >= 32 {
                h = rotl(v1, 1) &+ rotl(v2, 7) &+ rotl(v3, 12) &+ rotl(v4, 18)
                h = merge(h, v1)
                h = merge(h, v2)
                h = merge(h, v3)
                h = merge(h, v4)
            } else {
                h = seed &+ p5
            }
            h &+= UInt64(total)
            pending.withUnsafeBytes { tail in
                let n = tail.count
                var i = 0
                while i + 8 <= n {
                    let k = round(0, UInt64(littleEndian: tail.loadUnaligned(fromByteOffset: i, as: UInt64.self)))
                    h = rotl(h ^ k, 27) &* p1 &+ p4
                    i += 8
                }
                while i < n {
                    h = rotl(h ^ (UInt64(tail[i]) &* p5), 11) &* p1
                    i += 1
                }
            }
            h ^= h >> 33
            h &*= p2
            h ^= h >> 29
            h &*= p3
            h ^= h >> 32
            return h
        }
    }
}
