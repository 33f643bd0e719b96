// sma-cross, eight pairs at once: `SMACrossKernel.fastRun` per lane (that function documents the rules and why each
// shortcut is exact). A bar on which any lane is long or fills marks every lane: for a flat lane without a fill the
// mark changes nothing, bit for bit (its equity is its cash, which the last mark already took), so the lanes need not
// be in a position together, and a bar with all eight flat is not marked at all. Fills and new drawdown lows are
// rare; they run under lane masks, with the same operations as `fastRun`'s scalars. Each closed trade's net P&L is
// counted here too, so the caller replays the trades only when it wants their list.
#include "tradewind_strategy_kernels.h"
#include <math.h>

#if defined(__x86_64__)
#include <immintrin.h>
#pragma clang fp contract(off)

int tw_sma_cross8_available(void) { return __builtin_cpu_supports("avx512f") ? 1 : 0; }

// One loop for both fill timings: `at_close` is a constant in each caller below, so each gets its own copy.
__attribute__((target("avx512f"), always_inline))
static inline void run_lanes(tw_sma_cross8 *job, const int at_close, const int two_runs) {
    const long n = job->bars, width = job->row_length;
    const double *fast_row = job->averages + job->fast_column, *slow_row = job->averages + job->slow_column;
    // A second run of lanes (`two_runs`): its own fast columns and slow column, from lane `split` on.
    const double *second_fast_row = job->averages + job->second_fast_column;
    const double *second_slow_row = job->averages + job->second_slow_column;
    const __mmask8 first_lanes = (__mmask8)((1u << job->split) - 1);
    const __mmask8 second_lanes = (__mmask8)(((1u << job->second_lanes) - 1) << job->split);
    const __mmask8 second_loaded = (__mmask8)((1u << job->second_lanes) - 1);
    // Lane l takes element l − split (lanes before `split` take anything: the blend drops them).
    const __m512i shift = _mm512_set_epi64((7 - job->split) & 7, (6 - job->split) & 7, (5 - job->split) & 7, (4 - job->split) & 7,
                                           (3 - job->split) & 7, (2 - job->split) & 7, (1 - job->split) & 7, (0 - job->split) & 7);
    const double c = job->commission, buy_factor = job->buy_factor, sell_factor = job->sell_factor;
    const double initial = job->initial_cash;
    const double raise = 1 + 0x1p-40;
    long entry_bar[8], trades[8], wins[8], held[8], winners[8], losers[8];
    double gross_profit[8], gross_loss[8];
    for (int l = 0; l < 8; l++) {
        entry_bar[l] = -1;
        trades[l] = wins[l] = held[l] = winners[l] = losers[l] = 0;
        gross_profit[l] = gross_loss[l] = 0;
        job->outside_premises[l] = 0;
    }
    const int recording = job->record_trades;
    const __m512d zero = _mm512_setzero_pd(), one = _mm512_set1_pd(1);
    __m512d cash_v = _mm512_set1_pd(initial), quantity_v = zero, previous = _mm512_set1_pd(initial);
    __m512d sum = zero, squares = zero, downside = zero, top = _mm512_set1_pd(initial), bound_v = _mm512_set1_pd(raise);
    __m512d low_v = one, entry_v = zero;
    // Lane bits: in a position; fast < slow seen at some bar so far; the cross-up detector armed after the last bar
    // (fast < slow seen, and fast <= slow on it); a buy or a sell to fill (this bar's close, or the next bar's open).
    // While flat, the detector fires at the first bar with fast > slow once armed. A sell leaves it armed (its
    // cross-down bar had fast < slow); a cross up disarms it (a buy of no shares leaves the premises).
    unsigned long_bits = 0, seen = 0, armed = 0, pending_buy = 0, pending_sell = 0;
    // Bar i's crossings (NaN averages compare false). With close fills they are taken one bar ahead, so that the fill
    // branch depends only on what the bar before computed, not on this bar's loads (close fills act on the bar's own
    // crossings): 4 % faster there, and 4 % slower for next-open fills, whose branch already depends on the bar before.
    #define CROSSINGS(bar, above_out, below_out) do { \
        __m512d fast, slow; \
        if (two_runs) { \
            /* Idle lanes after both runs read 0: never above their slow average (a price's), so they never trade. \
               The second run's columns are loaded from its first, then moved up to lane `split`. */ \
            const __m512d second = _mm512_permutexvar_pd(shift, _mm512_maskz_loadu_pd(second_loaded, second_fast_row + (bar) * width)); \
            fast = _mm512_mask_blend_pd(second_lanes, _mm512_maskz_loadu_pd(first_lanes, fast_row + (bar) * width), second); \
            slow = _mm512_mask_blend_pd(second_lanes, _mm512_set1_pd(slow_row[(bar) * width]), _mm512_set1_pd(second_slow_row[(bar) * width])); \
        } else { \
            fast = _mm512_loadu_pd(fast_row + (bar) * width); \
            slow = _mm512_set1_pd(slow_row[(bar) * width]); \
        } \
        above_out = (unsigned)_mm512_cmp_pd_mask(fast, slow, _CMP_GT_OQ); \
        below_out = (unsigned)_mm512_cmp_pd_mask(fast, slow, _CMP_LT_OQ); \
    } while (0)
    const long start = job->first_bar > 0 ? job->first_bar : 0;
    unsigned above_next = 0, below_next = 0;
    if (at_close && start < n) CROSSINGS(start, above_next, below_next);
    for (long i = start; i < n; i++) {
        // Close fills act on the crossings at once, on the position before them; next-open fills at the next bar, and
        // they are taken on the position after this bar's fills.
        unsigned above, below;
        if (at_close) {
            above = above_next;
            below = below_next;
            if (i + 1 < n) CROSSINGS(i + 1, above_next, below_next);
        } else {
            CROSSINGS(i, above, below);
        }
        // A row holds every window, so the lanes' next rows are far apart: fetch them a few bars ahead.
        if (i + 12 < n) {
            _mm_prefetch((const char *)(fast_row + (i + 12) * width), _MM_HINT_T0);
            _mm_prefetch((const char *)(fast_row + (i + 12) * width + 7), _MM_HINT_T0);
            _mm_prefetch((const char *)(slow_row + (i + 12) * width), _MM_HINT_T0);
            if (two_runs) {
                _mm_prefetch((const char *)(second_fast_row + (i + 12) * width), _MM_HINT_T0);
                _mm_prefetch((const char *)(second_fast_row + (i + 12) * width + 7), _MM_HINT_T0);
                _mm_prefetch((const char *)(second_slow_row + (i + 12) * width), _MM_HINT_T0);
            }
        }
        const unsigned armed_before = armed;
        seen |= below;
        armed = seen & ~above & 0xffu;
        if (at_close) {
            pending_buy = ~long_bits & armed_before & above;
            pending_sell = long_bits & below;
        }
        const unsigned filled = pending_buy | pending_sell;
        if (filled) {
            // Next-open fills at this bar's open; close fills at its close, on the signal bar.
            const double fill = at_close ? job->close[i] : job->open[i];
            if (pending_buy) {
                // All the cash at the slipped price, commission on top: `KernelSizing.quantity` lane by lane.
                const __mmask8 buying = (__mmask8)pending_buy;
                const double price = fill * buy_factor;
                const __m512d price_v = _mm512_set1_pd(price);
                const __m512d q = c > 0 ? _mm512_div_pd(_mm512_div_pd(cash_v, _mm512_set1_pd(1 + c)), price_v)
                                        : _mm512_div_pd(_mm512_sub_pd(cash_v, zero), _mm512_set1_pd(price * (1 + c) + 0));
                const __mmask8 bought = _mm512_mask_cmp_pd_mask(buying, q, zero, _CMP_GT_OQ);
                for (unsigned none = buying & ~bought; none; none &= none - 1) job->outside_premises[__builtin_ctz(none)] = 1;
                const __m512d value = _mm512_mul_pd(q, price_v);
                cash_v = _mm512_mask_sub_pd(cash_v, bought, cash_v, _mm512_add_pd(value, _mm512_mul_pd(value, _mm512_set1_pd(c))));
                quantity_v = _mm512_mask_mov_pd(quantity_v, bought, q);
                entry_v = _mm512_mask_mov_pd(entry_v, bought, price_v);
                for (unsigned b = bought; b; b &= b - 1) entry_bar[__builtin_ctz(b)] = i;
                long_bits |= bought;
            }
            if (pending_sell) {
                const __mmask8 selling = (__mmask8)pending_sell;
                const double price = fill * sell_factor;
                const __m512d price_v = _mm512_set1_pd(price);
                const __m512d negated = _mm512_sub_pd(zero, quantity_v);  // -q, exactly (q > 0)
                const __m512d after = _mm512_sub_pd(cash_v, _mm512_add_pd(_mm512_mul_pd(negated, price_v),
                                                                          _mm512_mul_pd(_mm512_mul_pd(quantity_v, price_v), _mm512_set1_pd(c))));
                double quantities[8], entries[8];
                _mm512_storeu_pd(quantities, quantity_v);
                _mm512_storeu_pd(entries, entry_v);
                for (unsigned m = pending_sell; m; m &= m - 1) {
                    const int l = __builtin_ctz(m);
                    const long k = trades[l];
                    if (recording) {
                        if (k < job->trade_capacity) {
                            const long at = l * job->trade_capacity + k;
                            job->entry_bar[at] = entry_bar[l];
                            job->exit_bar[at] = i;
                            job->entry_price[at] = entries[l];
                            job->exit_price[at] = price;
                            job->quantity[at] = quantities[l];
                        } else {
                            job->outside_premises[l] = 1;
                        }
                    }
                    trades[l] = k + 1;
                    // The trade's net P&L (`BarLedger.netPnL`) into the ledger's figures (`BarLedger.close`), and a
                    // winner as each pass counts one: `fastRun` on the prices, `fastCloseRun` on the net P&L.
                    const double q = quantities[l], entry = entries[l];
                    const double pnl = (price - entry) * q - (q * entry) * c - (q * price) * c;
                    // Branch-free: adding +0 leaves each sum as it is (neither is ever -0).
                    winners[l] += pnl > 0;
                    losers[l] += pnl < 0;
                    gross_profit[l] += pnl > 0 ? pnl : 0.0;
                    gross_loss[l] += pnl < 0 ? pnl : 0.0;
                    wins[l] += at_close ? pnl > 0 : price * (1 - c) > entry * (1 + c);
                    held[l] += i - entry_bar[l];
                }
                // A cash that is zero or not finite after a sell leaves the premises.
                const __mmask8 usable = _mm512_cmp_pd_mask(after, zero, _CMP_NEQ_OQ)
                    & _mm512_cmp_pd_mask(_mm512_abs_pd(after), _mm512_set1_pd(INFINITY), _CMP_LT_OQ);
                for (unsigned bad = selling & ~usable; bad; bad &= bad - 1) job->outside_premises[__builtin_ctz(bad)] = 1;
                cash_v = _mm512_mask_mov_pd(cash_v, selling, after);
                quantity_v = _mm512_mask_mov_pd(quantity_v, selling, zero);
                long_bits &= ~pending_sell;
            }
            pending_buy = pending_sell = 0;
        }
        // The bar's mark. With every lane flat and no fill it changes nothing (see above): skipped.
        if (long_bits | filled) {
            // Every lane: e = cash + q × close, its return, the sums, the peak.
            const __m512d e = _mm512_add_pd(cash_v, _mm512_mul_pd(quantity_v, _mm512_set1_pd(job->close[i])));
            const __m512d r = _mm512_sub_pd(_mm512_div_pd(e, previous), one);
            sum = _mm512_add_pd(sum, r);
            squares = _mm512_add_pd(squares, _mm512_mul_pd(r, r));
            const __m512d down = _mm512_min_pd(r, zero);
            downside = _mm512_add_pd(downside, _mm512_mul_pd(down, down));
            top = _mm512_max_pd(e, top);
            previous = e;
            // A new drawdown low is possible only where e <= top × bound, in a position or on a fill bar.
            const __mmask8 deep = _mm512_cmp_pd_mask(e, _mm512_mul_pd(top, bound_v), _CMP_NGT_UQ) & (__mmask8)(long_bits | filled);
            if (deep) {
                const __m512d ratio = _mm512_maskz_div_pd(deep, e, top);
                const __mmask8 lower = _mm512_mask_cmp_pd_mask(deep, ratio, low_v, _CMP_LT_OQ);
                low_v = _mm512_mask_mov_pd(low_v, lower, ratio);
                const __mmask8 normal = _mm512_mask_cmp_pd_mask(lower, ratio, _mm512_set1_pd(0x1p-500), _CMP_GE_OQ);
                bound_v = _mm512_mask_mov_pd(bound_v, lower, _mm512_set1_pd(INFINITY));
                bound_v = _mm512_mask_mul_pd(bound_v, normal, ratio, _mm512_set1_pd(raise));
            }
        }
        if (!at_close && i + 1 < n) {
            pending_buy = ~long_bits & armed_before & above;  // on the position after this bar's fills
            pending_sell = long_bits & below;
        } else {
            pending_buy = pending_sell = 0;
        }
    }
    #undef CROSSINGS
    _mm512_storeu_pd(job->sum, sum);
    _mm512_storeu_pd(job->sum_squares, squares);
    _mm512_storeu_pd(job->downside_squares, downside);
    _mm512_storeu_pd(job->peak, top);
    _mm512_storeu_pd(job->min_ratio, low_v);
    _mm512_storeu_pd(job->final_equity, previous);
    for (int l = 0; l < 8; l++) {
        if (long_bits & (1u << l)) held[l] += n - entry_bar[l];
        job->trades[l] = trades[l];
        job->wins[l] = wins[l];
        job->held_bars[l] = held[l];
        job->winners[l] = winners[l];
        job->losers[l] = losers[l];
        job->gross_profit[l] = gross_profit[l];
        job->gross_loss[l] = gross_loss[l];
    }
}

__attribute__((target("avx512f")))
static void run_next_open(tw_sma_cross8 *job) { run_lanes(job, 0, 0); }

__attribute__((target("avx512f")))
static void run_next_open_two_runs(tw_sma_cross8 *job) { run_lanes(job, 0, 1); }

__attribute__((target("avx512f")))
static void run_at_close(tw_sma_cross8 *job) { run_lanes(job, 1, 0); }

__attribute__((target("avx512f")))
static void run_at_close_two_runs(tw_sma_cross8 *job) { run_lanes(job, 1, 1); }

int tw_sma_cross8_run(tw_sma_cross8 *job) {
    if (!tw_sma_cross8_available()) return 0;
    const int two_runs = job->second_lanes > 0;
    if (two_runs && !(job->split >= 1 && job->second_lanes <= 8 - job->split)) return 0;
    if (job->fill_at_close) {
        if (two_runs) run_at_close_two_runs(job); else run_at_close(job);
    } else {
        if (two_runs) run_next_open_two_runs(job); else run_next_open(job);
    }
    return 1;
}

#else

int tw_sma_cross8_available(void) { return 0; }
int tw_sma_cross8_run(tw_sma_cross8 *job) { (void)job; return 0; }

#endif
