import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeGitHub } from '../../../test/src/support/fake-github.js';
import type { FakeGitHub } from '../../../test/src/support/fake-github.js';
import { createGitHubClient, licenseTemplateFor } from './client.js';
import type { GitHubClient } from './client.js';
import { startSilentTcpServer } from '../../../test/src/support/silent-tcp-server.js';
import { GitHubPermanentError, GitHubTransientError, GitHubUnreachableError } from './errors.js';

const TOKEN = 'ghp_testtoken_0123456789abcdef';
const NOW = 1_750_000_000_000;

let github: FakeGitHub;
let client: GitHubClient;
let logLines: string[];

const expectRejection = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
};

beforeEach(async () => {
  github = await startFakeGitHub({ token: TOKEN });
  logLines = [];
  client = createGitHubClient({ baseUrl: github.baseUrl, token: TOKEN, userAgent: 'clearance-test', now: () => NOW, log: (line) => logLines.push(line) });
  github.addRepo({ owner: 'octo-org', name: 'widget', license: 'Apache-2.0', files: { 'README.md': '# widget\n' } });
});

afterEach(async () => {
  await github.close();
});

describe('getUpstream', () => {
  it('reads license, archived flag, default branch and visibility', async () => {
    github.addRepo({ owner: 'octo-org', name: 'old', license: 'MIT', archived: true, defaultBranch: 'trunk' });
    expect(await client.getUpstream('octo-org', 'widget')).toEqual({
      exists: true,
      archived: false,
      license: 'Apache-2.0',
      licenseStatus: 'detected',
      licenseNote: null,
      defaultBranch: 'main',
      visibility: 'public',
    });
    expect(await client.getUpstream('Octo-Org', 'OLD')).toMatchObject({ archived: true, license: 'MIT', defaultBranch: 'trunk' });
    const first = github.requests[0];
    expect(first?.method).toBe('GET');
    expect(first?.path).toBe('/repos/octo-org/widget');
    expect(first?.headers.authorization).toBe(`token ${TOKEN}`);
    expect(first?.headers['user-agent']).toContain('clearance-test');
  });

  it('tells no license apart from an unrecognized one', async () => {
    github.addRepo({ owner: 'o', name: 'none', license: null });
    github.addRepo({ owner: 'o', name: 'custom', license: 'NOASSERTION' });
    expect(await client.getUpstream('o', 'none')).toMatchObject({ license: null, licenseStatus: 'none', licenseNote: 'GitHub found no license file' });
    expect(await client.getUpstream('o', 'custom')).toMatchObject({
      license: null,
      licenseStatus: 'unrecognized',
      licenseNote: 'GitHub found a license file but could not identify it (Other)',
    });
  });

  it('answers exists: false for a missing repository instead of throwing', async () => {
    expect(await client.getUpstream('octo-org', 'missing')).toMatchObject({ exists: false, license: null, defaultBranch: null, visibility: null });
  });

  it('works against a GitHub Enterprise style /api/v3 base URL', async () => {
    const ghe = await startFakeGitHub({ pathPrefix: '/api/v3' });
    try {
      ghe.addRepo({ owner: 'platform', name: 'gw', license: 'MIT', visibility: 'internal' });
      const enterprise = createGitHubClient({ baseUrl: `${ghe.baseUrl}/`, token: null, userAgent: 'clearance-test' });
      expect(await enterprise.getUpstream('platform', 'gw')).toMatchObject({ exists: true, license: 'MIT', visibility: 'internal' });
      expect(ghe.requests[0]?.path).toBe('/repos/platform/gw');
      expect(ghe.requests[0]?.headers.authorization).toBeUndefined();
    } finally {
      await ghe.close();
    }
  });
});

