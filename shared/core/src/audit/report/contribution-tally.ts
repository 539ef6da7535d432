import { addWorkingDays } from '../../contributions/working-days.js';
import type { AuditEventRecord } from '../event-hash.js';
import { readAutoDecision, readDecided, readRouted, readSubmitted, type StageFacts } from './read-payloads.js';
import { contributionOutcomes, type ContributionOutcome, type OverdueStage, type Refusal, type ReportModel, type ReviewTimes } from './report-model.js';
import { compareKeys, Counter, median, toHours } from './tally.js';

interface StageState extends StageFacts {
  startedAt: number | null;
  approvalsGot: number;
}

interface RequestState {
  subjectId: string;
  tier: string | null;
  upstream: string | null;
  outcome: ContributionOutcome;
  stages: StageState[] | null;
  current: number;
  activeInPeriod: boolean;
  /** An automatic "no" can be told by the routing plan and by its own event: list it once. */
  autoRefused: boolean;
}

interface StageTimes {
  decided: number;
  hours: number[];
  withinSla: number;
  late: number;
  noSla: number;
}

/**
 * Follows each contribution request through its events, so outcomes, "no"s
 * and review times come from the log alone. State is per request (not per
 * event), so memory grows with the requests in the period, not the events.
 */
export class ContributionTally {
  private readonly requests = new Map<string, RequestState>();
  private readonly refusals: Refusal[] = [];
  private readonly times = new Map<string, StageTimes>();
  private changesRequested = 0;
  private escalations = 0;

  constructor(private readonly unreadable: Counter) {}

  add(event: AuditEventRecord, inPeriod: boolean): void {
    const at = Date.parse(event.occurredAt);
    const key = `${event.subjectType}:${event.subjectId}`;
    if (event.action === 'contribution.submitted') {
      const facts = readSubmitted(event.payload);
      if (facts === null) this.unreadable.add(event.action);
      // A resubmission under the same id starts over; earlier "no"s stay in the refusals list.
      const previous = this.requests.get(key);
      this.requests.set(key, {
        subjectId: event.subjectId,
        tier: facts?.tier ?? previous?.tier ?? null,
        upstream: facts?.upstream ?? previous?.upstream ?? null,
        outcome: 'in-review',
        stages: null,
        current: 0,
        activeInPeriod: inPeriod || (previous?.activeInPeriod ?? false),
        autoRefused: false,
      });
      return;
    }
    const request = this.requests.get(key) ?? this.unknownRequest(key, event.subjectId);
    request.activeInPeriod ||= inPeriod;
    switch (event.action) {
      case 'contribution.routed': {
        const plan = readRouted(event.payload);
        if (plan === null) {
          this.unreadable.add(event.action);
          return;
        }
        if (plan.kind === 'auto-approved') request.outcome = 'auto-approved';
        if (plan.kind === 'auto-rejected') this.autoReject(event, request, inPeriod, plan.reason);
        if (plan.stages !== null) {
          request.stages = plan.stages.map((stage, index) => ({ ...stage, startedAt: index === 0 ? at : null, approvalsGot: 0 }));
          request.current = 0;
        }
        return;
      }
      case 'contribution.auto-approved':
      case 'contribution.approved':
        request.outcome = event.action === 'contribution.approved' ? 'approved' : 'auto-approved';
        return;
      case 'contribution.auto-rejected': {
        const facts = readAutoDecision(event.payload);
        if (facts === null) this.unreadable.add(event.action);
        this.autoReject(event, request, inPeriod, facts?.reason ?? facts?.rule ?? null);
        return;
      }
      case 'contribution.decided':
        this.decide(event, request, at, inPeriod);
        return;
      case 'contribution.withdrawn':
        request.outcome = 'withdrawn';
        return;
      case 'contribution.stage-escalated':
        if (inPeriod) this.escalations += 1;
        return;
      default:
        return;
    }
  }

  private autoReject(event: AuditEventRecord, request: RequestState, inPeriod: boolean, reason: string | null): void {
    request.outcome = 'auto-rejected';
    if (request.autoRefused) return;
    request.autoRefused = true;
    if (inPeriod) this.refuse(event, request, 'auto-rejected', null, reason ?? '(no reason recorded)');
  }

  private unknownRequest(key: string, subjectId: string): RequestState {
    // Submitted before the exported range: what the events do say still counts.
    const request: RequestState = { subjectId, tier: null, upstream: null, outcome: 'in-review', stages: null, current: 0, activeInPeriod: false, autoRefused: false };
    this.requests.set(key, request);
    return request;
  }

  private decide(event: AuditEventRecord, request: RequestState, at: number, inPeriod: boolean): void {
    const decision = readDecided(event.payload);
    if (decision === null) {
      this.unreadable.add(event.action);
      return;
    }
    const index = this.stageIndex(request, decision.stage);
    const stage = index === null ? undefined : request.stages?.[index];
    const label = stage?.label ?? (typeof decision.stage === 'string' ? decision.stage : decision.stage === undefined ? 'unstaged' : `stage ${decision.stage + 1}`);
    if (inPeriod) this.time(label, stage, at);

    if (decision.decision === 'reject') {
      request.outcome = 'rejected';
      if (inPeriod) this.refuse(event, request, 'rejected', label, decision.reason ?? '(no reason recorded)');
      return;
    }
    if (decision.decision === 'request-changes') {
      request.outcome = 'changes-requested';
      if (inPeriod) this.changesRequested += 1;
      return;
    }
    if (decision.outcome === 'approved') {
      request.outcome = 'approved';
      return;
    }
    if (request.stages === null || stage === undefined || index === null) {
      // Without the plan only the writer's outcome can tell a final approval; an older event without one is taken as final.
      if (decision.outcome === undefined) request.outcome = 'approved';
      return;
    }
    if (decision.outcome === 'stage-approved' || decision.outcome === 'approval-recorded') {
      stage.approvalsGot += 1;
      if (decision.outcome === 'stage-approved') this.advance(request, index, at);
      return;
    }
    stage.approvalsGot += 1;
    if (stage.approvalsGot >= stage.approvals) this.advance(request, index, at);
  }

