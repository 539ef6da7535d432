import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReviewItem } from '@clearance/contract';
import { waitFor } from '../support/wait-for.js';
import { api, startContributionWorld, submit, upstreamRequest, type ContributionWorld } from './contribution-harness.js';

type QueuePage = { items: ReviewItem[]; nextCursor: string | null };

/** GET /reviews pages through the whole queue with a cursor, not only its oldest 200. */
describe('review queue paging (real server, more than 200 waiting)', () => {
  let world: ContributionWorld;
  const queued = 230;

  beforeAll(async () => {
    // Submissions beyond the per-token rate limit: the limit is not what this tests.
    world = await startContributionWorld({ CLEARANCE_RATE_LIMIT_FACTOR: '0' });
    world.github.addRepo({ owner: 'octo-org', name: 'widget', license: 'MIT' });
    for (let start = 0; start < queued; start += 50) {
      await Promise.all(Array.from({ length: Math.min(50, queued - start) }, (_, n) => submit(world, n % 2 === 0 ? 'erin' : 'omar', upstreamRequest({ title: `Queued ${start + n}` }))));
    }
  });
  afterAll(async () => {
    await world.close();
  });

  const walk = async (limit: number): Promise<{ ids: string[]; pages: number }> => {
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const path: string = `/reviews?limit=${limit}${cursor === null ? '' : `&cursor=${cursor}`}`;
      const page: { status: number; body: QueuePage } = await api<QueuePage>(world, 'mona', 'GET', path);
      expect(page.status).toBe(200);
      ids.push(...page.body.items.map((item) => item.id));
      cursor = page.body.nextCursor;
      pages += 1;
    } while (cursor !== null);
    return { ids, pages };
  };

  it('answers every queued request once, in the queue order, across pages', async () => {
    await waitFor(async () => (await walk(200)).ids.length === queued, { timeoutMs: 120_000, intervalMs: 500, what: `${queued} requests in the manager queue` });
    const byHundred = await walk(100);
    expect(byHundred.pages).toBe(3);
    expect(new Set(byHundred.ids).size).toBe(queued);
    const byThirteen = await walk(13);
    expect(byThirteen.ids).toEqual(byHundred.ids);
    const first = await api<QueuePage>(world, 'mona', 'GET', '/reviews?limit=200');
    expect(first.body.items.map((item) => item.id)).toEqual(byHundred.ids.slice(0, 200));
    const starts = first.body.items.map((item) => Date.parse(item.stage.startedAt ?? ''));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it('refuses a cursor it did not give with 422 naming the field', async () => {
    const answer = await api<{ error: { code: string; details: Array<{ path: string }> } }>(world, 'mona', 'GET', '/reviews?cursor=bm90LWEtY3Vyc29y');
    expect(answer.status).toBe(422);
    expect(answer.body.error.details[0]?.path).toBe('cursor');
  });
});
