import Testing
@testable import TradewindML

/// MSE, sample-weighted cross-entropy, the IC penalty and the soft Spearman loss against the PyTorch references
/// in `Scripts/ml/torch_parity.py` (`loss_parity()`, written to `Tests/Fixtures/ml/loss_parity.safetensors`):
/// value and gradient of each.
@Suite struct PyTorchLossParityTests {
    let f: StateDict<Float>

    init() throws { f = try SafeTensors.load(LayerCases.path("loss_parity.safetensors")) }

    private func expectLoss(_ name: String, _ loss: (Variable<Float>) throws(MLError) -> Variable<Float>, input: String) throws {
        let tape = Tape<Float>()
        let x = tape.watch(f[input]!)
        let value = try loss(x)
        expectClose(value.value, try f[name]!.reshaped([]), tolerance: 1e-5, name)
        expectClose(try tape.gradients(of: value, for: [x])[0], f["grad." + name]!, tolerance: 1e-5, name + " gradient")
    }

    @Test func meanSquaredErrorMatchesPyTorch() throws {
        try expectLoss("mse", { p throws(MLError) in try Loss.meanSquaredError(p, f["mse_target"]!) }, input: "mse_pred")
    }

    /// PyTorch: `cross_entropy(..., weight=cw, reduction="none")` times the sample weights, summed, over Σ cw[label]
    /// (over the sample count without class weights).
    @Test func sampleWeightedCrossEntropyMatchesPyTorchsUnreducedLossesWeightedAndSummed() throws {
        let labels = f["labels"]!.scalars.map { Int($0) }
        let cw = f["class_weights"]!.scalars, sw = f["sample_weights"]!.scalars
        try expectLoss("wce", { x throws(MLError) in
            try Loss.crossEntropy(logits: x, labels: labels, classWeights: cw, sampleWeights: sw)
        }, input: "logits")
        try expectLoss("swce", { x throws(MLError) in
            try Loss.crossEntropy(logits: x, labels: labels, sampleWeights: sw)
        }, input: "logits")
    }

    @Test func spearmanLossMatchesThePyTorchSoftRankReferenceWithTiedTargets() throws {
        let t = f["rank_target"]!
        try expectLoss("spearman", { p throws(MLError) in try Loss.spearman(p, t, temperature: 0.1) }, input: "rank_pred")
        try expectLoss("spearman_wide", { p throws(MLError) in try Loss.spearman(p, t, temperature: 0.7) }, input: "rank_pred")
    }

    @Test func icPenaltyMatchesThePyTorchReferenceBelowTheFloor() throws {
        #expect(f["ic_penalty"]!.scalars[0] > 0)
        try expectLoss("ic_penalty", { p throws(MLError) in try Loss.icPenalty(p, f["ic_target"]!, floor: 0.2) }, input: "rank_pred")
    }
}
