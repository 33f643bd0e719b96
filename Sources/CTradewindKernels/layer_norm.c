// Layer normalisation of rows for TradewindML (see tradewind_kernels.h), compiled for AVX-512, AVX2+FMA and baseline
// x86-64 like the gate loops. The row sums are reassociated (several partial sums) so that they vectorise.
#include "tradewind_kernels.h"

#include <math.h>

#define LAYER_NORM_BODY                                                                         \
    _Pragma("clang fp reassociate(on)")                                                         \
    const float inv = 1.0f / (float)n;                                                          \
    for (long row = 0; row < rows; row++) {                                                     \
        const float *xr = x + row * n;                                                          \
        float *yr = out + row * n;                                                              \
        float sum = 0.0f;                                                                       \
        for (long j = 0; j < n; j++) sum += xr[j];                                              \
        const float mean = sum * inv;                                                           \
        float v = 0.0f;                                                                         \
        for (long j = 0; j < n; j++) { const float d = xr[j] - mean; v += d * d; }              \
        const float rs = 1.0f / sqrtf(v * inv + epsilon);                                       \
        rstd[row] = rs;                                                                         \
        if (normalized) {                                                                       \
            float *hr = normalized + row * n;                                                   \
            for (long j = 0; j < n; j++) { const float h = (xr[j] - mean) * rs; hr[j] = h; yr[j] = h * w[j] + b[j]; } \
        } else {                                                                                \
            for (long j = 0; j < n; j++) yr[j] = (xr[j] - mean) * rs * w[j] + b[j];             \
        }                                                                                       \
    }

#define LAYER_NORM_ARGS const float *restrict x, const float *restrict w, const float *restrict b, float epsilon, long rows, \
    long n, float *restrict normalized, float *restrict rstd, float *restrict out

#if defined(__x86_64__) && defined(__clang__)
__attribute__((target("avx512f,avx512dq,avx2,fma")))
static void layer_norm_avx512(LAYER_NORM_ARGS) { LAYER_NORM_BODY }
__attribute__((target("avx2,fma")))
static void layer_norm_avx2(LAYER_NORM_ARGS) { LAYER_NORM_BODY }
#endif
static void layer_norm_base(LAYER_NORM_ARGS) { LAYER_NORM_BODY }

void tw_layer_norm_f32(const float *x, const float *w, const float *b, float epsilon, long rows, long n, float *normalized,
                       float *rstd, float *out) {
    if (n <= 0) return;
#if defined(__x86_64__) && defined(__clang__)
    switch (tw_kernel_level()) {
    case 2: layer_norm_avx512(x, w, b, epsilon, rows, n, normalized, rstd, out); return;
    case 1: layer_norm_avx2(x, w, b, epsilon, rows, n, normalized, rstd, out); return;
    default: break;
    }
#endif
    layer_norm_base(x, w, b, epsilon, rows, n, normalized, rstd, out);
}
