import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEventRecord } from '@clearance/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnCli } from '../support/spawn-cli.js';
import { call, startTestServer, type TestServer } from '../support/test-server.js';
import { waitFor } from '../support/wait-for.js';

interface EventPage {
  items: AuditEventRecord[];
  nextCursor: number | null;
}

describe('the audit log for due diligence: search, timeline, checkpoints, verify, export, report', () => {
  let srv: TestServer;
  let auditor: string;
  let requester: string;
  let compliance: string;
  let sbomId: string;
  let work: string;

  const tokenFor = async (user: string, roles: string[]): Promise<string> =>
    (await call<{ token: string }>(srv.baseUrl, 'POST', '/tokens', { token: srv.adminToken, body: { user, roles } })).body.token;

  beforeAll(async () => {
    srv = await startTestServer({ CLEARANCE_CHECKPOINT_DIR: join(tmpdir(), `clearance-cp-${process.pid}-${Date.now()}`) });
    work = await mkdtemp(join(tmpdir(), 'clearance-audit-'));
    auditor = await tokenFor('audrey', ['auditor']);
    requester = await tokenFor('erin', ['requester']);
    compliance = await tokenFor('carla', ['compliance']);
    const upload = await call<{ id: string }>(srv.baseUrl, 'POST', '/sboms', {
      token: compliance,
      rawBody: await readFile(new URL('../../fixtures/real-sboms/dropwizard/bom.json', import.meta.url)),
    });
    sbomId = upload.body.id;
    await waitFor(async () => (await call<{ status: string }>(srv.baseUrl, 'GET', `/sboms/${sbomId}`, { token: compliance })).body.status === 'evaluated', {
      what: 'dropwizard evaluated',
    });
  });
  afterAll(async () => {
    await srv.close();
    await rm(work, { recursive: true, force: true });
  });

  it('lets only auditors (and admins) search, and pages by sequence number', async () => {
    expect((await call(srv.baseUrl, 'GET', '/audit/events', { token: requester })).status).toBe(403);
    expect((await call(srv.baseUrl, 'GET', '/audit/events', { token: compliance })).status).toBe(403);
    const all = await call<EventPage>(srv.baseUrl, 'GET', '/audit/events?limit=500', { token: auditor });
    expect(all.status).toBe(200);
    const seqs: number[] = [];
    let cursor: number | null = 0;
    while (cursor !== null) {
      const page: { body: EventPage } = await call<EventPage>(srv.baseUrl, 'GET', `/audit/events?limit=3&cursor=${cursor}`, { token: auditor });
      seqs.push(...page.body.items.map((event) => event.seq));
      cursor = page.body.nextCursor;
    }
    expect(seqs).toEqual(all.body.items.map((event) => event.seq));

    const evaluated = await call<EventPage>(srv.baseUrl, 'GET', '/audit/events?action=sbom.evaluated', { token: auditor });
    expect(evaluated.body.items.map((event) => event.subjectId)).toEqual([sbomId]);
    const verdict = (evaluated.body.items[0]?.payload as { verdict: string }).verdict;
    const byOutcome = await call<EventPage>(srv.baseUrl, 'GET', `/audit/events?outcome=${verdict}`, { token: auditor });
    expect(byOutcome.body.items.map((event) => event.action)).toContain('sbom.evaluated');
    const byActor = await call<EventPage>(srv.baseUrl, 'GET', '/audit/events?actor=carla', { token: auditor });
    expect(byActor.body.items.every((event) => event.actor === 'carla')).toBe(true);
    const future = await call<EventPage>(srv.baseUrl, 'GET', '/audit/events?from=2999-01-01T00:00:00Z', { token: auditor });
    expect(future.body.items).toEqual([]);
    expect((await call(srv.baseUrl, 'GET', '/audit/events?from=yesterday', { token: auditor })).status).toBe(422);
  });

  it('shows a subject its own timeline', async () => {
    const timeline = await call<EventPage>(srv.baseUrl, 'GET', `/audit/subjects/sbom/${sbomId}`, { token: auditor });
    expect(timeline.body.items.map((event) => event.action)).toEqual(['sbom.uploaded', 'sbom.evaluated']);
  });

  it('signs checkpoints on demand (admin only) and verifies the chain', async () => {
    expect((await call(srv.baseUrl, 'POST', '/audit/checkpoints', { token: auditor })).status).toBe(403);
    const signed = await call<{ checkpoint: { seq: number } }>(srv.baseUrl, 'POST', '/audit/checkpoints', { token: srv.adminToken });
    expect(signed.status).toBe(201);
    const verify = await call<{ ok: boolean; checkpointsVerified: number; eventCount: number; firstBadSeq: number | null }>(srv.baseUrl, 'GET', '/audit/verify', {
      token: auditor,
    });
    expect(verify.body).toMatchObject({ ok: true, firstBadSeq: null });
    expect(verify.body.checkpointsVerified).toBeGreaterThanOrEqual(1);
    expect(verify.body.eventCount).toBeGreaterThan(signed.body.checkpoint.seq);
  });

  it('exports a dossier through the CLI that verifies offline, and fails once a byte is edited', async () => {
    const env = { CLEARANCE_URL: srv.baseUrl, CLEARANCE_TOKEN: auditor };
    const admin = spawnCli(['audit', 'export', '--out', join(work, 'denied')], { ...env, CLEARANCE_TOKEN: srv.adminToken });
    expect(await admin.exited).not.toBe(0);
    expect(admin.stderr()).toContain('403');

    const bundle = join(work, 'dossier');
    const exported = spawnCli(['audit', 'export', '--out', bundle], env);
    expect(await exported.exited).toBe(0);
    // The fingerprint a reader pins, fetched out of band from the server (no token needed).
    const publicKey = await call<{ fingerprint: string; keyId: string; firstKeyFingerprint: string }>(srv.baseUrl, 'GET', '/audit/public-key', {});
    expect(publicKey.body.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    // No rotation yet: the chain's first key is the one signing.
    expect(publicKey.body.firstKeyFingerprint).toBe(publicKey.body.fingerprint);
    expect(publicKey.body.fingerprint.startsWith(publicKey.body.keyId)).toBe(true);
    const verified = spawnCli(['audit', 'verify-bundle', bundle, '--expect-key', publicKey.body.fingerprint], {});
    expect(await verified.exited).toBe(0);
    expect(verified.stdout()).toContain(`OK: ${bundle}`);
    expect(verified.stdout()).toContain(`fingerprint: ${publicKey.body.fingerprint} (the key you expected)`);

    const events = join(bundle, 'events.ndjson');
    const text = await readFile(events, 'utf8');
    await writeFile(events, text.replace('"actor":"carla"', '"actor":"carlo"'));
    const tampered = spawnCli(['audit', 'verify-bundle', bundle], {});
    expect(await tampered.exited).toBe(1);
    expect(tampered.stderr()).toContain('TAMPERED');

    const exportEvents = await call<EventPage>(srv.baseUrl, 'GET', '/audit/events?action=audit.exported', { token: auditor });
    expect(exportEvents.body.items.map((event) => event.actor)).toEqual(['audrey']);
  });

  it('audit export refuses a folder that is not empty (exit 2, a message naming it) and exports nothing', async () => {
    const env = { CLEARANCE_URL: srv.baseUrl, CLEARANCE_TOKEN: auditor };
    const before = (await call<EventPage>(srv.baseUrl, 'GET', '/audit/events?action=audit.exported', { token: auditor })).body.items.length;
    const used = join(work, 'used');
    await mkdir(used);
    await writeFile(join(used, 'notes.txt'), 'left over');
    const refused = spawnCli(['audit', 'export', '--out', used], env);
    expect(await refused.exited).toBe(2);
    expect(refused.stderr()).toContain(`--out ${used} is not empty (1 entry): give a new or empty folder`);
    expect(await readdir(used)).toEqual(['notes.txt']);
    // Refused before the server was asked: no export was recorded.
    expect((await call<EventPage>(srv.baseUrl, 'GET', '/audit/events?action=audit.exported', { token: auditor })).body.items).toHaveLength(before);

    const empty = join(work, 'empty');
    await mkdir(empty);
    const exported = spawnCli(['audit', 'export', '--out', empty], env);
    expect(await exported.exited).toBe(0);
    expect(await readdir(empty)).toContain('manifest.json');
  });

  it('exports one subject and searches from the CLI', async () => {
    const bundle = join(work, 'subject');
    const exported = spawnCli(['audit', 'export', '--subject', `sbom:${sbomId}`, '--out', bundle], { CLEARANCE_URL: srv.baseUrl, CLEARANCE_TOKEN: auditor });
    expect(await exported.exited).toBe(0);
    const manifest = JSON.parse(await readFile(join(bundle, 'manifest.json'), 'utf8')) as { scope: { subject: string } };
    expect(manifest.scope.subject).toBe(`sbom:${sbomId}`);

    const search = spawnCli(['audit', 'search', '--action', 'sbom.uploaded'], { CLEARANCE_URL: srv.baseUrl, CLEARANCE_TOKEN: auditor });
    expect(await search.exited).toBe(0);
    expect(search.stdout()).toContain(`sbom:${sbomId}`);
  });

  it('renders the due-diligence report with charts, in HTML and Markdown', async () => {
    const html = await call<string>(srv.baseUrl, 'GET', '/audit/report', { token: auditor });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toContain('text/html');
    expect(html.body).toContain('<svg');
    const md = await call<string>(srv.baseUrl, 'GET', '/audit/report?format=md', { token: auditor });
    expect(md.body).toMatch(/^# /m);
    expect((await call(srv.baseUrl, 'GET', '/audit/report', { token: requester })).status).toBe(403);
  });
});
