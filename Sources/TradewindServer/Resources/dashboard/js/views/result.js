// Result: metric cards, equity against buy-and-hold, drawdown, prices with entries and exits, the objective heatmap
// (TradewindCharts SVG from the server), the chronological trade log, parameters, report downloads, and "backtest
// again with these parameters".
import { api, download } from '../api.js';
import { h, fill, num, pct, time, card, signClass, table } from '../format.js';
import { confirmDialog } from './confirm.js';
import { navigate } from '../router.js';

const TRADES_PAGE = 100;

export default async function render(root, { param, isCurrent }) {
  const id = Number(param);
  const r = await api(`/api/history/${id}`);
  if (!isCurrent()) return;
  const replay = r.detail && r.detail.replay;
  const again = new URLSearchParams({ run: 'backtest', strategy: r.strategy });
  if (replay) { again.set('data', replay.data); if (replay.symbols) again.set('symbols', replay.symbols.join(',')); }
  for (const [k, v] of Object.entries(r.parameters)) again.set('p.' + k, v);
  const banner = h('div', { class: 'banner', role: 'alert' });
  const charts = h('div', { class: 'charts', id: 'result-charts', 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Drawing the charts…'));
  const trades = h('div', { id: 'trade-log' });
  const downloadButton = (ext) => h('button', { type: 'button', id: `download-${ext}`, onclick: async (e) => {
    e.target.disabled = true;
    try { await download(`/api/reports/${id}.${ext}`, `tradewind-result-${id}.${ext}`); banner.className = 'banner ok'; banner.textContent = `Report ${id}.${ext} downloaded.`; }
    catch (err) { banner.className = 'banner'; banner.textContent = err.message; }
    finally { e.target.disabled = false; }
  } }, `Download ${ext.toUpperCase()} report`);
  const remove = h('button', { type: 'button', class: 'danger', onclick: async () => {
    if (!(await confirmDialog(`Delete result ${id}?`))) return;
    await api(`/api/history/${id}`, { method: 'DELETE' });
    navigate('/history');
  } }, 'Delete');
  const m = r;
  fill(root,
    h('h1', {}, `Result ${id}: ${r.symbol} · ${r.strategy}`),
    h('p', { class: 'muted' }, `${r.kind} · stored ${time(r.created_at)}`, r.job_id ? [' · ', h('a', { href: `/logs/${r.job_id}` }, `job ${r.job_id}`)] : ''),
    h('div', { class: 'cards', id: 'metric-cards' },
      card('Sharpe', num(m.sharpe), signClass(m.sharpe), 'sharpe'), card('Total return', pct(m.total_return), signClass(m.total_return), 'total_return'),
      card('Max gain', pct(m.max_gain), '', 'max_gain'), card('Win rate', pct(m.win_rate, 1), '', 'win_rate'),
      card('Max drawdown', pct(m.max_drawdown), 'neg', 'max_drawdown'), card('Trades', String(m.trades), '', 'trades'),
      r.objective ? card('Objective ' + r.objective, num(r.objective_value, 4), '', 'objective') : null),
    h('div', { class: 'row' }, replay ? h('a', { class: 'button primary', href: '/console?' + again, id: 'backtest-again' }, 'Backtest again with these parameters') : null,
      replay ? [downloadButton('html'), downloadButton('pdf')] : null, remove),
    banner,
    h('section', { class: 'panel' }, charts),
    h('section', { class: 'panel' }, h('h2', {}, 'Parameters'),
      Object.keys(r.parameters).length ? table([['Parameter', ([k]) => k], ['Value', ([, v]) => v]], Object.entries(r.parameters), { id: 'result-parameters' })
        : h('p', { class: 'muted' }, 'Defaults only.')),
    h('section', { class: 'panel' }, h('h2', {}, `Trade log (${r.trade_log.length} trades, chronological)`), trades));

  // The trade log, chronological, a page at a time.
  const log = [...r.trade_log].sort((a, b) => Date.parse(a.entry_time) - Date.parse(b.entry_time));
  let page = 0;
  const showTrades = () => {
    const rows = log.slice(page * TRADES_PAGE, (page + 1) * TRADES_PAGE);
    const pages = Math.max(1, Math.ceil(log.length / TRADES_PAGE));
    fill(trades, log.length ? [table([
      ['#', (t) => String(log.indexOf(t) + 1), { num: true }], ['Symbol', (t) => t.symbol], ['Side', (t) => t.side],
      ['Entry', (t) => time(t.entry_time)], ['Entry price', (t) => num(t.entry_price), { num: true }],
      ['Exit', (t) => t.open ? 'open' : time(t.exit_time)], ['Exit price', (t) => num(t.exit_price), { num: true }],
      ['Quantity', (t) => num(t.quantity, 0), { num: true }],
      ['P&L', (t) => h('span', { class: signClass(t.net_pnl) }, num(t.net_pnl)), { num: true }],
      ['Return', (t) => h('span', { class: signClass(t.return) }, pct(t.return)), { num: true }],
      ['Bars held', (t) => String(t.bars_held), { num: true }],
    ], rows, { id: 'trade-table' }),
    pages > 1 ? h('div', { class: 'pager' }, h('button', { type: 'button', disabled: page === 0, onclick: () => { page--; showTrades(); } }, '← Previous'),
      `page ${page + 1} of ${pages}`, h('button', { type: 'button', disabled: page + 1 >= pages, onclick: () => { page++; showTrades(); } }, 'Next →')) : null]
      : h('p', { class: 'muted' }, 'No trades.'));
  };
  showTrades();

  // The charts are drawn by the server (a replay of the run); they arrive after the page is usable.
  // Only a result with a reproducible run has charts (the server replays it); say so instead of asking.
  (replay ? api(`/api/history/${id}/charts`) : Promise.reject(new Error('this result has no reproducible run to draw.'))).then((c) => {
    if (!isCurrent()) return;
    // Server-rendered SVG from this origin (TradewindCharts escapes every text it draws).
    charts.innerHTML = c.equity + c.drawdown + c.prices
      + (c.heatmap ? '<section id="heatmap"><h2>Objective heatmap</h2><div class="chart-scroll">' + c.heatmap + '</div></section>' : '');
    charts.setAttribute('aria-busy', 'false');
    charts.dataset.ready = 'true';
  }).catch((e) => {
    if (!isCurrent()) return;
    fill(charts, h('p', { class: 'muted' }, 'No charts: ' + e.message));
    charts.setAttribute('aria-busy', 'false');
    charts.dataset.ready = 'true';
  });
  // The equity chart's linear/log switch.
  const onScale = (e) => {
    const b = e.target.closest('button[data-scale]');
    if (!b) return;
    const group = b.closest('[data-scale-group]');
    for (const x of group.querySelectorAll('button[data-scale]')) x.setAttribute('aria-pressed', String(x === b));
    for (const v of group.querySelectorAll('[data-scale-view]')) v.hidden = v.dataset.scaleView !== b.dataset.scale;
  };
  charts.addEventListener('click', onScale);
  return null;
}