  private advance(request: RequestState, index: number, at: number): void {
    if (request.stages === null || index < request.current) return;
    request.current = index + 1;
    const next = request.stages[request.current];
    if (next === undefined) request.outcome = 'approved';
    else next.startedAt = at;
  }

  private stageIndex(request: RequestState, stage: number | string | undefined): number | null {
    if (request.stages === null) return null;
    if (typeof stage === 'number') return stage < request.stages.length ? stage : null;
    if (typeof stage === 'string') {
      const found = request.stages.findIndex((candidate) => candidate.label === stage);
      return found === -1 ? null : found;
    }
    return request.current < request.stages.length ? request.current : null;
  }

  private time(label: string, stage: StageState | undefined, at: number): void {
    const times = this.times.get(label) ?? { decided: 0, hours: [], withinSla: 0, late: 0, noSla: 0 };
    this.times.set(label, times);
    times.decided += 1;
    // Without a known stage start there is no duration, but it still was a decision.
    if (stage === undefined || stage.startedAt === null) {
      times.noSla += 1;
      return;
    }
    times.hours.push(toHours(at - stage.startedAt));
    const due = dueTime(stage);
    if (due === null) times.noSla += 1;
    else if (at <= due) times.withinSla += 1;
    else times.late += 1;
  }

  private refuse(event: AuditEventRecord, request: RequestState, kind: Refusal['kind'], stage: string | null, reason: string): void {
    this.refusals.push({
      seq: event.seq,
      at: event.occurredAt,
      subjectId: event.subjectId,
      actor: event.actor,
      kind,
      stage,
      reason,
      tier: request.tier,
      upstream: request.upstream,
      policyVersion: event.policyVersion,
    });
  }

  contributions(): ReportModel['contributions'] {
    const byOutcome = new Counter();
    const byTier = new Counter();
    const byUpstream = new Counter();
    const tierOutcome = new Map<string, Counter>();
    for (const request of this.requests.values()) {
      if (!request.activeInPeriod) continue;
      const tier = request.tier ?? '(unknown)';
      byOutcome.add(request.outcome);
      byTier.add(tier);
      byUpstream.add(request.upstream ?? '(unknown)');
      const outcomes = tierOutcome.get(tier) ?? new Counter();
      tierOutcome.set(tier, outcomes);
      outcomes.add(request.outcome);
    }
    return {
      total: [...this.requests.values()].filter((request) => request.activeInPeriod).length,
      byOutcome: byOutcome.tallies(contributionOutcomes),
      byTier: byTier.tallies(),
      byUpstream: byUpstream.tallies(),
      byTierAndOutcome: [...tierOutcome.entries()]
        .sort(([a], [b]) => compareKeys(a, b))
        .map(([tier, outcomes]) => ({ tier, outcomes: outcomes.tallies(contributionOutcomes) })),
      refusals: [...this.refusals].sort((a, b) => a.seq - b.seq),
      changesRequested: this.changesRequested,
    };
  }

  reviews(periodEnd: number | null): ReviewTimes {
    const byStage = [...this.times.entries()]
      .sort(([a], [b]) => compareKeys(a, b))
      .map(([stage, times]) => ({
        stage,
        decided: times.decided,
        withinSla: times.withinSla,
        late: times.late,
        noSla: times.noSla,
        medianHours: median(times.hours),
        maxHours: times.hours.length === 0 ? null : Math.max(...times.hours),
      }));
    const openOverdue: OverdueStage[] = [];
    if (periodEnd !== null) {
      for (const request of this.requests.values()) {
        if (request.outcome !== 'in-review' || request.stages === null) continue;
        const stage = request.stages[request.current];
        const due = stage === undefined ? null : dueTime(stage);
        if (stage !== undefined && due !== null && due < periodEnd) openOverdue.push({ subjectId: request.subjectId, stage: stage.label, dueAt: new Date(due).toISOString() });
      }
    }
    openOverdue.sort((a, b) => compareKeys(a.dueAt, b.dueAt) || compareKeys(a.subjectId, b.subjectId));
    const allHours = [...this.times.values()].flatMap((times) => times.hours);
    return {
      decided: byStage.reduce((sum, stage) => sum + stage.decided, 0),
      escalations: this.escalations,
      withinSla: byStage.reduce((sum, stage) => sum + stage.withinSla, 0),
      late: byStage.reduce((sum, stage) => sum + stage.late, 0),
      noSla: byStage.reduce((sum, stage) => sum + stage.noSla, 0),
      medianHours: median(allHours),
      byStage,
      openOverdue,
    };
  }
}

/** The stage's due time: as recorded, else its working-day SLA counted from when the stage started. */
const dueTime = (stage: StageState): number | null => {
  if (stage.dueAt !== null) {
    const due = Date.parse(stage.dueAt);
    return Number.isNaN(due) ? null : due;
  }
  if (stage.dueInWorkingDays === null || stage.startedAt === null) return null;
  return addWorkingDays(new Date(stage.startedAt), stage.dueInWorkingDays).getTime();
};
