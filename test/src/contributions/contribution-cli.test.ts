import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCli } from '../support/spawn-cli.js';
import { api, startContributionWorld, tokenOf, type ContributionWorld } from './contribution-harness.js';

interface Run {
  code: number | string;
  stdout: string;
  stderr: string;
}

/**
 * The engineer's and the reviewer's commands, run as users run them: the
 * built CLI (`npx tsc -b services/cli`) in its own process, talking to a
 * running server over HTTP.
 */
describe('clearance submit / status / queue / approve / reject (spawned CLI against a running server)', () => {
  let world: ContributionWorld;
  let dir: string;

  const clearance = async (user: string | null, ...args: string[]): Promise<Run> => {
    const cli = spawnCli(args, { CLEARANCE_URL: world.srv.baseUrl, CLEARANCE_TOKEN: user === null ? undefined : tokenOf(world, user) });
    const code = await cli.exited;
    return { code, stdout: cli.stdout(), stderr: cli.stderr() };
  };

  beforeAll(async () => {
    world = await startContributionWorld();
    world.github.addRepo({ owner: 'octo-org', name: 'widget', license: 'Apache-2.0' });
    world.github.addPullRequest('octo-org', 'widget', { number: 12, additions: 60, deletions: 20, changedFiles: 3 });
    dir = await mkdtemp(join(tmpdir(), 'clearance-cli-contrib-'));
  });
  afterAll(async () => {
    await world.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('submits from a YAML file, shows the status, lets the manager and the OSPO approve from their queues', { timeout: 120_000 }, async () => {
    const file = join(dir, 'request.yaml');
    await writeFile(
      file,
      [
        'tier: enhancement',
        'upstream: https://github.com/octo-org/widget',
        'title: Add a streaming reader',
        'justification: |',
        '  Our ingestion service needs it; upstream maintainers asked for it in #40.',
        'links:',
        '  - https://github.com/octo-org/widget/pull/12',
        'estimatedLinesChanged: 80',
        '',
      ].join('\n'),
    );
    const submitted = await clearance('erin', 'submit', '--file', file, '--wait');
    expect(submitted.stderr).toBe('');
    expect(submitted.code).toBe(0);
    const id = /Submitted (ctr_[0-9a-f]{20})/.exec(submitted.stdout)?.[1] ?? '';
    expect(id).not.toBe('');
    expect(submitted.stdout).toContain('in-review');

    const status = await clearance('erin', 'status', id);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('Add a streaming reader');
    expect(status.stdout).toMatch(/1\. manager\s+pending due/);
    expect(status.stdout).toMatch(/2\. ospo\s+waiting/);
    expect(status.stdout).toContain('trust-ladder');
    expect((await clearance('erin', 'status')).stdout).toContain(id);

    const queue = await clearance('mona', 'queue');
    expect(queue.code).toBe(0);
    expect(queue.stdout).toContain(id);
    expect(queue.stdout).toContain('Apache-2.0 (permissive)');
    expect(queue.stdout).toContain('PR +60/-20');

    const approved = await clearance('mona', 'approve', id);
    expect(approved.stdout).toBe(`Approved stage 1 of ${id} (stage-approved); the request is now in-review\n`);
    const final = await clearance('olga', 'approve', id, '--json');
    expect(JSON.parse(final.stdout)).toMatchObject({ outcome: 'approved', request: { status: 'approved' } });
    expect((await api(world, 'erin', 'GET', `/contributions/${id}`)).body.status).toBe('approved');
  });

  it('submits from flags; a rejection needs --reason; refusals are one clear line and a non-zero exit', { timeout: 120_000 }, async () => {
    const submitted = await clearance(
      'rita', 'submit', '--tier', 'bug-fix', '--upstream', 'octo-org/widget', '--title', 'Fix a crash',
      '--justification', 'Crashes on empty input', '--lines', '5', '--security-fix', '--wait', '--json',
    );
    expect(submitted.code).toBe(0);
    const request = JSON.parse(submitted.stdout) as { id: string; status: string; stages: Array<{ roles: string[] }> };
    expect(request.status).toBe('in-review');
    expect(request.stages.map((stage) => stage.roles)).toContainEqual(['security']);

    const own = await clearance('rita', 'approve', request.id);
    expect(own.code).toBe(1);
    expect(own.stderr).toBe('clearance: Nobody decides their own request (HTTP 403 forbidden)\n');

    const noReason = await clearance('mona', 'reject', request.id);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain("required option '--reason <text>' not specified");

    const rejected = await clearance('mona', 'reject', request.id, '--reason', 'Report it privately to the maintainers first');
    expect(rejected.code).toBe(0);
    const again = await clearance('max', 'approve', request.id, '--stage', '1');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^clearance: .*final \(HTTP 409 conflict\)\n$/);

    const invalid = await clearance('erin', 'submit', '--tier', 'bug-fix', '--upstream', 'octo-org/widget', '--title', 'x', '--lines', '1');
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/^clearance: .*Justification is required \(HTTP 422 validation_failed\)\n$/);

    const missing = await clearance('erin', 'status', 'ctr_00000000000000000000');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('clearance: no contribution request ctr_00000000000000000000 (HTTP 404 not_found)\n');

    const anonymous = await clearance(null, 'queue');
    expect(anonymous.code).toBe(1);
    expect(anonymous.stderr).toContain('CLEARANCE_TOKEN is not set');
  });

  it('withdraws and resubmits with a change', { timeout: 120_000 }, async () => {
    const submitted = await clearance('erin', 'submit', '--tier', 'enhancement', '--upstream', 'https://github.com/octo-org/widget', '--title', 'Add caching', '--justification', 'Speed', '--lines', '50', '--json');
    const { id } = JSON.parse(submitted.stdout) as { id: string };
    const withdrawn = await clearance('erin', 'withdraw', id);
    expect(withdrawn.stdout).toBe(`Withdrew ${id}: withdrawn\n`);
    const resubmitted = await clearance('erin', 'resubmit', id, '--lines', '30', '--json');
    expect(resubmitted.code).toBe(0);
    expect(JSON.parse(resubmitted.stdout)).toMatchObject({ revision: 2, previousRevisionId: id, title: 'Add caching', request: { estimatedLinesChanged: 30 } });
  });

  it('resubmits to a new upstream: drops the links of the old one and says so; --clear-links drops them all', { timeout: 120_000 }, async () => {
    world.github.addRepo({ owner: 'octo-org', name: 'gizmo', license: 'MIT' });
    const submitted = await clearance(
      'erin', 'submit', '--tier', 'enhancement', '--upstream', 'octo-org/widget', '--title', 'Stream the parser', '--justification', 'Crashes',
      '--lines', '5', '--link', 'https://github.com/octo-org/widget/pull/12', '--link', 'https://patches.example.com/fix.diff', '--json',
    );
    const { id } = JSON.parse(submitted.stdout) as { id: string };
    await clearance('erin', 'withdraw', id);

    const moved = await clearance('erin', 'resubmit', id, '--upstream', 'https://github.com/octo-org/gizmo');
    expect(moved.stderr).toBe('');
    expect(moved.code).toBe(0);
    expect(moved.stdout).toContain(
      'Dropped link https://github.com/octo-org/widget/pull/12: it is on https://github.com/octo-org/widget, not on the new upstream https://github.com/octo-org/gizmo\n',
    );
    const second = /Submitted (ctr_[0-9a-f]{20}) \(enhancement, revision 2\)/.exec(moved.stdout)?.[1] ?? '';
    expect(second).not.toBe('');
    // The patch link is on no repository, so it stays.
    expect((await api(world, 'erin', 'GET', `/contributions/${second}`)).body).toMatchObject({
      request: { upstream: 'https://github.com/octo-org/gizmo', links: ['https://patches.example.com/fix.diff'] },
    });

    await clearance('erin', 'withdraw', second);
    const cleared = await clearance('erin', 'resubmit', second, '--clear-links', '--json');
    expect(cleared.code).toBe(0);
    expect(cleared.stderr).toBe('Left out the link of the previous revision (--clear-links)\n');
    expect(JSON.parse(cleared.stdout)).toMatchObject({ revision: 3, request: { links: [] } });
  });
});
