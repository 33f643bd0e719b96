import Foundation

/// Writes training curves as a TensorBoard event file (`events.out.tfevents.<time>.tradewind`), so
/// `tensorboard --logdir DIR` plots them: TFRecord framing (length, masked CRC-32C of the length, the record, its
/// masked CRC-32C) around `tensorflow.Event` messages, each a scalar summary (tag, step, wall time, value). The
/// few protobuf fields are encoded here directly (varints, fixed 32/64-bit and length-delimited fields).
public struct TensorBoardEventWriter {
    public let path: String
    private let handle: FileHandle

    /// Creates `directory` if needed and a new event file in it, starting with the file-version event.
    public init(directory: String, wallTime: Double = Date().timeIntervalSince1970) throws(MLError) {
        path = directory + "/events.out.tfevents.\(Int(wallTime)).tradewind"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: path, contents: nil) else { throw CocoaError(.fileWriteUnknown) }
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        } catch {
            throw .io(path: path, detail: "cannot create the event file: \(error.localizedDescription)")
        }
        var event = Protobuf()
        event.double(1, wallTime)
        event.bytes(3, Array("brain.Event:2".utf8))
        try write(event.data)
    }

    /// Appends one scalar point of the curve `tag` at `step`.
    public func scalar(_ tag: String, _ value: Double, step: Int, wallTime: Double = Date().timeIntervalSince1970) throws(MLError) {
        var summaryValue = Protobuf()
        summaryValue.bytes(1, Array(tag.utf8))
        summaryValue.float(2, Float(value))
        var summary = Protobuf()
        summary.bytes(1, summaryValue.data)
        var event = Protobuf()
        event.double(1, wallTime)
        event.varint(2, UInt64(bitPattern: Int64(step)))
        event.bytes(5, summary.data)
        try write(event.data)
    }

    /// Appends an epoch's curves: `loss/training`, `loss/validation`, `accuracy/…` (each metric), `learning_rate`.
    public func epoch(_ r: EpochRecord) throws(MLError) {
        try scalar("loss/training", r.trainingLoss, step: r.epoch)
        if let v = r.validationLoss { try scalar("loss/validation", v, step: r.epoch) }
        for (k, v) in r.metrics.sorted(by: { $0.key < $1.key }) { try scalar("\(k)/training", v, step: r.epoch) }
        for (k, v) in r.validationMetrics.sorted(by: { $0.key < $1.key }) { try scalar("\(k)/validation", v, step: r.epoch) }
        try scalar("learning_rate", r.learningRate, step: r.epoch)
    }

    private func write(_ record: [UInt8]) throws(MLError) {
        var length = [UInt8](repeating: 0, count: 8)
        withUnsafeBytes(of: UInt64(record.count).littleEndian) { length = Array($0) }
        var out = length
        out += Self.littleEndian(CRC32C.masked(length))
        out += record
        out += Self.littleEndian(CRC32C.masked(record))
        do { try handle.write(contentsOf: Data(out)) } catch {
            throw .io(path: path, detail: "cannot append an event: \(error.localizedDescription)")
        }
    }

    static func littleEndian(_ v: UInt32) -> [UInt8] { withUnsafeBytes(of: v.littleEndian) { Array($0) } }
}

/// The few protobuf encodings an event needs.
struct Protobuf {
    var data: [UInt8] = []

    mutating func key(_ field: Int, _ wireType: UInt64) { appendVarint(UInt64(field) << 3 | wireType) }
    mutating func appendVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            data.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        data.append(UInt8(v))
    }
    mutating func varint(_ field: Int, _ value: UInt64) {
        key(field, 0)
        appendVarint(value)
    }
    mutating func double(_ field: Int, _ value: Double) {
        key(field, 1)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { data += $0 }
    }
    mutating func float(_ field: Int, _ value: Float) {
        key(field, 5)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { data += $0 }
    }
    mutating func bytes(_ field: Int, _ value: [UInt8]) {
        key(field, 2)
        appendVarint(UInt64(value.count))
        data += value
    }
}

/// CRC-32C (Castagnoli), as TFRecord frames records, and TensorFlow's masking of it.
enum CRC32C {
    static let table: [UInt32] = (0..<256).map { i in
        var c = UInt32(i)
        for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
        return c
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }

    static func masked(_ bytes: [UInt8]) -> UInt32 {
        let c = checksum(bytes)
        return ((c >> 15) | (c << 17)) &+ 0xA282_EAD8
    }
}
