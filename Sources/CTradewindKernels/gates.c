#include "tradewind_kernels.h"

#include <stdint.h>
#include <string.h>

static inline float tw_exp(float x) {
    x = x < -87.3f ? -87.3f : (x > 88.3f ? 88.3f : x);
    const float magic = 12582912.0f;
    float k = x * 1.44269504f + magic;
    float n = k - magic;
    float r = x - n * 0.693359375f - n * -2.12194440e-4f;
    float r2 = r * r;
    float p = 1.98756915e-4f;
    p = p * r + 1.39819995e-3f;
    p = p * r + 8.33345190e-3f;
    p = p * r + 4.16657959e-2f;
    p = p * r + 1.66666655e-1f;
    p = p * r + 5.00000012e-1f;
    float poly = p * r2 + r + 1.0f;
    uint32_t kb;
    memcpy(&kb, &k, 4);
    uint32_t bits = (kb - 0x4B400000u + 127u) << 23;
    float scale;
    memcpy(&scale, &bits, 4);
    return poly * scale;
}

static inline float tw_tanh(float x) {
    float x2 = x * x;
    float small = x * (1.0f + x2 * (-1.0f / 3.0f + x2 * (2.0f / 15.0f)));
    float large = 1.0f - 2.0f / (tw_exp(2.0f * x) + 1.0f);
    return x2 < 0.0025f ? small : large;
}

#define GATES_BODY                                                                              \
    for (long j = 0; j < 2 * H; j++) h[j] = 1.0f / (1.0f + tw_exp(-(h[j] + x[j])));          \
    for (long j = 0; j < H; j++) n[j] = tw_tanh(x[2 * H + j] + h[j] * h[2 * H + j]);

#define BACKWARD_BODY                                                                           \
    for (long j = 0; j < H; j++) dh[j] += dy[j];                                                \
    if (hprev) memcpy(hprev_out, hprev, (size_t)H * 4); else memset(hprev_out, 0, (size_t)H * 4); \
    float *dn = dx + 2 * H, *dzp = dx + H;                                                      \
    for (long j = 0; j < H; j++) dn[j] = dh[j] * (1.0f - z[j]) * (1.0f - n[j] * n[j]);         \
    for (long j = 0; j < H; j++) dzp[j] = dh[j] * (hprev_out[j] - n[j]) * z[j] * (1.0f - z[j]); \
    for (long j = 0; j < H; j++) dx[j] = dn[j] * hn[j] * r[j] * (1.0f - r[j]);                 \
    memcpy(dhp, dx, (size_t)(2 * H) * 4);                                                       \
    for (long j = 0; j < H; j++) dhp[2 * H + j] = dn[j] * r[j];                                 \
    for (long j = 0; j < H; j++) dh[j] *= z[j];

#define LSTM_FORWARD_BODY                                                                       \
    if (rec) { for (long j = 0; j < 4 * H; j++) gates[j] = pre[j] + rec[j]; }                   \
    else memcpy(gates, pre, (size_t)(4 * H) * 4);                                               \
    for (long j = 0; j < 2 * H; j++) gates[j] = 1.0f / (1.0f + tw_exp(-gates[j]));             \
    for (long j = 2 * H; j < 3 * H; j++) gates[j] = tw_tanh(gates[j]);                          \
    for (long j = 3 * H; j < 4 * H; j++) gates[j] = 1.0f / (1.0f + tw_exp(-gates[j]));         \
    if (cprev) { for (long j = 0; j < H; j++) c[j] = gates[H + j] * cprev[j] + gates[j] * gates[2 * H + j]; } \
    else { for (long j = 0; j < H; j++) c[j] = gates[j] * gates[2 * H + j]; }                  \
    for (long j = 0; j < H; j++) h[j] = gates[3 * H + j] * tw_tanh(c[j]);

#define LSTM_BACKWARD_BODY                                                                      \
    if (hprev) memcpy(hprev_out, hprev, (size_t)H * 4); else memset(hprev_out, 0, (size_t)H * 4); \
    for (long j = 0; j < H; j++) {                                                              \
        float d = dh[j] + dy[j];                                                                \
        float i = gates[j], f = gates[H + j], g = gates[2 * H + j], o = gates[3 * H + j];       \
        float tc = tw_tanh(c[j]);                                                               \
        float dcj = dc[j] + d * o * (1.0f - tc * tc);                                           \
        da[j] = dcj * g * i * (1.0f - i);                                                       \
        da[H + j] = dcj * f * (1.0f - f);                                                       \
        da[2 * H + j] = dcj * i * (1.0f - g * g);                                               \
        da[3 * H + j] = d * tc * o * (1.0f - o);                                                \
        dc[j] = dcj * f;                                                                        \
        dh[j] = 0.0f;                                                                           \
    }                                                                                           \
    if (cprev) { for (long j = 0; j < H; j++) da[H + j] *= cprev[j]; }                          \
    else { for (long j = 0; j < H; j++) da[H + j] = 0.0f; }

#define LSTM_FORWARD_ARGS long H, const float *restrict pre, const float *restrict rec, const float *restrict cprev, \
    float *restrict gates, float *restrict c, float *restrict h
#define LSTM_BACKWARD_ARGS long H, float *restrict dh, float *restrict dc, const float *restrict dy,                 \
    const float *restrict gates, const float *restrict c, const float *restrict cprev, const float *restrict hprev, \
    float *restrict da, float *restrict hprev_out

