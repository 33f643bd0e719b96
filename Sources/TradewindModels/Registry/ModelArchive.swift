import Crypto
import CZlib
import Foundation

/// A model as one portable file: a zip (stored entries) of `universal.safetensors` and `universal.json`, the AI
/// trading server's download format, with the SHA-256 of its bytes as the version's identity (its hash endpoint
/// lets a client detect an update).
public enum ModelArchive {
    static let weightsEntry = "universal.safetensors", configEntry = "universal.json"

    /// The archive of `model`'s files (saved in a scratch directory first, so the bytes are exactly the files').
    public static func archive(_ model: UniversalModel) throws(ModelError) -> Data {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tw-archive-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try makeDirectory(scratch)
        try model.save(stem: UniversalModel.stem(in: scratch))
        let entries: [(String, Data)]
        do {
            entries = try [weightsEntry, configEntry].map { ($0, try Data(contentsOf: URL(fileURLWithPath: scratch + "/" + $0))) }
        } catch {
            throw .invalidSetting(name: "model", value: scratch, expected: "readable saved files (\(error.localizedDescription))")
        }
        return zip(entries)
    }

    /// The model in an archive made by `archive` (any zip with the two entries stored uncompressed).
    public static func model(from archive: Data) throws(ModelError) -> UniversalModel {
        let entries = try unzip(archive)
        guard let weights = entries[weightsEntry], let config = entries[configEntry] else {
            throw .invalidSetting(name: "model archive", value: entries.keys.sorted().joined(separator: ", "),
                                  expected: "the entries \(weightsEntry) and \(configEntry)")
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("tw-archive-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        try makeDirectory(scratch)
        do {
            try weights.write(to: URL(fileURLWithPath: scratch + "/" + weightsEntry))
            try config.write(to: URL(fileURLWithPath: scratch + "/" + configEntry))
        } catch {
            throw .invalidSetting(name: "model archive", value: scratch, expected: "a writable scratch directory (\(error.localizedDescription))")
        }
        return try UniversalModel.load(stem: UniversalModel.stem(in: scratch))
    }

    static func makeDirectory(_ directory: String) throws(ModelError) {
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw .invalidSetting(name: "model directory", value: directory, expected: "a writable directory (\(error.localizedDescription))")
        }
    }

    /// Lowercase hex SHA-256 of `data`.
    public static func sha256(_ data: Data) -> String { SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined() }

    static func crc32(_ data: Data) -> UInt32 {
        data.withUnsafeBytes { b in UInt32(CZlib.crc32(0, b.bindMemory(to: UInt8.self).baseAddress, uInt(b.count))) }
    }

    /// A zip of stored (uncompressed) entries, dated 1980-01-01 so the same files give the same bytes.
    static func zip(_ entries: [(name: String, data: Data)]) -> Data {
        var out = Data(), central = Data()
        func u16(_ v: Int, _ d: inout Data) { withUnsafeBytes(of: UInt16(v).littleEndian) { d.append(contentsOf: $0) } }
        func u32(_ v: UInt32, _ d: inout Data) { withUnsafeBytes(of: v.littleEndian) { d.append(contentsOf: $0) } }
        for (name, data) in entries {
            let offset = UInt32(out.count), crc = crc32(data), nameBytes = Data(name.utf8)
            u32(0x0403_4B50, &out); u16(20, &out); u16(0, &out); u16(0, &out); u16(0, &out); u16(0x21, &out)
            u32(crc, &out); u32(UInt32(data.count), &out); u32(UInt32(data.count), &out); u16(nameBytes.count, &out); u16(0, &out)
            out += nameBytes
            out += data
            u32(0x0201_4B50, &central); u16(20, &central); u16(20, &central); u16(0, &central); u16(0, &central); u16(0, &central)
            u16(0x21, &central); u32(crc, &central); u32(UInt32(data.count), &central); u32(UInt32(data.count), &central)
            u16(nameBytes.count, &central); u16(0, &central); u16(0, &central); u16(0, &central); u16(0, &central); u32(0, &central)
            u32(offset, &central)
            central += nameBytes
        }
        let centralOffset = UInt32(out.count)
        out += central
        u32(0x0605_4B50, &out); u16(0, &out); u16(0, &out); u16(entries.count, &out); u16(entries.count, &out)
        u32(UInt32(central.count), &out); u32(centralOffset, &out); u16(0, &out)
        return out
    }

    /// The stored entries of a zip, checked against their CRC-32; a compressed, truncated or corrupt archive is an error.
    static func unzip(_ zip: Data) throws(ModelError) -> [String: Data] {
        let b = [UInt8](zip)
        func bad(_ why: String) -> ModelError { .invalidSetting(name: "model archive", value: "\(b.count) bytes", expected: "a zip: \(why)") }
        func u16(_ i: Int) throws(ModelError) -> Int {
            guard i >= 0, i + 2 <= b.count else { throw bad("truncated") }
            return Int(b[i]) | Int(b[i + 1]) << 8
        }
        func u32(_ i: Int) throws(ModelError) -> Int { try u16(i) | u16(i + 2) << 16 }
        let end = b.count - 22
        guard end >= 0, try u32(end) == 0x0605_4B50 else { throw bad("no end-of-directory record (truncated, or a comment)") }
        var entries: [String: Data] = [:]
        var p = try u32(end + 16)
        for _ in 0..<(try u16(end + 10)) {
            guard try u32(p) == 0x0201_4B50 else { throw bad("a broken central directory") }
            let method = try u16(p + 10), crc = try u32(p + 16), size = try u32(p + 20), nameLength = try u16(p + 28)
            let extra = try u16(p + 30), comment = try u16(p + 32), local = try u32(p + 42)
            guard p + 46 + nameLength <= b.count else { throw bad("truncated") }
            let name = String(decoding: b[(p + 46)..<(p + 46 + nameLength)], as: UTF8.self)
            guard method == 0 else { throw bad("\(name) is compressed; only stored entries are read") }
            guard try u32(local) == 0x0403_4B50 else { throw bad("\(name) has no local header") }
            let start = local + 30 + (try u16(local + 26)) + (try u16(local + 28))
            guard start + size <= b.count else { throw bad("\(name) is truncated") }
            let data = Data(b[start..<(start + size)])
            guard crc32(data) == UInt32(crc) else { throw bad("\(name) fails its CRC-32") }
            entries[name] = data
            p += 46 + nameLength + extra + comment
        }
        return entries
    }
}