describe('getPullRequest', () => {
  it('reads size and merge state', async () => {
    github.addPullRequest('octo-org', 'widget', { number: 7, additions: 120, deletions: 30, changedFiles: 4 });
    github.addPullRequest('octo-org', 'widget', { number: 8, additions: 1, deletions: 0, changedFiles: 1, merged: true, mergedAt: '2025-01-02T03:04:05Z' });
    expect(await client.getPullRequest('octo-org', 'widget', 7)).toEqual({
      additions: 120,
      deletions: 30,
      changedFiles: 4,
      merged: false,
      state: 'open',
      mergedAt: null,
    });
    expect(await client.getPullRequest('octo-org', 'widget', 8)).toMatchObject({ merged: true, state: 'closed', mergedAt: '2025-01-02T03:04:05Z' });
  });

  it('returns null for a missing pull request', async () => {
    expect(await client.getPullRequest('octo-org', 'widget', 999)).toBeNull();
  });
});

describe('getClaHints', () => {
  it('reads the contributing guide at the root', async () => {
    github.addRepo({
      owner: 'g',
      name: 'lib',
      files: {
        'CONTRIBUTING.md': '# Contributing\n\nContributions must be accompanied by a Contributor License Agreement.\nVisit <https://cla.developers.google.com/> to sign.\n',
      },
    });
    expect(await client.getClaHints('g', 'lib')).toEqual({ cla: true, dco: false, claName: 'google-cla', sources: ['CONTRIBUTING.md'] });
    expect(github.requests.map((request) => request.path)).toEqual(['/repos/g/lib/contents', '/repos/g/lib/contents/CONTRIBUTING.md']);
  });

  it('falls back to .github/CONTRIBUTING.md and sees CLA bot files', async () => {
    github.addRepo({
      owner: 'k',
      name: 'tool',
      files: { '.clabot': '{"contributors": []}', '.github/CONTRIBUTING.md': 'All commits need a Signed-off-by: line (DCO).', 'src/index.ts': '' },
    });
    expect(await client.getClaHints('k', 'tool')).toEqual({ cla: true, dco: true, claName: null, sources: ['.clabot', '.github/CONTRIBUTING.md'] });
    expect(github.requests).toHaveLength(2);
  });

  it('finds nothing in a repository without hints, and copes with an empty one', async () => {
    expect(await client.getClaHints('octo-org', 'widget')).toEqual({ cla: false, dco: false, claName: null, sources: [] });
    github.addRepo({ owner: 'e', name: 'empty', files: {} });
    expect(await client.getClaHints('e', 'empty')).toEqual({ cla: false, dco: false, claName: null, sources: [] });
  });
});

