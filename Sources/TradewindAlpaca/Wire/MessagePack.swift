/// A MessagePack value (the msgpack spec, github.com/msgpack/msgpack/blob/master/spec.md): what Alpaca's data stream
/// sends and takes when a client asks for `application/msgpack`. Encoded in the smallest form each value fits, as
/// the reference implementations write it (floats always as float 64); maps keep their order. Decoding refuses
/// truncated or malformed input with a `MessagePackError` (never traps), at most 64 levels deep.
public enum MessagePack: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case binary([UInt8])
    case array([MessagePack])
    case map([Pair])
    /// The timestamp extension (type -1): seconds since the Unix epoch and nanoseconds.
    case timestamp(seconds: Int64, nanoseconds: UInt32)
    /// Any other extension type.
    case ext(Int8, [UInt8])

    /// One key and value of a map.
    public struct Pair: Sendable, Hashable {
        public var key: MessagePack
        public var value: MessagePack
        public init(_ key: MessagePack, _ value: MessagePack) {
            self.key = key
            self.value = value
        }
    }

    /// The value of `key` in a map (nil for other values or a missing key).
    public subscript(key: String) -> MessagePack? {
        guard case .map(let pairs) = self else { return nil }
        return pairs.first { $0.key == .string(key) }?.value
    }

    public var string: String? { if case .string(let s) = self { s } else { nil } }
    public var array: [MessagePack]? { if case .array(let a) = self { a } else { nil } }
    /// An integer or a float as a Double.
    public var double: Double? {
        switch self {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }

    // MARK: Encoding

    /// The value's bytes.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        encode(into: &out)
        return out
    }

    public func encode(into out: inout [UInt8]) {
        func big<T: FixedWidthInteger>(_ v: T) {
            withUnsafeBytes(of: v.bigEndian) { out.append(contentsOf: $0) }
        }
        func header(_ count: Int, fix: UInt8?, fixLimit: Int, _ m8: UInt8?, _ m16: UInt8, _ m32: UInt8) {
            if let fix, count < fixLimit { out.append(fix | UInt8(count)) }
            else if let m8, count <= 0xFF { out.append(m8); out.append(UInt8(count)) }
            else if count <= 0xFFFF { out.append(m16); big(UInt16(count)) }
            else { out.append(m32); big(UInt32(truncatingIfNeeded: count)) }
        }
        switch self {
        case .null: out.append(0xC0)
        case .bool(let b): out.append(b ? 0xC3 : 0xC2)
        case .int(let i):
            if i >= 0 {
                if i < 0x80 { out.append(UInt8(i)) }
                else if i <= 0xFF { out.append(0xCC); out.append(UInt8(i)) }
                else if i <= 0xFFFF { out.append(0xCD); big(UInt16(i)) }
                else if i <= 0xFFFF_FFFF { out.append(0xCE); big(UInt32(i)) }
                else { out.append(0xCF); big(UInt64(i)) }
            } else {
                if i >= -32 { out.append(UInt8(bitPattern: Int8(i))) }
                else if i >= -0x80 { out.append(0xD0); out.append(UInt8(bitPattern: Int8(i))) }
                else if i >= -0x8000 { out.append(0xD1); big(Int16(i)) }
                else if i >= -0x8000_0000 { out.append(0xD2); big(Int32(i)) }
                else { out.append(0xD3); big(i) }
            }
        case .double(let d): out.append(0xCB); big(d.bitPattern)
        case .string(let s):
            let bytes = Array(s.utf8)
            header(bytes.count, fix: 0xA0, fixLimit: 32, 0xD9, 0xDA, 0xDB)
            out.append(contentsOf: bytes)
        case .binary(let b):
            header(b.count, fix: nil, fixLimit: 0, 0xC4, 0xC5, 0xC6)
            out.append(contentsOf: b)
        case .array(let a):
            header(a.count, fix: 0x90, fixLimit: 16, nil, 0xDC, 0xDD)
            for v in a { v.encode(into: &out) }
        case .map(let m):
            header(m.count, fix: 0x80, fixLimit: 16, nil, 0xDE, 0xDF)
            for p in m { p.key.encode(into: &out); p.value.encode(into: &out) }
        case .timestamp(let seconds, let nanos):
            if nanos == 0, seconds >= 0, seconds <= 0xFFFF_FFFF {
                out += [0xD6, 0xFF]; big(UInt32(seconds))
            } else if seconds >= 0, seconds < 1 << 34 {
                out += [0xD7, 0xFF]; big(UInt64(nanos) << 34 | UInt64(seconds))
            } else {
                out += [0xC7, 12, 0xFF]; big(nanos); big(seconds)
            }
        case .ext(let type, let data):
            switch data.count {
            case 1: out.append(0xD4)
            case 2: out.append(0xD5)
            case 4: out.append(0xD6)
            case 8: out.append(0xD7)
            case 16: out.append(0xD8)
            default: header(data.count, fix: nil, fixLimit: 0, 0xC7, 0xC8, 0xC9)
            }
            out.append(UInt8(bitPattern: type))
            out.append(contentsOf: data)
        }
    }

    // MARK: Decoding

    /// The one value `bytes` hold (nothing may follow it).
    public static func decode(_ bytes: some Collection<UInt8>) throws(MessagePackError) -> MessagePack {
        var reader = Reader(bytes: Array(bytes))
        let value = try reader.value(depth: 0)
        guard reader.at == reader.bytes.count else { throw MessagePackError(offset: reader.at, "bytes after the value") }
        return value
    }

    private struct Reader {
        let bytes: [UInt8]
        var at = 0

        mutating func take(_ n: Int) throws(MessagePackError) -> ArraySlice<UInt8> {
            guard n >= 0, bytes.count - at >= n else { throw MessagePackError(offset: at, "truncated: \(n) more bytes expected") }
            defer { at += n }
            return bytes[at..<(at + n)]
        }

        mutating func uint(_ n: Int) throws(MessagePackError) -> UInt64 {
            try take(n).reduce(0) { $0 << 8 | UInt64($1) }
        }

        mutating func value(depth: Int) throws(MessagePackError) -> MessagePack {
            guard depth < 64 else { throw MessagePackError(offset: at, "nested more than 64 levels") }
            let b = try take(1).first!
            switch b {
            case 0x00...0x7F: return .int(Int64(b))
            case 0x80...0x8F: return try map(Int(b & 0x0F), depth)
            case 0x90...0x9F: return try array(Int(b & 0x0F), depth)
            case 0xA0...0xBF: return try string(Int(b & 0x1F))
            case 0xC0: return .null
            case 0xC2: return .bool(false)
            case 0xC3: return .bool(true)
            case 0xC4, 0xC5, 0xC6: return .binary(Array(try take(Int(try uint(1 << Int(b - 0xC4))))))
            case 0xC7, 0xC8, 0xC9: return try ext(Int(try uint(1 << Int(b - 0xC7))))
            case 0xCA: return .double(Double(Float(bitPattern: UInt32(try uint(4)))))
            case 0xCB: return .double(Double(bitPattern: try uint(8)))
            case 0xCC, 0xCD, 0xCE:
                return .int(Int64(try uint(1 << Int(b - 0xCC))))
            case 0xCF:
                let u = try uint(8)
                guard u <= UInt64(Int64.max) else { throw MessagePackError(offset: at - 8, "an unsigned integer beyond 2^63 - 1") }
                return .int(Int64(u))
            case 0xD0, 0xD1, 0xD2, 0xD3:
                let n = 1 << Int(b - 0xD0)
                let u = try uint(n)
                let shift = UInt64(64 - 8 * n)
                return .int(Int64(bitPattern: u << shift) >> Int64(shift))
            case 0xD4, 0xD5, 0xD6, 0xD7, 0xD8: return try ext(1 << Int(b - 0xD4))
            case 0xD9, 0xDA, 0xDB: return try string(Int(try uint(1 << Int(b - 0xD9))))
            case 0xDC, 0xDD: return try array(Int(try uint(b == 0xDC ? 2 : 4)), depth)
            case 0xDE, 0xDF: return try map(Int(try uint(b == 0xDE ? 2 : 4)), depth)
            case 0xE0...0xFF: return .int(Int64(Int8(bitPattern: b)))
            default: throw MessagePackError(offset: at - 1, "0xc1 is never used")
            }
        }

        mutating func string(_ n: Int) throws(MessagePackError) -> MessagePack {
            let start = at
            guard let s = String(validating: try take(n), as: UTF8.self) else { throw MessagePackError(offset: start, "a string that is not UTF-8") }
            return .string(s)
        }

        mutating func array(_ n: Int, _ depth: Int) throws(MessagePackError) -> MessagePack {
            guard n <= bytes.count - at else { throw MessagePackError(offset: at, "truncated: an array of \(n) values") }
            var a: [MessagePack] = []
            a.reserveCapacity(n)
            for _ in 0..<n { a.append(try value(depth: depth + 1)) }
            return .array(a)
        }

        mutating func map(_ n: Int, _ depth: Int) throws(MessagePackError) -> MessagePack {
            guard n <= (bytes.count - at) / 2 else { throw MessagePackError(offset: at, "truncated: a map of \(n) pairs") }
            var m: [Pair] = []
            m.reserveCapacity(n)
            for _ in 0..<n { m.append(Pair(try value(depth: depth + 1), try value(depth: depth + 1))) }
            return .map(m)
        }

        mutating func ext(_ n: Int) throws(MessagePackError) -> MessagePack {
            let type = Int8(bitPattern: try take(1).first!)
            let start = at
            let data = try take(n)
            guard type == -1 else { return .ext(type, Array(data)) }
            var r = Reader(bytes: Array(data))
            switch n {
            case 4: return .timestamp(seconds: Int64(try r.uint(4)), nanoseconds: 0)
            case 8:
                let v = try r.uint(8)
                return .timestamp(seconds: Int64(v & (1 << 34 - 1)), nanoseconds: UInt32(v >> 34))
            case 12:
                let nanos = UInt32(try r.uint(4))
                return .timestamp(seconds: Int64(bitPattern: try r.uint(8)), nanoseconds: nanos)
            default: throw MessagePackError(offset: start, "a timestamp of \(n) bytes (4, 8 or 12 expected)")
            }
        }
    }
}

/// Why bytes are not MessagePack: what was wrong and at which byte.
public struct MessagePackError: Error, Sendable, Hashable, CustomStringConvertible {
    public let offset: Int
    public let reason: String
    init(offset: Int, _ reason: String) {
        self.offset = offset
        self.reason = reason
    }
    public var description: String { "not MessagePack: \(reason) at byte \(offset)" }
}
