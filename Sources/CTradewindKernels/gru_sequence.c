// The fused GRU of inference: one direction over a whole sequence, each step's input and recurrent products and its
// gate math in one pass (see tradewind_kernels.h). AVX-512 only; other machines keep the product-then-gates loop.
#include "tradewind_kernels.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && defined(__clang__)
#include <immintrin.h>

#define TW_AVX512 __attribute__((target("avx512f,avx512dq,avx2,fma")))

// The 16-wide forms of tw_exp / tw_tanh in gates.c (same clamp, reduction and polynomial).
TW_AVX512 static inline __m512 v_exp(__m512 x) {
    x = _mm512_min_ps(_mm512_max_ps(x, _mm512_set1_ps(-87.3f)), _mm512_set1_ps(88.3f));
    const __m512 magic = _mm512_set1_ps(12582912.0f);
    __m512 k = _mm512_fmadd_ps(x, _mm512_set1_ps(1.44269504f), magic);
    __m512 n = _mm512_sub_ps(k, magic);
    __m512 r = _mm512_fnmadd_ps(n, _mm512_set1_ps(0.693359375f), x);
    r = _mm512_fnmadd_ps(n, _mm512_set1_ps(-2.12194440e-4f), r);
    __m512 r2 = _mm512_mul_ps(r, r);
    __m512 p = _mm512_set1_ps(1.98756915e-4f);
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.39819995e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.33345190e-3f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.16657959e-2f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.66666655e-1f));
    p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.00000012e-1f));
    __m512 poly = _mm512_fmadd_ps(p, r2, _mm512_add_ps(r, _mm512_set1_ps(1.0f)));
    __m512i bits = _mm512_slli_epi32(_mm512_add_epi32(_mm512_sub_epi32(_mm512_castps_si512(k), _mm512_set1_epi32(0x4B400000)),
                                                      _mm512_set1_epi32(127)), 23);
    return _mm512_mul_ps(poly, _mm512_castsi512_ps(bits));
}

TW_AVX512 static inline __m512 v_sigmoid(__m512 x) {
    const __m512 one = _mm512_set1_ps(1.0f);
    return _mm512_div_ps(one, _mm512_add_ps(one, v_exp(_mm512_sub_ps(_mm512_setzero_ps(), x))));
}

TW_AVX512 static inline __m512 v_tanh(__m512 x) {
    const __m512 one = _mm512_set1_ps(1.0f);
    __m512 x2 = _mm512_mul_ps(x, x);
    __m512 small = _mm512_mul_ps(x, _mm512_fmadd_ps(x2, _mm512_fmadd_ps(x2, _mm512_set1_ps(2.0f / 15.0f), _mm512_set1_ps(-1.0f / 3.0f)), one));
    __m512 large = _mm512_sub_ps(one, _mm512_div_ps(_mm512_set1_ps(2.0f), _mm512_add_ps(v_exp(_mm512_add_ps(x, x)), one)));
    __mmask16 isSmall = _mm512_cmp_ps_mask(x2, _mm512_set1_ps(0.0025f), _CMP_LT_OQ);
    return _mm512_mask_blend_ps(isSmall, large, small);
}

#define ROWS 8

// acc[i][c] += Σ_k a[i][k] · panel[k][16c ..< 16c + 16] for the ROWS rows a[i] (K values each).
#define PANEL_PRODUCT(a, K, panel)                                                               \
    for (long k = 0; k < (K); k++) {                                                             \
        const float *p = (panel) + k * 48;                                                       \
        const __m512 w0 = _mm512_load_ps(p), w1 = _mm512_load_ps(p + 16), w2 = _mm512_load_ps(p + 32); \
        _Pragma("clang loop unroll(full)")                                                       \
        for (int i = 0; i < ROWS; i++) {                                                         \
            const __m512 ak = _mm512_set1_ps((a)[i][k]);                                         \
            acc[i][0] = _mm512_fmadd_ps(ak, w0, acc[i][0]);                                      \
            acc[i][1] = _mm512_fmadd_ps(ak, w1, acc[i][1]);                                      \
            acc[i][2] = _mm512_fmadd_ps(ak, w2, acc[i][2]);                                      \
        }                                                                                        \
    }

