import Testing
@testable import TradewindML

/// Forward outputs and gradients of every layer against PyTorch on the same weights and inputs
/// (Tests/Fixtures/ml/layer_*.safetensors from Scripts/ml/torch_parity.py), within 1e-5.
@Suite struct PyTorchLayerParityTests {
    @Test(arguments: LayerCases.names)
    func layerMatchesPyTorchForwardAndBackward(_ name: String) throws {
        let f = try LayerCases.load(name)
        let pass = ForwardPass(weights: f.weights, differentiable: true, training: false)
        let differentiableInput = name != "embedding"
        let inputs = f.inputs.map { pass.input($0, differentiable: differentiableInput) }
        let out = try LayerCases.forward(name, inputs, pass)
        try LayerCases.expectMatches(f, name, output: out, pass: pass, inputs: differentiableInput ? inputs : [])
    }
}

/// Every layer's gradients (input and weights) against finite differences in double precision, on the
/// fixtures' weights.
@Suite struct LayerGradientTests {
    // (The bidirectional final-state cases are checked against PyTorch; their finite differences are the
    // unidirectional `lstm2_states`'s and the kernels' own.)
    @Test(arguments: LayerCases.names.filter { !["embedding", "lstm_bi2_states", "gru_bi2_states"].contains($0) })
    func layerGradientsMatchFiniteDifferences(_ name: String) throws {
        let f = try LayerCases.load(name)
        let weights: StateDict<Double> = f.weights.converted()
        let inputs = f.inputs.map { $0.converted(to: Double.self) }
        let names = weights.names
        try GradientCheck.check(inputs + names.map { weights[$0]! }, tolerance: 1e-5) { vars in
            let pass = ForwardPass(weights: weights, differentiable: false, training: false)
            for (n, v) in zip(names, vars.dropFirst(inputs.count)) { pass.bind(n, v) }
            return try LayerCases.forward(name, Array(vars.prefix(inputs.count)), pass)
        }
    }

    @Test func embeddingGradientMatchesFiniteDifferences() throws {
        let f = try LayerCases.load("embedding")
        let table = f.weights["weight"]!.converted(to: Double.self)
        let indices = f.inputs[0]
        try GradientCheck.check([table]) { vars in
            let pass = ForwardPass(weights: StateDict<Double>(), differentiable: false, training: false)
            pass.bind("weight", vars[0])
            return try LayerCases.forward("embedding", [Variable(indices.converted(to: Double.self))], pass)
        }
    }
}
