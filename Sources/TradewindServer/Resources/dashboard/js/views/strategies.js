// Strategies: saved configurations as version chains (each version names its parent), the active one marked;
// activate a version, or save a new one derived from another.
import { api } from '../api.js';
import { h, fill, time } from '../format.js';
import { catalog } from './console.js';

export default async function render(root, { isCurrent }) {
  const cat = await catalog();
  if (!isCurrent()) return;
  const banner = h('div', { class: 'banner', role: 'alert' });
  const list = h('div', { id: 'versions' });
  const strategy = h('select', { id: 's-strategy' }, cat.strategies.map((s) => h('option', { value: s.name }, s.name)));
  if (cat.strategies.some((s) => s.name === 'sma-cross')) strategy.value = 'sma-cross';
  const parent = h('select', { id: 's-parent' }, h('option', { value: '' }, 'none (a new chain)'));
  const params = h('input', { id: 's-params', placeholder: 'fast=10 slow=30', size: 30 });
  const notes = h('input', { id: 's-notes', placeholder: 'why this version' });
  const field = (label, input) => h('div', { class: 'field' }, h('label', { for: input.id }, label), input);
  const form = h('form', { id: 'version-form' }, h('div', { class: 'row' }, field('Strategy', strategy), field('Parent version', parent),
    field('Parameters', params), field('Notes', notes), h('button', { type: 'submit', class: 'primary' }, 'Save version')));
  fill(root, h('h1', {}, 'Strategies'), h('section', { class: 'panel' }, h('h2', {}, 'Save a version'), form, banner), list);

  const load = async () => {
    const page = await api('/api/strategies?limit=500');
    if (!isCurrent()) return;
    const byId = new Map(page.items.map((v) => [v.id, v]));
    fill(parent, h('option', { value: '' }, 'none (a new chain)'), page.items.map((v) => h('option', { value: v.id }, `#${v.id} ${v.strategy}`)));
    // Chains: a version's root is its first ancestor; each chain is shown oldest first.
    const rootOf = (v) => { let x = v; const seen = new Set(); while (x.parent_id && byId.has(x.parent_id) && !seen.has(x.id)) { seen.add(x.id); x = byId.get(x.parent_id); } return x.id; };
    const chains = new Map();
    for (const v of page.items) { const r = rootOf(v); if (!chains.has(r)) chains.set(r, []); chains.get(r).push(v); }
    fill(list, chains.size ? [...chains.values()].map((chain) => {
      chain.sort((a, b) => a.id - b.id);
      return h('section', { class: 'panel', dataset: { chain: chain[0].id } }, h('h2', {}, `${chain[0].strategy} — chain from #${chain[0].id}`),
        h('ol', {}, chain.map((v) => h('li', { dataset: { version: v.id } },
          h('strong', {}, `#${v.id}`), v.parent_id ? ` (from #${v.parent_id})` : ' (first)', ' ',
          v.active ? h('span', { class: 'badge active' }, 'active') : h('button', { type: 'button', class: 'activate', onclick: async () => {
            try { await api(`/api/strategies/${v.id}/activate`, { method: 'POST' }); load(); } catch (e) { banner.textContent = e.message; }
          } }, 'Activate'),
          ' ', h('code', {}, Object.entries(v.parameters || {}).map(([k, x]) => `${k}=${x}`).join(' ') || 'defaults'),
          ' ', h('span', { class: 'muted' }, `${time(v.created_at)}${v.notes ? ' · ' + v.notes : ''}`)))));
    }) : h('p', { class: 'muted' }, 'No saved versions yet.'));
  };
  parent.addEventListener('change', async () => {
    if (!parent.value) return;
    const page = await api('/api/strategies?limit=500');
    const v = page.items.find((x) => String(x.id) === parent.value);
    if (v) { strategy.value = v.strategy; params.value = Object.entries(v.parameters || {}).map(([k, x]) => `${k}=${x}`).join(' '); }
  });
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const parameters = {};
    for (const part of params.value.split(/\s+/).filter(Boolean)) {
      const [k, ...rest] = part.split('=');
      if (!k || !rest.length) { banner.textContent = `${part}: expected name=value`; params.focus(); return; }
      parameters[k] = rest.join('=');
    }
    const body = { strategy: strategy.value, parameters, notes: notes.value };
    if (parent.value) body.parent_id = Number(parent.value);
    try { await api('/api/strategies', { method: 'POST', body }); banner.textContent = ''; form.reset(); await load(); }
    catch (err) { banner.textContent = err.message + (err.field ? ` (field ${err.field})` : ''); }
  });
  await load();
  return null;
}
