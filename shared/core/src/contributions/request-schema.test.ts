import { describe, expect, it } from 'vitest';
import { contributionRequestInputSchema, primaryPullRequest } from './request-schema.js';
import type { ContributionRequestInput } from './request-schema.js';
import { toRequestInput } from './request-input.js';
import { parsePullRequestUrl, parseUpstreamUrl, upstreamKey } from './upstream-ref.js';

const bugFix = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  tier: 'bug-fix',
  upstream: 'https://github.com/octo-org/widget',
  title: 'Fix off-by-one in pager',
  justification: 'Our dashboard shows one item too few.',
  estimatedLinesChanged: 12,
  ...overrides,
});

const issuesOf = (input: unknown): Array<{ path: string; message: string }> => {
  const result = contributionRequestInputSchema.safeParse(input);
  if (result.success) return [];
  return result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
};

describe('parseUpstreamUrl', () => {
  it.each([
    ['https://github.com/octo-org/widget', { host: 'github.com', owner: 'octo-org', repo: 'widget' }],
    ['https://github.com/octo-org/widget.git', { host: 'github.com', owner: 'octo-org', repo: 'widget' }],
    ['https://github.com/octo-org/widget/', { host: 'github.com', owner: 'octo-org', repo: 'widget' }],
    ['https://www.GitHub.com/Octo-Org/Widget', { host: 'github.com', owner: 'Octo-Org', repo: 'Widget' }],
    ['https://ghe.example.com/platform/api-gateway', { host: 'ghe.example.com', owner: 'platform', repo: 'api-gateway' }],
    ['octo-org/widget', { host: 'github.com', owner: 'octo-org', repo: 'widget' }],
    ['  https://github.com/a/b.c_d-e  ', { host: 'github.com', owner: 'a', repo: 'b.c_d-e' }],
  ])('reads %s', (input, expected) => {
    expect(parseUpstreamUrl(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['http://github.com/octo-org/widget', 'https://'],
    ['https://github.com/octo-org', 'repository URL itself'],
    ['https://github.com/octo-org/widget/tree/main', 'repository URL itself'],
    ['https://github.com/octo-org/widget/pull/3', 'repository URL itself'],
    ['https://github.com/-bad/widget', 'not a valid GitHub user'],
    ['https://github.com/octo-org/bad%20name', 'not a valid GitHub repository'],
    ['https://user:pw@github.com/octo-org/widget', 'user name or password'],
    ['https://github.com/octo-org/widget?tab=readme', 'query'],
    ['javascript:alert(1)', 'https://'],
    ['not a url', 'full URL'],
  ])('refuses %s', (input, fragment) => {
    const result = parseUpstreamUrl(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(fragment);
  });

  it('treats names case-insensitively for identity', () => {
    const a = parseUpstreamUrl('https://github.com/Octo-Org/Widget');
    const b = parseUpstreamUrl('octo-org/widget');
    expect(a.ok && b.ok && upstreamKey(a.value) === upstreamKey(b.value)).toBe(true);
  });
});

describe('parsePullRequestUrl', () => {
  it('reads pull request links, including the tab a browser shows', () => {
    expect(parsePullRequestUrl('https://github.com/octo-org/widget/pull/42')).toEqual({
      host: 'github.com',
      owner: 'octo-org',
      repo: 'widget',
      number: 42,
    });
    expect(parsePullRequestUrl('https://ghe.example.com/p/q/pull/7/files')?.number).toBe(7);
  });

  it('returns null for anything else', () => {
    expect(parsePullRequestUrl('https://github.com/octo-org/widget/issues/42')).toBeNull();
    expect(parsePullRequestUrl('https://github.com/octo-org/widget/pull/0')).toBeNull();
    expect(parsePullRequestUrl('https://github.com/octo-org/widget/pull/x')).toBeNull();
    expect(parsePullRequestUrl('https://example.com/patch.diff')).toBeNull();
  });
});

describe('contributionRequestInputSchema', () => {
  it('normalizes an upstream request and fills defaults', () => {
    const parsed = contributionRequestInputSchema.parse(
      bugFix({ links: ['https://github.com/octo-org/widget/pull/42', 'https://gerrit.example.com/c/123'] }),
    );
    expect(parsed).toEqual({
      tier: 'bug-fix',
      upstream: { host: 'github.com', owner: 'octo-org', repo: 'widget' },
      title: 'Fix off-by-one in pager',
      justification: 'Our dashboard shows one item too few.',
      estimatedLinesChanged: 12,
      links: [
        {
          kind: 'pull-request',
          url: 'https://github.com/octo-org/widget/pull/42',
          pullRequest: { host: 'github.com', owner: 'octo-org', repo: 'widget', number: 42 },
        },
        { kind: 'patch', url: 'https://gerrit.example.com/c/123' },
      ],
      flags: { touchesCoreIp: false, patentRelevant: false, securityFix: false, claRequired: false, dcoRequired: false },
    });
    expect(primaryPullRequest(parsed)?.number).toBe(42);
  });

  it('accepts a GitHub Enterprise upstream', () => {
    const parsed = contributionRequestInputSchema.parse(bugFix({ tier: 'new-feature', upstream: 'https://ghe.example.com/platform/gw' }));
    expect(parsed.tier === 'new-feature' && parsed.upstream.host).toBe('ghe.example.com');
  });

  it('normalizes a new project and its SPDX id', () => {
    const parsed = contributionRequestInputSchema.parse({
      tier: 'new-project',
      project: { name: 'fast-widgets', outboundLicense: 'apache-2.0', owningTeam: 'Platform', maintenanceCommitment: 'Two engineers, two years' },
      title: 'Open source fast-widgets',
      justification: 'Community adoption',
      estimatedLinesChanged: 20_000,
    });
    expect(parsed.tier === 'new-project' && parsed.project.outboundLicense).toBe('Apache-2.0');
  });

  it('names the field of each problem, in words a form can show', () => {
    expect(issuesOf({ ...bugFix(), title: '   ' })).toEqual([{ path: 'title', message: 'Title must not be empty' }]);
    expect(issuesOf({ ...bugFix(), justification: undefined })).toEqual([{ path: 'justification', message: 'Justification is required' }]);
    expect(issuesOf({ ...bugFix(), title: 'x'.repeat(201) })).toEqual([{ path: 'title', message: 'Title must be at most 200 characters' }]);
    expect(issuesOf({ ...bugFix(), estimatedLinesChanged: -1 })).toEqual([
      { path: 'estimatedLinesChanged', message: 'Estimated lines changed cannot be negative' },
    ]);
    expect(issuesOf({ ...bugFix(), estimatedLinesChanged: 1.5 })).toEqual([
      { path: 'estimatedLinesChanged', message: 'Estimated lines changed must be a whole number' },
    ]);
    expect(issuesOf({ ...bugFix(), upstream: 'https://github.com/octo-org' })[0]?.path).toBe('upstream');
    expect(issuesOf({ ...bugFix(), links: ['javascript:alert(1)'] })).toEqual([
      { path: 'links.0', message: 'A link must start with https:// or http://' },
    ]);
    expect(issuesOf({ ...bugFix(), tier: 'refactor' })).toEqual([
      { path: 'tier', message: 'Tier must be one of: bug-fix, enhancement, new-feature, new-project' },
    ]);
    expect(issuesOf({ ...bugFix(), flags: { securityFix: 'yes' } })).toEqual([
      { path: 'flags.securityFix', message: 'Security fix must be true or false' },
    ]);
  });

  it('rejects unknown fields, at the top and inside nested objects', () => {
    expect(issuesOf({ ...bugFix(), priority: 'high' })).toEqual([{ path: '', message: 'Unrecognized key: "priority"' }]);
    expect(issuesOf({ ...bugFix(), flags: { touchesCoreIP: true } }).map((issue) => issue.path)).toEqual(['flags']);
  });

  it('rejects fields of the other tier shape', () => {
    expect(issuesOf({ ...bugFix(), project: { name: 'x' } }).map((issue) => issue.message)).toContain('Unrecognized key: "project"');
    const issues = issuesOf({ tier: 'new-project', upstream: 'octo-org/widget', title: 't', justification: 'j', estimatedLinesChanged: 1 });
    expect(issues.map((issue) => issue.path)).toEqual(expect.arrayContaining(['project', '']));
  });

  it('checks the new project fields', () => {
    const issues = issuesOf({
      tier: 'new-project',
      project: { name: 'bad name', outboundLicense: 'Apache2', owningTeam: '', maintenanceCommitment: 'yes' },
      title: 't',
      justification: 'j',
      estimatedLinesChanged: 1,
    });
    expect(issues).toEqual([
      { path: 'project.name', message: 'Project name must be a valid repository name: letters, digits, ".", "-" and "_"' },
      { path: 'project.outboundLicense', message: '"Apache2" is not an SPDX license id (for example Apache-2.0, MIT, BSD-3-Clause)' },
      { path: 'project.owningTeam', message: 'Owning team must not be empty' },
    ]);
  });

  it('refuses a pull request on another repository than the upstream', () => {
    expect(issuesOf(bugFix({ links: ['https://github.com/octo-org/other/pull/1'] }))).toEqual([
      {
        path: 'links.0',
        message: 'This pull request is on https://github.com/octo-org/other, not on the target upstream https://github.com/octo-org/widget',
      },
    ]);
    expect(issuesOf(bugFix({ links: ['https://github.com/Octo-Org/Widget/pull/1'] }))).toEqual([]);
  });

  it('round-trips through toRequestInput', () => {
    const inputs: ContributionRequestInput[] = [
      {
        tier: 'enhancement',
        upstream: 'https://ghe.example.com/p/q',
        claName: 'google-cla',
        title: 't',
        justification: 'j',
        links: ['https://ghe.example.com/p/q/pull/9'],
        estimatedLinesChanged: 3,
        flags: { touchesCoreIp: true },
      },
      {
        tier: 'new-project',
        project: { name: 'p', outboundLicense: 'MIT', owningTeam: 'T', maintenanceCommitment: 'M' },
        title: 't',
        justification: 'j',
        estimatedLinesChanged: 0,
      },
    ];
    for (const input of inputs) {
      const once = contributionRequestInputSchema.parse(input);
      expect(contributionRequestInputSchema.parse(toRequestInput(once))).toEqual(once);
    }
  });
});
