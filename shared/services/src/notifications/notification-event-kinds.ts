import type { AuditEventRecord, Notice, NotificationEventKind, Role } from '@clearance/core';
import { findContribution, findRelease, findSbom, listReleaseObligations, type Queryable } from '@clearance/db';
import { overdueNoticeFor } from '../contribution-overdue-notice.js';

/**
 * The event-kind table: which audit events each notice kind is keyed on, who
 * it concerns and how it reads. A kind is one entry; the dispatcher knows
 * nothing else about any of them. `noticeOf` reads the database in the
 * dispatcher's transaction and returns null when there is nothing to say
 * (the stage was decided meanwhile, the verdict passed).
 */
export interface EventKindEntry {
  kind: NotificationEventKind;
  /** Audit event actions this kind is built from; empty for kinds a scheduled check emits (waiver expiry). */
  auditTypes: readonly string[];
  noticeOf(db: Queryable, event: AuditEventRecord): Promise<Notice | null>;
}

type Payload = Record<string, unknown>;
const payloadOf = (event: AuditEventRecord): Payload => (typeof event.payload === 'object' && event.payload !== null ? (event.payload as Payload) : {});
const text = (value: unknown): string | null => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null);

// One audit event can feed two kinds (a decision ends a stage and opens the next), so the kind is part of the key.
const notice = (event: AuditEventRecord, kind: NotificationEventKind, fields: Omit<Notice, 'kind' | 'key'>): Notice => ({ kind, key: `${kind}.${event.seq}`, ...fields });

/** The stage now waiting: the first after routing, the next after a stage was approved. */
const stageWaiting: EventKindEntry = {
  kind: 'stage.waiting',
  auditTypes: ['contribution.routed', 'contribution.decided'],
  async noticeOf(db, event) {
    const payload = payloadOf(event);
    if (event.action === 'contribution.decided' && payload.outcome !== 'stage-approved') return null;
    const requestId = text(payload.requestId);
    const record = requestId === null ? null : await findContribution(db, requestId);
    const index = record?.state.currentStage;
    const stage = index === null || index === undefined ? undefined : record?.state.stages[index];
    if (!record || !stage || stage.status !== 'pending') return null;
    const { state } = record;
    return notice(event, 'stage.waiting', {
      title: `Review waiting: ${record.title}`,
      text: `Contribution request ${state.id} "${record.title}" by ${state.requester} (${state.tier}) waits for stage ${stage.index + 1} (${stage.roles.join(', ')})${stage.dueAt ? `, due ${stage.dueAt.toISOString()}` : ''}.`,
      facts: [
        { name: 'Request', value: state.id },
        { name: 'Requester', value: state.requester },
        { name: 'Tier', value: state.tier },
        { name: 'Stage', value: `${stage.index + 1}: ${stage.roles.join(', ')}` },
      ],
      data: { requestId: state.id, title: record.title, requester: state.requester, tier: state.tier, stage: stage.index, roles: [...stage.roles], dueAt: stage.dueAt?.toISOString() ?? null },
      audienceRoles: [...stage.roles],
      audienceUsers: [],
    });
  },
};

/** A stage past its due time: the former overdue webhook, now one kind among the others. */
const stageOverdue: EventKindEntry = {
  kind: 'stage.overdue',
  auditTypes: ['contribution.stage-escalated'],
  async noticeOf(db, event) {
    const payload = payloadOf(event);
    const requestId = text(payload.requestId);
    const stageIndex = typeof payload.stage === 'number' ? payload.stage : null;
    if (requestId === null || stageIndex === null) return null;
    const overdue = await overdueNoticeFor(db, { requestId, stageIndex });
    if (overdue === null) return null;
    return notice(event, 'stage.overdue', {
      title: `Overdue: ${overdue.title}`,
      text: overdue.text,
      facts: [
        { name: 'Request', value: overdue.requestId },
        { name: 'Stage', value: `${overdue.stage + 1}: ${overdue.roles.join(', ')}` },
        { name: 'Due', value: overdue.dueAt },
        { name: 'May now decide', value: overdue.escalatedTo.join(', ') || '-' },
      ],
      data: { ...overdue },
      audienceRoles: [...overdue.roles, ...overdue.escalatedTo] as Role[],
      audienceUsers: [],
    });
  },
};

const finalOutcomes: Record<string, string> = { approved: 'approved', rejected: 'rejected', 'changes-requested': 'sent back for changes' };

