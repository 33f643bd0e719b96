import Foundation
import Testing
import TradewindCore
@testable import TradewindML

/// safetensors round trips and the errors for files that do not fit the model.
@Suite struct SafeTensorsTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("tradewind-ml-\(UInt64.random(in: 0...UInt64.max))")

    init() throws { try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true) }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func sample() throws -> StateDict<Float> {
        var d = StateDict<Float>()
        d["encoder.weight"] = try Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        d["encoder.bias"] = try Tensor(shape: [2], scalars: [-1, 0.5])
        d["scale"] = Tensor(scalar: 3)
        return d
    }

    @Test func savedWeightsLoadBackIdenticalInOrder() throws {
        let d = try sample()
        try SafeTensors.save(d, to: path("a.safetensors"), metadata: ["format": "pt"])
        let back: StateDict<Float> = try SafeTensors.load(path("a.safetensors"))
        #expect(back == d)
        #expect(back.names == d.names)
    }

    @Test func modelFilesKeepTheConfigurationBesideTheWeights() throws {
        struct Config: Codable, Equatable { let hidden: Int; let name: String }
        try ModelFiles.save(weights: try sample(), config: Config(hidden: 7, name: "x"), stem: path("model"))
        #expect(try ModelFiles.loadConfig(Config.self, stem: path("model")) == Config(hidden: 7, name: "x"))
        let w: StateDict<Float> = try SafeTensors.load(path("model.safetensors"))
        #expect(w == (try sample()))
    }

    @Test func missingTensorIsNamedWithItsShape() throws {
        try SafeTensors.save(try sample(), to: path("b.safetensors"))
        let expected = [("encoder.weight", [2, 3]), ("encoder.bias", [2]), ("scale", []), ("head.weight", [1, 2])].map { (name: $0.0, shape: $0.1) }
        #expect(throws: MLError.missingTensor(name: "head.weight", expectedShape: [1, 2])) {
            let _: StateDict<Float> = try SafeTensors.load(path("b.safetensors"), expecting: expected)
        }
    }

    @Test func misshapenTensorIsNamedWithBothShapes() throws {
        try SafeTensors.save(try sample(), to: path("c.safetensors"))
        let expected = [(name: "encoder.weight", shape: [3, 2]), (name: "encoder.bias", shape: [2]), (name: "scale", shape: [Int]())]
        #expect(throws: MLError.tensorShape(name: "encoder.weight", expected: [3, 2], found: [2, 3])) {
            let _: StateDict<Float> = try SafeTensors.load(path("c.safetensors"), expecting: expected)
        }
    }

    @Test func extraTensorsAreReported() throws {
        try SafeTensors.save(try sample(), to: path("e.safetensors"))
        #expect(throws: MLError.self) {
            let _: StateDict<Float> = try SafeTensors.load(path("e.safetensors"), expecting: [(name: "scale", shape: [])])
        }
    }

    @Test func wrongDTypeIsNamed() throws {
        var d = StateDict<Double>()
        d["w"] = try Tensor(shape: [2], scalars: [1, 2])
        try SafeTensors.save(d, to: path("d.safetensors"))
        #expect(throws: MLError.tensorDType(name: "w", expected: "F32", found: "F64")) {
            let _: StateDict<Float> = try SafeTensors.load(path("d.safetensors"))
        }
    }

    @Test func truncatedFilesAreCorruptNotATrap() throws {
        try SafeTensors.save(try sample(), to: path("t.safetensors"))
        let full = try Data(contentsOf: URL(fileURLWithPath: path("t.safetensors")))
        for cut in [0, 5, 8, 20, full.count - 4] {
            try full.prefix(cut).write(to: URL(fileURLWithPath: path("t\(cut).safetensors")))
            #expect(throws: MLError.self, "cut at \(cut)") {
                let _: StateDict<Float> = try SafeTensors.load(path("t\(cut).safetensors"))
            }
        }
        var garbage = Data([16, 0, 0, 0, 0, 0, 0, 0])
        garbage.append(contentsOf: Array("not json at all!".utf8))
        try garbage.write(to: URL(fileURLWithPath: path("g.safetensors")))
        #expect(throws: MLError.self) { let _: StateDict<Float> = try SafeTensors.load(path("g.safetensors")) }
        #expect(throws: MLError.self) { let _: StateDict<Float> = try SafeTensors.load(path("absent.safetensors")) }
    }

    @Test func pyTorchWrittenFileReadsWithItsNames() throws {
        let d: StateDict<Float> = try SafeTensors.load(LayerCases.path("trained.safetensors"))
        #expect(d["gru.weight_ih_l0_reverse"]?.shape == [18, 3])
        #expect(d["pool.context.weight"]?.shape == [1, 4])
    }
}

