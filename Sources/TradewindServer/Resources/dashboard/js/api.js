// The server's API from the page: tokens (kept across reloads), refresh before expiry, JSON errors as ApiError, and
// the expiry hand-off to the login view (which returns to the view it interrupted).

const ACCESS = 'tw.access', REFRESH = 'tw.refresh';

/** An API error: the server's `{error, message, field}`. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body && body.message ? body.message : `HTTP ${status}`);
    this.status = status;
    this.code = body && body.error;
    this.field = body && body.field;
  }
}

let onExpired = () => {};
let authRequired = false;
let refreshing = null;

export const auth = {
  get required() { return authRequired; },
  set required(v) { authRequired = v; },
  /** Called with no arguments when the session ended (no valid token and no refresh). */
  onExpired(f) { onExpired = f; },
  access() { return localStorage.getItem(ACCESS); },
  hasSession() { return !!(localStorage.getItem(ACCESS) || localStorage.getItem(REFRESH)); },
  save(tokens) {
    localStorage.setItem(ACCESS, tokens.access_token);
    if (tokens.refresh_token) localStorage.setItem(REFRESH, tokens.refresh_token);
  },
  clear() { localStorage.removeItem(ACCESS); localStorage.removeItem(REFRESH); },
};

/** Seconds until the access token's `exp` (JWTs); Infinity for API tokens, -Infinity without a token. */
function secondsLeft(token) {
  if (!token) return -Infinity;
  const parts = token.split('.');
  if (parts.length !== 3) return Infinity;
  try {
    const payload = JSON.parse(atob(parts[1].replace(/-/g, '+').replace(/_/g, '/')));
    return typeof payload.exp === 'number' ? payload.exp - Date.now() / 1000 : Infinity;
  } catch { return Infinity; }
}

/** Renews the tokens once (concurrent callers share the attempt); false when the session cannot be renewed. */
async function refresh() {
  const token = localStorage.getItem(REFRESH);
  if (!token) return false;
  refreshing = refreshing || (async () => {
    const r = await fetch('/api/auth/refresh', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refresh_token: token }) });
    if (!r.ok) { auth.clear(); return false; }
    auth.save(await r.json());
    return true;
  })().finally(() => { refreshing = null; });
  return refreshing;
}

/** A valid access token (refreshed when it expires within 30 s), or null when there is no session. */
export async function token() {
  if (!authRequired) return auth.access();
  if (secondsLeft(auth.access()) > 30) return auth.access();
  if (await refresh()) return auth.access();
  return null;
}

function expired() {
  auth.clear();
  onExpired();
  return new ApiError(401, { error: 'unauthorized', message: 'your session ended: log in again' });
}

/** A request to the API: JSON in and out (`raw` returns the Response, for files). */
export async function api(path, { method = 'GET', body, raw = false } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const t = await token();
  if (authRequired && !t) throw expired();
  if (t) headers.Authorization = 'Bearer ' + t;
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  // A 401 means the session ended — or users were added since the page loaded: either way, the login.
  if (r.status === 401) { authRequired = true; throw expired(); }
  if (!r.ok) {
    let b = null;
    try { b = await r.json(); } catch { b = { message: r.statusText } }
    throw new ApiError(r.status, b);
  }
  return raw ? r : r.json();
}

/** Logs in with HTTP Basic credentials and keeps the tokens. */
export async function login(user, password) {
  const basic = btoa(String.fromCharCode(...new TextEncoder().encode(user + ':' + password)));
  const r = await fetch('/api/auth/login', { method: 'POST', headers: { Authorization: 'Basic ' + basic } });
  let b = null;
  try { b = await r.json(); } catch { b = null }
  if (!r.ok) throw new ApiError(r.status, b);
  auth.save(b);
}

/** Downloads an API file (reports need the token, so a plain link would not do). */
export async function download(path, filename) {
  const r = await api(path, { raw: true });
  const url = URL.createObjectURL(await r.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