// One step of one direction: rows [0, B) of out(t) from x(t) and out(prev) (or h0, or zeros when prev is NULL). Per
// tile of ROWS rows × 16 hidden units: the recurrent products (r, z, n_h) over h, then n_h set aside and the input
// products (r, z continue; n_x fresh) over x, then the gate math.
TW_AVX512 static void gru_step_avx512(long B, long T, long I, long H, long t, const float *x, const float *prev, long ldp,
                                      const float *hpanels, const float *xpanels, const float *bias, long Hp, float *out, long ldo) {
    const long groups = (H + 15) / 16;
    for (long rb = 0; rb < B; rb += ROWS) {
        const long nr = B - rb < ROWS ? B - rb : ROWS;
        const float *a[ROWS], *xa[ROWS];
        for (int i = 0; i < ROWS; i++) {
            const long row = rb + (i < nr ? i : nr - 1);   // rows past the batch repeat the last one, never stored
            a[i] = prev ? prev + row * ldp : NULL;
            xa[i] = x + (row * T + t) * I;
        }
        for (long g = 0; g < groups; g++) {
            const long j0 = g * 16;
            const __mmask16 m = H - j0 >= 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << (H - j0)) - 1u);
            __m512 acc[ROWS][3], nh[ROWS];
#pragma clang loop unroll(full)
            for (int i = 0; i < ROWS; i++) { acc[i][0] = acc[i][1] = acc[i][2] = _mm512_setzero_ps(); }
            if (prev) { PANEL_PRODUCT(a, H, hpanels + g * H * 48) }
#pragma clang loop unroll(full)
            for (int i = 0; i < ROWS; i++) { nh[i] = acc[i][2]; acc[i][2] = _mm512_setzero_ps(); }
            PANEL_PRODUCT(xa, I, xpanels + g * I * 48)
            const __m512 br = _mm512_load_ps(bias + j0), bz = _mm512_load_ps(bias + Hp + j0);
            const __m512 bn = _mm512_load_ps(bias + 2 * Hp + j0), bhn = _mm512_load_ps(bias + 3 * Hp + j0);
#pragma clang loop unroll(full)
            for (int i = 0; i < ROWS; i++) {
                if (i >= nr) break;
                const __m512 r = v_sigmoid(_mm512_add_ps(acc[i][0], br));
                const __m512 z = v_sigmoid(_mm512_add_ps(acc[i][1], bz));
                const __m512 n = v_tanh(_mm512_fmadd_ps(r, _mm512_add_ps(nh[i], bhn), _mm512_add_ps(acc[i][2], bn)));
                const __m512 hp = prev ? _mm512_maskz_loadu_ps(m, a[i] + j0) : _mm512_setzero_ps();
                _mm512_mask_storeu_ps(out + ((rb + i) * T + t) * ldo + j0, m, _mm512_fmadd_ps(z, _mm512_sub_ps(hp, n), n));
            }
        }
    }
}

// Packs W [3H, K] (rows r | z | n) per group of 16 hidden units: k-major rows of [r 16 | z 16 | n 16], zeros past H.
TW_AVX512 static void pack_panels(const float *w, long H, long K, float *panels) {
    const long groups = (H + 15) / 16;
    for (long g = 0; g < groups; g++) {
        float *p = panels + g * K * 48;
        for (long k = 0; k < K; k++)
            for (int c = 0; c < 3; c++)
                for (int u = 0; u < 16; u++) {
                    const long j = g * 16 + u;
                    p[k * 48 + c * 16 + u] = j < H ? w[(c * H + j) * K + k] : 0.0f;
                }
    }
}

TW_AVX512 static void gru_sequence_avx512(long B, long T, long I, long H, int reverse, const float *x, const float *wih,
                                          const float *whh, const float *bih, const float *bhh, const float *h0, float *out,
                                          long ldo, float *scratch) {
    const long groups = (H + 15) / 16, Hp = groups * 16;
    float *hpanels = scratch, *xpanels = scratch + groups * H * 48, *bias = xpanels + groups * I * 48;
    pack_panels(whh, H, H, hpanels);
    pack_panels(wih, H, I, xpanels);
    // Biases: r and z take both, n takes b_in outside and b_hn inside the reset product (PyTorch's reset_after form).
    memset(bias, 0, sizeof(float) * 4 * Hp);
    for (long j = 0; j < H; j++) {
        bias[j] = bih[j] + bhh[j];
        bias[Hp + j] = bih[H + j] + bhh[H + j];
        bias[2 * Hp + j] = bih[2 * H + j];
        bias[3 * Hp + j] = bhh[2 * H + j];
    }
    for (long s = 0; s < T; s++) {
        const long t = reverse ? T - 1 - s : s;
        const float *prev = h0;
        long ldp = H;
        if (s > 0) { prev = out + (reverse ? t + 1 : t - 1) * ldo; ldp = T * ldo; }
        gru_step_avx512(B, T, I, H, t, x, prev, ldp, hpanels, xpanels, bias, Hp, out, ldo);
    }
}
#endif

int tw_gru_sequence_f32(long batch, long steps, long input, long hidden, int reverse, const float *x, const float *wih,
                        const float *whh, const float *bih, const float *bhh, const float *h0, float *out, long ldo) {
#if defined(__x86_64__) && defined(__clang__)
    if (tw_kernel_level() < 2 || hidden <= 0) return 0;
    const long groups = (hidden + 15) / 16;
    // Every part is a multiple of 16 floats (64 bytes), so each starts aligned for the panel loads.
    float *scratch = aligned_alloc(64, sizeof(float) * (size_t)(groups * (hidden + input) * 48 + 4 * groups * 16));
    if (!scratch) return 0;
    if (batch > 0) gru_sequence_avx512(batch, steps, input, hidden, reverse, x, wih, whh, bih, bhh, h0, out, ldo, scratch);
    free(scratch);
    return 1;
#else
    (void)batch; (void)steps; (void)input; (void)hidden; (void)reverse; (void)x; (void)wih; (void)whh; (void)bih; (void)bhh;
    (void)h0; (void)out; (void)ldo;
    return 0;
#endif
}
