// Console: configure a run (data, symbols, strategy and its parameters as a form generated from their declarations,
// method, objective, costs and fills), start it, and follow it: progress with ETA, evaluations/s, per-symbol status,
// the live log, and results as symbols finish; Cancel stops it. `?job=ID` reattaches to a job (reload-safe).
import { api, ApiError } from '../api.js';
import * as live from '../live.js';
import { h, fill, num, pct, duration, time, table, signClass } from '../format.js';

let catalogCache = null;
export async function catalog() { return catalogCache || (catalogCache = await api('/api/catalog')); }

const numeric = (p) => p.type === 'int' || p.type === 'real';

/** The form row of one declared parameter: fixed value, range (numbers) or alternatives, checked as typed. */
function parameterRow(p, preset) {
  const id = 'p-' + p.name;
  const mode = h('select', { id: id + '-mode', 'aria-label': p.name + ': how to set it' },
    h('option', { value: 'fixed' }, 'fixed'),
    numeric(p) ? h('option', { value: 'range' }, 'range') : null,
    h('option', { value: 'choices' }, 'choices'));
  const value = h('input', { id, name: p.name, value: preset ?? p.default, 'aria-describedby': id + '-hint ' + id + '-error',
    inputmode: numeric(p) ? 'decimal' : null, list: p.choices ? id + '-list' : null });
  const list = p.choices ? h('datalist', { id: id + '-list' }, p.choices.map((c) => h('option', { value: c }))) : null;
  const start = h('input', { id: id + '-start', 'aria-label': p.name + ' from', inputmode: 'decimal', hidden: true });
  const stop = h('input', { id: id + '-stop', 'aria-label': p.name + ' to', inputmode: 'decimal', hidden: true });
  const step = h('input', { id: id + '-step', 'aria-label': p.name + ' step', inputmode: 'decimal', hidden: true });
  const error = h('div', { class: 'error', id: id + '-error', role: 'alert' });
  const row = h('div', { class: 'param', dataset: { param: p.name } },
    h('div', {}, h('label', { class: 'name', for: id }, p.name), h('div', { class: 'hint', id: id + '-hint' }, `${p.valid}; default ${p.default || 'none'}. ${p.description}`)),
    mode,
    h('div', {}, h('div', { class: 'inputs' }, value, list, start, stop, step), error));
  if (numeric(p)) {
    const d = Number(p.default);
    const span = isFinite(p.min) && isFinite(p.max) ? p.max - p.min : Math.abs(d) || 1;
    start.value = isFinite(d) ? String(p.type === 'int' ? Math.max(p.min ?? -Infinity, Math.round(d / 2)) : d / 2) : '';
    stop.value = isFinite(d) ? String(p.type === 'int' ? Math.min(p.max ?? Infinity, Math.round(d * 2)) : d * 2) : '';
    step.value = String(p.type === 'int' ? Math.max(1, Math.round((Number(stop.value) - Number(start.value)) / 5)) : +(span / 20).toPrecision(2));
  }
  const sync = () => {
    const m = mode.value;
    value.hidden = m === 'range';
    for (const e of [start, stop, step]) e.hidden = m !== 'range';
    value.placeholder = m === 'choices' ? 'a, b, c' : '';
    if (m === 'choices' && !value.value.includes(',') && p.choices) value.value = p.choices.join(',');
    check();
  };
  const check = () => { const msg = validate(p, row); error.textContent = msg || ''; return !msg; };
  mode.addEventListener('change', sync);
  for (const e of [value, start, stop, step]) e.addEventListener('input', check);
  row.check = check;
  row.spec = () => spec(p, row);
  row.mode = mode;
  sync();
  return row;
}

function checkValue(p, text) {
  const t = String(text).trim();
  if (t === '') return p.default === '' ? null : 'enter a value';
  if (p.type === 'int' && !/^-?\d+$/.test(t)) return `${t}: expected ${p.valid}`;
  if (p.type === 'real' && !isFinite(Number(t))) return `${t}: expected ${p.valid}`;
  if (numeric(p) && ((p.min !== undefined && Number(t) < p.min) || (p.max !== undefined && Number(t) > p.max))) return `${t}: expected ${p.valid}`;
  if (p.type === 'bool' && !['true', 'false'].includes(t)) return `${t}: expected true or false`;
  if (p.type === 'choice' && p.choices && !p.choices.includes(t)) return `${t}: expected ${p.valid}`;
  if (p.type === 'time-of-day' && !/^\d{1,2}:\d{2}$/.test(t)) return `${t}: expected ${p.valid}`;
  return null;
}

