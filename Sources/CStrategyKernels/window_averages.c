// Moving averages from the running sums of the closes, as `SMACrossKernel` lays them out: by window (a column per
// window) and by bar (a row per bar). Each average is the Swift expression's, `(sums[i] - sums[i - w]) / w`, or
// `sums[w - 1] / w` at the window's first full bar, NaN before it: one IEEE subtraction and one division, so eight at
// a time under AVX-512 and one at a time elsewhere give the same bits (`sums[i] - 0` is `sums[i]`).
#include "tradewind_strategy_kernels.h"
#include <math.h>

static void column_scalar(const double *sums, long n, long w, double *column) {
    const double dw = (double)w;
    for (long i = 0; i < n; i++) {
        column[i] = i + 1 < w ? NAN : i + 1 == w ? sums[i] / dw : (sums[i] - sums[i - w]) / dw;
    }
}

static void rows_scalar(const double *sums, const long *windows, const double *lengths, long count, long from, long to,
                        double *rows) {
    for (long i = from; i < to; i++) {
        double *row = rows + i * count;
        for (long k = 0; k < count; k++) {
            const long w = windows[k];
            row[k] = i + 1 < w ? NAN : i + 1 == w ? sums[i] / lengths[k] : (sums[i] - sums[i - w]) / lengths[k];
        }
    }
}

#if defined(__x86_64__)
#include <immintrin.h>
#pragma clang fp contract(off)

__attribute__((target("avx512f")))
static void column_wide(const double *sums, long n, long w, double *column) {
    const long first = w - 1 < n ? w - 1 : n;
    for (long i = 0; i < first; i++) column[i] = NAN;
    if (w > n) return;
    column[w - 1] = sums[w - 1] / (double)w;
    const __m512d dw = _mm512_set1_pd((double)w);
    long i = w;
    for (; i + 8 <= n; i += 8) {
        const __m512d value = _mm512_div_pd(_mm512_sub_pd(_mm512_loadu_pd(sums + i), _mm512_loadu_pd(sums + i - w)), dw);
        _mm512_storeu_pd(column + i, value);
    }
    for (; i < n; i++) column[i] = (sums[i] - sums[i - w]) / (double)w;
}

__attribute__((target("avx512f")))
static void rows_wide(const double *sums, const long *windows, const double *lengths, long count, long from, long to,
                      double *rows) {
    const __m512i zero_index = _mm512_setzero_si512();
    const __m512d nan = _mm512_set1_pd(NAN), zero = _mm512_setzero_pd();
    for (long i = from; i < to; i++) {
        double *row = rows + i * count;
        const __m512d latest = _mm512_set1_pd(sums[i]);
        const __m512i bar = _mm512_set1_epi64(i);
        for (long k = 0; k < count; k += 8) {
            const __mmask8 lanes = count - k >= 8 ? 0xff : (__mmask8)((1u << (count - k)) - 1);
            const __m512i w = _mm512_maskz_loadu_epi64(lanes, windows + k);
            const __m512d dw = _mm512_mask_loadu_pd(_mm512_set1_pd(1), lanes, lengths + k);
            const __m512i back = _mm512_sub_epi64(bar, w);  // i - w: the sum the window leaves out, from 0 on
            const __mmask8 full = _mm512_mask_cmp_epi64_mask(lanes, back, zero_index, _MM_CMPINT_NLT);
            const __mmask8 before = _mm512_mask_cmp_epi64_mask(lanes, back, _mm512_set1_epi64(-1), _MM_CMPINT_LT);
            const __m512d older = _mm512_mask_i64gather_pd(zero, full, back, sums, 8);
            __m512d value = _mm512_div_pd(_mm512_sub_pd(latest, older), dw);
            value = _mm512_mask_mov_pd(value, before, nan);
            _mm512_mask_storeu_pd(row + k, lanes, value);
        }
    }
}

static int wide(void) { return __builtin_cpu_supports("avx512f"); }

void tw_window_average_column(const double *sums, long n, long window, double *column) {
    if (wide()) column_wide(sums, n, window, column); else column_scalar(sums, n, window, column);
}

void tw_window_average_rows(const double *sums, const long *windows, const double *lengths, long count, long from,
                            long to, double *rows) {
    if (wide()) rows_wide(sums, windows, lengths, count, from, to, rows);
    else rows_scalar(sums, windows, lengths, count, from, to, rows);
}

#else

void tw_window_average_column(const double *sums, long n, long window, double *column) {
    column_scalar(sums, n, window, column);
}

void tw_window_average_rows(const double *sums, const long *windows, const double *lengths, long count, long from,
                            long to, double *rows) {
    rows_scalar(sums, windows, lengths, count, from, to, rows);
}

#endif