/// A model re-saved by Tradewind loads back and predicts as PyTorch's file does. With TRADEWIND_ML_EXPORT_DIR
/// set, the file is also left there for Scripts/ml/check_tradewind_safetensors.py to load in PyTorch.
@Suite struct TradewindWrittenModelTests {
    @Test func tradewindWrittenModelRoundTrips() throws {
        let model = SmallRecurrentNet()
        let weights: StateDict<Float> = try SafeTensors.load(LayerCases.path("trained.safetensors"), expecting: model.weightShapes)
        let dir = ProcessInfo.processInfo.environment["TRADEWIND_ML_EXPORT_DIR"]
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("tradewind-ml-export-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/trained_by_tradewind.safetensors"
        try SafeTensors.save(weights, to: path, metadata: ["format": "pt"])
        let back: StateDict<Float> = try SafeTensors.load(path, expecting: model.weightShapes)
        #expect(back == weights)
        let check: StateDict<Float> = try SafeTensors.load(LayerCases.path("trained_check.safetensors"))
        let data = SequenceSamples(x: check["input"]!, labels: [0, 0, 0, 0], targets: [0, 0, 0, 0])
        expectClose(try Inference.predict(model, weights: back, data: data, batchSize: 4)[0], check["logits"]!, tolerance: 1e-5, "logits")
    }
}

/// The Tradewind → PyTorch direction: Tradewind writes a model file (SmallRecurrentNet, initialised by Tradewind's
/// seeded generator); Scripts/ml/tradewind_to_torch.py loaded that exact file (committed as
/// Tests/Fixtures/ml/tradewind_written.safetensors) into PyTorch with a strict `load_state_dict` and committed
/// PyTorch's predictions. Tradewind must still write the same bytes and predict what PyTorch did from them.
@Suite struct TradewindToPyTorchTests {
    @Test func tradewindWrittenFileIsTheOnePyTorchPredictedFrom() throws {
        let model = SmallRecurrentNet()
        var generator = Xoshiro256StarStar(seed: 2026)
        let weights = model.initialWeights(generator: &generator)
        let dir = ProcessInfo.processInfo.environment["TRADEWIND_ML_EXPORT_DIR"]
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("tradewind-ml-written-\(UInt32.random(in: 0...UInt32.max))").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/tradewind_written.safetensors"
        try SafeTensors.save(weights, to: path, metadata: ["format": "pt"])
        let written = try Data(contentsOf: URL(fileURLWithPath: path))
        let committed = try Data(contentsOf: URL(fileURLWithPath: LayerCases.path("tradewind_written.safetensors")))
        #expect(written == committed, "Tradewind's safetensors writer no longer writes the file PyTorch read")
        let loaded: StateDict<Float> = try SafeTensors.load(LayerCases.path("tradewind_written.safetensors"), expecting: model.weightShapes)
        let torch: StateDict<Float> = try SafeTensors.load(LayerCases.path("tradewind_written_torch.safetensors"))
        let input = try #require(torch["input"])
        let n = input.shape[0]
        let data = SequenceSamples(x: input, labels: Array(repeating: 0, count: n), targets: Array(repeating: 0, count: n))
        let predicted = try Inference.predict(model, weights: loaded, data: data, batchSize: n)
        expectClose(predicted[0], try #require(torch["logits"]), tolerance: 1e-5, "logits PyTorch computed from Tradewind's file")
        expectClose(predicted[1], try #require(torch["value"]), tolerance: 1e-5, "values PyTorch computed from Tradewind's file")
    }
}

/// The benchmark model runs end to end at a small size: output shapes, a finite loss, weight names.
@Suite struct UniversalBiGRUTests {
    @Test func universalBiGRUTrainsAStepAndPredictsBothHeads() throws {
        let model = UniversalBiGRU(steps: 4, features: 18)
        var g = Xoshiro256StarStar(seed: 1)
        var weights = model.initialWeights(generator: &g)
        #expect(weights["gru1.weight_hh_l0_reverse"]?.shape == [384, 128])
        let batch = ThroughputProbe.syntheticBatch(3, steps: 4, features: 18, seed: 2)
        let pass = ForwardPass(weights: weights, differentiable: true, training: true, seed: 1)
        let out = try model.outputs(batch, in: pass)
        #expect(out[0].shape == [3, 3] && out[1].shape == [3])
        let loss = try model.loss(out, batch)
        var adam = Adam<Float>()
        try adam.step(&weights, gradients: try pass.gradients(of: loss))
        let after = try model.loss(try model.outputs(batch, in: ForwardPass(weights: weights, differentiable: false, training: false)), batch)
        #expect(loss.value.item.isFinite && after.value.item.isFinite)
    }
}
