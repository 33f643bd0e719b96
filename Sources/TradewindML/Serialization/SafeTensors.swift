import Foundation
import TradewindCore

/// Reads and writes safetensors files (Hugging Face's format, what `safetensors.torch.save_file` writes): an
/// 8-byte little-endian header length, a JSON header mapping each tensor name to its dtype, shape and byte
/// range, then the raw little-endian data.
public enum SafeTensors {
    /// Writes `weights` (in their insertion order) with optional string `metadata`, atomically (`AtomicFile`: a
    /// reader sees the old file or the new one, never half of one).
    public static func save<S: TensorScalar>(_ weights: StateDict<S>, to path: String, metadata: [String: String] = [:]) throws(MLError) {
        do throws(AtomicFileError) { try AtomicFile.write(encoded(weights, metadata: metadata), to: path) } catch {
            throw .io(path: path, detail: "cannot write: \(error.message)")
        }
    }

    /// The file's bytes for `weights` (in their insertion order) with optional string `metadata`.
    public static func encoded<S: TensorScalar>(_ weights: StateDict<S>, metadata: [String: String] = [:]) -> [UInt8] {
        var entries: [String] = []
        if !metadata.isEmpty {
            let m = metadata.keys.sorted().map { "\(quote($0)):\(quote(metadata[$0]!))" }.joined(separator: ",")
            entries.append("\"__metadata__\":{\(m)}")
        }
        var offset = 0
        let width = MemoryLayout<S>.size
        for name in weights.names {
            let t = weights[name]!
            let end = offset + t.count * width
            entries.append("\(quote(name)):{\"dtype\":\"\(S.dtypeName)\",\"shape\":[\(t.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var header = Array(("{" + entries.joined(separator: ",") + "}").utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        var data: [UInt8] = []
        data.reserveCapacity(8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(contentsOf: header)
        for name in weights.names {
            weights[name]!.scalars.withUnsafeBytes { data.append(contentsOf: $0) }
        }
        return data
    }

    /// Reads every tensor of a file whose dtype matches `S` and the file's string metadata (empty when it has none).
    public static func loadWithMetadata<S: TensorScalar>(_ path: String, as: S.Type = S.self) throws(MLError) -> (weights: StateDict<S>, metadata: [String: String]) {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .io(path: path, detail: "cannot read: \(error.localizedDescription)")
        }
        return try parseWithMetadata(data, path: path)
    }

    /// Reads every tensor of a file whose dtype matches `S` (F32 for Float). Names keep the file's byte order.
    public static func load<S: TensorScalar>(_ path: String, as: S.Type = S.self) throws(MLError) -> StateDict<S> {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw .io(path: path, detail: "cannot read: \(error.localizedDescription)")
        }
        return try parse(data, path: path)
    }

    /// Reads a file and checks it holds every weight in `expected` with its shape (extra tensors are an error
    /// too, naming them, so a file for another model is not silently half-used).
    public static func load<S: TensorScalar>(_ path: String, expecting expected: [(name: String, shape: [Int])], as: S.Type = S.self) throws(MLError) -> StateDict<S> {
        let all: StateDict<S> = try load(path)
        var out = StateDict<S>()
        for (name, shape) in expected { out[name] = try all.require(name, shape: shape) }
        let extra = Set(all.names).subtracting(expected.map(\.name))
        guard extra.isEmpty else {
            throw .corruptFile(path: path, detail: "unexpected tensors \(extra.sorted()) for this model")
        }
        return out
    }

    static func parse<S: TensorScalar>(_ data: Data, path: String) throws(MLError) -> StateDict<S> {
        try parseWithMetadata(data, path: path).weights
    }

    static func parseWithMetadata<S: TensorScalar>(_ data: Data, path: String) throws(MLError) -> (weights: StateDict<S>, metadata: [String: String]) {
        guard data.count >= 8 else { throw .corruptFile(path: path, detail: "\(data.count) bytes; a safetensors file starts with an 8-byte header length") }
        let headerLength = data.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        guard headerLength <= UInt64(data.count - 8) else {
            throw .corruptFile(path: path, detail: "header of \(headerLength) bytes but only \(data.count - 8) follow (truncated?)")
        }
        let headerEnd = 8 + Int(headerLength)
        let json: [String: Any]
        do {
            guard let o = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<headerEnd)) as? [String: Any] else {
                throw MLError.corruptFile(path: path, detail: "header is not a JSON object")
            }
            json = o
        } catch {
            throw .corruptFile(path: path, detail: "header is not valid JSON")
        }
        let body = data.count - headerEnd
        var entries: [(name: String, shape: [Int], start: Int, end: Int)] = []
        for (name, value) in json where name != "__metadata__" {
            guard let e = value as? [String: Any], let dtype = e["dtype"] as? String,
                  let shape = (e["shape"] as? [NSNumber])?.map(\.intValue),
                  let offsets = (e["data_offsets"] as? [NSNumber])?.map(\.intValue), offsets.count == 2 else {
                throw .corruptFile(path: path, detail: "entry '\(name)' lacks dtype, shape or data_offsets")
            }
            guard dtype == S.dtypeName else { throw .tensorDType(name: name, expected: S.dtypeName, found: dtype) }
            guard shape.allSatisfy({ $0 >= 0 }) else { throw .corruptFile(path: path, detail: "tensor '\(name)' has shape \(shape)") }
            let bytes = shape.reduce(1, *) * MemoryLayout<S>.size
            guard offsets[0] >= 0, offsets[1] - offsets[0] == bytes else {
                throw .corruptFile(path: path, detail: "tensor '\(name)' of shape \(shape) needs \(bytes) bytes; offsets \(offsets) give \(offsets[1] - offsets[0])")
            }
            guard offsets[1] <= body else {
                throw .corruptFile(path: path, detail: "tensor '\(name)' ends at byte \(offsets[1]) of a \(body)-byte body (truncated?)")
            }
            entries.append((name, shape, offsets[0], offsets[1]))
        }
        var dict = StateDict<S>()
        for e in entries.sorted(by: { $0.start < $1.start }) {
            let count = (e.end - e.start) / MemoryLayout<S>.size
            var scalars = [S](repeating: 0, count: count)
            scalars.withUnsafeMutableBytes { dst in
                data.withUnsafeBytes { src in dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[(headerEnd + e.start)..<(headerEnd + e.end)])) }
            }
            dict[e.name] = Tensor(uncheckedShape: e.shape, scalars: scalars)
        }
        var metadata: [String: String] = [:]
        if let m = json["__metadata__"] {
            guard let strings = m as? [String: String] else { throw .corruptFile(path: path, detail: "__metadata__ is not an object of strings") }
            metadata = strings
        }
        return (dict, metadata)
    }

    private static func quote(_ s: String) -> String { JSONString.quoted(s) }
}
