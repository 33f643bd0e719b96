import Foundation
import Synchronization
import Testing
import TradewindCore
@testable import TradewindML

/// The matrix-product thread count belongs to the calling thread (`BLASThreads`), products split across it stay
/// deterministic, and the fused bidirectional GRU equals its two directions run apart.
@Suite struct ComputeThreadsTests {
    @Test func threadCountIsTheCallingThreadsOwn() {
        BLASThreads.set(3)
        defer { BLASThreads.set(1) }
        let seen = Mutex<[Int]>([])
        let done = DispatchSemaphore(value: 0)
        let other = Thread {
            let before = BLASThreads.current
            BLASThreads.set(2)
            seen.withLock { $0 = [before, BLASThreads.current] }
            done.signal()
        }
        other.start()
        done.wait()
        #expect(seen.withLock { $0 } == [1, 2], "a thread that never set it uses 1, and sets its own")
        #expect(BLASThreads.current == 3, "another thread's setting leaves this one's alone")
        BLASThreads.set(0)
        #expect(BLASThreads.current == 1, "at least one thread")
    }

    /// op(A)·op(B) through the backend at `threads` threads, for every transpose combination and a batch of 3.
    func products(threads: Int, seed: UInt64) -> [[Float]] {
        BLASThreads.set(threads)
        defer { BLASThreads.set(1) }
        var g = Xoshiro256StarStar(seed: seed)
        let (m, n, k, batch) = (150, 130, 120, 3)
        let a = (0..<(batch * m * k)).map { _ in Float(g.uniform(-1, 1)) }
        let b = (0..<(batch * k * n)).map { _ in Float(g.uniform(-1, 1)) }
        var out: [[Float]] = []
        for (ta, tb) in [(false, false), (true, false), (false, true), (true, true)] {
            for count in [1, batch] {
                var c = [Float](repeating: 0.5, count: batch * m * n)
                a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
                    Compute.backend.gemm(transA: ta, transB: tb, m: m, n: n, k: k, alpha: 1.5, a: ap.baseAddress!, lda: ta ? m : k,
                                         strideA: m * k, b: bp.baseAddress!, ldb: tb ? k : n, strideB: k * n, beta: 0.25,
                                         c: cp.baseAddress!, ldc: n, strideC: m * n, batch: count)
                } } }
                out.append(c)
            }
        }
        return out
    }

    @Test func productsSplitAcrossThreadsAreDeterministicAndAgreeWithOneThread() {
        let one = products(threads: 1, seed: 7)
        for threads in [2, 3] {
            let split = products(threads: threads, seed: 7)
            #expect(split == products(threads: threads, seed: 7), "same thread count, same bits")
            for (x, y) in zip(one, split) {
                let worst = zip(x, y).map { abs($0 - $1) / max(1, abs($0)) }.max() ?? 0
                #expect(worst < 1e-5, "\(threads) threads vs 1: \(worst)")
            }
        }
    }

    /// A bidirectional GRU's output and every gradient, at `threads` threads, with or without the fused pair kernel.
    func bidirectionalGRU(threads: Int, fused: Bool) throws -> [Tensor<Float>] {
        BLASThreads.set(threads)
        defer { BLASThreads.set(1) }
        let gru = GRU("gru", inputSize: 6, hiddenSize: 16, layers: 2, bidirectional: true)
        var g = Xoshiro256StarStar(seed: 3)
        let weights = { () -> StateDict<Float> in var d = StateDict<Float>(); gru.initialize(&d, generator: &g); return d }()
        let pass = ForwardPass(weights: weights, differentiable: true, training: true)
        let x = pass.input(try Tensor(shape: [5, 9, 6], scalars: (0..<270).map { _ in Float(g.uniform(-1, 1)) }), differentiable: true)
        let h0 = pass.input(try Tensor(shape: [4, 5, 16], scalars: (0..<320).map { _ in Float(g.uniform(-1, 1)) }), differentiable: true)
        let pair: RecurrentStack.PairKernel<Float> = GRU.pairKernel
        let y: Variable<Float> = try gru.stack.run(x, initial: [("initial hidden state", h0)], in: pass, op: "GRU", kernel: GRU.kernel,
                                                   pair: fused ? pair : nil).output
        let squared: Variable<Float> = try y * y
        let loss = squared.sum()
        let grads = try pass.tape!.gradients(of: loss, for: [x, h0])
        let weightGrads = try pass.gradients(of: loss)
        return [y.value] + grads + weightGrads.names.map { weightGrads[$0]! }
    }

    /// A 2-layer bidirectional LSTM from initial states, with h_n and c_n: the fused layers against two directions and a
    /// concat, and on two threads against one; the loss reads the output and both final states.
    func bidirectionalLSTM(threads: Int, fused: Bool) throws -> [Tensor<Float>] {
        BLASThreads.set(threads)
        defer { BLASThreads.set(1) }
        do {
            var g = Xoshiro256StarStar(seed: 12)
            let lstm = LSTM("", inputSize: 6, hiddenSize: 7, layers: 2, bidirectional: true)
            let weights = { () -> StateDict<Float> in var d = StateDict<Float>(); lstm.initialize(&d, generator: &g); return d }()
            let pass = ForwardPass(weights: weights, differentiable: true, training: false)
            let x = pass.input(try Tensor(shape: [5, 9, 6], scalars: (0..<270).map { _ in Float(g.uniform(-1, 1)) }), differentiable: true)
            let h0 = pass.input(try Tensor(shape: [4, 5, 7], scalars: (0..<140).map { _ in Float(g.uniform(-1, 1)) }), differentiable: true)
            let c0 = pass.input(try Tensor(shape: [4, 5, 7], scalars: (0..<140).map { _ in Float(g.uniform(-1, 1)) }), differentiable: true)
            let pair: RecurrentStack.PairKernel<Float> = LSTM.pairKernel
            let r = try lstm.stack.run(x, initial: [("initial hidden state", h0), ("initial cell state", c0)], in: pass, op: "LSTM",
                                       finalStates: true, kernel: LSTM.kernel, pair: fused ? pair : nil)
            let loss = try (r.output * r.output).sum() + r.hidden!.sin().sum() + (r.cell! * r.cell!).sum()
            let grads = try pass.tape!.gradients(of: loss, for: [x, h0, c0])
            let weightGrads = try pass.gradients(of: loss)
            return [r.output.value, r.hidden!.value, r.cell!.value] + grads + weightGrads.names.map { weightGrads[$0]! }
        }
    }

    @Test func fusedBidirectionalLSTMEqualsItsDirectionsRunApart() throws {
        #expect(try bidirectionalLSTM(threads: 1, fused: true) == bidirectionalLSTM(threads: 1, fused: false))
    }

    @Test func bidirectionalLSTMGivesTheSameBitsOnTwoThreads() throws {
        #expect(try bidirectionalLSTM(threads: 2, fused: true) == bidirectionalLSTM(threads: 1, fused: true))
    }

    @Test func fusedBidirectionalGRUEqualsItsDirectionsRunApart() throws {
        #expect(try bidirectionalGRU(threads: 1, fused: true) == bidirectionalGRU(threads: 1, fused: false))
    }

    @Test func bidirectionalGRUGivesTheSameBitsOnTwoThreads() throws {
        #expect(try bidirectionalGRU(threads: 2, fused: true) == bidirectionalGRU(threads: 1, fused: true))
    }
}
