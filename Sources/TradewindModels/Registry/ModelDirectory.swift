import Foundation
import TradewindCore

/// The file implementation of `ModelRegistry`, for the standalone command line: one model's versions in a
/// directory. `registry.json` lists the versions; `versions/<sha256>.zip` holds each archive (content-addressed);
/// `universal.json` + `universal.safetensors` are always the active version's files, so anything that loads a
/// `--model-dir` serves the active version. A directory written before the registry (only `universal.*`) is
/// taken in as version 1 on first use.
public struct ModelDirectory: ModelRegistry {
    public let path: String
    /// The one model name the directory holds.
    public let name: String
    public let keep: Int

    /// - Parameters: `keep` 1...1000 versions (default 7, the GPU trading system's `max_versions`).
    public init(_ path: String, name: String = "universal", keep: Int = 7) throws(ModelError) {
        guard (1...1000).contains(keep) else { throw .invalidSetting(name: "keep", value: "\(keep)", expected: "1...1000 versions") }
        self.path = path
        self.name = name
        self.keep = keep
    }

    struct Index: Codable { var versions: [ModelVersionRecord] }

    var indexPath: String { path + "/registry.json" }
    func archivePath(_ sha256: String) -> String { path + "/versions/\(sha256).zip" }

    /// The active model.
    public func current() throws(ModelError) -> UniversalModel { try UniversalModel.load(stem: UniversalModel.stem(in: path)) }

    public func register(_ model: UniversalModel, name: String, datasetHash: String, activate: Bool,
                         refusal: String?) async throws -> ModelVersionRecord {
        try check(name)
        var index = try load()
        let entry = try ModelRegistryEntry(model)
        let record = ModelVersionRecord(
            name: name, version: (index.versions.map(\.version).max() ?? 0) + 1, sha256: entry.sha256,
            parentVersion: index.versions.first(where: \.active)?.version, datasetHash: datasetHash, metrics: entry.metrics,
            trainingFrom: model.config.trainingFrom, trainingThrough: model.config.trainingThrough, bytes: entry.archive.count,
            active: false, createdAt: nowNanos(), refusal: refusal)
        // The request is checked before anything is written.
        if activate, refusal != nil { throw Self.refusedActivation(record) }
        try write(entry.archive, to: archivePath(entry.sha256))
        index.versions.insert(record, at: 0)
        if activate { try makeActive(record.version, in: &index, model: model) }
        // The newest `keep` deployable versions, and beside them the newest `keep` refused candidates.
        let kept = Set(index.versions.filter { $0.refusal == nil }.prefix(keep).map(\.version))
            .union(index.versions.filter { $0.refusal != nil }.prefix(keep).map(\.version))
        index.versions.removeAll { !kept.contains($0.version) && !$0.active }
        try save(index)
        return index.versions.first { $0.version == record.version } ?? record
    }

    public func versions(of name: String) async throws -> [ModelVersionRecord] {
        try check(name)
        return try load().versions
    }

    public func archive(of name: String, version: Int?) async throws -> (record: ModelVersionRecord, archive: Data) {
        try check(name)
        guard let record = try load().versions.first(where: { version == nil ? $0.active : $0.version == version }) else {
            throw Self.missing(name, version: version)
        }
        return (record, try read(archivePath(record.sha256)))
    }

    public func rollback(_ name: String, steps: Int) async throws -> ModelVersionRecord {
        try check(name)
        var index = try load()
        // Refused candidates are passed over.
        let deployable = index.versions.filter { $0.refusal == nil }
        guard let current = deployable.firstIndex(where: \.active) else { throw Self.missing(name, version: nil) }
        let older = deployable.count - current - 1
        guard steps >= 1, steps <= older else {
            throw ModelError.invalidSetting(name: "steps", value: "\(steps)",
                                            expected: older == 0 ? "none: \(path) keeps no older version" : "1...\(older)")
        }
        let target = deployable[current + steps]
        try makeActive(target.version, in: &index, model: ModelArchive.model(from: read(archivePath(target.sha256))))
        try save(index)
        return index.versions.first { $0.version == target.version }!
    }

    public func activate(_ name: String, version: Int, ifActive expectedActive: Int) async throws -> ModelVersionRecord? {
        try check(name)
        var index = try load()
        guard index.versions.first(where: \.active)?.version == expectedActive else { return nil }
        guard let target = index.versions.first(where: { $0.version == version && $0.refusal == nil }) else {
            throw Self.missing(name, version: version)
        }
        try makeActive(target.version, in: &index, model: ModelArchive.model(from: read(archivePath(target.sha256))))
        try save(index)
        return index.versions.first { $0.version == target.version }
    }

    func check(_ requested: String) throws(ModelError) {
        guard requested == name else { throw .invalidSetting(name: "model name", value: requested, expected: "\(name) (the model \(path) holds)") }
    }

    /// Marks `version` active and writes its files as the directory's `universal.*`.
    func makeActive(_ version: Int, in index: inout Index, model: UniversalModel) throws(ModelError) {
        try model.save(stem: UniversalModel.stem(in: path))
        for i in index.versions.indices { index.versions[i].active = index.versions[i].version == version }
    }

    func load() throws(ModelError) -> Index {
        if FileManager.default.fileExists(atPath: indexPath) {
            do { return try JSONDecoder().decode(Index.self, from: read(indexPath)) } catch {
                throw .invalidSetting(name: "model registry", value: indexPath, expected: "a registry.json written by tradewind (\(error))")
            }
        }
        guard FileManager.default.fileExists(atPath: UniversalModel.stem(in: path) + ".json") else { return Index(versions: []) }
        // A directory from before the registry: its model becomes version 1, active.
        let model = try current(), entry = try ModelRegistryEntry(model)
        try write(entry.archive, to: archivePath(entry.sha256))
        let index = Index(versions: [ModelVersionRecord(
            name: name, version: 1, sha256: entry.sha256, parentVersion: nil, datasetHash: String(repeating: "0", count: 64),
            metrics: entry.metrics, trainingFrom: model.config.trainingFrom, trainingThrough: model.config.trainingThrough,
            bytes: entry.archive.count, active: true, createdAt: nowNanos())])
        try save(index)
        return index
    }

    func save(_ index: Index) throws(ModelError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let kept = Set(index.versions.map(\.sha256))
        do {
            try write(encoder.encode(index), to: indexPath)
            // Archives no kept version names are removed.
            for file in (try? FileManager.default.contentsOfDirectory(atPath: path + "/versions")) ?? []
            where file.hasSuffix(".zip") && !kept.contains(String(file.dropLast(4))) {
                try FileManager.default.removeItem(atPath: path + "/versions/" + file)
            }
        } catch let e as ModelError { throw e } catch {
            throw .invalidSetting(name: "model directory", value: path, expected: "a writable directory (\(error.localizedDescription))")
        }
    }

    func read(_ file: String) throws(ModelError) -> Data {
        do { return try Data(contentsOf: URL(fileURLWithPath: file)) } catch {
            throw .invalidSetting(name: "model file", value: file, expected: "a readable file (\(error.localizedDescription))")
        }
    }

    func write(_ data: Data, to file: String) throws(ModelError) {
        do {
            try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try data.write(to: URL(fileURLWithPath: file), options: .atomic)
        } catch {
            throw .invalidSetting(name: "model directory", value: path, expected: "a writable directory (\(error.localizedDescription))")
        }
    }

    func nowNanos() -> UnixNanos { UnixNanos((Date().timeIntervalSince1970 * 1e6).rounded(.down)) * 1000 }
}
