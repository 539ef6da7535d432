import { api, describeError, query } from '../lib/api-client.js';
import type { Finding, SbomDetail, VerdictCounts } from '@clearance/contract';
import { h, replace } from '../lib/dom.js';
import { verdictBadge, notice } from './bits.js';
import { field, select } from './field.js';
import { decidedByText, mappingCell, rawLicenseCell } from './license-cells.js';

interface Query {
  verdict: string;
  search: string;
  sort: string;
  limit: number;
}

export interface FindingsTableOptions {
  sbomId: string;
  signal: AbortSignal;
  /** Shown per row when the person may grant waivers. */
  onWaive?: (finding: Finding) => void;
}

/**
 * The findings of one SBOM, a page at a time from the server: filtering,
 * search and sort run in the database and pages follow the server's cursor,
 * so a 10k-component SBOM costs what a small one does. Previous pages are
 * reached through the cursors already seen.
 */
export class FindingsTable {
  readonly element: HTMLElement;
  private counts: VerdictCounts | null = null;
  /** cursors[i] is the cursor that loads page i (undefined for the first). */
  private cursors: Array<string | undefined> = [undefined];
  private page = 0;
  private nextCursor: string | null = null;
  private readonly verdict = select('verdict', [['', 'All verdicts'], ['deny', 'deny'], ['review', 'review'], ['allow', 'allow']]);
  private readonly search = h('input', { type: 'search', name: 'search', placeholder: 'name or purl', spellcheck: 'false' });
  // Deny first by default: what blocks a release is what a reviewer looks at first.
  private readonly sort = select('sort', [['severity', 'Severity (deny first)'], ['index', 'SBOM order'], ['name', 'Name (A–Z)']], 'severity');
  private readonly limit = select('limit', [['50', '50'], ['100', '100'], ['250', '250']], '100');
  private readonly body = h('tbody', {});
  private readonly range = h('p', { class: 'range', 'aria-live': 'polite' });
  private readonly previous = h('button', { type: 'button', class: 'secondary', disabled: true }, '← Previous page');
  private readonly next = h('button', { type: 'button', class: 'secondary', disabled: true }, 'Next page →');
  private readonly status = h('div', {});
  private searchTimer: number | undefined;
  private loading: AbortController | null = null;

  constructor(private readonly options: FindingsTableOptions) {
    const filters = h(
      'form',
      { class: 'filters', role: 'search', 'aria-label': 'Filter findings', novalidate: true },
      field('Verdict', this.verdict).element,
      field('Search', this.search).element,
      field('Sort by', this.sort).element,
      field('Rows per page', this.limit).element,
    );
    filters.addEventListener('submit', (event) => {
      event.preventDefault();
      this.restart();
    });
    for (const control of [this.verdict, this.sort, this.limit]) control.addEventListener('change', () => this.restart());
    // Typing searches after a pause, so each keystroke does not cost a query.
    this.search.addEventListener('input', () => {
      window.clearTimeout(this.searchTimer);
      this.searchTimer = window.setTimeout(() => this.restart(), 300);
    });
    this.previous.addEventListener('click', () => void this.go(this.page - 1));
    this.next.addEventListener('click', () => void this.go(this.page + 1));
    const headers = ['#', 'Component', 'License as written', 'How it was mapped', 'Verdict and why', ...(options.onWaive ? ['Waiver'] : [])];
    this.element = h(
      'section',
      { class: 'card findings', 'aria-labelledby': 'findings-title' },
      h('h2', { id: 'findings-title' }, 'Findings'),
      filters,
      this.status,
      h('div', { class: 'pager' }, this.range, h('div', { class: 'pager-buttons' }, this.previous, this.next)),
      h(
        'div',
        { class: 'table-scroll' },
        h(
          'table',
          { class: 'data findings-table', 'data-testid': 'findings' },
          h('caption', { class: 'visually-hidden' }, 'Components and their license verdicts'),
          h('thead', {}, h('tr', {}, ...headers.map((title) => h('th', { scope: 'col' }, title)))),
          this.body,
        ),
      ),
    );
  }

