import CTradewindKernels

/// Keeps freed tensor buffers in the process. A training step allocates and frees the same few-megabyte buffers
/// (gates, projections, gradients) thousands of times; with glibc's defaults, freed memory above the trim
/// threshold goes back to the kernel and large blocks come from fresh mmaps, so every step faulted in pages the
/// kernel had to zero (15 % of a `bench ml-train` profile). Set once for the process by the first `CPUBackend`:
/// blocks up to 32 MiB come from the heap and up to 128 MiB of free heap is kept. Process-wide (glibc has one
/// setting); a no-op on other C libraries.
enum AllocatorTuning {
    static let applied: Bool = tw_keep_freed_memory(32 << 20, 128 << 20) == 1
}
