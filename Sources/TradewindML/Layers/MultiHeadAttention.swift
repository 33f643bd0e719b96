import Foundation
import TradewindCore

/// Multi-head scaled dot-product attention with batch-first tensors (PyTorch `nn.MultiheadAttention`,
/// `batch_first=True`: `in_proj_weight` [3E, E] with rows q|k|v, `in_proj_bias` [3E], `out_proj.weight`,
/// `out_proj.bias`). Self-attention passes the same tensor as query, key and value; cross-attention does not.
public struct MultiHeadAttention: Layer {
    public let prefix: String
    public let embedDim: Int
    public let heads: Int
    public let dropout: Double

    public init(_ prefix: String, embedDim: Int, heads: Int, dropout: Double = 0) {
        self.prefix = prefix
        self.embedDim = embedDim
        self.heads = heads
        self.dropout = dropout
    }

    var outProj: Dense { Dense(name("out_proj"), inputSize: embedDim, outputSize: embedDim) }

    public var weightShapes: [(name: String, shape: [Int])] {
        [(name("in_proj_weight"), [3 * embedDim, embedDim]), (name("in_proj_bias"), [3 * embedDim])] + outProj.weightShapes
    }

    /// Xavier-uniform input projection, zero biases, `nn.Linear` output projection with a zero bias.
    public func initialize<S: TensorScalar>(_ weights: inout StateDict<S>, generator g: inout Xoshiro256StarStar) {
        let bound = (6 / Double(4 * embedDim)).squareRoot()
        weights[name("in_proj_weight")] = Initializer.uniform([3 * embedDim, embedDim], bound: bound, &g)
        weights[name("in_proj_bias")] = Initializer.constant([3 * embedDim], 0)
        outProj.initialize(&weights, generator: &g)
        weights[outProj.name("bias")] = Initializer.constant([embedDim], 0)
    }

    /// Attends from `query` [B, Tq, E] over `key`/`value` [B, Tk, E]; `keyPadding` (B rows of Tk flags, true =
    /// ignore that key) masks padded steps. Returns [B, Tq, E].
    public func callAsFunction<S: TensorScalar>(query: Variable<S>, key: Variable<S>, value: Variable<S>,
                                                keyPadding: [[Bool]]? = nil, in pass: ForwardPass<S>) throws(MLError) -> Variable<S> {
        let E = embedDim
        guard heads > 0, E % heads == 0 else {
            throw .invalidArgument(name: "heads", value: "\(heads)", expected: "a divisor of embedDim \(E)")
        }
        for (what, t) in [("query", query), ("key", key), ("value", value)] where t.rank != 3 || t.shape[2] != E {
            throw .shapeMismatch(op: "MultiHeadAttention '\(prefix)'", detail: "\(what) must be [batch, steps, \(E)]; got \(t.shape)")
        }
        guard key.shape == value.shape, key.shape[0] == query.shape[0] else {
            throw .shapeMismatch(op: "MultiHeadAttention '\(prefix)'", detail: "query \(query.shape), key \(key.shape), value \(value.shape)")
        }
        let B = query.shape[0], Tq = query.shape[1], Tk = key.shape[1], d = E / heads
        let w = try pass.parameter(name("in_proj_weight"), shape: [3 * E, E])
        let b = try pass.parameter(name("in_proj_bias"), shape: [3 * E])
        func project(_ x: Variable<S>, _ part: Int, steps: Int) throws(MLError) -> Variable<S> {
            let y = try x.matmul(w.slice(axis: 0, (part * E)..<((part + 1) * E)), transposeOther: true)
                + b.slice(axis: 0, (part * E)..<((part + 1) * E))
            return try y.reshaped([B, steps, heads, d]).permuted([0, 2, 1, 3]).reshaped([B * heads, steps, d])
        }
        let q = try project(query, 0, steps: Tq).scaled(by: 1 / S(Double(d).squareRoot()))
        let k = try project(key, 1, steps: Tk), v = try project(value, 2, steps: Tk)
        var scores = try q.bmm(k, transposeOther: true)   // [B·h, Tq, Tk]
        if let keyPadding {
            guard keyPadding.count == B, keyPadding.allSatisfy({ $0.count == Tk }) else {
                throw .shapeMismatch(op: "MultiHeadAttention '\(prefix)'", detail: "key padding mask must be \(B) × \(Tk)")
            }
            var flat: [Bool] = []
            for row in keyPadding { for _ in 0..<heads { flat += row } }
            scores = try scores.masked(flat, shape: [B * heads, 1, Tk], fill: -S.infinity)
        }
        let attn = try scores.softmax().dropout(dropout, in: pass)
        let ctx = try attn.bmm(v).reshaped([B, heads, Tq, d]).permuted([0, 2, 1, 3]).reshaped([B, Tq, E])
        return try outProj(ctx, in: pass)
    }
}
