/**
 * The signed-in identity. The token lives in sessionStorage: it survives a
 * reload of this tab, is gone when the tab closes, is never shared with other
 * tabs and never appears in a URL (so not in history, logs or Referer).
 */
export interface Me {
  user: string;
  roles: string[];
  tokenId: string;
}

const TOKEN_KEY = 'clearance.token';

let me: Me | null = null;

export const storedToken = (): string | null => sessionStorage.getItem(TOKEN_KEY);
export const storeToken = (token: string): void => sessionStorage.setItem(TOKEN_KEY, token);

export const currentUser = (): Me | null => me;
export const setCurrentUser = (value: Me | null): void => {
  me = value;
};

export function forget(): void {
  sessionStorage.removeItem(TOKEN_KEY);
  me = null;
}

export const hasRole = (...roles: string[]): boolean => me !== null && me.roles.some((role) => roles.includes(role));
