import Foundation
import Testing
@testable import TradewindModels

@Suite struct ModelArchiveTests {
    @Test func anExportedAndReimportedModelPredictsIdentically() throws {
        let (_, run) = try UniversalTrainingTests.trained()
        let archive = try ModelArchive.archive(run.model)
        let imported = try ModelArchive.model(from: archive)
        #expect(imported.config == run.model.config)
        let tables = try FeatureFixture.tables()
        #expect(try imported.predict(tables) == run.model.predict(tables))
        // Same model, same bytes: the hash identifies the version.
        #expect(try ModelArchive.sha256(ModelArchive.archive(imported)) == ModelArchive.sha256(archive))
        #expect(ModelArchive.sha256(archive).count == 64)
    }

    @Test func sha256MatchesTheStandardTestVector() {
        #expect(ModelArchive.sha256(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func aTruncatedOrAlteredArchiveIsATypedError() throws {
        let archive = ModelArchive.zip([("universal.json", Data("{}".utf8)), ("universal.safetensors", Data([1, 2, 3]))])
        #expect(try ModelArchive.unzip(archive)["universal.safetensors"] == Data([1, 2, 3]))
        #expect(throws: ModelError.self) { try ModelArchive.unzip(archive.prefix(archive.count - 5)) }
        var altered = archive
        altered[30 + "universal.json".count] ^= 0xFF  // the first byte of the first entry's data: its CRC-32 fails
        #expect(throws: ModelError.self) { try ModelArchive.unzip(altered) }
        #expect(throws: ModelError.self) { try ModelArchive.model(from: ModelArchive.zip([("other.txt", Data())])) }
    }
}
