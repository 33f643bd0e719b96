/// A reverse-mode automatic-differentiation tape: every op on a `Variable` that lives on this tape appends a
/// node holding its parents and its backward rule (vector–Jacobian product). A view (`slice`, `select`,
/// `permuted`) appends a node with a region instead of a rule: its gradient is added in place into that region
/// of its parent's gradient, so views cost no copy backwards either. One tape per forward pass; not shared
/// between threads.
public final class Tape<Scalar: TensorScalar> {
    /// Where a view's elements sit in its parent's row-major layout.
    struct Region {
        let shape: [Int], strides: [Int], offset: Int
        /// The parent's shape.
        let parentShape: [Int]

        /// Adds `g` (row-major, of the view's shape) into the region of `parent`.
        func accumulate(_ g: Tensor<Scalar>, into parent: inout [Scalar]) {
            let zero = [Int](repeating: 0, count: shape.count)
            g.scalars.withUnsafeBufferPointer { gp in
                parent.withUnsafeMutableBufferPointer { pp in
                    let base = pp.baseAddress! + offset
                    Broadcasting.forEach(out: shape, aStrides: strides, bStrides: zero) { o, j, _ in base[j] += gp[o] }
                }
            }
        }
    }

    struct Node {
        let parents: [Int]
        /// Maps the gradient of this node's output to the gradients of its parents (nil: no contribution).
        let backward: ((Tensor<Scalar>) -> [Tensor<Scalar>?])?
        /// For a view: where its elements sit in its one parent.
        var region: Region? = nil
    }

    var nodes: [Node] = []

    public init() {}

    /// Number of recorded nodes (leaves and ops).
    public var count: Int { nodes.count }

    /// Puts `value` on the tape as a leaf whose gradient can be asked for.
    public func watch(_ value: Tensor<Scalar>) -> Variable<Scalar> {
        nodes.append(Node(parents: [], backward: nil))
        return Variable(box: VariableValue(value), node: nodes.count - 1, tape: self)
    }

    func record(_ value: VariableValue<Scalar>, parents: [Int], backward: @escaping (Tensor<Scalar>) -> [Tensor<Scalar>?]) -> Variable<Scalar> {
        nodes.append(Node(parents: parents, backward: backward))
        return Variable(box: value, node: nodes.count - 1, tape: self)
    }

    func record(_ value: VariableValue<Scalar>, viewOf parent: Int, region: Region) -> Variable<Scalar> {
        nodes.append(Node(parents: [parent], backward: nil, region: region))
        return Variable(box: value, node: nodes.count - 1, tape: self)
    }

    /// Backpropagates from `output` (seeded with ones, or with `seed`) and returns the gradient of each of
    /// `inputs` (zeros where the output does not depend on one).
    @_specialize(where Scalar == Float)
    public func gradients(of output: Variable<Scalar>, for inputs: [Variable<Scalar>], seed: Tensor<Scalar>? = nil) throws(MLError) -> [Tensor<Scalar>] {
        guard output.tape === self, let root = output.node else {
            throw .notDifferentiable(detail: "the output was not computed on this tape")
        }
        let start = if let seed { seed } else { try Tensor<Scalar>(repeating: 1, shape: output.shape) }
        guard start.shape == output.shape else {
            throw .shapeMismatch(op: "gradients", detail: "seed \(start.shape) vs output \(output.shape)")
        }
        var grads = [Tensor<Scalar>?](repeating: nil, count: root + 1)
        grads[root] = start
        var i = root
        while i >= 0 {
            if let g = grads[i] {
                if let region = nodes[i].region, let p = nodes[i].parents.first, p >= 0 {
                    // A view: add into the parent's gradient in place (taken out so that it is not shared).
                    var parent = grads[p].take()
                        ?? Tensor(uncheckedShape: region.parentShape, scalars: [Scalar](repeating: 0, count: region.parentShape.reduce(1, *)))
                    region.accumulate(g, into: &parent.scalars)
                    grads[p] = parent
                } else if let rule = nodes[i].backward {
                    let parentGrads = rule(g)
                    for (p, pg) in zip(nodes[i].parents, parentGrads) where p >= 0 {
                        guard let pg else { continue }
                        if var existing = grads[p].take() {
                            Tape.addInPlace(&existing, pg)
                            grads[p] = existing
                        } else {
                            grads[p] = pg
                        }
                    }
                }
                if i != root && (nodes[i].backward != nil || nodes[i].region != nil) { grads[i] = nil }
            }
            i -= 1
        }
        return try inputs.map { (v) throws(MLError) -> Tensor<Scalar> in
            guard v.tape === self, let n = v.node, n <= root else { return try Tensor.zeros(v.shape) }
            if let g = grads[n] { return g }
            return try Tensor.zeros(v.shape)
        }
    }

    @_specialize(where Scalar == Float)
    static func add(_ a: Tensor<Scalar>, _ b: Tensor<Scalar>) -> Tensor<Scalar> {
        var r = a
        addInPlace(&r, b)
        return r
    }

    @_specialize(where Scalar == Float)
    static func addInPlace(_ r: inout Tensor<Scalar>, _ b: Tensor<Scalar>) {
        r.scalars.withUnsafeMutableBufferPointer { rp in
            b.scalars.withUnsafeBufferPointer { bp in for k in 0..<rp.count { rp[k] += bp[k] } }
        }
    }
}