function validate(p, row) {
  const m = row.querySelector('select').value;
  const [value, start, stop, step] = ['', '-start', '-stop', '-step'].map((s) => row.querySelector('#p-' + CSS.escape(p.name) + s));
  const bad = (el, msg) => { for (const e of [value, start, stop, step]) e.removeAttribute('aria-invalid'); if (el) el.setAttribute('aria-invalid', 'true'); return msg; };
  if (m === 'fixed') { const e = checkValue(p, value.value); return bad(e ? value : null, e); }
  if (m === 'choices') {
    const parts = value.value.split(',').map((s) => s.trim()).filter(Boolean);
    if (parts.length < 2) return bad(value, 'give two or more values, comma-separated');
    for (const v of parts) { const e = checkValue(p, v); if (e) return bad(value, e); }
    return bad(null, null);
  }
  for (const e of [start, stop]) { const msg = checkValue(p, e.value); if (msg) return bad(e, msg); }
  const s = Number(step.value);
  if (!(s > 0) || (p.type === 'int' && !Number.isInteger(s))) return bad(step, `step ${step.value}: expected a positive ${p.type === 'int' ? 'integer' : 'number'}`);
  if (Number(start.value) > Number(stop.value)) return bad(stop, `from ${start.value} is above to ${stop.value}`);
  if ((Number(stop.value) - Number(start.value)) / s > 100_000) return bad(step, 'more than 100,000 values: use a larger step');
  return bad(null, null);
}

/** The parameter as the optimize request states it. */
function spec(p, row) {
  const m = row.querySelector('select').value;
  const v = (s) => row.querySelector('#p-' + CSS.escape(p.name) + s).value.trim();
  if (m === 'range') return { grids: `${p.name}=${v('-start')}:${v('-stop')}:${v('-step')}` };
  if (m === 'choices') return { choices: `${p.name}=${v('').split(',').map((s) => s.trim()).filter(Boolean).join(',')}` };
  return v('') === '' ? {} : { fixed: `${p.name}=${v('')}`, value: v('') };
}

function field(label, control, hint) {
  if (!control.id) control.id = 'f-' + Math.random().toString(36).slice(2);
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hint ? h('div', { class: 'hint muted' }, hint) : null);
}

