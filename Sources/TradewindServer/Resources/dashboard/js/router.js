// Deep links: every view has its own URL; links inside the page navigate without a reload, the back button works,
// and a reload shows the same view (the server answers every view's URL with the page).

const routes = [
  [/^\/(?:console)?$/, 'console'],
  [/^\/history$/, 'history'],
  [/^\/results\/(\d+)$/, 'result'],
  [/^\/logs(?:\/(\d+))?$/, 'logs'],
  [/^\/journal$/, 'journal'],
  [/^\/strategies$/, 'strategies'],
  [/^\/status$/, 'status'],
  [/^\/login$/, 'login'],
];

let renderer = () => {};

/** The view and its path parameter for a path. */
export function match(path) {
  for (const [re, view] of routes) {
    const m = re.exec(path);
    if (m) return { view, param: m[1] };
  }
  return { view: 'missing', param: null };
}

/** Goes to `url` (a path with its query); `replace` changes the current history entry instead of adding one. */
export function navigate(url, { replace = false } = {}) {
  if (url === location.pathname + location.search) { if (!replace) renderer(); return; }
  history[replace ? 'replaceState' : 'pushState'](null, '', url);
  renderer();
}

/** Rewrites the current URL's query (view state such as sort and page) without rendering again. */
export function setQuery(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== '' && v !== null && v !== undefined) q.set(k, v);
  const s = q.toString();
  history.replaceState(null, '', location.pathname + (s ? '?' + s : ''));
}

export function start(render) {
  renderer = render;
  window.addEventListener('popstate', () => renderer());
  document.addEventListener('click', (e) => {
    const a = e.target.closest && e.target.closest('a[href^="/"]');
    if (!a || a.hasAttribute('download') || a.target || e.ctrlKey || e.metaKey || e.shiftKey || e.button !== 0) return;
    const href = a.getAttribute('href');
    if (href.startsWith('/api/') || href.startsWith('/assets/') || href.startsWith('/metrics')) return;
    e.preventDefault();
    navigate(href);
  });
  renderer();
}
