// Login (when the server has users): on success, back to the view that sent you here (`?next=`).
import { login, auth } from '../api.js';
import * as live from '../live.js';
import { navigate } from '../router.js';
import { h, fill } from '../format.js';

export default async function render(root, { query }) {
  const next = query.get('next') && query.get('next').startsWith('/') && !query.get('next').startsWith('//') ? query.get('next') : '/console';
  if (!auth.required) { navigate(next, { replace: true }); return null; }
  const user = h('input', { id: 'login-user', name: 'username', autocomplete: 'username', required: true });
  const password = h('input', { id: 'login-password', name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const banner = h('div', { class: 'banner', role: 'alert', id: 'login-error' });
  const button = h('button', { type: 'submit', class: 'primary', id: 'login-submit' }, 'Log in');
  const form = h('form', { class: 'panel login', id: 'login-form' }, h('h1', {}, 'Log in'),
    query.get('next') ? h('p', { class: 'muted' }, 'Your session ended; log in to go back where you were.') : null,
    h('div', { class: 'field' }, h('label', { for: user.id }, 'User'), user),
    h('div', { class: 'field' }, h('label', { for: password.id }, 'Password'), password), banner, button);
  fill(root, form);
  user.focus();
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    button.disabled = true;
    try {
      await login(user.value, password.value);
      live.connect();
      navigate(next, { replace: true });
    } catch (err) {
      banner.textContent = err.status === 401 ? 'Wrong user or password.' : err.message;
      password.select();
    } finally { button.disabled = false; }
  });
  return null;
}