describe('writes', () => {
  it('comments on a pull request', async () => {
    github.addPullRequest('octo-org', 'widget', { number: 7, additions: 1, deletions: 1, changedFiles: 1 });
    const posted = await client.commentOnPullRequest('octo-org', 'widget', 7, 'Approved by the OSPO: CLR-42');
    expect(posted.id).toBeGreaterThan(0);
    expect(posted.htmlUrl).toBe(`https://github.com/octo-org/widget/pull/7#issuecomment-${posted.id}`);
    expect(github.comments).toEqual([{ id: posted.id, owner: 'octo-org', repo: 'widget', number: 7, body: 'Approved by the OSPO: CLR-42', user: 'clearance-bot' }]);
    expect(github.requests.at(-1)).toMatchObject({ method: 'POST', path: '/repos/octo-org/widget/issues/7/comments', body: { body: 'Approved by the OSPO: CLR-42' } });
  });

  it('finds a comment by its text on any page of a long thread, and says when there is none', async () => {
    github.addPullRequest('octo-org', 'widget', { number: 8, additions: 1, deletions: 1, changedFiles: 1 });
    for (let n = 0; n < 130; n++) github.addComment({ owner: 'octo-org', repo: 'widget', number: 8, body: `comment ${n}`, user: 'someone' });
    const ours = github.addComment({ owner: 'octo-org', repo: 'widget', number: 8, body: 'Approved (Clearance reference ctr_1, revision 1).', user: 'clearance-bot' });
    expect(await client.findPullRequestComment('octo-org', 'widget', 8, 'Clearance reference ctr_1, revision 1')).toEqual({
      id: ours.id,
      htmlUrl: `https://github.com/octo-org/widget/pull/8#issuecomment-${ours.id}`,
    });
    const pages = github.requests.filter((entry) => entry.path === '/repos/octo-org/widget/issues/8/comments').map((entry) => entry.query.page ?? '1');
    expect(pages).toEqual(['1', '2']);
    expect(await client.findPullRequestComment('octo-org', 'widget', 8, 'Clearance reference ctr_2')).toBeNull();
  });

  it('creates a repository with its license, and finds it again on a retry', async () => {
    github.addOrg('acme-oss');
    const options = { description: 'Fast widgets', licenseTemplate: licenseTemplateFor('Apache-2.0'), private: false };
    const created = await client.createRepository('acme-oss', 'fast-widgets', options);
    expect(created).toMatchObject({ created: true, fullName: 'acme-oss/fast-widgets', htmlUrl: 'https://github.com/acme-oss/fast-widgets', license: 'Apache-2.0', private: false });
    expect(github.requests.at(-1)?.body).toEqual({ name: 'fast-widgets', private: false, auto_init: true, description: 'Fast widgets', license_template: 'apache-2.0' });
    const again = await client.createRepository('acme-oss', 'fast-widgets', options);
    expect(again).toMatchObject({ created: false, id: created.id, fullName: 'acme-oss/fast-widgets' });
    expect(github.createdRepos).toHaveLength(1);
  });

  it('maps SPDX ids to license templates', () => {
    expect(licenseTemplateFor('MIT')).toBe('mit');
    expect(licenseTemplateFor('GPL-3.0-only')).toBe('gpl-3.0');
    expect(licenseTemplateFor('BSD-3-Clause')).toBe('bsd-3-clause');
  });
});

