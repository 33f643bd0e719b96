// Single-precision recurrent-gate loops for TradewindML (GRU and LSTM), compiled for AVX-512, AVX2+FMA and baseline x86-64 and
// picked at run time (the Swift package builds for baseline x86-64, whose 4-wide SSE halves or quarters these
// loops' throughput). The exp approximation is the one in TradewindML's FastFloatMath.
#ifndef TRADEWIND_KERNELS_H
#define TRADEWIND_KERNELS_H

/// GRU forward gates for one row: h[0..<2H] = sigmoid(h + x) (r | z), then n[j] = tanh(x[2H+j] + r[j]*h[2H+j]).
void tw_gru_gates_f32(const float *x, float *h, float *n, long hidden);

/// GRU backward for one row (see GRUCell.backward): dh in/out, dx and dhp [3H] out, hprev_out [H] out.
void tw_gru_backward_f32(long hidden, float *dh, const float *dy, const float *hprev, const float *r, const float *z,
                         const float *n, const float *hn, float *dx, float *dhp, float *hprev_out);

/// LSTM forward for one row (see LSTMCell.forward): gates [4H] = activated (pre + rec) as i | f | g | o (rec may be
/// NULL: zero state), c = f*cprev + i*g (cprev may be NULL: zeros), h = o*tanh(c).
void tw_lstm_forward_f32(long hidden, const float *pre, const float *rec, const float *cprev, float *gates, float *c, float *h);

/// LSTM backward for one row (see LSTMCell.backward): dh in (zeroed on return), dc in/out, da [4H] out,
/// hprev_out [H] out (hprev and cprev may be NULL: zero states).
void tw_lstm_backward_f32(long hidden, float *dh, float *dc, const float *dy, const float *gates, const float *c,
                          const float *cprev, const float *hprev, float *da, float *hprev_out);

/// The LSTM loops of one variant (2 = AVX-512, 1 = AVX2+FMA, 0 = baseline; capped at what this CPU supports), so
/// tests can hold every variant the machine can run against the Swift reference.
void tw_lstm_forward_f32_at(int level, long hidden, const float *pre, const float *rec, const float *cprev, float *gates,
                            float *c, float *h);
void tw_lstm_backward_f32_at(int level, long hidden, float *dh, float *dc, const float *dy, const float *gates, const float *c,
                             const float *cprev, const float *hprev, float *da, float *hprev_out);

/// The fused GRU of inference (PyTorch's gates r, z, n; reset_after): one direction over `steps` steps for `batch` rows, each
/// step's input product x·W_ihᵀ, recurrent product h·W_hhᵀ and gate math in one pass over tiles of 8 rows × 16 hidden
/// units, with nothing kept for a backward pass and no projection written to memory. `x` is [batch, steps, input],
/// `wih` [3·hidden, input], `whh` [3·hidden, hidden], `bih`/`bhh` [3·hidden]; `h0` [batch, hidden] or NULL (zeros).
/// Step t of row b is written at out + (b·steps + t)·ldo (hidden values). Returns 1 when it ran, 0 when this CPU has
/// no AVX-512 (or the scratch could not be allocated): the caller runs the step loop instead.
int tw_gru_sequence_f32(long batch, long steps, long input, long hidden, int reverse, const float *x, const float *wih,
                        const float *whh, const float *bih, const float *bhh, const float *h0, float *out, long ldo);

/// Layer normalisation of `rows` rows of `n` floats: rstd[r] = 1/sqrt(var + epsilon) (biased variance), out = (x − mean)·rstd·w + b,
/// and normalized = (x − mean)·rstd when not NULL (training keeps it for the backward pass).
void tw_layer_norm_f32(const float *x, const float *w, const float *b, float epsilon, long rows, long n, float *normalized,
                       float *rstd, float *out);

/// glibc only: blocks up to `mmap_threshold` bytes come from the heap (not a fresh mmap each time) and up to
/// `trim_threshold` bytes of free heap stay in the process (not returned to the kernel), so buffers freed and
/// allocated again every training step reuse pages instead of faulting in zeroed ones. Returns 1 when set, 0
/// elsewhere (other C libraries are left as they are).
int tw_keep_freed_memory(long mmap_threshold, long trim_threshold);

/// Which variant runs: 2 = AVX-512, 1 = AVX2+FMA, 0 = baseline.
int tw_kernel_level(void);

#endif
