// Trade journal: log trades, close open ones, and read the analytics (win rate, P&L by symbol and by month, with
// TradewindCharts' bar chart of the monthly P&L).
import { api } from '../api.js';
import { h, fill, num, pct, time, card, signClass, table } from '../format.js';

export default async function render(root, { isCurrent }) {
  const banner = h('div', { class: 'banner', role: 'alert' });
  const field = (label, input) => h('div', { class: 'field' }, h('label', { for: input.id }, label), input);
  const symbol = h('input', { id: 'j-symbol', required: true, placeholder: 'SPY', autocomplete: 'off' });
  const side = h('select', { id: 'j-side' }, h('option', { value: 'long' }, 'long'), h('option', { value: 'short' }, 'short'));
  const quantity = h('input', { id: 'j-quantity', type: 'number', min: 0, step: 'any', required: true, value: 10 });
  const price = h('input', { id: 'j-price', type: 'number', min: 0, step: 'any', required: true });
  const strategy = h('input', { id: 'j-strategy', placeholder: 'optional' });
  const notes = h('input', { id: 'j-notes', placeholder: 'optional' });
  const form = h('form', { id: 'journal-form' }, h('div', { class: 'row' }, field('Symbol', symbol), field('Side', side), field('Quantity', quantity),
    field('Entry price', price), field('Strategy', strategy), field('Notes', notes), h('button', { type: 'submit', class: 'primary' }, 'Log trade')));
  const openBox = h('div', { id: 'open-trades' });
  const closedBox = h('div', { id: 'closed-trades' });
  const analyticsBox = h('div', { id: 'journal-analytics' });
  fill(root, h('h1', {}, 'Trade journal'), h('section', { class: 'panel' }, h('h2', {}, 'Log a trade'), form, banner),
    h('section', {}, analyticsBox), h('div', { class: 'grid2' }, h('section', { class: 'panel' }, h('h2', {}, 'Open trades'), openBox),
      h('section', { class: 'panel' }, h('h2', {}, 'Closed trades'), closedBox)));

  const months = (groups) => table([['Month', (g) => g.key], ['Trades', (g) => String(g.trades), { num: true }],
    ['Win rate', (g) => pct(g.win_rate, 1), { num: true }],
    ['P&L', (g) => h('span', { class: signClass(g.pnl) }, num(g.pnl)), { num: true }]], groups, { id: 'pnl-by-month' });
  const chart = (svg) => {
    // TradewindCharts' SVG, drawn by the server from the journal (it escapes every text it draws).
    const box = h('div', { class: 'chart-scroll', id: 'journal-chart' });
    box.innerHTML = svg;
    return box;
  };
  const load = async () => {
    const [open, closed, a, c] = await Promise.all([api('/api/trades?status=open&limit=200'), api('/api/trades?status=closed&limit=200'),
      api('/api/trades/analytics'), api('/api/trades/analytics/chart')]);
    if (!isCurrent()) return;
    fill(analyticsBox, h('div', { class: 'cards' }, card('Trades', String(a.trades)), card('Win rate', pct(a.win_rate, 1)),
      card('Total P&L', num(a.total_pnl), signClass(a.total_pnl)), card('Profit factor', num(a.profit_factor)),
      card('Expectancy', num(a.expectancy), signClass(a.expectancy))),
    h('div', { class: 'grid2' }, h('div', { class: 'panel' }, h('h2', {}, 'P&L by month'), a.by_month.length ? [c.svg ? chart(c.svg) : null, months(a.by_month)] : h('p', { class: 'muted' }, 'No closed trades yet.')),
      h('div', { class: 'panel' }, h('h2', {}, 'P&L by symbol'), table([['Symbol', (g) => g.key], ['Trades', (g) => String(g.trades), { num: true }],
        ['Win rate', (g) => pct(g.win_rate, 1), { num: true }], ['P&L', (g) => h('span', { class: signClass(g.pnl) }, num(g.pnl)), { num: true }]], a.by_symbol, { id: 'pnl-by-symbol' }))));
    fill(openBox, open.items.length ? table([
      ['ID', (t) => String(t.id)], ['Symbol', (t) => t.symbol], ['Side', (t) => t.side], ['Qty', (t) => num(t.quantity, 0), { num: true }],
      ['Entry', (t) => `${num(t.entry_price)} at ${time(t.entry_time)}`],
      ['Close', (t) => {
        const exit = h('input', { type: 'number', step: 'any', min: 0, 'aria-label': `Exit price of trade ${t.id}`, style: 'width:90px' });
        return h('form', { class: 'row', onsubmit: async (e) => {
          e.preventDefault();
          try { await api('/api/trades/close', { method: 'POST', body: { id: t.id, exit_price: Number(exit.value) } }); banner.textContent = ''; load(); }
          catch (err) { banner.textContent = err.message; }
        } }, exit, h('button', { type: 'submit' }, 'Close'));
      }],
    ], open.items, { id: 'open-table' }) : h('p', { class: 'muted' }, 'No open trades.'));
    fill(closedBox, closed.items.length ? table([
      ['ID', (t) => String(t.id)], ['Symbol', (t) => t.symbol], ['Side', (t) => t.side],
      ['Entry', (t) => num(t.entry_price), { num: true }], ['Exit', (t) => num(t.exit_price), { num: true }],
      ['Closed', (t) => time(t.exit_time)], ['P&L', (t) => h('span', { class: signClass(t.pnl) }, num(t.pnl)), { num: true }],
    ], closed.items, { id: 'closed-table' }) : h('p', { class: 'muted' }, 'No closed trades.'));
  };
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { symbol: symbol.value.trim().toUpperCase(), side: side.value, quantity: Number(quantity.value), entry_price: Number(price.value) };
    if (strategy.value.trim()) body.strategy = strategy.value.trim();
    if (notes.value.trim()) body.notes = notes.value.trim();
    try { await api('/api/trades', { method: 'POST', body }); banner.textContent = ''; form.reset(); quantity.value = 10; await load(); }
    catch (err) { banner.textContent = err.message + (err.field ? ` (field ${err.field})` : ''); }
  });
  await load();
  return null;
}
