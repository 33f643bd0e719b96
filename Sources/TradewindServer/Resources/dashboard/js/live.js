// The live connection (`/ws`): reconnects with backoff, subscribes again after every reconnect, tells listeners that
// it reconnected (so views re-read what they may have missed), and shows its state in the header: a lost connection
// is said, never a silently frozen page.
import { token } from './api.js';

const listeners = new Map();
let socket = null;
let attempt = 0;
let timer = null;
let state = 'connecting';
let stopped = false;

/** Listens to messages of `type` (`job.progress`, `job.log`, `result.stored`, …, `reconnected`, `state`); returns an unsubscribe. */
export function on(type, f) {
  if (!listeners.has(type)) listeners.set(type, new Set());
  listeners.get(type).add(f);
  return () => listeners.get(type).delete(f);
}

function emit(type, data) { for (const f of listeners.get(type) || []) { try { f(data); } catch (e) { setTimeout(() => { throw e; }); } } }

function setState(s) {
  state = s;
  const badge = document.getElementById('connection');
  if (badge) {
    badge.className = 'conn ' + s;
    badge.textContent = s === 'live' ? 'live' : s === 'lost' ? 'connection lost — reconnecting…' : 'connecting…';
  }
  emit('state', s);
}

export function connectionState() { return state; }

/** Opens the connection (again). */
export async function connect() {
  stopped = false;
  clearTimeout(timer);
  if (socket && socket.readyState <= 1) return;
  const t = await token();
  const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws' + (t ? '?token=' + encodeURIComponent(t) : '');
  const ws = new WebSocket(url);
  socket = ws;
  ws.onopen = () => {
    const again = attempt > 0 || ws.__reopened;
    attempt = 0;
    // Every message of every job: the views filter what they show.
    ws.send(JSON.stringify({ type: 'subscribe', data: { all: true } }));
    setState('live');
    if (again) emit('reconnected', null);
  };
  ws.onmessage = (e) => {
    let m;
    try { m = JSON.parse(e.data); } catch { return; }
    if (m && typeof m.type === 'string') emit(m.type, m.data);
  };
  ws.onclose = () => {
    if (socket !== ws) return;
    socket = null;
    if (stopped) return;
    setState('lost');
    attempt += 1;
    const delay = Math.min(10_000, 500 * 2 ** Math.min(attempt, 5));
    timer = setTimeout(() => connect().then(() => { if (socket) socket.__reopened = true; }), delay);
  };
}

/** Closes the connection for good (logout). */
export function disconnect() {
  stopped = true;
  clearTimeout(timer);
  if (socket) { const s = socket; socket = null; s.close(); }
  setState('connecting');
}
