import Foundation
import Testing
@testable import TradewindML

@Suite struct TensorBoardEventTests {
    @Test func crc32cMatchesTheCastagnoliCheckValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
    }

    @Test func protobufVarintsAndFixedFieldsAreEncodedAsTheWireFormatSays() {
        var p = Protobuf()
        p.varint(2, 300)
        p.float(2, 1.5)
        p.bytes(1, [0x61])
        #expect(p.data == [0x10, 0xAC, 0x02, 0x15, 0x00, 0x00, 0xC0, 0x3F, 0x0A, 0x01, 0x61])
    }

    @Test func anEventFileIsFramedRecordsWithValidChecksums() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tw-tb-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path: String
        do {
            let writer = try TensorBoardEventWriter(directory: dir, wallTime: 1000)
            try writer.epoch(EpochRecord(epoch: 0, trainingLoss: 1.25, validationLoss: 1.5, metrics: ["accuracy": 0.4],
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
        // The file-version event, then loss/training, loss/validation, accuracy ×2, learning_rate.
        #expect(records.count == 6)
        #expect(records[0].suffix(13) == Array("brain.Event:2".utf8))
        #expect(String(decoding: records[1], as: UTF8.self).contains("loss/training"))
    }
}