const requestDecided: EventKindEntry = {
  kind: 'request.decided',
  auditTypes: ['contribution.decided', 'contribution.auto-approved', 'contribution.auto-rejected'],
  async noticeOf(db, event) {
    const payload = payloadOf(event);
    const outcome =
      event.action === 'contribution.auto-approved' ? 'auto-approved' : event.action === 'contribution.auto-rejected' ? 'auto-rejected' : finalOutcomes[text(payload.outcome) ?? ''];
    const requestId = text(payload.requestId);
    if (outcome === undefined || requestId === null) return null;
    const record = await findContribution(db, requestId);
    if (!record) return null;
    const reason = text(payload.reason);
    return notice(event, 'request.decided', {
      title: `Request ${outcome}: ${record.title}`,
      text: `Contribution request ${record.state.id} "${record.title}" was ${outcome}${reason ? `: ${reason}` : ''}.`,
      facts: [
        { name: 'Request', value: record.state.id },
        { name: 'Outcome', value: outcome },
        { name: 'Decided by', value: event.actor },
      ],
      data: { requestId: record.state.id, title: record.title, outcome, reason, by: event.actor },
      audienceRoles: [],
      audienceUsers: [record.state.requester],
    });
  },
};

const sbomVerdict: EventKindEntry = {
  kind: 'sbom.verdict',
  auditTypes: ['sbom.evaluated'],
  async noticeOf(db, event) {
    const payload = payloadOf(event);
    const verdict = text(payload.verdict);
    const sbomId = text(payload.sbomId);
    if ((verdict !== 'fail' && verdict !== 'review') || sbomId === null) return null;
    const sbom = await findSbom(db, sbomId);
    if (!sbom) return null;
    const counts = sbom.counts;
    return notice(event, 'sbom.verdict', {
      title: `SBOM ${verdict === 'fail' ? 'failed' : 'needs review'}: ${sbom.filename ?? sbom.id}`,
      text: `SBOM ${sbom.id} (${sbom.filename ?? 'no file name'}, uploaded by ${sbom.uploadedBy}) is "${verdict}"${counts ? `: ${counts.deny} denied, ${counts.review} to review of ${counts.total} components` : ''}.`,
      facts: [
        { name: 'SBOM', value: sbom.id },
        { name: 'Verdict', value: verdict },
        ...(counts ? [{ name: 'Denied / review / total', value: `${counts.deny} / ${counts.review} / ${counts.total}` }] : []),
      ],
      data: { sbomId: sbom.id, filename: sbom.filename, verdict, counts },
      audienceRoles: ['compliance'],
      audienceUsers: [sbom.uploadedBy],
    });
  },
};

/** Emitted by the scheduled waiver check (waiver-expiry-notices.ts), not by an audit event. */
const waiverExpiring: EventKindEntry = { kind: 'waiver.expiring', auditTypes: [], noticeOf: () => Promise.resolve(null) };

/**
 * A release created with obligations still open tells compliance. Keyed on
 * the release service's `release.created` audit event; the release is read
 * back, so nothing is sent for one already cleared by the time this runs.
 */
const obligationDue: EventKindEntry = {
  kind: 'obligation.due',
  auditTypes: ['release.created'],
  async noticeOf(db, event) {
    const release = await findRelease(db, event.subjectId);
    if (!release || release.status === 'cleared') return null;
    const open = (await listReleaseObligations(db, release.id)).filter((obligation) => obligation.state === 'open').length;
    if (open === 0) return null;
    const label = `${release.name} ${release.version}`;
    return notice(event, 'obligation.due', {
      title: `Obligations due: ${label}`,
      text: `Release ${label} was created by ${event.actor} with ${open} open obligation${open === 1 ? '' : 's'} before it can be cleared.`,
      facts: [
        { name: 'Release', value: release.id },
        { name: 'Open obligations', value: String(open) },
      ],
      data: { releaseId: release.id, name: release.name, version: release.version, openObligations: open },
      audienceRoles: ['compliance'],
      audienceUsers: [],
    });
  },
};

const auditVerifyFailed: EventKindEntry = {
  kind: 'audit.verify-failed',
  auditTypes: ['audit.verify-failed'],
  noticeOf(_db, event) {
    const payload = payloadOf(event);
    const problem = text(payload.problem) ?? 'the audit log did not verify';
    const firstBadSeq = typeof payload.firstBadSeq === 'number' ? payload.firstBadSeq : null;
    return Promise.resolve(
      notice(event, 'audit.verify-failed', {
        title: 'Audit log verification failed',
        text: `Verifying the audit log failed${firstBadSeq === null ? '' : ` at event ${firstBadSeq}`}: ${problem}`,
        facts: [{ name: 'First bad event', value: firstBadSeq === null ? '-' : String(firstBadSeq) }],
        data: { firstBadSeq, problem },
        audienceRoles: ['admin', 'auditor'],
        audienceUsers: [],
      }),
    );
  },
};

export const eventKindTable: readonly EventKindEntry[] = [stageWaiting, stageOverdue, requestDecided, sbomVerdict, waiverExpiring, obligationDue, auditVerifyFailed];

/** The entries keyed on an audit action (one action may feed several kinds: a decision can finish a request or open the next stage). */
export const eventKindsOfAction = (action: string): EventKindEntry[] => eventKindTable.filter((entry) => entry.auditTypes.includes(action));

/** Every audit action some kind listens to, for the dispatcher's query. */
export const notifiedAuditActions = (): string[] => [...new Set(eventKindTable.flatMap((entry) => entry.auditTypes))];
