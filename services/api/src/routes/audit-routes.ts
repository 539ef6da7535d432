import { auditEventResponseSchema, auditVerificationResponseSchema, openObject, pageOf } from '@clearance/contract';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { contributionTierSchema, keyFingerprintOf, renderReportHtml, renderReportMarkdown, type Role } from '@clearance/core';
import { auditReport, createCheckpoint, exportDossier, firstChainKeyPem, listKeyRotations, recordAuditVerifyFailure, searchAuditEvents, subjectTimeline, verifyAuditLog } from '@clearance/services';
import { create as createTar } from 'tar';
import { z } from 'zod';
import type { ApiDependencies } from '../api-dependencies.js';
import { principalOf } from '../http/auth.js';
import type { RouteTable } from '../http/route-table.js';

/** The auditor reads everything here and changes nothing; admins may also verify and sign checkpoints. */
export const auditReaders: readonly Role[] = ['auditor', 'admin'];
const timelineReaders: readonly Role[] = ['auditor', 'admin', 'ospo', 'compliance', 'legal'];

const instant = z.iso.datetime({ offset: true, message: 'an ISO 8601 date-time, e.g. 2026-01-01T00:00:00Z' }).transform((value) => new Date(value));
const subjectPattern = /^([\w.-]{1,64}):(.{1,200})$/;

const searchQuery = z.strictObject({
  from: instant.optional(),
  to: instant.optional(),
  actor: z.string().max(200).optional(),
  action: z.string().max(100).optional(),
  subjectType: z.string().max(64).optional(),
  subjectId: z.string().max(200).optional(),
  tier: contributionTierSchema.optional(),
  outcome: z.string().max(50).optional(),
  upstream: z.string().max(300).optional(),
  license: z.string().max(200).optional(),
  cursor: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const periodQuery = z.strictObject({
  from: instant.optional(),
  to: instant.optional(),
  subject: z.string().regex(subjectPattern, 'subject is <type>:<id>, e.g. sbom:sbom_0123…').optional(),
});

const reportQuery = z.strictObject({
  from: instant.optional(),
  to: instant.optional(),
  format: z.enum(['html', 'md', 'json']).default('html'),
});

const subjectParams = z.strictObject({ type: z.string().regex(/^[\w.-]{1,64}$/), id: z.string().min(1).max(200) });

export function addAuditRoutes(table: RouteTable, deps: ApiDependencies): void {
  table.add({
    method: 'get',
    path: '/audit/events',
    access: { kind: 'roles', roles: auditReaders },
    summary: 'Search audit events (time range, actor, action, subject, tier, outcome, upstream, license); cursor paging by sequence number',
    query: searchQuery,
    responses: { 200: pageOf(auditEventResponseSchema) },
    handlers: [
      async (req, res) => {
        const { cursor, limit, ...filter } = res.locals.input.query;
        res.json(await searchAuditEvents(deps, { ...filter, afterSeq: cursor }, limit));
      },
    ],
  });
  table.add({
    method: 'get',
    path: '/audit/subjects/:type/:id',
    access: { kind: 'roles', roles: timelineReaders },
    summary: 'The timeline of one subject (a contribution request, an SBOM, a waiver, a token)',
    params: subjectParams,
    responses: { 200: z.strictObject({ subject: z.strictObject({ type: z.string(), id: z.string() }), items: z.array(auditEventResponseSchema) }) },
    handlers: [
      async (req, res) => {
        const { type, id } = res.locals.input.params;
        res.json({ subject: { type, id }, items: await subjectTimeline(deps, { type, id }) });
      },
    ],
  });
  table.add({
    method: 'get',
    path: '/audit/public-key',
    // A public key is no secret, and a dossier's reader outside the organization must be able to fetch it.
    access: { kind: 'public' },
    summary: "The checkpoint and dossier signing key: its SHA-256 fingerprint (what `audit verify-bundle --expect-key` pins), key id and PEM",
    responses: {
      200: z.strictObject({
        fingerprint: z.string(),
        keyId: z.string(),
        publicKeyPem: z.string(),
        /** The first key of the chain of rotations: what a dossier's `--expect-key` pins. */
        firstKeyFingerprint: z.string(),
      }),
    },
    handlers: [
      async (_req, res) => {
        // After a key rotation, dossiers pin the chain's first key, not the one signing now.
        const firstKeyFingerprint = keyFingerprintOf(firstChainKeyPem(await listKeyRotations(deps.db), deps.signer.publicKeyPem));
        res.json({ fingerprint: keyFingerprintOf(deps.signer.publicKeyPem), keyId: deps.signer.keyId, publicKeyPem: deps.signer.publicKeyPem, firstKeyFingerprint });
      },
    ],
  });
  table.add({
    method: 'get',
    path: '/audit/verify',
    access: { kind: 'roles', roles: auditReaders },
    summary: 'Recompute the hash chain and check the signed checkpoints; names the first bad sequence number',
    responses: { 200: auditVerificationResponseSchema },
    handlers: [
      async (_req, res) => {
        const report = await verifyAuditLog(deps.db, deps.signer);
        await recordAuditVerifyFailure({ db: deps.db, policyVersion: deps.policy.version }, report, principalOf(res).user);
        res.json(report);
      },
    ],
  });
  table.add({
    method: 'post',
    path: '/audit/checkpoints',
    access: { kind: 'roles', roles: ['admin'] },
    summary: 'Sign a checkpoint of the current head now',
    bodyKind: 'none',
    responses: { 200: openObject, 201: openObject },
    handlers: [
      async (_req, res) => {
        const checkpoint = await createCheckpoint(deps.db, deps.signer, deps.policy.version);
        res.status(checkpoint ? 201 : 200).json({ checkpoint, message: checkpoint ? 'signed' : 'the head is already signed' });
      },
    ],
  });
  table.add({
    method: 'get',
    path: '/audit/export',
    access: { kind: 'roles', roles: ['auditor'] },
    summary: 'Export a dossier bundle (tar.gz) for a period or a subject; verify it offline with `clearance audit verify-bundle`',
    ratePerMinute: 10,
    query: periodQuery,
    responses: {},
    handlers: [
      async (req, res) => {
        const { from, to, subject } = res.locals.input.query;
        const match = subject ? subjectPattern.exec(subject) : null;
        const work = await mkdtemp(join(tmpdir(), 'clearance-export-'));
        try {
          const dir = join(work, 'dossier');
          await exportDossier(deps.db, deps.signer, dir, {
            from,
            to,
            subject: match?.[1] && match[2] ? { type: match[1], id: match[2] } : undefined,
            actor: principalOf(res).user,
            policyVersion: deps.policy.version,
          });
          res.status(200).type('application/gzip').attachment('clearance-dossier.tar.gz');
          await pipeline(createTar({ gzip: true, cwd: work, portable: true }, ['dossier']), res);
        } finally {
          await rm(work, { recursive: true, force: true });
        }
      },
    ],
  });
  table.add({
    method: 'get',
    path: '/audit/report',
    access: { kind: 'roles', roles: auditReaders },
    summary: 'The due-diligence report for a period, computed from the events alone (html, md or json)',
    query: reportQuery,
    responses: { 200: openObject },
    handlers: [
      async (req, res) => {
        const { from, to, format } = res.locals.input.query;
        const model = await auditReport(deps, { from, to });
        if (format === 'json') res.json(model);
        else if (format === 'md') res.type('text/markdown').send(renderReportMarkdown(model));
        else res.type('html').send(renderReportHtml(model));
      },
    ],
  });
}
