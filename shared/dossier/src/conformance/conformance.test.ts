import { generateSigningKey, linkEvents, policyFileSha256, policyVersionOf, signCheckpoint, type AuditEventBody, type AuditEventRecord } from '@clearance/core';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signManifest, type BundleManifest } from '../manifest.js';
import { verifyBundle } from '../verify-bundle.js';
import { writeBundle } from '../write-bundle.js';
import { computeConformance, MAX_LISTED_EVIDENCE, type Conformance, type RequirementResult } from './conformance-map.js';
import { renderConformanceHtml, renderConformanceMarkdown } from './render-conformance.js';

const key = generateSigningKey();
const policy = [
  { name: 'contributions.yaml', content: 'tiers: {}\n' },
  { name: 'licenses.yaml', content: 'allow: [MIT]\n' },
];
const version = policyVersionOf(policy);
const NOTICE = 'a'.repeat(64);

let seq = 0;
const event = (action: string, subjectType: string, subjectId: string, payload: Record<string, unknown>, actor = 'admin'): AuditEventBody => {
  seq += 1;
  return { seq, occurredAt: new Date(Date.UTC(2025, 2, 3, 9, seq)).toISOString(), actor, action, subjectType, subjectId, payload: { type: action, ...payload }, policyVersion: version };
};

const bodies = (): AuditEventBody[] => {
  seq = 0;
  return [
    event('policy.activated', 'policy', version, { version, previousVersion: null, files: policy.map((f) => ({ name: f.name, sha256: policyFileSha256(f.content) })) }),
    event('token.created', 'token', 't1', { tokenId: 't1', user: 'lee', roles: ['legal'], bootstrap: false }),
    event('token.created', 'token', 't2', { tokenId: 't2', user: 'erin', roles: ['requester'], bootstrap: false }),
    event('token.created', 'token', 't3', { tokenId: 't3', user: 'gone', roles: ['ospo'], bootstrap: false }),
    event('token.revoked', 'token', 't3', { tokenId: 't3', user: 'gone' }),
    event('sbom.uploaded', 'sbom', 's1', { sbomId: 's1', sha256: 'b'.repeat(64), sizeBytes: 10, filename: 'bom.json', format: 'cyclonedx-json', componentCount: 3 }, 'carla'),
    event('sbom.evaluated', 'sbom', 's1', { sbomId: 's1', evaluation: 1, verdict: 'review', counts: { total: 3, allow: 2, review: 1, deny: 0 }, categories: {}, waiversApplied: [], expiredWaiversIgnored: [] }, 'worker'),
    event('contribution.decided', 'contribution', 'c1', { requestId: 'c1', stage: 0, decision: 'reject', reason: 'No <b>CLA</b> signed', by: 'mona', asRoles: ['manager'], outcome: 'rejected' }, 'mona'),
    event('contribution.auto-approved', 'contribution', 'c2', { requestId: 'c2', rule: 'docs-fix' }, 'policy'),
    // An action named like an Object.prototype member is no rule, and no crash.
    event('constructor', 'x', 'y', {}),
  ];
};

const requirement = (conformance: Conformance, clause: string): RequirementResult => {
  const found = conformance.clauses.flatMap((c) => c.requirements).find((r) => r.clause === clause);
  if (found === undefined) throw new Error(`no requirement ${clause}`);
  return found;
};

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'conformance-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const written = async (events: AuditEventRecord[]): Promise<string> => {
  const dir = join(root, 'bundle');
  const last = events.at(-1);
  await writeBundle(dir, {
    events,
    checkpoints: last === undefined ? [] : [signCheckpoint({ seq: last.seq, headHash: last.hash, createdAt: last.occurredAt }, key.privateKeyPem)],
    publicKeyPem: key.publicKeyPem,
    signingKey: key.privateKeyPem,
    policyFiles: [{ version, files: policy }],
    scope: {},
  });
  return dir;
};

