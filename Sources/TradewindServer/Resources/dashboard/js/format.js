// Formatting and DOM helpers: times in the exchange's zone (named) or the browser's, numbers, and `h`, which builds
// elements from text (never from HTML strings, so data is never interpreted as markup).

/** The exchange's zone, from `/api/health`'s `exchange_zone` (New York until it is known). */
let exchangeZone = 'America/New_York';
const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
let local = localStorage.getItem('tw.zone') === 'browser';

export function exchange() { return exchangeZone; }
export function setExchangeZone(zone) {
  try { new Intl.DateTimeFormat('en-CA', { timeZone: zone }); exchangeZone = zone; } catch { /* a zone this browser lacks: keep the default */ }
}

/** The zone times are shown in. */
export function activeZone() { return local ? browserZone : exchangeZone; }
/** A zone's city name: "America/New_York" → "New York". */
export function zoneName(zone = activeZone()) { return zone.split('/').pop().replace(/_/g, ' '); }
export function usesBrowserZone() { return local; }
export function setBrowserZone(on) { local = on; localStorage.setItem('tw.zone', on ? 'browser' : 'exchange'); }

const formats = new Map();
function formatter(withTime) {
  const key = activeZone() + withTime;
  if (!formats.has(key)) {
    formats.set(key, new Intl.DateTimeFormat('en-CA', { timeZone: activeZone(), year: 'numeric', month: '2-digit', day: '2-digit',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' } : {}) }));
  }
  return formats.get(key);
}

/** An ISO 8601 time as `2024-01-31 15:30:00` in the active zone ("—" when absent). */
export function time(iso, withTime = true) {
  if (!iso) return '—';
  const d = new Date(iso);
  return isNaN(d) ? String(iso) : formatter(withTime).format(d).replace(',', '');
}

export function num(v, digits = 2) {
  return v === null || v === undefined || !isFinite(v) ? '—'
    : Number(v).toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
export function pct(v, digits = 2) { return v === null || v === undefined || !isFinite(v) ? '—' : num(v * 100, digits) + ' %'; }
export function signClass(v) { return v > 0 ? 'pos' : v < 0 ? 'neg' : ''; }

/** Seconds as `1 h 02 min`, `3 min 05 s` or `12.3 s`. */
export function duration(s) {
  if (s === null || s === undefined || !isFinite(s)) return '—';
  if (s < 60) return s.toFixed(s < 10 ? 1 : 0) + ' s';
  const m = Math.floor(s / 60), sec = Math.round(s % 60);
  if (m < 60) return `${m} min ${String(sec).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

export function bytes(n) {
  if (!isFinite(n)) return '—';
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return num(n, i ? 1 : 0) + ' ' + units[i];
}

/**
 * `h('td', {class: 'num'}, 'text', child)`: an element; attributes starting with `on` are listeners, `dataset` and
 * `style` objects are applied, `false`/`null` attributes are left out; strings become text nodes.
 */
export function h(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(e.dataset, v);
    else if (k === 'class') e.className = v;
    else e.setAttribute(k, v === true ? '' : v);
  }
  append(e, children);
  return e;
}

function append(e, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces `e`'s content. */
export function fill(e, ...children) { e.replaceChildren(); append(e, children); return e; }

/** A table: `columns` are `[title, cell(row) → node|text, {num, sort}]`. */
export function table(columns, rows, { id, caption, rowAttrs } = {}) {
  return h('div', { class: 'table-scroll' }, h('table', { id },
    caption ? h('caption', { class: 'muted' }, caption) : null,
    h('thead', {}, h('tr', {}, columns.map(([title, , o = {}]) => h('th', { class: o.num ? 'num' : null, scope: 'col' }, o.header || title)))),
    h('tbody', {}, rows.map((r) => h('tr', rowAttrs ? rowAttrs(r) : {},
      columns.map(([, cell, o = {}]) => h('td', { class: o.num ? 'num' : null }, cell(r))))))));
}

/** A metric card. */
export function card(label, value, cls = '', key = '') {
  return h('div', { class: 'card', dataset: key ? { key } : {} }, h('div', { class: 'label' }, label), h('div', { class: 'value ' + cls }, value));
}

/** Waits `ms` after the last call before running `f`. */
export function debounce(f, ms) {
  let t;
  return (...a) => { clearTimeout(t); t = setTimeout(() => f(...a), ms); };
}
