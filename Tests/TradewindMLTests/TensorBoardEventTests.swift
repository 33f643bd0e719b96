import Foundation
import SwiftProtobuf
import Testing
@testable import TradewindML

@Suite struct TensorBoardEventTests {
    @Test func crc32cMatchesTheCastagnoliCheckValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    }

    /// The generated messages keep TensorBoard's field numbers and wire types: Event.wall_time = 1 (fixed64),
    /// step = 2 (varint), summary = 5; Summary.value = 1; Value.tag = 1, simple_value = 2 (fixed32).
    @Test func aScalarEventIsEncodedWithTensorBoardsFieldNumbers() throws {
        let bytes: [UInt8] = try TensorBoardEventWriter.scalarEvent("a", 1.5, step: 300, wallTime: 2).serializedBytes()
        let value: [UInt8] = [0x0A, 0x01, 0x61, 0x15, 0x00, 0x00, 0xC0, 0x3F]
        let summary: [UInt8] = [0x0A, UInt8(value.count)] + value
        let expected: [UInt8] = [0x09, 0, 0, 0, 0, 0, 0, 0, 0x40, 0x10, 0xAC, 0x02, 0x2A, UInt8(summary.count)] + summary
        #expect(bytes == expected)
    }

    @Test func anEventFileIsFramedRecordsWithValidChecksumsThatDecodeToTheCurves() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tw-tb-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path: String
        do {
            let writer = try TensorBoardEventWriter(directory: dir, wallTime: 1000)
            try writer.epoch(EpochRecord(epoch: 3, trainingLoss: 1.25, validationLoss: 1.5, metrics: ["accuracy": 0.4],
                                         validationMetrics: ["accuracy": 0.35], learningRate: 5e-4, seconds: 1))
            path = writer.path
        }
        #expect(path.hasSuffix("events.out.tfevents.1000.tradewind"))
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        var records: [[UInt8]] = []
        var i = 0
        func u32(_ at: Int) -> UInt32 { (0..<4).reduce(0) { $0 | UInt32(bytes[at + $1]) << (8 * $1) } }
        while i < bytes.count {
            let length = Int((0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[i + $1]) << (8 * $1) })
            #expect(u32(i + 8) == CRC32C.masked(Array(bytes[i..<(i + 8)])))
            let record = Array(bytes[(i + 12)..<(i + 12 + length)])
            #expect(u32(i + 12 + length) == CRC32C.masked(record))
            records.append(record)
            i += 16 + length
        }
        let events = try records.map { try Tensorboard_Event(serializedBytes: $0) }
        // The file-version event, then loss/training, loss/validation, accuracy ×2, learning_rate.
        #expect(events.count == 6)
        #expect(events[0].fileVersion == "brain.Event:2" && events[0].wallTime == 1000)
        let points = events.dropFirst().map { e in (e.summary.value[0].tag, e.summary.value[0].simpleValue, e.step) }
        #expect(points.map(\.0) == ["loss/training", "loss/validation", "accuracy/training", "accuracy/validation", "learning_rate"])
        #expect(points.map(\.1) == [1.25, 1.5, 0.4, 0.35, 5e-4])
        #expect(points.allSatisfy { $0.2 == 3 })
    }
}
