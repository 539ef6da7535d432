import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Conformance, RequirementResult } from '@clearance/dossier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decide, routed, startContributionWorld, submit, upstreamRequest, type ContributionWorld } from '../contributions/contribution-harness.js';
import { spawnCli } from '../support/spawn-cli.js';
import { call } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';

const requirementOf = (map: Conformance, clause: string): RequirementResult => {
  const found = map.clauses.flatMap((c) => c.requirements).find((r) => r.clause === clause);
  if (found === undefined) throw new Error(`no requirement ${clause}`);
  return found;
};

describe('the ISO/IEC 5230 clause map of a dossier exported from a real database', () => {
  let world: ContributionWorld;
  let work: string;
  let bundle: string;
  let map: Conformance;
  let sbomId: string;
  let requestId: string;
  const reason = 'The upstream has no <CLA> on file for us';

  beforeAll(async () => {
    world = await startContributionWorld({ CLEARANCE_CHECKPOINT_DIR: join(tmpdir(), `clearance-cp-conf-${process.pid}-${Date.now()}`) });
    work = await mkdtemp(join(tmpdir(), 'clearance-conformance-'));
    const srv = world.srv;
    const compliance = (await call<{ token: string }>(srv.baseUrl, 'POST', '/tokens', { token: srv.adminToken, body: { user: 'carla', roles: ['compliance'] } })).body.token;

    // SBOM received and checked against the license policy.
    const upload = await call<{ id: string }>(srv.baseUrl, 'POST', '/sboms', {
      token: compliance,
      rawBody: await readFile(new URL('../../fixtures/real-sboms/dropwizard/bom.json', import.meta.url)),
    });
    sbomId = upload.body.id;
    await waitFor(async () => (await call<{ status: string }>(srv.baseUrl, 'GET', `/sboms/${sbomId}`, { token: compliance })).body.status === 'evaluated', { what: 'SBOM evaluated' });

    // A contribution request rejected by its manager, with a reason.
    world.github.addRepo({ owner: 'octo-org', name: 'widget', license: 'MIT' });
    const request = await submit(world, 'erin', upstreamRequest({ tier: 'enhancement', estimatedLinesChanged: 100 }));
    requestId = request.id;
    await routed(world, requestId);
    const rejected = await decide(world, 'mona', requestId, { decision: 'reject', stageIndex: 0, reason });
    expect(rejected.status).toBe(201);

    await call(srv.baseUrl, 'POST', '/audit/checkpoints', { token: srv.adminToken });
    bundle = join(work, 'dossier');
    const exported = spawnCli(['audit', 'export', '--out', bundle], { CLEARANCE_URL: srv.baseUrl, CLEARANCE_TOKEN: world.tokens.audrey });
    expect(await exported.exited).toBe(0);
    map = JSON.parse(await readFile(join(bundle, 'conformance.json'), 'utf8')) as Conformance;
  });
  afterAll(async () => {
    await world.close();
    await rm(work, { recursive: true, force: true });
  });

  it('shows evidence for the clauses the events support and gaps for the rest', () => {
    const status = Object.fromEntries(map.clauses.flatMap((c) => c.requirements).map((r) => [r.clause, r.status]));
    expect(status).toMatchObject({
      '3.1.1': 'evidence',
      '3.1.2': 'evidence',
      '3.1.3': 'gap',
      '3.1.5': 'evidence',
      '3.2.1': 'gap',
      '3.2.2': 'evidence',
      '3.3.1': 'evidence',
      '3.3.2': 'evidence',
      // No release is cleared in this log: the artifact clause is a gap, not a guess.
      '3.4.1': 'gap',
      '3.5.1': 'evidence',
      '3.6.1': 'gap',
    });
    expect(map.clauses.find((c) => c.clause === '3.4')?.status).toBe('gap');
    expect(map.events.count).toBeGreaterThan(10);

    expect(requirementOf(map, '3.1.1').evidence[0]?.detail).toMatch(/^policy version [0-9a-f]{12}… activated \(previous none\); files: contributions\.yaml, licenses\.yaml, obligations\.yaml$/);
    const roles = requirementOf(map, '3.1.2').facts[0]?.value ?? '';
    expect(roles).toContain('compliance: carla');
    expect(roles).toContain('legal: lee');
    expect(roles).toContain('manager: max, mo, mona, rita');
    expect(requirementOf(map, '3.2.2').facts[0]?.value).toBe('compliance: carla; legal: lee; ospo: mo, olga, otto');

    expect(requirementOf(map, '3.3.1').evidence.map((e) => e.subject)).toEqual([`sbom:${sbomId}`]);
    const check = requirementOf(map, '3.3.2');
    expect(check.evidence).toHaveLength(1);
    expect(check.evidence[0]?.detail).toMatch(new RegExp(`^SBOM ${sbomId} evaluation 1: (pass|review|fail) \\(allow \\d+, review \\d+, deny \\d+\\)$`));

    const decisions = requirementOf(map, '3.5.1');
    expect(decisions.evidence.map((e) => [e.subject, e.actor, e.detail])).toEqual([
      [`contribution:${requestId}`, 'mona', `${requestId}: reject by mona as manager at stage 1: “${reason}”`],
    ]);
    expect(decisions.facts).toContainEqual({ label: 'Decisions', value: 'reject 1' });
  });

  it('verifies offline, and fails once conformance.json is edited', async () => {
    const verified = spawnCli(['audit', 'verify-bundle', bundle], {});
    expect(await verified.exited).toBe(0);

    const copy = join(work, 'tampered');
    const copied = spawnCli(['audit', 'export', '--out', copy], { CLEARANCE_URL: world.srv.baseUrl, CLEARANCE_TOKEN: world.tokens.audrey });
    expect(await copied.exited).toBe(0);
    const path = join(copy, 'conformance.json');
    await writeFile(path, (await readFile(path, 'utf8')).replace('"clause": "3.4.1",\n          "title": "Compliance artifacts",\n          "status": "gap"', '"clause": "3.4.1",\n          "title": "Compliance artifacts",\n          "status": "evidence"'));
    const tampered = spawnCli(['audit', 'verify-bundle', copy], {});
    expect(await tampered.exited).toBe(1);
    expect(tampered.stderr()).toContain('file-changed (conformance.json)');
    expect(tampered.stderr()).toContain('conformance-mismatch (conformance.json): conformance.json differs from the map recomputed from events.ndjson (at clause 3.4.1 Compliance artifacts)');
  });

  it('puts the clause map in the HTML and Markdown reports, gaps marked as gaps', async () => {
    const html = spawnCli(['audit', 'report', '--bundle', bundle, '--format', 'html'], {});
    expect(await html.exited).toBe(0);
    expect(html.stdout()).toContain('<h2 id="conformance">ISO/IEC 5230:2020 (OpenChain Specification 2.1) clause map</h2>');
    expect(html.stdout()).toMatch(/<tr id="clause-3\.4\.1"><th scope="row">3\.4\.1<\/th><td>Compliance artifacts<\/td><td><strong class="gap">GAP<\/strong><\/td><td>0<\/td><\/tr>/);
    expect(html.stdout()).toMatch(/<tr id="clause-3\.5\.1"><th scope="row">3\.5\.1<\/th><td>Contributions<\/td><td>evidence<\/td><td>1<\/td><\/tr>/);
    expect(html.stdout()).toContain('The upstream has no &lt;CLA&gt; on file for us');

    const md = spawnCli(['audit', 'report', '--bundle', bundle, '--format', 'md'], {});
    expect(await md.exited).toBe(0);
    expect(md.stdout()).toContain('## ISO/IEC 5230:2020 (OpenChain Specification 2.1) clause map');
    expect(md.stdout()).toContain('| 3.4.1 | Compliance artifacts | GAP | 0 |');
    expect(md.stdout()).toContain('| 3.3.2 | License compliance | evidence | 1 |');
    expect(md.stdout()).toContain('### 3.1.3 Awareness: GAP');
  });
});