describe('errors', () => {
  it('turns a 502 into a transient error and succeeds once GitHub recovers', async () => {
    github.failNext({ status: 502, times: 2 });
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const error = await expectRejection(client.getUpstream('octo-org', 'widget'));
      expect(error).toBeInstanceOf(GitHubTransientError);
      expect(error).toMatchObject({ status: 502, retryAfterMs: null, operation: 'getUpstream octo-org/widget' });
    }
    expect((await client.getUpstream('octo-org', 'widget')).exists).toBe(true);
  });

  it('turns a primary rate limit into a transient error that says when to retry', async () => {
    github.rateLimitNext({ resetAt: NOW / 1000 + 42 });
    const error = await expectRejection(client.getPullRequest('octo-org', 'widget', 1));
    expect(error).toBeInstanceOf(GitHubTransientError);
    expect(error).toMatchObject({ status: 403, retryAfterMs: 42_000 });
  });

  it('turns a secondary rate limit and a 429 into transient errors', async () => {
    github.rateLimitNext({ resetAt: 0, secondary: true, retryAfterSeconds: 30 });
    expect(await expectRejection(client.getUpstream('octo-org', 'widget'))).toMatchObject({ transient: true, retryAfterMs: 30_000 });
    github.failNext({ status: 429 });
    expect(await expectRejection(client.getUpstream('octo-org', 'widget'))).toMatchObject({ transient: true, status: 429, retryAfterMs: 60_000 });
  });

  it('treats a dropped connection as transient', async () => {
    github.failNext({ status: 'connection-reset' });
    const error = await expectRejection(client.getUpstream('octo-org', 'widget'));
    expect(error).toBeInstanceOf(GitHubTransientError);
    expect(error).toMatchObject({ status: null });
  });

  it('finds a GitHub that accepts connections but never answers unreachable at first contact, and then does not try again for a while', async () => {
    const silent = await startSilentTcpServer();
    try {
      let now = NOW;
      const blackHoled = createGitHubClient({ baseUrl: silent.baseUrl, token: null, userAgent: 'clearance-test', firstContactTimeoutMs: 300, unreachableForMs: 60_000, now: () => now });
      const first = await expectRejection(blackHoled.getUpstream('octo-org', 'widget'));
      expect(first).toBeInstanceOf(GitHubUnreachableError);
      expect(first).toBeInstanceOf(GitHubTransientError);
      expect((first as Error).message).toMatch(new RegExp(`^GitHub getUpstream octo-org/widget: unreachable at ${silent.baseUrl} \\(`));
      expect(silent.requests).toBe(1);
      // Remembered: the next calls fail at once, without a request.
      const second = await expectRejection(blackHoled.getClaHints('octo-org', 'widget'));
      expect(second).toBeInstanceOf(GitHubUnreachableError);
      expect((second as Error).message).toContain('not tried, GitHub was unreachable');
      expect(silent.requests).toBe(1);
      // Once the time is up it tries again.
      now += 60_000;
      expect(await expectRejection(blackHoled.getUpstream('octo-org', 'widget'))).toBeInstanceOf(GitHubUnreachableError);
      expect(silent.requests).toBe(2);
    } finally {
      await silent.close();
    }
  });

  it('after a first answer, a dropped connection is an ordinary transient error and the next call tries again', async () => {
    await client.getUpstream('octo-org', 'widget');
    github.failNext({ status: 'connection-reset' });
    const dropped = await expectRejection(client.getUpstream('octo-org', 'widget'));
    expect(dropped).toBeInstanceOf(GitHubTransientError);
    expect(dropped).not.toBeInstanceOf(GitHubUnreachableError);
    expect((await client.getUpstream('octo-org', 'widget')).license).toBe('Apache-2.0');
  });

  it('treats bad credentials, a plain 403 and a 422 as permanent', async () => {
    const wrong = createGitHubClient({ baseUrl: github.baseUrl, token: 'ghp_wrong_token', userAgent: 'clearance-test' });
    const unauthorized = await expectRejection(wrong.getUpstream('octo-org', 'widget'));
    expect(unauthorized).toBeInstanceOf(GitHubPermanentError);
    expect(unauthorized).toMatchObject({ status: 401, message: 'GitHub getUpstream octo-org/widget: 401 Bad credentials' });
    github.failNext({ status: 403 });
    expect(await expectRejection(client.getUpstream('octo-org', 'widget'))).toBeInstanceOf(GitHubPermanentError);
    github.addPullRequest('octo-org', 'widget', { number: 7, additions: 1, deletions: 1, changedFiles: 1 });
    github.failNext({ status: 422, path: '/repos/octo-org/widget/issues/7/comments' });
    expect(await expectRejection(client.commentOnPullRequest('octo-org', 'widget', 7, 'x'))).toMatchObject({ transient: false, status: 422 });
  });

  it('treats a missing org or pull request on write as permanent', async () => {
    expect(await expectRejection(client.createRepository('nope', 'x', { description: null, licenseTemplate: null, private: true }))).toMatchObject({
      transient: false,
      status: 404,
    });
    expect(await expectRejection(client.commentOnPullRequest('octo-org', 'widget', 404, 'x'))).toBeInstanceOf(GitHubPermanentError);
  });

  it('never lets the token reach an error or the log', async () => {
    github.failNext({ status: 500 });
    const error = await expectRejection(client.getUpstream('octo-org', 'widget'));
    const wrong = createGitHubClient({ baseUrl: github.baseUrl, token: `${TOKEN}x`, userAgent: 'clearance-test', log: (line) => logLines.push(line) });
    const unauthorized = await expectRejection(wrong.getUpstream('octo-org', 'widget'));
    await client.getUpstream('octo-org', 'widget');
    for (const value of [error, unauthorized]) {
      expect(inspect(value, { depth: 10, showHidden: true })).not.toContain(TOKEN);
      expect(JSON.stringify(value)).not.toContain(TOKEN);
    }
    expect(logLines.length).toBeGreaterThan(0);
    expect(logLines.join('\n')).not.toContain(TOKEN);
  });
});