#if defined(__x86_64__) && defined(__clang__)
__attribute__((target("avx512f,avx512dq,avx2,fma")))
static void lstm_forward_avx512(LSTM_FORWARD_ARGS) { LSTM_FORWARD_BODY }
__attribute__((target("avx2,fma")))
static void lstm_forward_avx2(LSTM_FORWARD_ARGS) { LSTM_FORWARD_BODY }
__attribute__((target("avx512f,avx512dq,avx2,fma")))
static void lstm_backward_avx512(LSTM_BACKWARD_ARGS) { LSTM_BACKWARD_BODY }
__attribute__((target("avx2,fma")))
static void lstm_backward_avx2(LSTM_BACKWARD_ARGS) { LSTM_BACKWARD_BODY }
#endif
static void lstm_forward_base(LSTM_FORWARD_ARGS) { LSTM_FORWARD_BODY }
static void lstm_backward_base(LSTM_BACKWARD_ARGS) { LSTM_BACKWARD_BODY }

#if defined(__x86_64__) && defined(__clang__)
__attribute__((target("avx512f,avx512dq,avx2,fma")))
static void gates_avx512(const float *restrict x, float *restrict h, float *restrict n, long H) { GATES_BODY }
__attribute__((target("avx2,fma")))
static void gates_avx2(const float *restrict x, float *restrict h, float *restrict n, long H) { GATES_BODY }
__attribute__((target("avx512f,avx512dq,avx2,fma")))
static void backward_avx512(long H, float *restrict dh, const float *restrict dy, const float *restrict hprev,
                            const float *restrict r, const float *restrict z, const float *restrict n,
                            const float *restrict hn, float *restrict dx, float *restrict dhp, float *restrict hprev_out) { BACKWARD_BODY }
__attribute__((target("avx2,fma")))
static void backward_avx2(long H, float *restrict dh, const float *restrict dy, const float *restrict hprev,
                          const float *restrict r, const float *restrict z, const float *restrict n,
                          const float *restrict hn, float *restrict dx, float *restrict dhp, float *restrict hprev_out) { BACKWARD_BODY }
#endif

static void gates_base(const float *restrict x, float *restrict h, float *restrict n, long H) { GATES_BODY }
static void backward_base(long H, float *restrict dh, const float *restrict dy, const float *restrict hprev,
                          const float *restrict r, const float *restrict z, const float *restrict n,
                          const float *restrict hn, float *restrict dx, float *restrict dhp, float *restrict hprev_out) { BACKWARD_BODY }

int tw_kernel_level(void) {
#if defined(__x86_64__) && defined(__clang__)
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq")) return 2;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 1;
#endif
    return 0;
}

void tw_gru_gates_f32(const float *x, float *h, float *n, long hidden) {
#if defined(__x86_64__) && defined(__clang__)
    switch (tw_kernel_level()) {
    case 2: gates_avx512(x, h, n, hidden); return;
    case 1: gates_avx2(x, h, n, hidden); return;
    default: break;
    }
#endif
    gates_base(x, h, n, hidden);
}

void tw_gru_backward_f32(long hidden, float *dh, const float *dy, const float *hprev, const float *r, const float *z,
                         const float *n, const float *hn, float *dx, float *dhp, float *hprev_out) {
#if defined(__x86_64__) && defined(__clang__)
    switch (tw_kernel_level()) {
    case 2: backward_avx512(hidden, dh, dy, hprev, r, z, n, hn, dx, dhp, hprev_out); return;
    case 1: backward_avx2(hidden, dh, dy, hprev, r, z, n, hn, dx, dhp, hprev_out); return;
    default: break;
    }
#endif
    backward_base(hidden, dh, dy, hprev, r, z, n, hn, dx, dhp, hprev_out);
}

void tw_lstm_forward_f32_at(int level, long hidden, const float *pre, const float *rec, const float *cprev, float *gates,
                            float *c, float *h) {
#if defined(__x86_64__) && defined(__clang__)
    switch (level < tw_kernel_level() ? level : tw_kernel_level()) {
    case 2: lstm_forward_avx512(hidden, pre, rec, cprev, gates, c, h); return;
    case 1: lstm_forward_avx2(hidden, pre, rec, cprev, gates, c, h); return;
    default: break;
    }
#endif
    lstm_forward_base(hidden, pre, rec, cprev, gates, c, h);
}

void tw_lstm_forward_f32(long hidden, const float *pre, const float *rec, const float *cprev, float *gates, float *c, float *h) {
    tw_lstm_forward_f32_at(tw_kernel_level(), hidden, pre, rec, cprev, gates, c, h);
}

void tw_lstm_backward_f32_at(int level, long hidden, float *dh, float *dc, const float *dy, const float *gates, const float *c,
                             const float *cprev, const float *hprev, float *da, float *hprev_out) {
#if defined(__x86_64__) && defined(__clang__)
    switch (level < tw_kernel_level() ? level : tw_kernel_level()) {
    case 2: lstm_backward_avx512(hidden, dh, dc, dy, gates, c, cprev, hprev, da, hprev_out); return;
    case 1: lstm_backward_avx2(hidden, dh, dc, dy, gates, c, cprev, hprev, da, hprev_out); return;
    default: break;
    }
#endif
    lstm_backward_base(hidden, dh, dc, dy, gates, c, cprev, hprev, da, hprev_out);
}

void tw_lstm_backward_f32(long hidden, float *dh, float *dc, const float *dy, const float *gates, const float *c,
                          const float *cprev, const float *hprev, float *da, float *hprev_out) {
    tw_lstm_backward_f32_at(tw_kernel_level(), hidden, dh, dc, dy, gates, c, cprev, hprev, da, hprev_out);
}
