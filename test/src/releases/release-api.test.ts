import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEvent, Release, ReleaseSummary, SbomObligations } from '@clearance/contract';
import { findSbom } from '@clearance/db';
import type { Conformance } from '@clearance/dossier';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCli } from '../support/spawn-cli.js';
import { call, startTestServer, type TestServer } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';

const fixture = (path: string): Promise<Buffer> => readFile(new URL(`../../fixtures/${path}`, import.meta.url));

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

describe('releases and their obligations checklist (real PostgreSQL, Redis, workers)', () => {
  let srv: TestServer;
  let compliance: string;
  let ospo: string;
  let engineer: string;
  let auditor: string;
  let passing: string;
  let failing: string;
  let work: string;

  const tokenFor = async (user: string, roles: string[]): Promise<string> =>
    (await call<{ token: string }>(srv.baseUrl, 'POST', '/tokens', { token: srv.adminToken, body: { user, roles } })).body.token;
  const upload = async (path: string): Promise<string> => {
    const response = await call<{ id: string }>(srv.baseUrl, 'POST', '/sboms', { token: compliance, rawBody: await fixture(path) });
    expect(response.status).toBe(202);
    const id = response.body.id;
    await waitFor(async () => ((await findSbom(srv.server.db, id))?.status === 'evaluated' ? true : undefined), { what: `SBOM ${id} evaluated` });
    return id;
  };
  const timeline = async (id: string): Promise<AuditEvent[]> =>
    (await call<{ items: AuditEvent[] }>(srv.baseUrl, 'GET', `/audit/subjects/release/${id}`, { token: auditor })).body.items;

  beforeAll(async () => {
    srv = await startTestServer({ CLEARANCE_CHECKPOINT_DIR: join(tmpdir(), `clearance-cp-rel-${process.pid}-${Date.now()}`) });
    work = await mkdtemp(join(tmpdir(), 'clearance-release-'));
    compliance = await tokenFor('carla', ['compliance']);
    ospo = await tokenFor('otto', ['ospo']);
    engineer = await tokenFor('erin', ['requester']);
    auditor = await tokenFor('audrey', ['auditor']);
    passing = await upload('real-sboms/dropwizard/bom.json');
    failing = await upload('real-sboms/juice-shop/bom.1.4.json');
  });
  afterAll(async () => {
    await srv.close();
    await rm(work, { recursive: true, force: true });
  });

  it('lists an SBOM’s obligations grouped by obligation, each license cited and with the components that bring it', async () => {
    const response = await call<SbomObligations>(srv.baseUrl, 'GET', `/sboms/${passing}/obligations`, { token: compliance });
    expect(response.status).toBe(200);
    const attribution = response.body.groups.find((group) => group.obligation === 'attribution');
    const apache = attribution?.items.find((item) => item.license === 'Apache-2.0');
    expect(apache).toMatchObject({ key: 'attribution:Apache-2.0', source: 'Apache-2.0 §4(c), §4(d)', basis: { kind: 'license' } });
    expect(apache?.components.map((c) => c.name)).toContain('jackson-databind');
    expect(response.body.groups.find((group) => group.obligation === 'state-changes')?.items.map((item) => item.license)).toContain('Apache-2.0');
    // The catalogue's order, not the order licenses were met in.
    const order = response.body.groups.map((group) => group.obligation);
    expect(order.indexOf('attribution')).toBeLessThan(order.indexOf('include-license-text'));
  });

  it('refuses bad input with a stable code naming the field', async () => {
    const create = (body: unknown, token = compliance) => call<ErrorBody>(srv.baseUrl, 'POST', '/releases', { token, body });
    const unknownSbom = await create({ name: 'widget', version: '1.0.0', sbomId: `sbom_${'0'.repeat(20)}` });
    expect(unknownSbom.status).toBe(404);
    expect(unknownSbom.body.error).toMatchObject({ code: 'not_found', details: { field: 'sbomId' } });
    const badId = await create({ name: 'widget', version: '1.0.0', sbomId: 'nope' });
    expect(badId.status).toBe(422);
    expect(badId.body.error.details).toEqual([expect.objectContaining({ path: 'sbomId' })]);
    const noName = await create({ version: '1.0.0', sbomId: passing });
    expect(noName.status).toBe(422);
    expect(noName.body.error.details).toEqual([expect.objectContaining({ path: 'name' })]);
    const extra = await create({ name: 'widget', version: '1.0.0', sbomId: passing, status: 'cleared' });
    expect(extra.status).toBe(422);
    expect((await create({ name: 'widget', version: '1.0.0', sbomId: passing }, engineer)).status).toBe(403);
    expect((await create({ name: 'widget', version: '1.0.0', sbomId: passing }, ospo)).status).toBe(403);
    const denied = await create({ name: 'juice', version: '1.0.0', sbomId: failing });
    expect(denied.status).toBe(409);
    expect(denied.body.error).toMatchObject({ code: 'conflict', details: { field: 'sbomId', verdict: 'fail' } });
    expect((await call<{ items: ReleaseSummary[] }>(srv.baseUrl, 'GET', '/releases', { token: auditor })).body.items).toEqual([]);
  });

  it('takes a release through its checklist to cleared, every change an audit event, the NOTICE hash on release.cleared', async () => {
    const created = await call<Release>(srv.baseUrl, 'POST', '/releases', { token: compliance, body: { name: 'widget', version: '2.4.0', sbomId: passing } });
    expect(created.status).toBe(201);
    const release = created.body;
    expect(created.headers.get('location')).toBe(`/releases/${release.id}`);
    const sbomObligations = (await call<SbomObligations>(srv.baseUrl, 'GET', `/sboms/${passing}/obligations`, { token: compliance })).body;
    expect(release.obligations.map((item) => item.key)).toEqual(sbomObligations.groups.flatMap((group) => group.items.map((item) => item.key)));
    expect(release.status).toBe('open');
    expect(release.obligations.every((item) => item.state === 'open')).toBe(true);
    const notice = await (await fetch(`${srv.baseUrl}/sboms/${passing}/notice?format=text`, { headers: { authorization: `Bearer ${compliance}` } })).text();
    const noticeSha256 = createHash('sha256').update(notice, 'utf8').digest('hex');
    expect(release.noticeSha256).toBe(noticeSha256);

    const again = await call<ErrorBody>(srv.baseUrl, 'POST', '/releases', { token: compliance, body: { name: 'widget', version: '2.4.0', sbomId: passing } });
    expect(again.status).toBe(409);
    expect(again.body.error.details).toEqual({ field: 'version' });

    const mark = (key: string, action: 'fulfil' | 'waive', body: unknown, token = compliance) =>
      call<Release & ErrorBody>(srv.baseUrl, 'POST', `/releases/${release.id}/obligations/${encodeURIComponent(key)}/${action}`, { token, body });
    const noEvidence = await mark('attribution:Apache-2.0', 'fulfil', {});
    expect(noEvidence.status).toBe(422);
    expect(noEvidence.body.error.details).toEqual([expect.objectContaining({ path: 'evidence' })]);
    const badUrl = await mark('attribution:Apache-2.0', 'fulfil', { evidence: { kind: 'url', url: 'javascript:alert(1)' } });
    expect(badUrl.status).toBe(422);
    expect((await mark('attribution:GPL-9.0', 'fulfil', { evidence: { kind: 'notice' } })).body.error).toMatchObject({ code: 'not_found', details: { field: 'key' } });
    expect((await mark('attribution:Apache-2.0', 'fulfil', { evidence: { kind: 'notice' } }, ospo)).status).toBe(403);
    expect((await mark('attribution:Apache-2.0', 'waive', { reason: ' ' })).status).toBe(422);

    const [first, ...rest] = release.obligations;
    if (first === undefined) throw new Error('the release has no obligations');
    const fulfilled = await mark(first.key, 'fulfil', { evidence: { kind: 'notice' } });
    expect(fulfilled.status).toBe(200);
    expect(fulfilled.body.obligations[0]).toMatchObject({ key: first.key, state: 'fulfilled', evidence: { kind: 'notice', sha256: noticeSha256 }, updatedBy: 'carla' });
    const fileHash = 'a'.repeat(64);
    for (const [index, item] of rest.entries()) {
      const last = index === rest.length - 1;
      const answer =
        index % 2 === 0
          ? await mark(item.key, 'fulfil', { evidence: index === 0 ? { kind: 'url', url: 'https://example.com/widget/2.4.0/source' } : { kind: 'file', sha256: fileHash, name: 'LICENSES.txt' } })
          : await mark(item.key, 'waive', { reason: `not shipped in binary form (${item.license})` });
      expect(answer.status).toBe(200);
      expect(answer.body.status).toBe(last ? 'cleared' : 'open');
    }
    const read = await call<Release>(srv.baseUrl, 'GET', `/releases/${release.id}`, { token: auditor });
    expect(read.body.status).toBe('cleared');
    expect(read.body.clearedAt).not.toBeNull();
    // Nothing accepted is lost: the first mark is still there after all the others.
    expect(read.body.obligations[0]).toMatchObject({ state: 'fulfilled', evidence: { kind: 'notice', sha256: noticeSha256 } });
    const late = await mark(first.key, 'waive', { reason: 'changed my mind' });
    expect(late.status).toBe(409);

    const events = await timeline(release.id);
    expect(events.map((event) => event.action)).toEqual(['release.created', ...release.obligations.map(() => 'release.obligation_updated'), 'release.cleared']);
    expect(events.at(-1)?.payload).toMatchObject({ type: 'release.cleared', releaseId: release.id, name: 'widget', version: '2.4.0', noticeSha256 });
    expect(events[0]?.payload).toMatchObject({ type: 'release.created', obligations: release.obligations.map((item) => item.key), createdBy: 'carla' });

    const list = await call<{ items: ReleaseSummary[] }>(srv.baseUrl, 'GET', '/releases?status=cleared', { token: auditor });
    expect(list.body.items).toEqual([expect.objectContaining({ id: release.id, status: 'cleared', open: 0, total: release.obligations.length })]);
    expect((await call(srv.baseUrl, 'GET', '/releases', { token: engineer })).status).toBe(403);
  });

  it('shows the cleared release as ISO/IEC 5230 clause 3.4.1 evidence in an exported dossier', async () => {
    await call(srv.baseUrl, 'POST', '/audit/checkpoints', { token: srv.adminToken });
    const bundle = join(work, 'dossier');
    const exported = spawnCli(['audit', 'export', '--out', bundle], { CLEARANCE_URL: srv.baseUrl, CLEARANCE_TOKEN: auditor });
    expect(await exported.exited).toBe(0);
    const map = JSON.parse(await readFile(join(bundle, 'conformance.json'), 'utf8')) as Conformance;
    const artifacts = map.clauses.flatMap((clause) => clause.requirements).find((requirement) => requirement.clause === '3.4.1');
    expect(artifacts?.status).toBe('evidence');
    expect(artifacts?.evidence.map((e) => e.detail)).toEqual([expect.stringMatching(/^release widget 2\.4\.0 cleared; NOTICE SHA-256 [0-9a-f]{64}$/)]);
    expect(artifacts?.facts).toContainEqual({ label: 'Releases cleared with a NOTICE hash', value: '1' });
    const verified = spawnCli(['audit', 'verify-bundle', bundle], {});
    expect(await verified.exited).toBe(0);
  });
});
