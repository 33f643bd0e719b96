// Logs: jobs with status, duration, created and completed times; each expands to its per-symbol details and its log,
// live while it runs. `/logs/ID` opens that job.
import { api } from '../api.js';
import * as live from '../live.js';
import { h, fill, num, time, duration, table } from '../format.js';
import { confirmDialog } from './confirm.js';

const PAGE = 25;

export default async function render(root, { param, query, isCurrent }) {
  const open = new Set(param ? [Number(param)] : []);
  let page = Math.max(0, Number(query.get('page') || 1) - 1);
  const list = h('div', { id: 'jobs' });
  const pager = h('div', { class: 'pager' });
  const banner = h('div', { class: 'banner', role: 'alert' });
  const clear = h('button', { type: 'button', class: 'danger', id: 'clear-jobs' }, 'Delete finished jobs');
  fill(root, h('h1', {}, 'Logs'), h('div', { class: 'panel' }, h('div', { class: 'row' }, clear), banner, list, pager));
  const details = new Map();

  const detail = async (job, box) => {
    const [full, lines] = await Promise.all([api(`/api/jobs/${job.id}`), api(`/api/jobs/${job.id}/log?limit=500`)]);
    const log = h('pre', { class: 'log', tabindex: 0, 'aria-label': `Job ${job.id} log` },
      lines.items.map((l) => `${time(l.at)} ${l.level.toUpperCase()} ${l.message}\n`));
    fill(box, full.failure ? h('div', { class: 'banner' }, full.failure) : null,
      (full.symbols || []).length ? table([
        ['Symbol', (s) => s.symbol], ['Status', (s) => h('span', { class: 'badge ' + s.status }, s.status)],
        ['Evaluations', (s) => num(s.evaluations, 0), { num: true }], ['Finished', (s) => time(s.completed_at)],
        ['Result', (s) => s.result_id ? h('a', { href: `/results/${s.result_id}` }, `result ${s.result_id}`) : '—'],
      ], full.symbols) : h('p', { class: 'muted' }, 'No per-symbol details yet.'),
      h('details', { open: true }, h('summary', {}, 'Request'), h('pre', { class: 'log' }, JSON.stringify(full.request, null, 2))),
      h('h3', {}, full.status === 'running' ? 'Live log' : 'Log'), log);
    details.set(job.id, log);
  };

  const load = async () => {
    const jobs = await api(`/api/jobs?limit=${PAGE}&offset=${page * PAGE}`);
    if (!isCurrent()) return;
    details.clear();
    fill(list, jobs.items.length ? jobs.items.map((job) => {
      const box = h('div', { id: `job-${job.id}-details`, hidden: !open.has(job.id) });
      const toggle = h('button', { type: 'button', 'aria-expanded': String(open.has(job.id)), 'aria-controls': box.id, class: 'expand',
        onclick: () => {
          const show = toggle.getAttribute('aria-expanded') !== 'true';
          toggle.setAttribute('aria-expanded', String(show));
          box.hidden = !show;
          if (show) { open.add(job.id); detail(job, box).catch((e) => fill(box, e.message)); } else open.delete(job.id);
        } }, `Job ${job.id}`);
      if (open.has(job.id)) detail(job, box).catch((e) => fill(box, e.message));
      return h('div', { class: 'panel', dataset: { job: job.id } },
        h('div', { class: 'row' }, toggle, h('span', { class: 'badge ' + job.status }, job.status), h('span', {}, job.kind),
          h('span', { class: 'muted' }, `${job.symbols_done}/${job.symbols_total} symbols · ${num(job.evaluations, 0)} evaluations`),
          h('span', {}, 'created ' + time(job.created_at)), h('span', {}, 'completed ' + time(job.completed_at)),
          h('span', {}, 'duration ' + duration(job.duration_seconds)),
          job.status === 'running' || job.status === 'queued' ? h('a', { href: `/console?job=${job.id}` }, 'progress') : null),
        box);
    }) : h('p', { class: 'muted' }, 'No jobs yet.'));
    const pages = Math.max(1, Math.ceil(jobs.total / PAGE));
    fill(pager, h('button', { type: 'button', disabled: page === 0, onclick: () => { page--; load(); } }, '← Previous'),
      `page ${page + 1} of ${pages} · ${jobs.total} jobs`,
      h('button', { type: 'button', disabled: page + 1 >= pages, onclick: () => { page++; load(); } }, 'Next →'));
  };
  clear.addEventListener('click', async () => {
    if (!(await confirmDialog('Delete every finished job and its log? Results stay in the history.'))) return;
    try { await api('/api/jobs', { method: 'DELETE' }); } catch (e) { banner.textContent = e.message; }
    load();
  });
  let reloadTimer = null;
  const soon = () => { clearTimeout(reloadTimer); reloadTimer = setTimeout(() => load().catch(() => {}), 300); };
  const offs = [
    live.on('job.log', (d) => { const log = details.get(d.job_id); if (log) { log.append(`${time(d.at)} ${d.level.toUpperCase()} ${d.message}\n`); log.scrollTop = log.scrollHeight; } }),
    ...['job.finished', 'job.failed', 'job.cancelled', 'reconnected'].map((t) => live.on(t, soon)),
  ];
  await load();
  return () => { offs.forEach((f) => f()); clearTimeout(reloadTimer); };
}
