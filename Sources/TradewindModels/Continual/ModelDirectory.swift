import Foundation

/// A served model's directory: the current model (`universal.*`) and the one it replaced (`previous/universal.*`),
/// so a deployment can be rolled back. (Versioned history with hashes belongs to a registry in the store.)
public struct ModelDirectory: Sendable {
    public let path: String

    public init(_ path: String) { self.path = path }

    var currentStem: String { UniversalModel.stem(in: path) }
    var previousStem: String { UniversalModel.stem(in: path + "/previous") }

    public func current() throws(ModelError) -> UniversalModel { try UniversalModel.load(stem: currentStem) }

    /// Whether a previous model is kept to roll back to.
    public var hasPrevious: Bool { FileManager.default.fileExists(atPath: previousStem + ".json") }

    /// Makes `model` current, keeping the current one (if any) as the previous.
    public func deploy(_ model: UniversalModel) throws(ModelError) {
        if FileManager.default.fileExists(atPath: currentStem + ".json") {
            try move(from: currentStem, to: previousStem)
        }
        try makeDirectory(path)
        try model.save(stem: currentStem)
    }

    /// Swaps the current and the previous model; throws when there is no previous one.
    public func rollback() throws(ModelError) {
        guard hasPrevious else { throw .notEnoughData(detail: "\(path) keeps no previous model to roll back to") }
        let swap = UniversalModel.stem(in: path + "/swap")
        try move(from: currentStem, to: swap)
        try move(from: previousStem, to: currentStem)
        try move(from: swap, to: previousStem)
        try? FileManager.default.removeItem(atPath: path + "/swap")
    }

    func makeDirectory(_ directory: String) throws(ModelError) {
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            throw .invalidSetting(name: "model directory", value: directory, expected: "a writable directory (\(error.localizedDescription))")
        }
    }

    func move(from: String, to: String) throws(ModelError) {
        try makeDirectory((to as NSString).deletingLastPathComponent)
        for suffix in [".json", ".safetensors"] {
            do {
                if FileManager.default.fileExists(atPath: to + suffix) { try FileManager.default.removeItem(atPath: to + suffix) }
                try FileManager.default.moveItem(atPath: from + suffix, toPath: to + suffix)
            } catch {
                throw .invalidSetting(name: "model directory", value: path, expected: "movable model files (\(error.localizedDescription))")
            }
        }
    }
}