describe('the ISO/IEC 5230 map of a run of events', () => {
  it('shows evidence for the clauses the events support and gaps for the rest', async () => {
    const map = await computeConformance(linkEvents(bodies()));
    const status = Object.fromEntries(map.clauses.flatMap((c) => c.requirements).map((r) => [r.clause, r.status]));
    expect(status).toEqual({
      '3.1.1': 'evidence',
      '3.1.2': 'evidence',
      '3.1.3': 'gap',
      '3.1.4': 'gap',
      '3.1.5': 'evidence',
      '3.2.1': 'gap',
      '3.2.2': 'evidence',
      '3.3.1': 'evidence',
      '3.3.2': 'evidence',
      '3.4.1': 'gap',
      '3.5.1': 'evidence',
      '3.6.1': 'gap',
      '3.6.2': 'gap',
    });
    expect(map.clauses.map((c) => [c.clause, c.status])).toEqual([
      ['3.1', 'partial'],
      ['3.2', 'partial'],
      ['3.3', 'evidence'],
      ['3.4', 'gap'],
      ['3.5', 'evidence'],
      ['3.6', 'gap'],
    ]);
    expect(map.summary).toEqual({ requirements: 13, evidence: 7, gap: 6 });
    expect(map.events).toMatchObject({ count: 10, firstSeq: 1, lastSeq: 10 });

    // Roles held at the end: the revoked ospo token no longer counts; the legal role is a program role.
    expect(requirement(map, '3.1.2').facts).toEqual([{ label: 'Roles held at the last event', value: 'legal: lee; requester: erin' }]);
    expect(requirement(map, '3.1.2').evidenceCount).toBe(4);
    expect(requirement(map, '3.2.2').facts).toEqual([{ label: 'Program roles held at the last event', value: 'legal: lee' }]);
    expect(requirement(map, '3.1.1').facts).toContainEqual({ label: 'Policy version in force at the last event', value: version });
    expect(requirement(map, '3.3.2').evidence.map((e) => e.detail)).toEqual(['SBOM s1 evaluation 1: review (allow 2, review 1, deny 0)']);
    expect(requirement(map, '3.5.1').evidence.map((e) => [e.seq, e.actor, e.detail])).toEqual([
      [8, 'mona', 'c1: reject by mona as manager at stage 1: “No <b>CLA</b> signed”'],
      [9, 'policy', 'c2: approved by policy rule docs-fix'],
    ]);
    expect(requirement(map, '3.4.1')).toMatchObject({ status: 'gap', evidenceCount: 0, evidence: [] });
    expect(requirement(map, '3.1.3').evidencedBy).toBeNull();
  });

  it('takes a release cleared with a NOTICE hash as evidence for 3.4.1, and one without only as a fact', async () => {
    const events = bodies();
    events.push(
      event('release.cleared', 'release', 'r1', { releaseId: 'r1', name: 'widget', version: '1.2.0', noticeSha256: NOTICE }, 'carla'),
      event('release.cleared', 'release', 'r2', { releaseId: 'r2', name: 'widget', version: '1.3.0' }, 'carla'),
    );
    const artifacts = requirement(await computeConformance(linkEvents(events)), '3.4.1');
    expect(artifacts.status).toBe('evidence');
    expect(artifacts.evidence.map((e) => e.detail)).toEqual([`release widget 1.2.0 cleared; NOTICE SHA-256 ${NOTICE}`]);
    expect(artifacts.facts).toEqual([
      { label: 'Releases cleared with a NOTICE hash', value: '1' },
      { label: 'Releases cleared without a NOTICE hash', value: '1' },
    ]);
  });

  it('lists at most MAX_LISTED_EVIDENCE items per requirement and counts them all', async () => {
    seq = 0;
    const many = Array.from({ length: MAX_LISTED_EVIDENCE + 5 }, (_, i) => event('sbom.uploaded', 'sbom', `s${i}`, { sbomId: `s${i}` }));
    const bom = requirement(await computeConformance(linkEvents(many)), '3.3.1');
    expect(bom.evidenceCount).toBe(MAX_LISTED_EVIDENCE + 5);
    expect(bom.evidence).toHaveLength(MAX_LISTED_EVIDENCE);
    expect(bom.evidence.at(-1)?.seq).toBe(MAX_LISTED_EVIDENCE);
  });
});

