// Module TradewindML: a compact machine-learning core — tensors, reverse-mode automatic differentiation,
// layers, losses, optimizers, a training loop and safetensors weights — with PyTorch's semantics and names.
//
// Map of the module:
// - `Tensor/`: `Tensor<Scalar>` (row-major, contiguous, shaped), `TensorView` (strided views without copies),
//   `TensorScalar` (Float for work, Double for gradient checks), broadcasting rules, `MLError`.
// - `Backend/`: `ComputeBackend`, the seam every matrix product, bulk kernel and row-wise softmax/LayerNorm goes
//   through (`CPUBackend` on OpenBLAS now, pinned to one OpenBLAS thread), `BLASThreads` (each calling thread's own
//   matrix-product thread count: large products and the two directions of a bidirectional GRU split across it),
//   `AllocatorTuning` (freed buffers stay in the process).
// - `Autodiff/`: `Tape` (records each op's backward rule), `Variable` (a value on a tape or a constant),
//   `ForwardPass` (weights, tape or none, training flag, dropout generator) and `StateDict` (named tensors).
// - `Ops/`: elementwise, reductions, matmul/bmm, concat/split/slice/gather/permute, softmax, activations,
//   dropout, masking, fused LayerNorm, and the fused GRU/LSTM kernels (one GEMM for all time steps' inputs).
// - `Layers/`: Dense, Embedding, LayerNorm, Dropout, GRU, LSTM (initial states, dropout between layers),
//   Keras's reset-before GRU (`KerasGRU`), multi-head attention, Transformer encoder
//   layer, additive attention pooling, Time2Vec — each a value naming its weights as PyTorch's `state_dict`.
// - `Losses/`, `Optimizers/` (SGD, Adam, AdamW, clipping, schedules, early stopping), `Training/` (the loop,
//   callbacks, batched inference), `Serialization/` (safetensors + JSON config), `Benchmark/` (the universal
//   BiGRU throughput probe behind `tradewind bench ml`).
//
// May import: TradewindCore (random generators) and COpenBLAS. Nothing of the trading stack.