  setCounts(counts: VerdictCounts | null): void {
    this.counts = counts;
  }

  /** Back to the first page with the current filters (after a filter change or a re-evaluation). */
  restart(): void {
    this.cursors = [undefined];
    void this.go(0);
  }

  private async go(page: number): Promise<void> {
    const cursor = page === this.cursors.length ? (this.nextCursor ?? undefined) : this.cursors[page];
    if (page < 0 || (page > 0 && cursor === undefined)) return;
    this.loading?.abort();
    const controller = new AbortController();
    this.loading = controller;
    this.options.signal.addEventListener('abort', () => controller.abort(), { once: true });
    // The rows and the range text must describe the query that produced them, even if a control changed meanwhile.
    const asked: Query = { verdict: this.verdict.value, search: this.search.value.trim(), sort: this.sort.value, limit: Number(this.limit.value) };
    this.body.setAttribute('aria-busy', 'true');
    try {
      const detail = await api<SbomDetail>('GET', `/sboms/${this.options.sbomId}${query({ ...asked, cursor })}`, { signal: controller.signal });
      this.counts = detail.counts;
      this.page = page;
      this.cursors[page] = cursor;
      this.cursors.length = page + 1;
      this.nextCursor = detail.findings.nextCursor === null ? null : String(detail.findings.nextCursor);
      this.render(detail.findings.items, asked);
      replace(this.status);
    } catch (error) {
      if (controller.signal.aborted) return;
      replace(this.status, notice('error', `The findings could not be loaded: ${describeError(error)}`));
    } finally {
      this.body.removeAttribute('aria-busy');
    }
  }

  private render(items: Finding[], asked: Query): void {
    const limit = asked.limit;
    replace(this.body, ...items.map((finding) => this.row(finding)));
    if (items.length === 0) replace(this.body, h('tr', {}, h('td', { colspan: '6', class: 'empty' }, 'No findings match.')));
    const first = this.page * limit + 1;
    const last = this.page * limit + items.length;
    // A search has no known total; a verdict filter's total is that verdict's count.
    const filteredTotal = asked.search ? null : asked.verdict ? this.counts?.[asked.verdict as 'allow' | 'review' | 'deny'] : this.counts?.total;
    this.range.textContent =
      items.length === 0 ? 'No rows' : `Rows ${first.toLocaleString()}–${last.toLocaleString()}${filteredTotal == null ? '' : ` of ${filteredTotal.toLocaleString()}`}`;
    this.previous.disabled = this.page === 0;
    this.next.disabled = this.nextCursor === null;
  }

  private row(finding: Finding): HTMLElement {
    const why = h('div', { class: 'why' }, decidedByText(finding.decidedBy));
    return h(
      'tr',
      { 'data-verdict': finding.verdict },
      h('td', { class: 'num' }, finding.index + 1),
      h(
        'td',
        {},
        h('strong', {}, finding.name),
        finding.version ? ` ${finding.version}` : null,
        finding.purl ? h('div', {}, h('code', { class: 'purl' }, finding.purl)) : null,
      ),
      rawLicenseCell(finding),
      mappingCell(finding),
      h('td', {}, verdictBadge(finding.verdict), why, finding.notes.length > 0 ? h('ul', { class: 'plain notes' }, ...finding.notes.map((note) => h('li', {}, note))) : null),
      this.options.onWaive
        ? h(
            'td',
            {},
            finding.purl && finding.decidedBy.kind !== 'waiver'
              ? h(
                  'button',
                  { type: 'button', class: 'secondary small', 'aria-label': `Grant waiver for ${finding.name}`, onclick: () => this.options.onWaive?.(finding) },
                  'Grant waiver',
                )
              : null,
          )
        : null,
    );
  }
}
