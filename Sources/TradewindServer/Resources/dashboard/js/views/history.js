// History: every stored result, searched, filtered, sorted and paged by the server (`/api/history`); the view's state
// is in its URL. Delete one result or all that match, after a confirmation.
import { api } from '../api.js';
import { setQuery } from '../router.js';
import { h, fill, num, pct, time, debounce, signClass } from '../format.js';
import { catalog } from './console.js';
import { confirmDialog } from './confirm.js';

const PAGE = 50;
const sorts = [['date', 'Date'], ['sharpe', 'Sharpe'], ['total_return', 'Total return'], ['max_gain', 'Max gain'],
  ['win_rate', 'Win rate'], ['max_drawdown', 'Max drawdown']];

export default async function render(root, { query, isCurrent }) {
  const cat = await catalog();
  if (!isCurrent()) return;
  const state = { symbol: query.get('symbol') || '', strategy: query.get('strategy') || '', sort: query.get('sort') || 'date',
    order: query.get('order') || 'desc', page: Math.max(0, Number(query.get('page') || 1) - 1) };
  const search = h('input', { id: 'history-symbol', type: 'search', placeholder: 'Symbol', value: state.symbol, 'aria-label': 'Search by symbol' });
  const strategy = h('select', { id: 'history-strategy', 'aria-label': 'Filter by strategy' }, h('option', { value: '' }, 'every strategy'),
    cat.strategies.map((s) => h('option', { value: s.name }, s.name)));
  strategy.value = state.strategy;
  const sort = h('select', { id: 'history-sort', 'aria-label': 'Sort by' }, sorts.map(([k, t]) => h('option', { value: k }, t)));
  sort.value = state.sort;
  const order = h('button', { type: 'button', id: 'history-order' });
  const deleteAll = h('button', { type: 'button', class: 'danger', id: 'delete-all' }, 'Delete all shown');
  const body = h('div', { id: 'history-table' });
  const pager = h('div', { class: 'pager' });
  const timing = h('span', { class: 'muted', id: 'history-timing' });
  const banner = h('div', { class: 'banner', role: 'alert' });
  fill(root, h('h1', {}, 'History'),
    h('div', { class: 'panel' }, h('div', { class: 'row' }, search, strategy, h('label', { for: 'history-sort', class: 'muted' }, 'Sort'), sort, order, deleteAll, timing), banner, body, pager));

  const filters = () => {
    const q = new URLSearchParams();
    if (state.symbol) q.set('symbol', state.symbol.toUpperCase());
    if (state.strategy) q.set('strategy', state.strategy);
    return q;
  };
  let loading = 0;
  const load = async () => {
    const mine = ++loading;
    const started = performance.now();
    order.textContent = state.order === 'desc' ? '↓ descending' : '↑ ascending';
    order.setAttribute('aria-label', `Order: ${state.order === 'desc' ? 'descending' : 'ascending'}; press to reverse`);
    setQuery({ symbol: state.symbol, strategy: state.strategy, sort: state.sort === 'date' ? '' : state.sort,
      order: state.order === 'desc' ? '' : state.order, page: state.page ? state.page + 1 : '' });
    const q = filters();
    q.set('sort', state.sort); q.set('order', state.order); q.set('limit', PAGE); q.set('offset', state.page * PAGE);
    let page;
    try { page = await api('/api/history?' + q); } catch (e) { banner.textContent = e.message; return; }
    if (mine !== loading || !isCurrent()) return;
    banner.textContent = '';
    const header = (key, title) => h('button', { type: 'button', class: 'sort', 'aria-pressed': String(state.sort === key), dataset: { sort: key },
      onclick: () => { state.order = state.sort === key && state.order === 'desc' ? 'asc' : 'desc'; state.sort = key; sort.value = key; state.page = 0; load(); } },
      title + (state.sort === key ? (state.order === 'desc' ? ' ↓' : ' ↑') : ''));
    const cols = [
      ['ID', (r) => h('a', { href: `/results/${r.id}` }, String(r.id))],
      ['Date', (r) => time(r.created_at), { header: header('date', 'Date') }],
      ['Symbol', (r) => r.symbol], ['Strategy', (r) => r.strategy], ['Kind', (r) => r.kind],
      ['Parameters', (r) => Object.entries(r.parameters).map(([k, v]) => `${k}=${v}`).join(' ')],
      ['Sharpe', (r) => h('span', { class: signClass(r.sharpe) }, num(r.sharpe)), { num: true, header: header('sharpe', 'Sharpe') }],
      ['Total return', (r) => h('span', { class: signClass(r.total_return) }, pct(r.total_return)), { num: true, header: header('total_return', 'Total return') }],
      ['Max gain', (r) => pct(r.max_gain), { num: true, header: header('max_gain', 'Max gain') }],
      ['Win rate', (r) => pct(r.win_rate, 1), { num: true, header: header('win_rate', 'Win rate') }],
      ['Max drawdown', (r) => h('span', { class: 'neg' }, pct(r.max_drawdown)), { num: true, header: header('max_drawdown', 'Max drawdown') }],
      ['Trades', (r) => String(r.trades), { num: true }],
      ['', (r) => h('button', { type: 'button', class: 'delete', 'aria-label': `Delete result ${r.id}`, onclick: () => removeOne(r) }, 'Delete')],
    ];
    const tbl = h('div', { class: 'table-scroll' }, h('table', { id: 'history-results' },
      h('thead', {}, h('tr', {}, cols.map(([t, , o = {}]) => h('th', { class: o.num ? 'num' : null, scope: 'col' }, o.header || t)))),
      h('tbody', {}, page.items.map((r) => h('tr', { dataset: { id: r.id } }, cols.map(([, c, o = {}]) => h('td', { class: o.num ? 'num' : null }, c(r))))))));
    fill(body, page.items.length ? tbl : h('p', { class: 'muted', id: 'history-empty' }, 'No results match. Start a run in the ', h('a', { href: '/console' }, 'console'), '.'));
    const pages = Math.max(1, Math.ceil(page.total / PAGE));
    const first = page.total ? page.offset + 1 : 0;
    fill(pager,
      h('button', { type: 'button', id: 'page-prev', disabled: state.page === 0, onclick: () => { state.page--; load(); } }, '← Previous'),
      h('span', { id: 'page-info' }, `${num(first, 0)}–${num(page.offset + page.items.length, 0)} of ${num(page.total, 0)} · page ${state.page + 1} of ${num(pages, 0)}`),
      h('button', { type: 'button', id: 'page-next', disabled: state.page + 1 >= pages, onclick: () => { state.page++; load(); } }, 'Next →'));
    deleteAll.disabled = page.total === 0;
    const ms = performance.now() - started;
    timing.textContent = `${num(ms, 0)} ms`;
    root.dataset.loadMs = ms.toFixed(1);
    root.dataset.loaded = String(mine);
  };
  const removeOne = async (r) => {
    if (!(await confirmDialog(`Delete result ${r.id} (${r.symbol}, ${r.strategy})?`))) return;
    try { await api(`/api/history/${r.id}`, { method: 'DELETE' }); } catch (e) { banner.textContent = e.message; return; }
    load();
  };
  deleteAll.addEventListener('click', async () => {
    const q = filters();
    const { count } = await api('/api/history/count?' + q);
    const what = q.toString() ? `the ${num(count, 0)} results that match the search` : `all ${num(count, 0)} results`;
    if (!(await confirmDialog(`Delete ${what}? This cannot be undone.`))) return;
    try { await api('/api/history?' + q, { method: 'DELETE' }); } catch (e) { banner.textContent = e.message; return; }
    state.page = 0;
    load();
  });
  search.addEventListener('input', debounce(() => { state.symbol = search.value.trim(); state.page = 0; load(); }, 250));
  strategy.addEventListener('change', () => { state.strategy = strategy.value; state.page = 0; load(); });
  sort.addEventListener('change', () => { state.sort = sort.value; state.page = 0; load(); });
  order.addEventListener('click', () => { state.order = state.order === 'desc' ? 'asc' : 'desc'; state.page = 0; load(); });
  await load();
  return null;
}
