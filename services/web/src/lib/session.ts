/**
 * The signed-in identity. The token lives in sessionStorage: it survives a
 * reload of this tab, is gone when the tab closes, is never shared with other
 * tabs and never appears in a URL (so not in history, logs or Referer).
 */
import type { Me } from '@clearance/contract';

export type { Me };

const TOKEN_KEY = 'clearance.token';

let me: Me | null = null;

export const storedToken = (): string | null => sessionStorage.getItem(TOKEN_KEY);
export const storeToken = (token: string): void => sessionStorage.setItem(TOKEN_KEY, token);

export const currentUser = (): Me | null => me;
export const setCurrentUser = (value: Me | null): void => {
  me = value;
};

/** Signed in through the identity provider: the session cookie authenticates, and this token goes with every state-changing call. */
export const csrfToken = (): string | null => me?.csrfToken ?? null;

export function forget(): void {
  sessionStorage.removeItem(TOKEN_KEY);
  me = null;
}

/**
 * Whether the signed-in user's roles open a route (`METHOD /path`, as the
 * API's route table names it). The list comes from `/me`, so the UI keeps no
 * role lists of its own; the API still enforces every call.
 */
export const may = (action: string): boolean => me !== null && me.actions.includes(action);
