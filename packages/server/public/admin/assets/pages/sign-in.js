// @ts-check
// Sign-in: the admin token is exchanged for an HttpOnly session cookie and a CSRF token. The token
// itself is never stored by the page.
import { api, ApiError, errorMessage } from '../api.js';
import { fill, h } from '../dom.js';

/** Draws the sign-in form; calls onSignedIn(session) once the token is accepted. */
export function render(main, { message, onSignedIn }) {
  const input = h('input', {
    id: 'token',
    type: 'password',
    name: 'token',
    autocomplete: 'current-password',
    required: true,
    spellcheck: 'false',
    'aria-describedby': 'token-hint',
  });
  const error = h('p', { id: 'signin-error', class: 'error-text', role: 'alert' });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
  const form = h(
    'form',
    { id: 'signin', class: 'signin', novalidate: true },
    // Password managers file the token under a user name; there is only one admin.
    h('input', {
      type: 'text',
      name: 'username',
      value: 'admin',
      autocomplete: 'username',
      hidden: true,
      'aria-hidden': 'true',
      tabindex: -1,
    }),
    h('div', { class: 'field' }, h('label', { for: 'token' }, 'Admin token'), input),
    h(
      'p',
      { id: 'token-hint', class: 'hint' },
      'Printed by ',
      h('code', {}, 'datafirst start'),
      ' when it generated one; otherwise your ',
      h('code', {}, 'DATAFIRST_ADMIN_TOKEN'),
      '.',
    ),
    button,
    error,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    const token = input.value.trim();
    if (!token) {
      error.textContent = 'Enter the admin token.';
      input.focus();
      return;
    }
    button.disabled = true;
    try {
      const session = await api('POST', 'session', { token });
      input.value = '';
      onSignedIn(session);
    } catch (failure) {
      button.disabled = false;
      if (failure instanceof ApiError && failure.status === 401) error.textContent = 'That admin token was not accepted.';
      else if (failure instanceof ApiError && failure.status === 429)
        error.textContent = `Too many failed attempts. ${failure.message.replace(/^too many failed sign-ins: t/, 'T')}.`;
      else error.textContent = errorMessage(failure);
      input.select();
    }
  });
  fill(
    main,
    h(
      'section',
      { class: 'signin-card' },
      h('h1', {}, 'Sign in to Datafirst'),
      message ? h('p', { class: 'notice', role: 'status' }, message) : null,
      form,
    ),
  );
  input.focus();
}
