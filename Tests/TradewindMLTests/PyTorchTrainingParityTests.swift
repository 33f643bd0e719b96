import Foundation
import Testing
@testable import TradewindML

/// The 100-step run of Scripts/ml/torch_parity.py (Adam 5e-3, clipping at norm 1, the same ten batches in
/// order) reproduced by `Trainer`, and PyTorch's saved model loaded and run.
@Suite struct PyTorchTrainingParityTests {
    @Test func hundredStepsFollowPyTorchsLossCurve() throws {
        let file: StateDict<Float> = try SafeTensors.load(LayerCases.path("training.safetensors"))
        var initial = StateDict<Float>()
        for n in file.names where n.hasPrefix("init.") { initial[String(n.dropFirst(5))] = file[n] }
        let x = try file["x"]!.reshaped([80, 5, 3])
        let data = SequenceSamples(x: x, labels: file["labels"]!.scalars.map { Int($0) }, targets: file["targets"]!.scalars)
        let expected = file["losses"]!.scalars
        let trainer = Trainer(model: SmallRecurrentNet(), configuration: TrainingConfiguration(epochs: 10, batchSize: 8, shuffle: false, clipNorm: 1))
        var adam = Adam<Float>(learningRate: 5e-3)
        var losses: [Float] = []
        _ = try trainer.fit(from: initial, data: data, validation: SequenceSamples?.none, optimizer: &adam) { event in
            if case .batchEnded(let p) = event { losses.append(Float(p.loss)) }
        }
        #expect(losses.count == 100)
        let worst = zip(losses, expected).map { abs($0 - $1) / abs($1) }.max() ?? .infinity
        #expect(worst < 1e-4, "worst relative loss difference \(worst)")
        #expect(expected.last! < expected.first!, "the reference run learns")
    }

    @Test func modelSavedByPyTorchLoadsAndPredictsTheSame() throws {
        let model = SmallRecurrentNet()
        let weights: StateDict<Float> = try SafeTensors.load(LayerCases.path("trained.safetensors"), expecting: model.weightShapes)
        let check: StateDict<Float> = try SafeTensors.load(LayerCases.path("trained_check.safetensors"))
        let input = check["input"]!
        let data = SequenceSamples(x: input, labels: Array(repeating: 0, count: 4), targets: Array(repeating: 0, count: 4))
        let out = try Inference.predict(model, weights: weights, data: data, batchSize: 3)
        expectClose(out[0], check["logits"]!, tolerance: 1e-5, "logits")
        expectClose(out[1], check["value"]!, tolerance: 1e-5, "value")
    }

    @Test func lossesMatchPyTorch() throws {
        let f: StateDict<Float> = try SafeTensors.load(LayerCases.path("losses.safetensors"))
        let tape = Tape<Float>()
        let logits = tape.watch(f["logits"]!)
        let ce = try Loss.crossEntropy(logits: logits, labels: f["labels"]!.scalars.map { Int($0) }, classWeights: f["class_weights"]!.scalars)
        expectClose(ce.value, try f["ce"]!.reshaped([]), tolerance: 1e-5, "cross-entropy")
        expectClose(try tape.gradients(of: ce, for: [logits])[0], f["grad.ce"]!, tolerance: 1e-5, "cross-entropy gradient")
        let z = tape.watch(f["bce_logits"]!)
        let bce = try Loss.binaryCrossEntropy(logits: z, targets: f["bce_targets"]!)
        expectClose(bce.value, try f["bce"]!.reshaped([]), tolerance: 1e-5, "BCE")
        expectClose(try tape.gradients(of: bce, for: [z])[0], f["grad.bce"]!, tolerance: 1e-5, "BCE gradient")
        let p = tape.watch(f["huber_pred"]!)
        let hub = try Loss.huber(p, f["huber_target"]!, delta: 0.8)
        expectClose(hub.value, try f["huber"]!.reshaped([]), tolerance: 1e-5, "Huber")
        expectClose(try tape.gradients(of: hub, for: [p])[0], f["grad.huber"]!, tolerance: 1e-5, "Huber gradient")
    }
}
