// Status: server health, CPU and memory, the queue, running jobs, paper-trading bots and — where the server has them
// (`/api/workers` in its OpenAPI document) — distributed workers. Refreshed every 2 s while shown.
import { api } from '../api.js';
import { h, fill, num, time, duration, bytes, card, table } from '../format.js';

let workersDocumented = null;

/** Whether this server has `/api/workers`, from its OpenAPI document (so an older server is never asked for it). */
async function hasWorkers() {
  if (workersDocumented === null) {
    try { workersDocumented = !!(await api('/api/openapi.json')).paths['/api/workers']; } catch { workersDocumented = false; }
  }
  return workersDocumented;
}

export default async function render(root, { isCurrent }) {
  const healthBox = h('div', { id: 'health' });
  const jobsBox = h('div', { id: 'running-jobs' });
  const botsBox = h('div', { id: 'bots' });
  const workersBox = h('div', { id: 'workers' });
  fill(root, h('h1', {}, 'Status'), healthBox,
    h('section', { class: 'panel' }, h('h2', {}, 'Running and queued jobs'), jobsBox),
    h('section', { class: 'panel' }, h('h2', {}, 'Paper-trading bots'), botsBox),
    h('section', { class: 'panel', id: 'workers-panel' }, h('h2', {}, 'Distributed workers'), workersBox));
  let last = null;
  const tick = async () => {
    const [health, jobs, bots] = await Promise.all([api('/api/health').catch((e) => ({ status: 'unreachable', error: e.message })),
      api('/api/jobs?status=running,queued&limit=50'), api('/api/trading/status?limit=50')]);
    if (!isCurrent()) return;
    const now = performance.now();
    let cpu = '—';
    if (last && health.process) cpu = num(((health.process.cpu_seconds - last.cpu) / ((now - last.at) / 1000)) * 100 / health.process.cores, 1) + ' %';
    if (health.process) last = { cpu: health.process.cpu_seconds, at: now };
    fill(healthBox, health.error ? h('div', { class: 'banner' }, 'The server does not answer: ' + health.error) : h('div', { class: 'cards' },
      card('Server', health.status, health.status === 'ok' ? 'pos' : 'neg', 'status'), card('Version', health.version),
      card('Uptime', duration(health.uptime_seconds)), card('Database', `${health.database.backend} ${health.database.reachable ? '✓' : '✗'}`),
      card('CPU', cpu, '', 'cpu'), card('Memory', bytes(health.process.resident_memory_bytes), '', 'memory'), card('Cores', String(health.process.cores)),
      card('Queued', String(health.queue.queued), '', 'queued'), card('Running', String(health.queue.running), '', 'running'),
      card('Workers', String(health.queue.workers)), card('Live clients', String(health.queue.websocket_clients))));
    fill(jobsBox, jobs.items.length ? table([
      ['Job', (j) => h('a', { href: `/console?job=${j.id}` }, `job ${j.id}`)], ['Kind', (j) => j.kind],
      ['Status', (j) => h('span', { class: 'badge ' + j.status }, j.status)], ['Symbols', (j) => `${j.symbols_done}/${j.symbols_total}`],
      ['Started', (j) => time(j.started_at)],
    ], jobs.items) : h('p', { class: 'muted' }, 'Nothing running.'));
    fill(botsBox, bots.items.length ? table([
      ['Bot', (b) => `#${b.id}`], ['Strategy', (b) => b.strategy], ['Symbols', (b) => b.symbols.join(', ')],
      ['State', (b) => h('span', { class: 'badge ' + (b.state === 'running' ? 'running-bot' : b.state) }, b.state)],
      ['Steps', (b) => `${b.steps}/${b.total_steps}`], ['Equity', (b) => num(b.equity), { num: true }],
      ['P&L', (b) => num(b.profit_and_loss), { num: true }], ['Fills', (b) => String(b.fills), { num: true }],
      ['Halt', (b) => b.halt_reason || '—'],
    ], bots.items) : h('p', { class: 'muted' }, 'No paper-trading bots (POST /api/trading/start starts one).'));
    if (await hasWorkers()) {
      const w = await api('/api/workers').catch(() => null);
      if (!isCurrent()) return;
      const items = w ? (Array.isArray(w) ? w : w.items || []) : null;
      // Fixed columns (an idle worker's task fields are null, so the first item's keys cannot name them).
      const task = (x) => (x.task_id == null ? '—' : `${x.symbol ?? '?'} (job ${x.job_id ?? '?'}, task ${x.task_id})`);
      const columns = [['Name', (x) => x.name], ['Host', (x) => x.host], ['Threads', (x) => String(x.threads), { num: true }],
        ['State', (x) => x.state], ['Current task', task], ['Tasks done', (x) => String(x.tasks_done ?? 0), { num: true }],
        ['Heartbeat age', (x) => `${num(x.heartbeat_age_seconds ?? 0, 1)} s`, { num: true }], ['Started', (x) => time(x.started_at)]];
      fill(workersBox, items === null ? h('p', { class: 'muted' }, 'The workers endpoint did not answer.')
        : items.length ? table(columns, items, { id: 'workers-table' })
          : h('p', { class: 'muted' }, 'No workers registered.'));
    } else {
      fill(workersBox, h('p', { class: 'muted', id: 'workers-absent' }, 'This server has no distributed workers (no /api/workers).'));
    }
  };
  await tick();
  const timer = setInterval(() => tick().catch(() => {}), 2000);
  return () => clearInterval(timer);
}
