import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { spawnCli } from '../support/spawn-cli.js';
import { api, routed, startContributionWorld, tokenOf, type ContributionWorld } from './contribution-harness.js';

const examples = fileURLToPath(new URL('../../../examples/', import.meta.url));
const tiers = ['bug-fix', 'enhancement', 'new-feature', 'new-project'] as const;
const flagNames = ['touchesCoreIp', 'patentRelevant', 'securityFix', 'claRequired', 'dcoRequired'];

const readJson = async (path: string): Promise<Record<string, unknown>> => JSON.parse(await readFile(`${examples}${path}`, 'utf8')) as Record<string, unknown>;

/**
 * The files in examples/ are what the docs point people to: each is
 * submitted to a running server (the YAML file through the CLI, as the docs
 * say), must be accepted as it is, and must show every field of its tier.
 */
describe('examples/: every example request is accepted by the API as written', () => {
  let world: ContributionWorld;

  beforeAll(async () => {
    world = await startContributionWorld();
    world.github.addRepo({ owner: 'expressjs', name: 'express', license: 'MIT' });
    world.github.addPullRequest('expressjs', 'express', { number: 5322, additions: 8, deletions: 4, changedFiles: 2 });
    world.github.addRepo({ owner: 'pinojs', name: 'pino', license: 'MIT' });
    world.github.addPullRequest('pinojs', 'pino', { number: 1831, additions: 150, deletions: 30, changedFiles: 4 });
    world.github.addRepo({ owner: 'colinhacks', name: 'zod', license: 'MIT' });
    world.github.addPullRequest('colinhacks', 'zod', { number: 4100, additions: 600, deletions: 40, changedFiles: 9 });
  });
  afterAll(async () => {
    await world?.close();
  });

  it.each(tiers)('requests/%s.json is complete and the API accepts and routes it', { timeout: 60_000 }, async (tier) => {
    const example = await readJson(`requests/${tier}.json`);
    expect(example.tier).toBe(tier);
    const fields = ['tier', 'title', 'justification', 'links', 'estimatedLinesChanged', 'flags', ...(tier === 'new-project' ? ['project'] : ['upstream'])];
    for (const field of fields) expect(example, field).toHaveProperty(field);
    expect(Object.keys(example.flags as object).sort()).toEqual([...flagNames].sort());
    if (tier === 'new-project') expect(Object.keys(example.project as object).sort()).toEqual(['maintenanceCommitment', 'name', 'outboundLicense', 'owningTeam']);

    const response = await api(world, 'erin', 'POST', '/contributions', example);
    expect(response.status, JSON.stringify(response.body)).toBe(202);
    expect((response.body as unknown as { request: unknown }).request).toEqual(example);
    const result = await routed(world, response.body.id);
    expect(['in-review', 'auto-approved']).toContain(result.status);
  });

  it('the JSON examples between them show every optional field too (claName)', async () => {
    const all = await Promise.all(tiers.map((tier) => readJson(`requests/${tier}.json`)));
    expect(all.some((example) => typeof example.claName === 'string')).toBe(true);
  });

  it('request.yaml is submitted by `clearance submit --file` as the docs say', { timeout: 60_000 }, async () => {
    const file = `${examples}request.yaml`;
    const cli = spawnCli(['submit', '--file', file, '--wait', '--json'], { CLEARANCE_URL: world.srv.baseUrl, CLEARANCE_TOKEN: tokenOf(world, 'erin') });
    expect(await cli.exited).toBe(0);
    const submitted = JSON.parse(cli.stdout()) as { status: string; request: unknown };
    expect(submitted.request).toEqual(parseYaml(await readFile(file, 'utf8')));
    expect(submitted.status).toBe('in-review');
  });
});
