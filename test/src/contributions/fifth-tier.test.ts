import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProgram } from '../../../services/cli/src/program.js';
import { defaultPolicyDir, loadPolicyDir, policyProblemsOf } from '@clearance/policy';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { api, routed, startContributionWorld, submit, upstreamRequest, type ContributionWorld } from './contribution-harness.js';

/*
 * Adding a tier is an entry in core's tier list and one in the policy; every
 * surface is built from those two. This test makes both changes (the list
 * through a module mock, the policy in a temporary folder) and changes
 * nothing else: the request schema, the policy schema, storage (no CHECK
 * lists the tiers), routing, the audit filter, the tier list the web form and
 * audit page render, and the CLI's help all take the new tier.
 */
vi.mock('../../../shared/core/src/contributions/tier-list.js', () => ({
  tierTargets: {
    documentation: 'upstream',
    'bug-fix': 'upstream',
    enhancement: 'upstream',
    'new-feature': 'upstream',
    'new-project': 'project',
  },
}));

const documentationTier = `  documentation:
    label: Documentation
    description: Changes to an upstream's documentation only. A manager signs off.
    stages:
      - { name: Docs sign-off, roles: [manager], approvals: 1, slaWorkingDays: 1 }
    maxLinesChanged: 100
`;

describe('a fifth tier: core list + policy entry, seen through API, CLI and UI data (real PostgreSQL, Redis, workers; fake GitHub)', () => {
  let world: ContributionWorld;
  let policyDir: string;

  beforeAll(async () => {
    policyDir = await mkdtemp(join(tmpdir(), 'clearance-fifth-tier-'));
    await cp(defaultPolicyDir(), policyDir, { recursive: true });
    const file = join(policyDir, 'contributions.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace(/^tiers:\n/m, `tiers:\n${documentationTier}`));
    world = await startContributionWorld({}, await loadPolicyDir(policyDir));
    world.github.addRepo({ owner: 'octo-org', name: 'manual', license: 'MIT' });
  });
  afterAll(async () => {
    await world?.close();
    await rm(policyDir, { recursive: true, force: true });
  });

  it('the policy schema asks for the new tier: a policy without it is refused', async () => {
    const problems = await loadPolicyDir(defaultPolicyDir()).then(
      () => null,
      (error: unknown) => policyProblemsOf(error),
    );
    expect(problems).toEqual([expect.objectContaining({ file: 'contributions.yaml', path: 'tiers.documentation' })]);
  });

  it('the API lists it first, with the policy\'s words (the web form and the audit filter render this list)', async () => {
    const tiers = await api<{ items: Array<{ tier: string; target: string; label: string; description: string | null }> }>(world, 'erin', 'GET', '/policy/tiers');
    expect(tiers.status).toBe(200);
    expect(tiers.body.items.map((entry) => entry.tier)).toEqual(['documentation', 'bug-fix', 'enhancement', 'new-feature', 'new-project']);
    expect(tiers.body.items[0]).toEqual({
      tier: 'documentation',
      target: 'upstream',
      label: 'Documentation',
      description: "Changes to an upstream's documentation only. A manager signs off.",
    });
  });

  it('a request of the new tier is taken, stored, routed by its policy entry and found by the audit filter', async () => {
    const request = await submit(world, 'erin', upstreamRequest({ tier: 'documentation', upstream: 'https://github.com/octo-org/manual', estimatedLinesChanged: 30 }));
    expect(request).toMatchObject({ status: 'submitted', tier: 'documentation' });
    const plan = await routed(world, request.id);
    expect(plan.effectiveTier).toBe('documentation');
    expect(plan.stages.map((stage) => [stage.roles, stage.rule])).toEqual([
      [['manager'], 'tier-stages'],
      [['ospo'], 'trust-ladder'],
    ]);
    const events = await api<{ items: Array<{ subjectId: string; action: string }> }>(world, 'audrey', 'GET', '/audit/events?tier=documentation');
    expect(events.status).toBe(200);
    expect(events.body.items.filter((event) => event.action === 'contribution.submitted').map((event) => event.subjectId)).toEqual([request.id]);
  });

  it('above its size limit it escalates to the next tier in the list', async () => {
    const request = await submit(world, 'erin', upstreamRequest({ tier: 'documentation', upstream: 'https://github.com/octo-org/manual', estimatedLinesChanged: 150 }));
    expect((await routed(world, request.id)).effectiveTier).toBe('bug-fix');
  });

  it('the CLI\'s help names it', () => {
    const submitCommand = createProgram().commands.find((command) => command.name() === 'submit');
    expect(submitCommand?.helpInformation()).toMatch(/--tier <tier>\s+one of documentation, bug-fix, enhancement,\s+new-feature, new-project/);
  });
});
