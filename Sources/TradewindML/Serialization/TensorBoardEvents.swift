import Foundation
import SwiftProtobuf

/// Writes training curves as a TensorBoard event file (`events.out.tfevents.<time>.tradewind`), so
/// `tensorboard --logdir DIR` plots them: TFRecord framing (length, masked CRC-32C of the length, the record, its
/// masked CRC-32C) around `tensorboard.Event` messages, each a scalar summary (tag, step, wall time, value). The
/// messages are swift-protobuf's, generated from `Scripts/ml/proto/TensorBoardEvent.proto` (TensorBoard's field
/// numbers) into `TensorBoardEvent.pb.swift` by `Scripts/ml/generate_tensorboard_protos.sh`.
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
        var event = Tensorboard_Event()
        event.wallTime = wallTime
        event.fileVersion = "brain.Event:2"
        try write(event)
    }

    /// Appends one scalar point of the curve `tag` at `step`.
    public func scalar(_ tag: String, _ value: Double, step: Int, wallTime: Double = Date().timeIntervalSince1970) throws(MLError) {
        try write(Self.scalarEvent(tag, value, step: step, wallTime: wallTime))
    }

    /// Appends an epoch's curves: `loss/training`, `loss/validation`, `accuracy/…` (each metric), `learning_rate`.
    public func epoch(_ r: EpochRecord) throws(MLError) {
        try scalar("loss/training", r.trainingLoss, step: r.epoch)
        if let v = r.validationLoss { try scalar("loss/validation", v, step: r.epoch) }
        for (k, v) in r.metrics.sorted(by: { $0.key < $1.key }) { try scalar("\(k)/training", v, step: r.epoch) }
        for (k, v) in r.validationMetrics.sorted(by: { $0.key < $1.key }) { try scalar("\(k)/validation", v, step: r.epoch) }
        try scalar("learning_rate", r.learningRate, step: r.epoch)
    }

    /// The event holding one scalar point (TensorBoard's `simple_value`, a float).
    static func scalarEvent(_ tag: String, _ value: Double, step: Int, wallTime: Double) -> Tensorboard_Event {
        var point = Tensorboard_Summary.Value()
        point.tag = tag
        point.simpleValue = Float(value)
        var event = Tensorboard_Event()
        event.wallTime = wallTime
        event.step = Int64(step)
        event.summary.value = [point]
        return event
    }

    private func write(_ event: Tensorboard_Event) throws(MLError) {
        let record: [UInt8]
        do { record = try event.serializedBytes() } catch {
            throw .io(path: path, detail: "cannot encode an event: \(error)")
        }
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