export default async function render(root, { query, isCurrent }) {
  const cat = await catalog();
  const keywords = await api('/api/keywords?limit=200').catch(() => ({ items: [] }));
  if (!isCurrent()) return;
  const jobId = query.get('job');
  let stopFollowing = null;

  // Data and symbols.
  const data = h('select', { id: 'data', name: 'data' }, cat.data.map((d) => h('option', { value: d.spec }, `${d.spec} — ${d.summary}`)));
  data.value = query.get('data') || 'sample:sp500-50';
  const symbolMode = h('select', { id: 'symbol-mode' }, h('option', { value: 'list' }, 'these symbols'),
    h('option', { value: 'keyword' }, 'a keyword list'), h('option', { value: 'all' }, 'every symbol of the data'));
  const symbols = h('input', { id: 'symbols', name: 'symbols', value: query.get('symbols') || '', placeholder: 'AAPL, MSFT', list: 'symbol-list', autocomplete: 'off' });
  const symbolList = h('datalist', { id: 'symbol-list' });
  const keyword = h('select', { id: 'keyword' }, keywords.items.length ? keywords.items.map((k) => h('option', { value: k.name }, `${k.name} (${k.symbols.length})`))
    : h('option', { value: '' }, 'no keyword lists yet (PUT /api/keywords/NAME)'));
  const syncData = () => {
    const d = cat.data.find((x) => x.spec === data.value);
    fill(symbolList, (d ? d.symbols : []).map((s) => h('option', { value: s })));
    if (!symbols.value && d && d.symbols.length) symbols.value = d.symbols.slice(0, 2).join(', ');
  };
  const syncSymbols = () => {
    symbols.parentElement.hidden = symbolMode.value !== 'list';
    keyword.parentElement.hidden = symbolMode.value !== 'keyword';
  };
  data.addEventListener('change', () => { symbols.value = ''; syncData(); });

  // Strategy and its parameters.
  const strategy = h('select', { id: 'strategy', name: 'strategy' }, cat.strategies.map((s) => h('option', { value: s.name }, s.name)));
  strategy.value = query.get('strategy') || (cat.strategies.find((s) => s.name === 'sma-cross') ? 'sma-cross' : cat.strategies[0].name);
  const strategySummary = h('p', { class: 'muted', id: 'strategy-summary' });
  const params = h('div', { id: 'parameters' });
  let rows = [];
  const syncStrategy = () => {
    const s = cat.strategies.find((x) => x.name === strategy.value);
    fill(strategySummary, s.summary, s.constraints.length ? ` Constraints: ${s.constraints.join(', ')}.` : '', s.kernel ? ' Fast kernel.' : '');
    rows = s.parameters.map((p) => parameterRow(p, query.get('p.' + p.name)));
    fill(params, rows.length ? rows : h('p', { class: 'muted' }, 'This strategy has no parameters.'));
  };
  strategy.addEventListener('change', syncStrategy);

  // Run kind, search and objective.
  const kind = h('select', { id: 'kind' }, h('option', { value: 'optimize' }, 'optimize'), h('option', { value: 'backtest' }, 'backtest (fixed parameters)'));
  kind.value = query.get('run') === 'backtest' ? 'backtest' : 'optimize';
  const method = h('select', { id: 'method' }, cat.methods.map((m) => h('option', { value: m }, m)));
  const trials = h('input', { id: 'trials', type: 'number', min: 1, max: 1000000, value: 200 });
  const objective = h('select', { id: 'objective' }, cat.objectives.map((o) => h('option', { value: o }, o)));
  objective.value = 'sharpe';
  const minimize = h('input', { id: 'minimize', type: 'checkbox' });
  const minTrades = h('input', { id: 'min-trades', type: 'number', min: 0, value: 1 });
  const top = h('input', { id: 'top', type: 'number', min: 1, max: 10000, value: 200 });
  const syncKind = () => {
    const opt = kind.value === 'optimize';
    for (const e of [method, trials, objective, minimize, minTrades, top]) e.closest('.field').hidden = !opt;
    trials.closest('.field').hidden = !opt || method.value === 'grid';
    for (const r of rows) {
      if (!opt) { r.mode.value = 'fixed'; r.mode.dispatchEvent(new Event('change')); }
      r.mode.disabled = !opt;
    }
  };
  kind.addEventListener('change', syncKind);
  method.addEventListener('change', syncKind);

  // Costs and fills.
  const cash = h('input', { id: 'cash', type: 'number', min: 1, step: 'any', value: 100000 });
  const commission = h('input', { id: 'commission', type: 'number', min: 0, max: 0.1, step: 'any', value: 0 });
  const slippage = h('input', { id: 'slippage', type: 'number', min: 0, max: 1000, step: 'any', value: 0 });
  const fillTiming = h('select', { id: 'fill' }, cat.fills.map((f) => h('option', { value: f }, f)));
  const session = h('select', { id: 'session' }, cat.sessions.map((f) => h('option', { value: f }, f)));
  const from = h('input', { id: 'from', type: 'date' });
  const to = h('input', { id: 'to', type: 'date' });

  const banner = h('div', { class: 'banner', role: 'alert', id: 'form-error' });
  const startButton = h('button', { type: 'submit', class: 'primary', id: 'start' }, 'Start');
  const form = h('form', { id: 'console-form', novalidate: true },
    h('fieldset', {}, h('legend', {}, 'Data'), h('div', { class: 'row' }, field('Data', data), field('Symbols', symbolMode),
      field('Symbol list', symbols, 'comma-separated'), field('Keyword list', keyword)), symbolList),
    h('fieldset', {}, h('legend', {}, 'Strategy'), h('div', { class: 'row' }, field('Strategy', strategy), field('Run', kind)), strategySummary, params),
    h('fieldset', {}, h('legend', {}, 'Search'), h('div', { class: 'row' }, field('Method', method), field('Trials', trials, 'random and TPE'),
      field('Objective', objective), h('div', { class: 'field' }, h('label', { for: 'minimize' }, 'Minimise'), minimize),
      field('Min. trades', minTrades), field('Keep best', top, 'trials kept (heatmap)'))),
    h('fieldset', {}, h('legend', {}, 'Costs and fills'), h('div', { class: 'row' }, field('Cash', cash), field('Commission', commission, 'fraction of value'),
      field('Slippage (bps)', slippage), field('Fill', fillTiming), field('Session', session), field('From', from), field('To', to))),
    banner, h('div', { class: 'row' }, startButton));

  const progressPanel = h('section', { class: 'panel', id: 'progress-panel', hidden: true, 'aria-live': 'polite' });
  fill(root, h('h1', {}, 'Console'), h('div', { class: 'grid2' }, h('section', { class: 'panel' }, form), progressPanel));
  syncData(); syncSymbols(); syncStrategy(); syncKind();
  symbolMode.addEventListener('change', syncSymbols);
  if (query.get('symbols')) symbolMode.value = 'list';

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    banner.textContent = '';
    const firstBad = rows.find((r) => !r.check());
    if (firstBad) { firstBad.querySelector('[aria-invalid=true]')?.focus(); banner.textContent = 'Fix the highlighted parameter first.'; return; }
    const backtest = { cash: Number(cash.value), commission: Number(commission.value), slippage_bps: Number(slippage.value),
      fill: fillTiming.value, session: session.value };
    if (from.value) backtest.from = from.value;
    if (to.value) backtest.to = to.value;
    const list = symbols.value.split(/[\s,]+/).filter(Boolean);
    if (symbolMode.value === 'list' && !list.length) { banner.textContent = 'Name at least one symbol, or choose every symbol.'; symbols.focus(); return; }
    const specs = rows.map((r) => r.spec());
    let body;
    if (kind.value === 'optimize') {
      const request = { strategy: strategy.value, data: data.value, grids: specs.flatMap((s) => s.grids || []),
        choices: specs.flatMap((s) => s.choices || []), fixed: specs.flatMap((s) => s.fixed || []), method: method.value,
        trials: Number(trials.value), objective: objective.value, minimize: minimize.checked, min_trades: Number(minTrades.value),
        top: Number(top.value), backtest };
      if (symbolMode.value === 'list') request.symbols = list;
      body = { kind: 'optimize', request };
    } else {
      const request = { strategy: strategy.value, data: data.value, params: Object.fromEntries(rows.map((r, i) => [r.dataset.param, specs[i].value]).filter(([, v]) => v !== undefined)), backtest };
      if (symbolMode.value === 'list') request.symbols = list;
      body = { kind: 'backtest', request };
    }
    if (symbolMode.value === 'keyword') body.keyword = keyword.value;
    startButton.disabled = true;
    try {
      const job = await api('/api/jobs', { method: 'POST', body });
      // The job's URL (a reload reattaches to it); the form keeps what was entered.
      history.pushState(null, '', '/console?job=' + job.id);
      if (stopFollowing) stopFollowing();
      stopFollowing = follow(progressPanel, job.id);
    } catch (err) {
      banner.textContent = err instanceof ApiError ? err.message + (err.field ? ` (field ${err.field})` : '') : String(err);
      const name = err.field && err.field.replace(/^request\./, '');
      const target = name && (document.getElementById(name) || document.getElementById(name.replace(/_/g, '-')));
      if (target) target.focus();
    } finally { startButton.disabled = false; }
  });

  if (jobId) stopFollowing = follow(progressPanel, Number(jobId));
  return () => { if (stopFollowing) stopFollowing(); };
}

