import { field } from '../components/field.js';
import { notice, pageHeader } from '../components/bits.js';
import { api, ApiError } from '../lib/api-client.js';
import { h } from '../lib/dom.js';
import type { Page } from '../lib/router.js';
import { storeToken, setCurrentUser, type Me } from '../lib/session.js';
import type { SignInOptions } from '@clearance/contract';

/** What a refused single sign-on means to the person (the reason codes of the API's callback). */
const refusals: Record<string, string> = {
  provider_error: 'The identity provider did not sign you in.',
  flow_missing: 'The sign-in had expired or was not started here. Try again.',
  state_mismatch: 'The answer from the identity provider did not belong to this sign-in (state mismatch). Try again.',
  nonce_mismatch: 'The identity provider’s token did not belong to this sign-in (nonce mismatch). Try again.',
  id_token_expired: 'The identity provider’s token had expired. Try again.',
  id_token_invalid: 'The identity provider’s token failed its checks.',
  no_role: 'Your groups at the identity provider grant no Clearance role. Ask the OSPO for access.',
};

/** The form posts nowhere: the token goes to sessionStorage, never into a URL or a cookie. */
export const signInPage =
  (afterSignIn: () => void): Page =>
  async ({ main, query }) => {
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
    const options = await api<SignInOptions>('GET', '/auth/options').catch((): SignInOptions => ({ oidc: null }));
    const refused = query.get('refused');
    main.append(
      pageHeader('Sign in'),
      h('p', {}, 'Clearance routes outbound contributions, checks SBOM licenses and keeps the audit log.'),
      ...(refused ? [notice('error', `Sign-in refused: ${refusals[refused] ?? refused}`)] : []),
      ...(options.oidc
        ? [h('p', {}, h('a', { class: 'button', href: options.oidc.loginPath }, `Sign in with ${options.oidc.providerName}`)), h('h2', {}, 'Or with an API token')]
        : []),
      form,
    );
  };
