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
        // The store's registry (--database): versions, parents, rollback and export of any version.
        let database = dir + "/store.sqlite"
        for _ in 0..<2 {
            let stored = try CLITests.run(["ml", "import", "--database", database, "--archive", dir + "/m.zip"])
            #expect(stored.status == 0, "\(stored.stderr)")
        }
        let versions = try CLITests.run(["ml", "versions", "--database", database])
        #expect(versions.stdout.split(separator: "\n").map { String($0.prefix(14)) } == ["* universal v2", "  universal v1"], "\(versions.stderr)")
        #expect(versions.stdout.contains("parent v1"))
        let rollback = try CLITests.run(["ml", "rollback", "--database", database])
        #expect(rollback.status == 0 && rollback.stdout.contains("rolled back to universal v1"), "\(rollback.stderr)")
        let tooFar = try CLITests.run(["ml", "rollback", "--database", database, "--steps", "1"])
        #expect(tooFar.status != 0 && tooFar.stderr.contains("steps"))
        let exported = try CLITests.run(["ml", "export", "--database", database, "--version", "2", "--out", dir + "/v2.zip"])
        #expect(exported.status == 0 && exported.stdout.prefix(64) == export.stdout.prefix(64), "\(exported.stderr)")
        let predicted = try CLITests.run(["ml", "predict", "--database", database, "--data", "sample:sp500-50", "--symbols", "KO",
                                          "--from", "2021-04-19", "--format", "csv"])
        #expect(predicted.stdout == predict.stdout, "\(predicted.stderr)")
    }

    @Test func optimizeRetrainsPerFoldAndWalkForwardWritesItsReport() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tw-ml-wf-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tiny = ["--walk-forward", "folds=2,train=300,test=60", "--data", "sample:spy-daily"]
        let optimize = try CLITests.run(["optimize", "--strategy", "ml-signal", "--grid", "threshold=0.1:0.2:0.1", "--train-epochs", "1",
                                         "--train-widths", "4,2,2,4,2", "--train-window", "20", "--fold-models", dir + "/folds",
                                         "--objective", "total_return", "--no-robustness", "--json", "--report", dir + "/optimize.html"] + tiny)
        #expect(optimize.status == 0, "\(optimize.stderr)")
        // The searched range's model and one per fold, each named by its hash in the parameters (JSON escapes '/').
        let models = try FileManager.default.contentsOfDirectory(atPath: dir + "/folds").filter { !$0.hasPrefix(".") }
        #expect(models.count == 3 && models.allSatisfy { optimize.stdout.contains($0 + "\\/universal.json") })
        let given = try CLITests.run(["optimize", "--strategy", "ml-signal", "--fixed", "model=" + dir + "/x.json"] + tiny)
        #expect(given.status != 0 && given.stderr.contains("each in-sample window trains its own"))

        let walk = try CLITests.run(["ml", "walk-forward", "--epochs", "1", "--widths", "4,2,2,4,2", "--window", "20",
                                     "--param", "threshold=0.1", "--report", dir + "/eval.html"] + tiny)
        #expect(walk.status == 0, "\(walk.stderr)")
        let html = try String(contentsOfFile: dir + "/eval.html", encoding: .utf8)
        #expect(["summary", "equity", "folds", "leakage"].allSatisfy { html.contains("<section id=\"\($0)\"") })
        #expect(html.contains("<tr data-fold=\"1\">") && html.contains("Random split: validation (leaky)"))

        // optimize --report: the model section of the optimisation's own folds, with each fold's chosen threshold.
        let optimized = try String(contentsOfFile: dir + "/optimize.html", encoding: .utf8)
        #expect(optimized.contains("<section id=\"model\">") && optimized.contains("href=\"#model\""))
        let optimizeRows = try Self.foldRows(optimized)
        #expect(optimizeRows.count == 2 && optimizeRows.allSatisfy { $0.contains("threshold = 0.") && $0.contains("model = ") })

        // backtest --report of a given model with --walk-forward: the section is `ml walk-forward`'s, row for row.
        let train = try CLITests.run(["ml", "train", "--data", "sample:spy-daily", "--epochs", "1", "--widths", "4,2,2,4,2", "--out", dir + "/given"])
        #expect(train.status == 0, "\(train.stderr)")
        let backtest = try CLITests.run(["backtest", "--strategy", "ml-signal", "--param", "model=" + dir + "/given/universal.json",
                                         "--param", "threshold=0.1", "--train-epochs", "1", "--train-widths", "4,2,2,4,2",
                                         "--train-window", "20", "--report", dir + "/backtest.html"] + tiny)
        #expect(backtest.status == 0, "\(backtest.stderr)")
        let page = try String(contentsOfFile: dir + "/backtest.html", encoding: .utf8)
        #expect(page.contains("<section id=\"model\">") && page.contains("retrained on each fold") && page.contains("folds=2,train=300,test=60"))
        let walkRows = try Self.foldRows(html)
        let backtestRows = try Self.foldRows(page)
        #expect(walkRows.count == 2 && backtestRows == walkRows)
        // Without --walk-forward: the given model's bars after its training range (its validation dates and the last bar).
        let fixed = try CLITests.run(["backtest", "--strategy", "ml-signal", "--param", "model=" + dir + "/given/universal.json",
                                      "--report", dir + "/given.html", "--data", "sample:spy-daily"])
        #expect(fixed.status == 0, "\(fixed.stderr)")
        let givenPage = try String(contentsOfFile: dir + "/given.html", encoding: .utf8)
        #expect(givenPage.contains("<section id=\"model\">") && givenPage.contains("given, not retrained") && givenPage.contains("<tr data-fold=\"0\">"))
    }

    /// The rows of a page's out-of-sample fold table (`id="fold-table"`).
    static func foldRows(_ html: String) throws -> [String] {
        let table = try #require(html.range(of: "id=\"fold-table\""))
        let end = try #require(html[table.upperBound...].range(of: "</table>"))
        let rows = String(html[table.upperBound..<end.lowerBound]).components(separatedBy: "<tr data-fold=")
        return Array(rows.dropFirst())
    }

    @Test func backtestWalkForwardIsRefusedForOtherStrategiesAndWithoutAReport() throws {
        let other = try CLITests.run(["backtest", "--strategy", "sma-cross", "--walk-forward", "folds=2", "--report", "/tmp/x.html",
                                      "--data", "sample:spy-daily"])
        #expect(other.status != 0 && other.stderr.contains("--walk-forward: only the ML strategies' report"), "\(other.stderr)")
        let noReport = try CLITests.run(["backtest", "--strategy", "ml-signal", "--walk-forward", "folds=2", "--data", "sample:spy-daily"])
        #expect(noReport.status != 0 && noReport.stderr.contains("give --report or --pdf"), "\(noReport.stderr)")
        let bad = try CLITests.run(["backtest", "--strategy", "ml-signal", "--walk-forward", "folds=x", "--report", "/tmp/x.html",
                                    "--data", "sample:spy-daily"])
        #expect(bad.status != 0 && bad.stderr.contains("--walk-forward folds=x"), "\(bad.stderr)")
    }

    @Test func walkForwardReadsParamsAsEveryCommandDoes() throws {
        let run = try CLITests.run(["ml", "walk-forward", "--param", "oops", "--data", "sample:spy-daily"])
        #expect(run.status != 0 && run.stderr.contains("--param oops: expected name=value"), "\(run.stderr)")
    }

    @Test func trainWithACheckpointRemovesItOnceRegisteredAndResumeFollowsItsRules() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tw-ml-ckpt-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let checkpoint = dir + "/ckpt", file = dir + "/ckpt/training-checkpoint.safetensors"
        let base = ["ml", "train", "--data", "sample:sp500-50", "--symbols", "KO", "--epochs", "2", "--widths", "4,2,2,4,2",
                    "--out", dir + "/model", "--checkpoint", checkpoint]
        let nothing = try CLITests.run(base + ["--resume"])
        #expect(nothing.status != 0 && nothing.stderr.contains("none there"), "\(nothing.stderr)")
        let train = try CLITests.run(base)
        #expect(train.status == 0, "\(train.stderr)")
        #expect(train.stderr.contains("epoch 2/2"))
        #expect(!FileManager.default.fileExists(atPath: file), "the checkpoint is removed once the model is registered")
        // A checkpoint left behind is not overwritten without --resume; a damaged one is an error, not a trap.
        try Data("not a checkpoint".utf8).write(to: URL(fileURLWithPath: file))
        let left = try CLITests.run(base)
        #expect(left.status != 0 && left.stderr.contains("--resume"), "\(left.stderr)")
        let damaged = try CLITests.run(base + ["--resume"])
        #expect(damaged.status != 0 && damaged.stderr.contains("not a valid file"), "\(damaged.stderr)")
    }

    @Test func anUnknownSymbolIsAnErrorNamingTheAvailableOnes() throws {
        let run = try CLITests.run(["ml", "train", "--data", "sample:sp500-50", "--symbols", "NOPE", "--epochs", "1"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("NOPE"))
    }
}
