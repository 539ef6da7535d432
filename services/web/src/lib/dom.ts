/**
 * The only way this UI creates markup. Text goes in as text nodes, attributes
 * through setAttribute, handlers through addEventListener: nothing a request,
 * an SBOM or the API returns is ever parsed as HTML (eslint forbids
 * innerHTML and friends in this package).
 */
export type Child = Node | string | number | null | undefined | false;
export type Handler = (event: Event) => void;
export type Props = Record<string, string | number | boolean | null | undefined | Handler>;

// Links come from requests (PR and patch URLs): only web and in-app targets may become an href.
const safeUrl = (value: string): boolean => /^(https?:|#|\/(?!\/))/i.test(value);

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') {
      if (!name.startsWith('on')) throw new Error(`h(): a function may only be an event handler, not ${name}`);
      element.addEventListener(name.slice(2), value);
      continue;
    }
    if ((name === 'href' || name === 'src' || name === 'action') && !safeUrl(String(value))) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/** Replaces all children of `parent`. */
export function replace(parent: Node, ...children: Child[]): void {
  while (parent.firstChild) parent.removeChild(parent.firstChild);
  append(parent, ...children);
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element as T;
}

let announceCount = 0;

/** Tells screen-reader users what changed without moving their focus. */
export function announce(message: string): void {
  const region = byId('announcer');
  // Alternating a trailing space makes a repeated message count as a change.
  announceCount += 1;
  region.textContent = message + (announceCount % 2 === 0 ? ' ' : '');
}

let idCount = 0;
export const uniqueId = (prefix: string): string => `${prefix}-${++idCount}`;
