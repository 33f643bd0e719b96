// The dashboard's entry: theme and time-zone switches, login state, the live connection, and the view for the URL.
import { api, auth } from './api.js';
import * as live from './live.js';
import { match, navigate, start } from './router.js';
import { h, fill, zoneName, usesBrowserZone, setBrowserZone, exchange, setExchangeZone } from './format.js';
import console_ from './views/console.js';
import history_ from './views/history.js';
import result from './views/result.js';
import logs from './views/logs.js';
import journal from './views/journal.js';
import strategies from './views/strategies.js';
import status from './views/status.js';
import loginView from './views/login.js';

const views = { console: console_, history: history_, result, logs, journal, strategies, status, login: loginView };
const titles = { console: 'Console', history: 'History', result: 'Result', logs: 'Logs', journal: 'Trade journal',
  strategies: 'Strategies', status: 'Status', login: 'Log in', missing: 'Not found' };
const main = document.getElementById('view');
let cleanup = null;
let generation = 0;

function applyTheme(theme) {
  document.documentElement.dataset.theme = theme;
  document.getElementById('theme-switch').textContent = theme === 'dark' ? 'Light theme' : 'Dark theme';
}

function zoneLabel() {
  const b = document.getElementById('zone-switch');
  b.textContent = 'Times: ' + zoneName();
  b.setAttribute('aria-pressed', String(usesBrowserZone()));
  b.title = usesBrowserZone() ? `Times in this browser's zone; switch to the exchange's (${zoneName(exchange())})`
    : "Times in the exchange's zone; switch to this browser's";
}

/** Shows the view for the current URL (and ends the previous one's timers and listeners). */
async function render() {
  const mine = ++generation;
  if (cleanup) { try { cleanup(); } catch { /* the old view is gone anyway */ } cleanup = null; }
  const { view, param } = match(location.pathname);
  if (auth.required && view !== 'login' && !auth.hasSession()) {
    navigate('/login?next=' + encodeURIComponent(location.pathname + location.search), { replace: true });
    return;
  }
  for (const a of document.querySelectorAll('nav a')) {
    if (a.dataset.view === (view === 'result' ? 'history' : view)) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  document.getElementById('logout').hidden = !(auth.required && auth.hasSession());
  document.title = titles[view] + ' · Tradewind';
  main.dataset.view = view;
  main.setAttribute('aria-busy', 'true');
  const query = new URLSearchParams(location.search);
  try {
    if (view === 'missing') {
      fill(main, h('h1', {}, 'Not found'), h('p', {}, 'No view at ', h('code', {}, location.pathname), '. ', h('a', { href: '/console' }, 'Open the console')));
    } else {
      const done = await views[view](main, { param, query, isCurrent: () => mine === generation });
      if (mine === generation) cleanup = typeof done === 'function' ? done : null;
      else if (typeof done === 'function') done();
    }
  } catch (e) {
    if (mine === generation && !(e && e.status === 401)) {
      fill(main, h('h1', {}, titles[view]), h('div', { class: 'banner', role: 'alert' }, 'Could not load this view: ' + (e && e.message ? e.message : e)));
    }
  } finally {
    if (mine === generation) {
      main.setAttribute('aria-busy', 'false');
      main.dataset.ready = String(mine);
      // When the first view became usable (the browser test reads it as time to interactive).
      if (!performance.getEntriesByName('tw-interactive').length) performance.mark('tw-interactive');
    }
  }
}

async function boot() {
  applyTheme(localStorage.getItem('tw.theme') || 'dark');
  zoneLabel();
  document.getElementById('theme-switch').addEventListener('click', () => {
    const next = document.documentElement.dataset.theme === 'dark' ? 'light' : 'dark';
    localStorage.setItem('tw.theme', next);
    applyTheme(next);
  });
  document.getElementById('zone-switch').addEventListener('click', () => {
    setBrowserZone(!usesBrowserZone());
    zoneLabel();
    render();
  });
  document.getElementById('logout').addEventListener('click', () => {
    auth.clear();
    live.disconnect();
    navigate('/login');
  });
  auth.onExpired(() => {
    live.disconnect();
    if (location.pathname !== '/login') navigate('/login?next=' + encodeURIComponent(location.pathname + location.search), { replace: true });
  });
  try {
    const health = await api('/api/health');
    auth.required = !!health.auth_required;
    if (health.exchange_zone) { setExchangeZone(health.exchange_zone); zoneLabel(); }
  } catch { /* a degraded server still gets its page; the views say what fails */ }
  if (!auth.required || auth.hasSession()) live.connect();
  start(render);
}

boot();
