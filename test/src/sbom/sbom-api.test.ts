import { readFile } from 'node:fs/promises';
import { listAuditEvents } from '@clearance/db';
import { loadDefaultPolicy } from '@clearance/policy';
import { recordWaiverExpiries } from '@clearance/services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestServer, type TestServer } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';

const fixture = (path: string): Promise<Buffer> => readFile(new URL(`../../fixtures/${path}`, import.meta.url));

interface SbomBody {
  id: string;
  status: string;
  verdict: string | null;
  counts: { total: number; allow: number; review: number; deny: number } | null;
  evaluation: number;
  policyVersion: string | null;
  findings: {
    items: Array<{ index: number; name: string; purl: string | null; verdict: string; expression: string | null; mappings: unknown[]; decidedBy: { kind: string; waiverId?: string } }>;
    nextCursor: number | null;
  };
}

describe('SBOM upload, evaluation and waivers through the API (real PostgreSQL, Redis, workers)', () => {
  let srv: TestServer;
  let compliance: string;
  let engineer: string;
  let otherEngineer: string;
  let auditor: string;

  const tokenFor = async (user: string, roles: string[]): Promise<string> =>
    (await call<{ token: string }>(srv.baseUrl, 'POST', '/tokens', { token: srv.adminToken, body: { user, roles } })).body.token;

  const evaluated = (id: string, token: string, evaluation = 1) =>
    waitFor(
      async () => {
        const response = await call<SbomBody>(srv.baseUrl, 'GET', `/sboms/${id}`, { token });
        return response.body.status !== 'queued' && response.body.evaluation === evaluation ? response.body : undefined;
      },
      { what: `SBOM ${id} evaluation ${evaluation}` },
    );

  beforeAll(async () => {
    srv = await startTestServer();
    compliance = await tokenFor('carla', ['compliance']);
    engineer = await tokenFor('erin', ['requester']);
    otherEngineer = await tokenFor('omar', ['requester']);
    auditor = await tokenFor('audrey', ['auditor']);
  });
  afterAll(async () => {
    await srv.close();
  });

  let juiceShopId = '';

  it('accepts the juice-shop SBOM with 202 and a worker gives its verdict and findings', async () => {
    const upload = await call<SbomBody>(srv.baseUrl, 'POST', '/sboms', {
      token: compliance,
      rawBody: await fixture('real-sboms/juice-shop/bom.1.4.json'),
      headers: { 'content-type': 'application/vnd.cyclonedx+json', 'x-filename': 'bom.1.4.json' },
    });
    expect(upload.status).toBe(202);
    expect(upload.headers.get('location')).toBe(`/sboms/${upload.body.id}`);
    expect(upload.body.status).toBe('queued');
    juiceShopId = upload.body.id;

    const result = await evaluated(juiceShopId, compliance);
    expect(result.status).toBe('evaluated');
    expect(result.counts?.total).toBeGreaterThan(1000);
    expect((result.counts?.allow ?? 0) + (result.counts?.review ?? 0) + (result.counts?.deny ?? 0)).toBe(result.counts?.total);
    expect(['pass', 'review', 'fail']).toContain(result.verdict);
    expect(result.policyVersion).toMatch(/^[0-9a-f]{64}$/);
    const first = result.findings.items[0];
    expect(first).toMatchObject({ index: 0, name: expect.any(String), verdict: expect.stringMatching(/allow|review|deny/) });
    expect(first?.mappings).toBeInstanceOf(Array);
  });

  it('gives an SBOM with no components review and a document finding, not a pass (CycloneDX spec: valid-empty-components-1.6)', async () => {
    const upload = await call<SbomBody>(srv.baseUrl, 'POST', '/sboms', { token: compliance, rawBody: await fixture('cyclonedx-spec/1.6/valid-empty-components-1.6.json') });
    expect(upload.status).toBe(202);
    const result = (await evaluated(upload.body.id, compliance)) as SbomBody & { documentFindings: unknown[] };
    expect(result).toMatchObject({ status: 'evaluated', verdict: 'review', counts: { total: 0 } });
    expect(result.documentFindings).toEqual([
      {
        kind: 'no-components',
        verdict: 'review',
        decidedBy: { kind: 'rule', rule: { kind: 'outcome', outcome: 'noComponents' } },
        message: 'The document lists no components, so no license was checked.',
      },
    ]);
  });

  it('stores and serves the deciding rule and the combination as data (dropwizard: a Maven choice)', async () => {
    const upload = await call<SbomBody>(srv.baseUrl, 'POST', '/sboms', { token: compliance, rawBody: await fixture('real-sboms/dropwizard/bom.json') });
    const result = await evaluated(upload.body.id, compliance);
    const page = await call<SbomBody>(srv.baseUrl, 'GET', `/sboms/${upload.body.id}?search=amqp-client&limit=5`, { token: compliance });
    expect(result.status).toBe('evaluated');
    expect(page.body.findings.items).toMatchObject([
      {
        name: 'amqp-client',
        verdict: 'allow',
        expression: 'Apache-2.0 OR GPL-2.0-only OR MPL-1.1',
        decidedBy: { kind: 'rule', rule: { kind: 'category', category: 'permissive', license: 'Apache-2.0' } },
        combination: { selection: 'all', join: 'maven-choice', from: 'licenses', splitLists: 0 },
      },
    ]);
  });

  it('filters findings by verdict and pages through them with a cursor', async () => {
    const all = await call<SbomBody>(srv.baseUrl, 'GET', `/sboms/${juiceShopId}?limit=1000`, { token: compliance });
    const byVerdict = (verdict: string) => all.body.findings.items.filter((item) => item.verdict === verdict).length;
    const reviewCount = all.body.counts?.review ?? 0;
    expect(reviewCount).toBeGreaterThan(0);

    const seen: number[] = [];
    let cursor: number | null = -1;
    while (cursor !== null) {
      const page: { body: SbomBody } = await call<SbomBody>(srv.baseUrl, 'GET', `/sboms/${juiceShopId}?verdict=review&limit=7&cursor=${cursor}`, { token: compliance });
      expect(page.body.findings.items.every((item) => item.verdict === 'review')).toBe(true);
      seen.push(...page.body.findings.items.map((item) => item.index));
      cursor = page.body.findings.nextCursor;
    }
    expect(seen).toHaveLength(reviewCount);
    expect(new Set(seen).size).toBe(seen.length);
    expect(byVerdict('review')).toBeLessThanOrEqual(reviewCount);

    const bad = await call(srv.baseUrl, 'GET', `/sboms/${juiceShopId}?verdict=maybe`, { token: compliance });
    expect(bad.status).toBe(422);
  });

  it('refuses files that are not SBOMs with a 4xx that names what was found', async () => {
    const tagValue = await call(srv.baseUrl, 'POST', '/sboms', { token: compliance, rawBody: 'SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\n' });
    expect(tagValue.status).toBe(422);
    expect(JSON.stringify(tagValue.body)).toMatch(/tag-value/i);
    const yaml = await call(srv.baseUrl, 'POST', '/sboms', { token: compliance, rawBody: 'spdxVersion: SPDX-2.3\nSPDXID: SPDXRef-DOCUMENT\n' });
    expect(yaml.status).toBe(415);
    expect(JSON.stringify(yaml.body)).toMatch(/SPDX YAML is not supported; accepted: /u);
    const licenseList = await call(srv.baseUrl, 'POST', '/sboms', { token: compliance, body: { licenses: [{ licenseId: 'MIT' }] } });
    expect(licenseList.status).toBe(422);
    const empty = await call(srv.baseUrl, 'POST', '/sboms', { token: compliance, rawBody: '' });
    expect(empty.status).toBe(400);
  });

  it('lets an engineer read their own SBOM only; another gets 404 and the attempt is audited', async () => {
    const own = await call<SbomBody>(srv.baseUrl, 'POST', '/sboms', { token: engineer, rawBody: await fixture('real-sboms/dropwizard/bom.json') });
    expect(own.status).toBe(202);
    expect((await call(srv.baseUrl, 'GET', `/sboms/${own.body.id}`, { token: engineer })).status).toBe(200);
    expect((await call(srv.baseUrl, 'GET', `/sboms/${own.body.id}`, { token: otherEngineer })).status).toBe(404);
    expect((await call(srv.baseUrl, 'GET', `/sboms/${own.body.id}`, { token: auditor })).status).toBe(200);
    const listed = await call<{ items: Array<{ id: string }> }>(srv.baseUrl, 'GET', '/sboms', { token: otherEngineer });
    expect(listed.body.items).toEqual([]);
    const denials = await listAuditEvents(srv.server.db, { action: 'access.denied', actor: 'omar' }, 10);
    expect(denials).toHaveLength(1);
    expect(denials[0]?.payload).toMatchObject({ reason: 'not_owner' });
    // Auditors read, but never upload.
    expect((await call(srv.baseUrl, 'POST', '/sboms', { token: auditor, rawBody: '{}' })).status).toBe(403);
  });

  it('applies a granted waiver on re-evaluation, and says when an expired one no longer applies', async () => {
    const before = await call<SbomBody>(srv.baseUrl, 'GET', `/sboms/${juiceShopId}?verdict=review&limit=1`, { token: compliance });
    const target = before.body.findings.items[0];
    expect(target?.purl).toBeTruthy();
    const purl = target?.purl ?? '';

    const missingJustification = await call(srv.baseUrl, 'POST', '/waivers', {
      token: compliance,
      body: { scope: { purl, match: 'exact' }, verdict: 'allow', justification: ' ', expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
    });
    expect(missingJustification.status).toBe(422);
    const tooLong = await call(srv.baseUrl, 'POST', '/waivers', {
      token: compliance,
      body: { scope: { purl, match: 'exact' }, verdict: 'allow', justification: 'vetted', expiresAt: new Date(Date.now() + 5 * 365 * 86_400_000).toISOString() },
    });
    expect(tooLong.status).toBe(422);
    expect(JSON.stringify(tooLong.body)).toContain('maxDays');
    expect(
      (
        await call(srv.baseUrl, 'POST', '/waivers', {
          token: engineer,
          body: { scope: { purl, match: 'exact' }, verdict: 'allow', justification: 'mine', expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
        })
      ).status,
    ).toBe(403);

    const granted = await call<{ id: string }>(srv.baseUrl, 'POST', '/waivers', {
      token: compliance,
      body: { scope: { purl, match: 'exact' }, verdict: 'allow', justification: 'reviewed by legal, ticket OSPO-12', expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString() },
    });
    expect(granted.status).toBe(201);

    expect((await call(srv.baseUrl, 'POST', `/sboms/${juiceShopId}/evaluations`, { token: compliance })).status).toBe(202);
    const after = await evaluated(juiceShopId, compliance, 2);
    expect(after.counts?.review).toBe((before.body.counts?.review ?? 0) - 1);
    const waived = await call<SbomBody>(srv.baseUrl, 'GET', `/sboms/${juiceShopId}?limit=1&cursor=${(target?.index ?? 0) - 1}`, { token: compliance });
    expect(waived.body.findings.items[0]).toMatchObject({ verdict: 'allow', decidedBy: { kind: 'waiver', waiverId: granted.body.id } });

    // The waiver's time runs out (moved in the database, as the clock would): the next evaluation says so.
    await srv.server.db.query("UPDATE waivers SET expires_at = now() - interval '1 minute' WHERE id = $1", [granted.body.id]);
    expect((await call(srv.baseUrl, 'POST', `/sboms/${juiceShopId}/evaluations`, { token: compliance })).status).toBe(202);
    await evaluated(juiceShopId, compliance, 3);
    const expired = await call<SbomBody>(srv.baseUrl, 'GET', `/sboms/${juiceShopId}?limit=1&cursor=${(target?.index ?? 0) - 1}`, { token: compliance });
    expect(expired.body.findings.items[0]).toMatchObject({ verdict: 'review', decidedBy: { kind: 'expired-waiver-ignored', waiverId: granted.body.id } });

    // The periodic sweep records the expiry once, whichever process gets there first.
    const loaded = await loadDefaultPolicy();
    const sweep = { db: srv.server.db, policy: loaded };
    await recordWaiverExpiries(sweep);
    expect(await recordWaiverExpiries(sweep)).toBe(0);

    const revoked = await call(srv.baseUrl, 'POST', `/waivers/${granted.body.id}/revoke`, { token: compliance, body: { reason: 'component replaced' } });
    expect(revoked.status).toBe(200);
    expect((await call(srv.baseUrl, 'POST', `/waivers/${granted.body.id}/revoke`, { token: compliance, body: { reason: 'again' } })).status).toBe(409);

    const actions = (await listAuditEvents(srv.server.db, { subjectId: juiceShopId }, 100)).map((event) => event.action);
    expect(actions).toEqual(['sbom.uploaded', 'sbom.evaluated', 'sbom.evaluation-requested', 'sbom.evaluated', 'sbom.evaluation-requested', 'sbom.evaluated']);
    const waiverActions = (await listAuditEvents(srv.server.db, { subjectId: granted.body.id }, 10)).map((event) => event.action);
    expect(waiverActions).toEqual(['waiver.granted', 'waiver.expired', 'waiver.revoked']);
  });
});
