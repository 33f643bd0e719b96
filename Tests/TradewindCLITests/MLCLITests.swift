import Foundation
import Testing

/// `tradewind ml train|evaluate|predict` end to end on a bundled sample, with a tiny network and one epoch.
@Suite("tradewind ml")
struct MLCLITests {
    @Test func trainThenPredictAndEvaluateFromTheSavedModel() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tw-ml-cli-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let train = try CLITests.run(["ml", "train", "--data", "sample:sp500-50", "--symbols", "KO", "--epochs", "1",
                                      "--widths", "4,2,2,4,2", "--out", dir])
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stderr.contains("epoch 1/1 [") && train.stderr.contains("eta"))
        #expect(train.stdout.contains("accuracy") && train.stdout.contains("baseline"))
        #expect(FileManager.default.fileExists(atPath: dir + "/universal.safetensors"))
        let predict = try CLITests.run(["ml", "predict", "--model-dir", dir, "--data", "sample:sp500-50", "--symbols", "KO",
                                        "--from", "2021-04-19", "--format", "csv"])
        #expect(predict.status == 0, "\(predict.stderr)")
        let lines = predict.stdout.split(separator: "\n")
        #expect(lines.first == "symbol,time,p_down,p_neutral,p_up,predicted_change,direction")
        #expect(lines.count == 4 && lines.dropFirst().allSatisfy { $0.hasPrefix("KO,2021-04-") })
        let evaluate = try CLITests.run(["ml", "evaluate", "--model-dir", dir, "--data", "sample:sp500-50", "--symbols", "KO"])
        #expect(evaluate.status == 0 && evaluate.stdout.contains("IC (Spearman)"), "\(evaluate.stderr)")
        let export = try CLITests.run(["ml", "export", "--model-dir", dir, "--out", dir + "/m.zip"])
        #expect(export.status == 0, "\(export.stderr)")
        let imported = try CLITests.run(["ml", "import", "--model-dir", dir + "/copy", "--archive", dir + "/m.zip"])
        #expect(imported.status == 0 && imported.stdout.contains(String(export.stdout.prefix(64))), "\(imported.stderr)")
        let again = try CLITests.run(["ml", "predict", "--model-dir", dir + "/copy", "--data", "sample:sp500-50", "--symbols", "KO",
                                      "--from", "2021-04-19", "--format", "csv"])
        #expect(again.stdout == predict.stdout)
    }

    @Test func anUnknownSymbolIsAnErrorNamingTheAvailableOnes() throws {
        let run = try CLITests.run(["ml", "train", "--data", "sample:sp500-50", "--symbols", "NOPE", "--epochs", "1"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("NOPE"))
    }
}
