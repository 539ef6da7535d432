import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGitHub } from './fake-github.js';
import type { FakeGitHub } from './fake-github.js';

let github: FakeGitHub;

const get = async (path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; body: unknown }> => {
  const response = await fetch(`${github.baseUrl}${path}`, { headers: { authorization: 'token t0k', ...headers } });
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.startsWith('application/json') === true;
  return { status: response.status, headers: response.headers, body: isJson ? (JSON.parse(text) as unknown) : text };
};

const post = async (path: string, body: string): Promise<{ status: number; body: unknown }> => {
  const response = await fetch(`${github.baseUrl}${path}`, { method: 'POST', body, headers: { authorization: 'token t0k', 'content-type': 'application/json' } });
  return { status: response.status, body: (await response.json()) };
};

beforeEach(async () => {
  github = await startFakeGitHub({ token: 't0k' });
  github.addRepo({
    owner: 'octo-org',
    name: 'widget',
    license: 'Apache-2.0',
    description: 'Widgets',
    files: { 'CONTRIBUTING.md': 'Sign the CLA.', '.github/CONTRIBUTING.md': 'x', 'docs/guide/intro.md': 'y' },
  });
});

afterEach(async () => {
  await github.close();
});

describe('fake GitHub', () => {
  it('listens on loopback and answers GET /repos/{owner}/{repo} in GitHub\'s shape', async () => {
    expect(new URL(github.baseUrl).hostname).toBe('127.0.0.1');
    const { status, headers, body } = await get('/repos/Octo-Org/Widget');
    expect(status).toBe(200);
    expect(headers.get('x-ratelimit-limit')).toBe('5000');
    expect(headers.get('x-github-api-version-selected')).toBe('2022-11-28');
    expect(body).toMatchObject({
      name: 'widget',
      full_name: 'octo-org/widget',
      private: false,
      visibility: 'public',
      archived: false,
      default_branch: 'main',
      description: 'Widgets',
      html_url: 'https://github.com/octo-org/widget',
      owner: { login: 'octo-org', type: 'Organization' },
      license: { key: 'apache-2.0', name: 'Apache License 2.0', spdx_id: 'Apache-2.0' },
    });
  });

  it('answers the license endpoint, and 404 when there is no license', async () => {
    github.addRepo({ owner: 'o', name: 'none', license: null });
    const { body } = await get('/repos/octo-org/widget/license');
    expect(body).toMatchObject({ name: 'LICENSE', path: 'LICENSE', type: 'file', encoding: 'base64', license: { spdx_id: 'Apache-2.0' } });
    expect(await get('/repos/o/none/license')).toMatchObject({ status: 404, body: { message: 'Not Found', status: '404' } });
  });

  it('serves files as base64 JSON or raw, and directories as lists', async () => {
    const file = await get('/repos/octo-org/widget/contents/CONTRIBUTING.md');
    expect(file.body).toMatchObject({ type: 'file', path: 'CONTRIBUTING.md', encoding: 'base64', size: 13 });
    const content = (file.body as { content: string }).content;
    expect(Buffer.from(content, 'base64').toString('utf8')).toBe('Sign the CLA.');
    expect((file.body as { sha: string }).sha).toMatch(/^[0-9a-f]{40}$/);
    expect((await get('/repos/octo-org/widget/contents/CONTRIBUTING.md', { accept: 'application/vnd.github.raw+json' })).body).toBe('Sign the CLA.');
    const root = await get('/repos/octo-org/widget/contents/');
    expect((root.body as Array<{ name: string; type: string }>).map((entry) => [entry.name, entry.type])).toEqual([
      ['.github', 'dir'],
      ['CONTRIBUTING.md', 'file'],
      ['docs', 'dir'],
    ]);
    expect((await get('/repos/octo-org/widget/contents/docs')).body).toMatchObject([{ name: 'guide', type: 'dir', path: 'docs/guide' }]);
    expect((await get('/repos/octo-org/widget/contents/nope.md')).status).toBe(404);
  });

  it('answers pull requests with size and merge fields', async () => {
    github.addPullRequest('octo-org', 'widget', { number: 3, additions: 10, deletions: 2, changedFiles: 1, merged: true });
    const { body } = await get('/repos/octo-org/widget/pulls/3');
    expect(body).toMatchObject({ number: 3, state: 'closed', merged: true, additions: 10, deletions: 2, changed_files: 1, html_url: 'https://github.com/octo-org/widget/pull/3' });
    expect((await get('/repos/octo-org/widget/pulls/4')).status).toBe(404);
  });

  it('records comments and created repositories', async () => {
    github.addPullRequest('octo-org', 'widget', { number: 3, additions: 1, deletions: 1, changedFiles: 1 });
    const comment = await post('/repos/octo-org/widget/issues/3/comments', JSON.stringify({ body: 'hello' }));
    expect(comment).toMatchObject({ status: 201, body: { body: 'hello', user: { login: 'clearance-bot' } } });
    expect(await post('/repos/octo-org/widget/issues/3/comments', JSON.stringify({}))).toMatchObject({ status: 422 });
    expect(await post('/repos/octo-org/widget/issues/3/comments', '{not json')).toMatchObject({ status: 400, body: { message: 'Problems parsing JSON' } });
    expect((await get('/repos/octo-org/widget/issues/3/comments')).body).toMatchObject([{ body: 'hello' }]);
    github.addOrg('acme');
    const repo = await post('/orgs/acme/repos', JSON.stringify({ name: 'new-thing', private: true, license_template: 'mit' }));
    expect(repo).toMatchObject({ status: 201, body: { full_name: 'acme/new-thing', private: true, visibility: 'private', license: { spdx_id: 'MIT' } } });
    expect(github.createdRepos).toEqual([{ org: 'acme', name: 'new-thing', description: null, private: true, licenseTemplate: 'mit', autoInit: true }]);
    const duplicate = await post('/orgs/acme/repos', JSON.stringify({ name: 'new-thing' }));
    expect(duplicate).toMatchObject({ status: 422, body: { errors: [{ message: 'name already exists on this account' }] } });
    expect((await post('/orgs/ghost/repos', JSON.stringify({ name: 'x' }))).status).toBe(404);
  });

  it('refuses a missing or wrong token with 401', async () => {
    const response = await fetch(`${github.baseUrl}/repos/octo-org/widget`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' });
  });

  it('injects failures for the next N matching calls, then answers normally', async () => {
    github.failNext({ status: 500, times: 2, path: /\/pulls\// });
    github.failNext({ status: 404, method: 'GET', path: '/repos/octo-org/widget' });
    expect((await get('/repos/octo-org/widget')).status).toBe(404);
    expect((await get('/repos/octo-org/widget')).status).toBe(200);
    expect((await get('/repos/octo-org/widget/pulls/1')).status).toBe(500);
    expect((await get('/repos/octo-org/widget/pulls/1')).status).toBe(500);
    expect((await get('/repos/octo-org/widget/pulls/1')).status).toBe(404);
    github.failNext({ status: 502 });
    const gateway = await get('/repos/octo-org/widget');
    expect(gateway.status).toBe(502);
    expect(gateway.headers.get('content-type')).toContain('text/html');
  });

  it('answers rate limits with GitHub\'s headers', async () => {
    github.rateLimitNext({ resetAt: 1_800_000_000 });
    const limited = await get('/repos/octo-org/widget');
    expect(limited.status).toBe(403);
    expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
    expect(limited.headers.get('x-ratelimit-reset')).toBe('1800000000');
    expect((limited.body as { message: string }).message).toMatch(/^API rate limit exceeded/);
    github.rateLimitNext({ resetAt: 0, secondary: true, retryAfterSeconds: 5 });
    const secondary = await get('/repos/octo-org/widget');
    expect(secondary.headers.get('retry-after')).toBe('5');
    expect((secondary.body as { message: string }).message).toContain('secondary rate limit');
  });

  it('drops the connection when asked', async () => {
    github.failNext({ status: 'connection-reset' });
    await expect(fetch(`${github.baseUrl}/repos/octo-org/widget`)).rejects.toThrow();
    expect((await get('/repos/octo-org/widget')).status).toBe(200);
  });

  it('records every request with method, path, query, headers and body', async () => {
    await get('/repos/octo-org/widget/contents/CONTRIBUTING.md?ref=main');
    await post('/repos/octo-org/widget/issues/9/comments', JSON.stringify({ body: 'x' }));
    expect(github.requests.map(({ method, path, query, body }) => ({ method, path, query, body }))).toEqual([
      { method: 'GET', path: '/repos/octo-org/widget/contents/CONTRIBUTING.md', query: { ref: 'main' }, body: null },
      { method: 'POST', path: '/repos/octo-org/widget/issues/9/comments', query: {}, body: { body: 'x' } },
    ]);
    expect(github.requests[0]?.headers.authorization).toBe('token t0k');
  });

  it('serves under a GitHub Enterprise path prefix', async () => {
    const ghe = await startFakeGitHub({ pathPrefix: '/api/v3' });
    try {
      ghe.addRepo({ owner: 'a', name: 'b' });
      expect(ghe.baseUrl).toMatch(/\/api\/v3$/);
      expect((await fetch(`${ghe.baseUrl}/repos/a/b`)).status).toBe(200);
      expect((await fetch(`${ghe.baseUrl.replace('/api/v3', '')}/repos/a/b`)).status).toBe(404);
    } finally {
      await ghe.close();
    }
  });
});