describe('conformance.json in a bundle', () => {
  it('is written from the events and verifies', async () => {
    const events = [...linkEvents(bodies())];
    const dir = await written(events);
    const stored = JSON.parse(await readFile(join(dir, 'conformance.json'), 'utf8')) as Conformance;
    expect(stored).toEqual(await computeConformance(events));
    const report = await verifyBundle(dir, { trustedKeys: [key.keyId] });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('fails verification when edited, and names the clause even when the manifest was re-signed to match', async () => {
    const dir = await written([...linkEvents(bodies())]);
    const path = join(dir, 'conformance.json');
    const stored = JSON.parse(await readFile(path, 'utf8')) as Conformance;
    const artifacts = requirement(stored, '3.4.1');
    artifacts.status = 'evidence';
    const text = `${JSON.stringify(stored, null, 2)}\n`;
    await writeFile(path, text);

    const edited = await verifyBundle(dir, { trustedKeys: [key.keyId] });
    expect(edited.ok).toBe(false);
    expect(edited.problems.map((p) => [p.kind, p.file])).toEqual([
      ['file-changed', 'conformance.json'],
      ['conformance-mismatch', 'conformance.json'],
    ]);
    expect(edited.problems[1]?.detail).toContain('at clause 3.4.1 Compliance artifacts');

    // Whoever holds the key can make the file hash match; the map must still follow from the events.
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as BundleManifest;
    const { signature: _signature, ...unsigned } = manifest;
    const resigned = signManifest({ ...unsigned, files: { ...unsigned.files, 'conformance.json': policyFileSha256(text) } }, key.privateKeyPem);
    await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(resigned, null, 2)}\n`);
    const signedEdit = await verifyBundle(dir, { trustedKeys: [key.keyId] });
    expect(signedEdit.problems.map((p) => p.kind)).toEqual(['conformance-mismatch']);
  });

  it('fails when conformance.json is not JSON, and warns (still ok) for a bundle written before the map', async () => {
    const dir = await written([...linkEvents(bodies())]);
    await writeFile(join(dir, 'conformance.json'), '{ not json');
    expect((await verifyBundle(dir)).problems.map((p) => p.kind)).toEqual(['file-changed', 'conformance-mismatch']);

    // An older bundle: no conformance.json, and a manifest (signed) that does not list it.
    await rm(join(dir, 'conformance.json'));
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as BundleManifest;
    const { signature: _signature, ...unsigned } = manifest;
    const { 'conformance.json': _dropped, ...files } = unsigned.files;
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(signManifest({ ...unsigned, files }, key.privateKeyPem)));
    const older = await verifyBundle(dir, { trustedKeys: [key.keyId] });
    expect(older.ok).toBe(true);
    expect(older.warnings).toEqual([expect.stringContaining('has no conformance.json')]);
  });
});

describe('the report section', () => {
  it('marks gaps as gaps and escapes what the events say, in HTML and Markdown', async () => {
    const map = await computeConformance(linkEvents(bodies()));
    const html = renderConformanceHtml(map);
    expect(html).toContain('<h2 id="conformance">ISO/IEC 5230:2020 (OpenChain Specification 2.1) clause map</h2>');
    expect(html).toContain('<tr id="clause-3.4.1"><th scope="row">3.4.1</th><td>Compliance artifacts</td><td><strong class="gap">GAP</strong></td><td>0</td></tr>');
    expect(html).toContain('<tr id="clause-3.3.2"><th scope="row">3.3.2</th><td>License compliance</td><td>evidence</td><td>1</td></tr>');
    expect(html).toContain('No &lt;b&gt;CLA&lt;/b&gt; signed');
    expect(html).not.toContain('<b>CLA</b>');
    expect(html).toContain('7 of 13 requirements have evidence');

    const md = renderConformanceMarkdown(map);
    expect(md).toContain('| 3.4.1 | Compliance artifacts | GAP | 0 |');
    expect(md).toContain('| 3.1.2 | Competence | evidence | 4 |');
    expect(md).toContain('### 3.6.2 Duration: GAP');
    expect(md).toContain('No &lt;b&gt;CLA&lt;/b&gt; signed');
  });
});
