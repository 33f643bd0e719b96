/// The exact rules of each catalog strategy as `tradewind strategy show` prints them (the types' doc comments
/// say the same in full).
enum StrategyRules {
    static let text: [String: String] = [
        "momentum": """
              C = the previous session's last regular-hours close; the first session does not trade.
              1. At buy_time (on the clock: after every bar that started before it, whether or not a bar starts at
                 it) a stop-buy at L = C × (1 + buy_trigger/100) is placed for the day. It works from the first bar
                 starting at or after buy_time (10:00 for buy_time 10:00; 10:01 when the 10:00 bar is missing;
                 missing bars before buy_time change nothing): the first such bar whose high ≥ L buys at L, or at
                 its open when it opens at or above L. No bar from buy_time on: no trade.
              2. Exits work from the bar after the entry, one cancelling the others: limit sell at
                 entry × (1 + sell_trigger/100) (or the open when the bar opens above it), stop at
                 entry × (1 − stop_loss/100) when stop_loss > 0 (or the open when the bar opens below it),
                 market-on-close. A bar touching both target and stop sells at the stop.
              3. At most one trade per session; run with flatten-at-close so that an entry on the last bar is sold
                 at that bar's close (the session's last regular-hours bar in the data).
              Sizing: compound = all cash each trade; otherwise shares worth the initial cash, commission on top, or
              all the cash when less remains.
            """,
        "open-10am": """
              C = the previous session's last regular-hours close; the first session does not trade.
              1. At buy_time (on the clock) a conditional market-on-open buy is placed for the first bar starting at
                 or after buy_time (10:00; 10:01 when the 10:00 bar is missing; any later start qualifies): it fills
                 at that bar's open when the open > C × (1 + buy_trigger/100), and expires otherwise. No bar from
                 buy_time on: no trade.
              2. Exits from the bar after the entry, one cancelling the other: limit sell at entry × (1 + sell_trigger/100)
                 (or the open when the bar opens above it) and market-on-close; run with flatten-at-close.
              Sizing: compound = all cash each trade; otherwise shares worth the initial cash, commission on top, or
              all the cash when less remains.
            """,
        "open-10am-stop": """
              As open-10am, plus a stop sell at entry × (1 − stop_loss/100) from the bar after the entry (or the open
              when the bar opens below it). A bar touching both target and stop sells at the stop.
            """,
        "vwap-momentum": """
              At buy_time (on the clock) a conditional market-on-open buy is placed for the first bar starting at or
              after buy_time (10:00; 10:01 when the 10:00 bar is missing): it buys at that open when the open is above
              the session VWAP of the regular-hours bars that started before buy_time (Σ typical × volume / Σ volume,
              typical = (H+L+C)/3) and at least buy_trigger % above the reference: the close of the session's latest
              bar starting at or before reference_time (the 09:40 bar; 09:39's when it is missing). No trade without
              a bar by reference_time, a bar before buy_time, or a bar from buy_time on. Exits as momentum: target,
              stop (stop_loss > 0), session close. Sizing as momentum.
            """,
        "sma-cross": """
              Long only. Buy (all available cash; 1/N of equity with N symbols) when SMA(fast) of the close crosses
              above SMA(slow); sell the whole position when it crosses below. Market orders fill at the next bar's
              open (or the signal bar's close with close-fill timing).
            """,
        "rsi2": """
              RSI = Wilder RSI(rsi_period) of the close (TA-Lib). Signals on the close; market orders fill at the next open.
              Entry: flat, RSI ≤ entry and every enabled filter passes (filter_vwap: close < session VWAP; filter_trend:
              close > SMA(trend_period); min_volume > 0: volume ≥ min_volume; filter_bollinger: close < SMA(bb_period) −
              bb_std × σ) → buy position_size × equity. Exit: RSI ≥ exit → sell all; stop_loss > 0: stop at
              entry × (1 − stop_loss/100) from the next bar. Hedge (hedge_symbol = one of two symbols): RSI ≥
              hedge_entry → buy hedge_size × equity of the hedge; RSI ≤ hedge_exit → sell it.
            """,
        "ema-cross": """
              Long only. Buy all available cash when EMA(fast) crosses above EMA(slow) (TA-Lib EMAs, vectorbt crossing
              rules); sell everything when it crosses below. Market orders at the next open.
            """,
        "macd-cross": """
              Long only. Buy when TA-Lib MACD(fast, slow) crosses above its signal EMA(signal); sell when it crosses
              below. Market orders at the next open.
            """,
        "bollinger-reversion": """
              Long only. Buy when the close < SMA(period) − std × population σ(period); sell when the close ≥ SMA(period).
              Market orders at the next open.
            """,
        "donchian-breakout": """
              Long only. Buy when the close > the highest high of the previous entry_period bars; sell when the close <
              the lowest low of the previous exit_period bars. On the entry fill a stop at fill − atr_multiple × ATR(atr_period)
              (as of the signal bar) works from the next bar; it is cancelled by the channel exit.
            """,
        "signals": """
              Long only. file names a CSV with a header naming a time column (time/date/datetime/timestamp), a signal
              column (signal/action) and optionally symbol. On each symbol's first bar at or after a buy signal (a date
              means New York midnight of that date), if flat, buy with all available cash (1/N of equity with N
              symbols); at or after a sell signal, if long, sell everything. Orders are placed on that bar's close and
              fill at the next open (or that close with close-fill timing). A signal without symbol applies to all.
            """,
        "buy-and-hold": """
              Buy on each symbol's first bar with `fraction` of the initial capital (split equally across symbols) and
              hold to the end.
            """,
    ]
}
