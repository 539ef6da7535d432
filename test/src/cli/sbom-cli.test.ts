import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCli } from '../support/spawn-cli.js';
import { call, startTestServer, type TestServer } from '../support/test-server.js';

const juiceShop = fileURLToPath(new URL('../../fixtures/real-sboms/juice-shop/bom.1.4.json', import.meta.url));

interface Run {
  code: number | string;
  stdout: string;
  stderr: string;
}

/**
 * `clearance sbom …` and `clearance waiver …` as a compliance engineer runs
 * them: the built CLI in its own process against a running server (real
 * PostgreSQL, Redis and workers), on the real juice-shop SBOM (1,115
 * components, one GPL-2.0 package denied).
 */
describe('clearance sbom / waiver (spawned CLI against a running server)', () => {
  let srv: TestServer;
  let dir: string;
  const tokens: Record<string, string> = {};

  const clearance = async (user: string | null, ...args: string[]): Promise<Run> => {
    const cli = spawnCli(args, { CLEARANCE_URL: srv.baseUrl, CLEARANCE_TOKEN: user === null ? undefined : tokens[user] });
    const code = await cli.exited;
    return { code, stdout: cli.stdout(), stderr: cli.stderr() };
  };

  beforeAll(async () => {
    srv = await startTestServer();
    for (const [user, roles] of Object.entries({ carla: ['compliance'], erin: ['requester'], audrey: ['auditor'] })) {
      tokens[user] = (await call<{ token: string }>(srv.baseUrl, 'POST', '/tokens', { token: srv.adminToken, body: { user, roles } })).body.token;
    }
    dir = await mkdtemp(join(tmpdir(), 'clearance-cli-sbom-'));
  });
  afterAll(async () => {
    await srv?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  let sbomId = '';

  it('uploads with --wait, prints the findings like check (deny first) and exits 1 on a denied component', { timeout: 60_000 }, async () => {
    const run = await clearance('carla', 'sbom', 'upload', juiceShop, '--wait');
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    sbomId = /^Uploaded (sbom_[0-9a-f]{20}) \(1115 components\): waiting for the evaluation…$/m.exec(run.stdout)?.[1] ?? '';
    expect(sbomId).not.toBe('');
    const lines = run.stdout.split('\n');
    const header = lines.findIndex((line) => line.startsWith('VERDICT'));
    expect(lines[header + 1]).toMatch(/^deny\s+fuzzball@1\.4\.0\s+GPL-2\.0\s/);
    expect(lines[header + 2]).toMatch(/^review\s/);
    // The source goes to its own line when the summary would pass 120 columns.
    expect(run.stdout).toMatch(/^FAIL: 1115 components — 1105 allow, 9 review, 1 deny\s+\(bom\.1\.4\.json, CycloneDX 1\.4 JSON, policy [0-9a-f]{12}, fail on deny\)$/m);
    for (const line of run.stdout.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(120);
  });

  it('shows the status, and the findings in every check format, filtered by verdict', { timeout: 120_000 }, async () => {
    const status = await clearance('carla', 'sbom', 'status', sbomId);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`${sbomId}  evaluated  FAIL`);
    expect(status.stdout).toContain('bom.1.4.json: CycloneDX 1.4 JSON, 1115 components');
    expect(status.stdout).toContain('1105 allow, 9 review, 1 deny');
    expect(JSON.parse((await clearance('audrey', 'sbom', 'status', sbomId, '--json')).stdout)).toMatchObject({ id: sbomId, status: 'evaluated', verdict: 'fail' });

    const denied = await clearance('carla', 'sbom', 'findings', sbomId, '--verdict', 'deny', '--format', 'json');
    expect(denied.code).toBe(0);
    const json = JSON.parse(denied.stdout) as { verdict: string; counts: { total: number }; findings: Array<{ name: string; verdict: string }> };
    expect(json).toMatchObject({ verdict: 'fail', counts: { total: 1115 } });
    expect(json.findings.map((finding) => [finding.name, finding.verdict])).toEqual([['fuzzball', 'deny']]);

    // All 1,115 findings arrive across pages of 1,000; the npm scopes are in the names.
    const all = JSON.parse((await clearance('carla', 'sbom', 'findings', sbomId, '--format', 'json')).stdout) as { findings: Array<{ name: string }> };
    expect(all.findings).toHaveLength(1115);
    expect(all.findings.map((finding) => finding.name)).toContain('@babel/helper-string-parser');

    const markdown = await clearance('carla', 'sbom', 'findings', sbomId, '--format', 'markdown');
    expect(markdown.stdout).toMatch(/^## ❌ Clearance license check: fail/);
    expect(markdown.stdout.indexOf('### Denied (1)')).toBeLessThan(markdown.stdout.indexOf('### Needs review (9)'));

    const sarif = JSON.parse((await clearance('carla', 'sbom', 'findings', sbomId, '--format', 'sarif')).stdout) as { runs: Array<{ results: unknown[] }> };
    expect(sarif.runs[0]?.results.length).toBeGreaterThanOrEqual(10);

    const allowed = await clearance('carla', 'sbom', 'findings', sbomId, '--verdict', 'allow');
    expect(allowed.stdout).toMatch(/^allow\s+@babel\/helper-string-parser@7\.19\.4/m);
  });

  it('grants a waiver, re-evaluates without the deny, lists and revokes the waiver', { timeout: 120_000 }, async () => {
    // The default policy allows waivers of up to a year.
    const expires = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const granted = await clearance(
      'carla', 'waiver', 'grant', '--purl', 'pkg:npm/fuzzball', '--match', 'any-version', '--license', 'GPL-2.0-only',
      '--justification', 'Used only by the test harness, never shipped', '--expires', expires,
    );
    expect(granted.stderr).toBe('');
    expect(granted.code).toBe(0);
    const waiverId = /^Granted (wvr_[0-9a-f]{16})$/m.exec(granted.stdout)?.[1] ?? '';
    expect(waiverId).not.toBe('');
    expect(granted.stdout).toContain('active  allow for pkg:npm/fuzzball (any-version) when GPL-2.0-only');
    expect(granted.stdout).toContain(`expires ${expires} 00:00`);

    const evaluated = await clearance('carla', 'sbom', 'evaluate', sbomId, '--wait');
    expect(evaluated.code).toBe(0);
    expect(evaluated.stdout).toMatch(/^Queued evaluation 2 of sbom_/);
    expect(evaluated.stdout).toContain(`${sbomId}  evaluated  REVIEW`);
    const waived = JSON.parse((await clearance('carla', 'sbom', 'findings', sbomId, '--format', 'json')).stdout) as { findings: Array<{ name: string; decidedBy: unknown }> };
    expect(waived.findings.find((finding) => finding.name === 'fuzzball')?.decidedBy).toEqual({ kind: 'waiver', waiverId });

    expect((await clearance('audrey', 'waiver', 'list', '--state', 'active')).stdout).toContain(`${waiverId}  active`);
    const revoked = await clearance('carla', 'waiver', 'revoke', waiverId, '--reason', 'The harness now ships');
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain('revoked by carla');
    expect((await clearance('carla', 'waiver', 'list', '--state', 'active')).stdout).toBe('No waivers.\n');
    const revokedList = await clearance('carla', 'waiver', 'list', '--state', 'revoked', '--json');
    expect(revokedList).toMatchObject({ code: 0, stderr: '' });
    expect((JSON.parse(revokedList.stdout) as { items: Array<{ id: string }> }).items.map((item) => item.id)).toEqual([waiverId]);
  });

  it('refuses bad input with exit 2 and a message naming what is wrong; API refusals show their code', { timeout: 180_000 }, async () => {
    const notSbom = join(dir, 'notes.json');
    await writeFile(notSbom, '{"hello": "world"}');
    const upload = await clearance('carla', 'sbom', 'upload', notSbom);
    expect(upload.code).toBe(2);
    expect(upload.stderr).toMatch(/^clearance: .*\(HTTP 4\d\d [a-z_]+\)\n$/);

    const missingFile = await clearance('carla', 'sbom', 'upload', join(dir, 'nope.json'));
    expect(missingFile.code).toBe(2);
    expect(missingFile.stderr).toContain('no such file');

    const badId = await clearance('carla', 'sbom', 'status', 'sbom_1');
    expect(badId.code).toBe(2);
    expect(badId.stderr).toBe('clearance: "sbom_1" is not an SBOM id (sbom_ and 20 hex digits, as upload printed it)\n');

    const missing = await clearance('carla', 'sbom', 'findings', 'sbom_00000000000000000000');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('clearance: no SBOM sbom_00000000000000000000 (HTTP 404 not_found)\n');

    const badVerdict = await clearance('carla', 'sbom', 'findings', sbomId, '--verdict', 'maybe');
    expect(badVerdict.code).toBe(2);
    expect(badVerdict.stderr).toContain("argument 'maybe' is invalid. Allowed choices are allow, review, deny");

    const badDate = await clearance('carla', 'waiver', 'grant', '--purl', 'pkg:npm/x', '--justification', 'j', '--expires', 'next year');
    expect(badDate.code).toBe(2);
    expect(badDate.stderr).toContain("option '--expires <date>' argument 'next year' is invalid. a number of days (90d)");

    const badPurl = await clearance('carla', 'waiver', 'grant', '--purl', 'npm/x', '--justification', 'j', '--expires', '30d');
    expect(badPurl.code).toBe(2);
    expect(badPurl.stderr).toContain('a package URL');

    const noReason = await clearance('carla', 'waiver', 'revoke', 'wvr_0000000000000000');
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain("required option '--reason <text>' not specified");

    // An engineer may upload but not grant waivers: the server's 403 with its code, exit 1.
    const forbidden = await clearance('erin', 'waiver', 'grant', '--purl', 'pkg:npm/x', '--justification', 'j', '--expires', '30d');
    expect(forbidden.code).toBe(1);
    expect(forbidden.stderr).toMatch(/^clearance: .*\(HTTP 403 forbidden\)\n$/);
  });
});
