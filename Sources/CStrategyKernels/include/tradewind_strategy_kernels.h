// Eight-lane loops of TradewindStrategies' exact kernels and of the moving averages they read, compiled for AVX-512
// and picked at run time (the Swift package builds for baseline x86-64: two doubles per instruction and sixteen vector
// registers). Each lane's arithmetic is the Swift reference's, operation for operation and without fused
// multiply-adds, so every figure is bit for bit the same.
#ifndef TRADEWIND_STRATEGY_KERNELS_H
#define TRADEWIND_STRATEGY_KERNELS_H

/// Eight sma-cross pairs over one series with next-open fills (`SMACrossKernel.fastRun`'s premises and arithmetic) or,
/// with `fill_at_close` set, fills at the signal bar's close (`fastCloseRun`'s), one pair per lane: lane l's fast average is column `fast_column + l` of `averages` and every lane's slow average
/// column `slow_column` (a row of a grid, so one load per bar; gathering any eight pairs' columns instead measured as
/// slow as eight single passes). Bars before `first_bar` are not read (no average of the slow window is full there,
/// so nothing can happen). The caller fills the inputs and the trade buffers; the kernel fills the lane outputs.
typedef struct {
    /// The moving averages bar by bar: bar i's average of window column k at [i * row_length + k] (NaN before the
    /// window is full).
    const double *averages;
    long row_length;
    long fast_column;
    long slow_column;
    long first_bar;
    /// Two runs in one vector (`second_lanes` > 0): lanes 0 … split − 1 take fast columns `fast_column` … with
    /// `slow_column`, lanes split … split + second_lanes − 1 fast columns `second_fast_column` … with
    /// `second_slow_column` (the last few pairs of two grid rows), and the lanes after both are idle. `first_bar` is
    /// then the earlier of the two runs' first bars.
    long split, second_fast_column, second_slow_column, second_lanes;
    int fill_at_close;
    const double *open;
    const double *close;
    long bars;
    double initial_cash;
    /// Commission as a fraction of each fill's value; the slipped buy and sell price factors.
    double commission, buy_factor, sell_factor;
    /// 0: the trade buffers below are not written (the lane outputs still count every trade).
    int record_trades;
    /// Closed trades each lane can record (bars / 2 + 1 is always enough): lane l's k-th trade at [l * capacity + k].
    long trade_capacity;
    long *entry_bar;
    long *exit_bar;
    double *entry_price;
    double *exit_price;
    double *quantity;
    /// Per lane: the running sums of the bar returns, the peak equity, the smallest equity / peak, the final
    /// equity, closed trades, winners, bars held.
    double sum[8], sum_squares[8], downside_squares[8], peak[8], min_ratio[8], final_equity[8];
    long trades[8], wins[8], held_bars[8];
    /// Per lane, the closed trades' net P&L as `BarLedger.close` counts it: trades with a positive and with a
    /// negative net P&L, and the sums of each.
    long winners[8], losers[8];
    double gross_profit[8], gross_loss[8];
    /// 1 where the lane left the premises (a buy of no shares, a cash of zero or not finite after a sell): its
    /// figures are not to be used, and the caller runs the per-bar reference for that pair.
    int outside_premises[8];
} tw_sma_cross8;

/// 1 when this CPU runs `tw_sma_cross8_run` (AVX-512 F), else 0.
int tw_sma_cross8_available(void);

/// Runs the eight lanes; returns 1, or 0 (nothing written) when this CPU has no AVX-512 or the two runs do not fit.
int tw_sma_cross8_run(tw_sma_cross8 *job);

/// The moving average of `window` (≥ 1) bars at every bar of a series of `n` bars, from the running sums of its closes
/// (`sums[i]` = close[0] + … + close[i]): `column[i]` = (sums[i] − sums[i − window]) / window, sums[i] / window at bar
/// window − 1, NaN before it. AVX-512 where the CPU has it; the same bits either way.
void tw_window_average_column(const double *sums, long n, long window, double *column);

/// The same averages by bar for bars `from` ..< `to`: `rows[i * count + k]` is the average of `windows[k]` (≥ 1, and
/// `lengths[k]` the same as a double) at bar i.
void tw_window_average_rows(const double *sums, const long *windows, const double *lengths, long count, long from,
                            long to, double *rows);

#endif