/** Follows job `id` in `panel`: progress, ETA, evaluations/s, per-symbol status, live log, results; Cancel. */
export function follow(panel, id) {
  panel.hidden = false;
  const bar = h('div', { role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': 0, 'aria-label': `Job ${id} progress` });
  const percent = h('strong', { id: 'progress-percent' }, '0 %');
  const eta = h('span', { id: 'eta' }, 'ETA —');
  const rate = h('span', { id: 'rate' }, '— evaluations/s');
  const current = h('span', { id: 'current-symbol' });
  const statusBadge = h('span', { class: 'badge', id: 'job-status' }, '…');
  const cancel = h('button', { type: 'button', id: 'cancel', class: 'danger' }, 'Cancel');
  const symbolsBox = h('div', { id: 'job-symbols' });
  const log = h('pre', { class: 'log', id: 'job-log', tabindex: 0, 'aria-label': 'Job log' });
  const message = h('div', { class: 'banner', role: 'alert' });
  fill(panel, h('h2', {}, `Job ${id} `, statusBadge), h('div', { class: 'progress' }, bar),
    h('div', { class: 'stats' }, percent, eta, rate, current), message, h('div', { class: 'row' }, cancel, h('a', { href: `/logs/${id}` }, 'Job details')),
    h('h3', {}, 'Symbols'), symbolsBox, h('h3', {}, 'Live log'), log);

  let finished = false;
  const setFraction = (f) => {
    const p = Math.max(0, Math.min(100, f * 100));
    bar.style.width = p.toFixed(1) + '%';
    bar.setAttribute('aria-valuenow', p.toFixed(0));
    percent.textContent = p.toFixed(0) + ' %';
  };
  const showJob = (job) => {
    statusBadge.textContent = job.status;
    statusBadge.className = 'badge ' + job.status;
    panel.dataset.status = job.status;
    finished = ['succeeded', 'failed', 'cancelled'].includes(job.status);
    cancel.disabled = finished;
    if (job.status === 'succeeded') setFraction(1);
    else if (job.symbols_total) setFraction(job.symbols_done / job.symbols_total);
    if (finished) { eta.textContent = 'took ' + duration(job.duration_seconds); current.textContent = ''; }
    if (job.failure) message.textContent = job.failure;
    const rows = job.symbols || [];
    fill(symbolsBox, rows.length ? table([
      ['Symbol', (s) => s.symbol], ['Status', (s) => h('span', { class: 'badge ' + s.status }, s.status)],
      ['Evaluations', (s) => num(s.evaluations, 0), { num: true }], ['Finished', (s) => time(s.completed_at)],
      ['Result', (s) => s.result_id ? h('a', { href: `/results/${s.result_id}` }, `result ${s.result_id}`) : '—'],
    ], rows, { id: 'symbol-table' }) : h('p', { class: 'muted' }, 'Waiting for the job to start…'));
  };
  const addLog = (line) => { log.append(`${time(line.at)} ${line.level.toUpperCase()} ${line.message}\n`); log.scrollTop = log.scrollHeight; };
  const reload = async () => {
    const [job, lines] = await Promise.all([api(`/api/jobs/${id}`), api(`/api/jobs/${id}/log?limit=500`)]);
    log.textContent = '';
    lines.items.forEach(addLog);
    showJob(job);
  };
  let pending = null;
  const refreshSoon = () => { clearTimeout(pending); pending = setTimeout(() => api(`/api/jobs/${id}`).then(showJob).catch(() => {}), 150); };
  const offs = [
    live.on('job.progress', (d) => {
      if (d.job_id !== id || finished) return;
      setFraction(d.fraction);
      eta.textContent = 'ETA ' + (d.eta_seconds === null ? '—' : duration(d.eta_seconds));
      rate.textContent = (d.evaluations_per_second === null ? '—' : num(d.evaluations_per_second, 0)) + ' evaluations/s';
      current.textContent = d.symbol ? 'now: ' + d.symbol : '';
    }),
    live.on('job.log', (d) => { if (d.job_id === id) addLog(d); }),
    live.on('result.stored', (d) => { if (d.job_id === id) refreshSoon(); }),
    ...['job.finished', 'job.failed', 'job.cancelled'].map((t) => live.on(t, (d) => { if (d.job_id === id) refreshSoon(); })),
    live.on('reconnected', () => reload().catch(() => {})),
  ];
  cancel.addEventListener('click', async () => {
    cancel.disabled = true;
    try { showJob(await api(`/api/jobs/${id}/cancel`, { method: 'POST' })); } catch (e) { message.textContent = e.message; cancel.disabled = false; }
  });
  reload().catch((e) => { message.textContent = e.message; });
  return () => { offs.forEach((f) => f()); clearTimeout(pending); };
}
