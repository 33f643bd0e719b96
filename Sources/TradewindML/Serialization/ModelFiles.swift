import Foundation

/// A model on disk: `<stem>.safetensors` (weights under PyTorch `state_dict` names) beside `<stem>.json`
/// (the model's configuration, whatever Codable value the model describes itself with).
public enum ModelFiles {
    /// Writes the weights and the configuration.
    public static func save<S: TensorScalar, C: Encodable>(weights: StateDict<S>, config: C, stem: String) throws(MLError) {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        do { try enc.encode(config).write(to: URL(fileURLWithPath: stem + ".json"), options: .atomic) } catch {
            throw .io(path: stem + ".json", detail: "cannot write the configuration: \(error)")
        }
        try SafeTensors.save(weights, to: stem + ".safetensors", metadata: ["format": "pt"])
    }

    /// Reads the configuration of type `C`.
    public static func loadConfig<C: Decodable>(_ type: C.Type, stem: String) throws(MLError) -> C {
        let path = stem + ".json"
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch { throw .io(path: path, detail: "cannot read: \(error.localizedDescription)") }
        do { return try JSONDecoder().decode(C.self, from: data) } catch {
            throw .corruptFile(path: path, detail: "not a \(C.self) configuration: \(error)")
        }
    }
}
