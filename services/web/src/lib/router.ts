/**
 * Hash routes (`#/sboms/sbom_…`): deep links and the back button work while
 * the server serves one page, and ids never reach the server's access log.
 */
export interface PageContext {
  main: HTMLElement;
  params: Record<string, string>;
  query: URLSearchParams;
  /** Aborted when the user navigates away: closes the live event stream and pending fetches. */
  signal: AbortSignal;
}

export type Page = (context: PageContext) => void | Promise<void>;

interface Route {
  pattern: RegExp;
  names: string[];
  page: Page;
}

export class Router {
  private readonly routes: Route[] = [];
  private current: AbortController | null = null;

  constructor(
    private readonly main: HTMLElement,
    private readonly fallback: () => string,
    private readonly onError: (error: unknown, main: HTMLElement) => void,
  ) {}

  add(path: string, page: Page): this {
    const names: string[] = [];
    const source = path.replace(/:(\w+)/g, (_match, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    this.routes.push({ pattern: new RegExp(`^${source}$`), names, page });
    return this;
  }

  start(): void {
    window.addEventListener('hashchange', () => void this.render());
    void this.render();
  }

  /** Renders the current hash again (after sign-in or sign-out). */
  async render(): Promise<void> {
    this.current?.abort();
    const controller = new AbortController();
    this.current = controller;
    const [path = '', search = ''] = location.hash.replace(/^#/, '').split('?');
    for (const route of this.routes) {
      const match = route.pattern.exec(path);
      if (!match) continue;
      const params = Object.fromEntries(route.names.map((name, index) => [name, decodeURIComponent(match[index + 1] ?? '')]));
      this.main.replaceChildren();
      try {
        await route.page({ main: this.main, params, query: new URLSearchParams(search), signal: controller.signal });
      } catch (error) {
        if (!controller.signal.aborted) this.onError(error, this.main);
      }
      if (!controller.signal.aborted) focusHeading(this.main);
      return;
    }
    location.replace(`#${this.fallback()}`);
  }
}

/**
 * After a page change, keyboard and screen-reader users start at the new
 * page's heading. Pages that draw their heading after a fetch call this
 * again; it leaves focus alone once the person has moved it into the page.
 */
export function focusHeading(main: HTMLElement): void {
  const active = document.activeElement;
  if (active && active !== main && active !== document.body && main.contains(active) && active.tagName !== 'H1') return;
  const heading = main.querySelector('h1');
  if (heading) {
    heading.setAttribute('tabindex', '-1');
    heading.focus({ preventScroll: true });
  } else main.focus({ preventScroll: true });
}

export const navigate = (path: string): void => {
  location.hash = path;
};
