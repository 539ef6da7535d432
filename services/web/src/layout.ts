import { api } from './lib/api-client.js';
import { announce, byId, h, replace } from './lib/dom.js';
import { currentUser, may } from './lib/session.js';

interface NavItem {
  path: string;
  label: string;
  /** The API call the page is built on: the page shows for whoever may make it. */
  action: string;
}

/** Pages in the order people of several roles would look at them; each shows only for the roles its API allows. */
export const navItems: NavItem[] = [
  { path: '/requests', label: 'My requests', action: 'POST /contributions' },
  { path: '/reviews', label: 'Review queue', action: 'GET /reviews' },
  { path: '/sboms', label: 'SBOMs', action: 'GET /sboms' },
  { path: '/releases', label: 'Releases', action: 'GET /releases' },
  { path: '/audit', label: 'Audit', action: 'GET /audit/events' },
  { path: '/notifications', label: 'Notifications', action: 'GET /notifications/failed' },
];

/** Where each person starts: the page of their main job (an auditor holds SBOM read rights too, but audits). */
const homes: Array<[action: string, path: string]> = [
  ['POST /contributions', '/requests'],
  ['GET /reviews', '/reviews'],
  // Only auditors export dossiers: admins read the log too, but their home is the SBOM list.
  ['GET /audit/export', '/audit'],
  ['GET /sboms', '/sboms'],
];

export const homePath = (): string => homes.find(([action]) => may(action))?.[1] ?? '/no-pages';

/** Marks the nav link of the current page (aria-current) after every navigation. */
export function markCurrentNav(): void {
  const path = location.hash.replace(/^#/, '');
  for (const link of byId('nav').querySelectorAll('a')) {
    const target = link.getAttribute('href')?.replace(/^#/, '') ?? '';
    if (path === target || path.startsWith(`${target}/`)) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

/**
 * The queue dashboard is a separate page a browser navigates to, so it gets a
 * short-lived HttpOnly cookie first (the token stays in this tab).
 */
async function openQueueDashboard(): Promise<void> {
  try {
    const session = await api<{ path: string }>('POST', '/ui/session');
    window.open(session.path, '_blank', 'noopener');
  } catch (error) {
    announce(`The queue dashboard could not be opened: ${error instanceof Error ? error.message : 'unknown error'}`);
  }
}

export function renderChrome(signOut: () => void | Promise<void>): void {
  const me = currentUser();
  const nav = byId('nav');
  const account = byId('account');
  if (!me) {
    replace(nav);
    replace(account);
    return;
  }
  replace(nav, h('ul', {}, ...navItems.filter((item) => may(item.action)).map((item) => h('li', {}, h('a', { href: `#${item.path}` }, item.label)))));
  replace(
    account,
    h('span', { class: 'who', 'data-testid': 'who' }, h('strong', {}, me.displayName ?? me.user), h('span', { class: 'roles' }, me.roles.join(', '))),
    // The dashboard cookie is derived from a token: sessions from the identity provider have none.
    may('POST /ui/session') && me.csrfToken === undefined ? h('button', { type: 'button', class: 'secondary', onclick: () => void openQueueDashboard() }, 'Queue dashboard') : null,
    h('button', { type: 'button', class: 'secondary', onclick: () => void signOut() }, 'Sign out'),
  );
  markCurrentNav();
}
