import { field } from '../components/field.js';
import { notice, pageHeader } from '../components/bits.js';
import { api, ApiError } from '../lib/api-client.js';
import { h } from '../lib/dom.js';
import type { Page } from '../lib/router.js';
import { storeToken, setCurrentUser, type Me } from '../lib/session.js';

/** The form posts nowhere: the token goes to sessionStorage, never into a URL or a cookie. */
export const signInPage =
  (afterSignIn: () => void): Page =>
  ({ main }) => {
    const token = field('API token', h('input', { type: 'password', name: 'token', autocomplete: 'off', spellcheck: 'false' }), {
      hint: 'Your token starts with clr_. Ask an admin for one (clearance token create). It stays in this browser tab only.',
    });
    const status = h('div', { class: 'form-status' });
    const submit = h('button', { type: 'submit' }, 'Sign in');
    const form = h('form', { class: 'narrow', novalidate: true }, token.element, submit, status);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const value = token.control.value.trim();
      token.setError(null);
      status.replaceChildren();
      if (!value) {
        token.setError('Enter your API token.');
        token.control.focus();
        return;
      }
      submit.disabled = true;
      api<Me>('GET', '/me', { token: value })
        .then((me) => {
          storeToken(value);
          setCurrentUser(me);
          afterSignIn();
        })
        .catch((error: unknown) => {
          const message = error instanceof ApiError && error.status === 401 ? 'This token is unknown or revoked.' : `Sign-in failed: ${error instanceof Error ? error.message : 'unknown error'}`;
          token.setError(message);
          token.control.focus();
          status.append(notice('error', message));
        })
        .finally(() => {
          submit.disabled = false;
        });
    });
    main.append(pageHeader('Sign in'), h('p', {}, 'Clearance routes outbound contributions, checks SBOM licenses and keeps the audit log.'), form);
  };
