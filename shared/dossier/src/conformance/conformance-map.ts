import type { AuditEventRecord } from '@clearance/core';
import { CLAUSES, CONFORMANCE_MAPPING_VERSION, CONFORMANCE_SOURCE, CONFORMANCE_STANDARD, type RequirementId } from './clauses.js';
import { evidenceOf } from './evidence-rules.js';
import { ProgramFacts, type Fact } from './program-facts.js';
import { subjectKey } from '../subject.js';

/** Evidence items listed per requirement; evidenceCount has them all, and the events are in the bundle. */
export const MAX_LISTED_EVIDENCE = 25;

export interface EvidenceItem {
  seq: number;
  occurredAt: string;
  actor: string;
  action: string;
  /** `<subjectType>:<subjectId>` */
  subject: string;
  detail: string;
}

export type RequirementStatus = 'evidence' | 'gap';

export interface RequirementResult {
  clause: RequirementId;
  title: string;
  status: RequirementStatus;
  evidencedBy: string | null;
  outsideLog: string;
  evidenceCount: number;
  /** The first MAX_LISTED_EVIDENCE, in seq order. */
  evidence: EvidenceItem[];
  facts: Fact[];
}

export interface ClauseResult {
  clause: string;
  title: string;
  /** evidence: every requirement has some; gap: none has; partial: in between. */
  status: 'evidence' | 'partial' | 'gap';
  requirements: RequirementResult[];
}

/** The content of conformance.json. */
export interface Conformance {
  standard: string;
  source: string;
  mappingVersion: number;
  events: { count: number; firstSeq: number | null; lastSeq: number | null; headHash: string | null };
  summary: { requirements: number; evidence: number; gap: number };
  clauses: ClauseResult[];
}

/**
 * Maps audit events onto the ISO/IEC 5230 requirements, one event at a time,
 * so the bundle writer and the verifier can feed it from the same stream they
 * already read. The result depends on the events alone, in order; memory is
 * bounded by MAX_LISTED_EVIDENCE per requirement plus the program facts.
 */
export class ConformanceMap {
  private readonly found = new Map<RequirementId, { count: number; items: EvidenceItem[] }>();
  private readonly facts = new ProgramFacts();
  private count = 0;
  private firstSeq: number | null = null;
  private lastSeq: number | null = null;
  private headHash: string | null = null;

  add(event: AuditEventRecord): void {
    this.count += 1;
    this.firstSeq ??= event.seq;
    this.lastSeq = event.seq;
    this.headHash = event.hash;
    this.facts.add(event);
    for (const finding of evidenceOf(event)) {
      const entry = this.found.get(finding.requirement) ?? { count: 0, items: [] };
      entry.count += 1;
      if (entry.items.length < MAX_LISTED_EVIDENCE) {
        entry.items.push({ seq: event.seq, occurredAt: event.occurredAt, actor: event.actor, action: event.action, subject: subjectKey(event), detail: finding.detail });
      }
      this.found.set(finding.requirement, entry);
    }
  }

  result(): Conformance {
    const clauses = CLAUSES.map((clause): ClauseResult => {
      const requirements = clause.requirements.map((definition): RequirementResult => {
        const entry = this.found.get(definition.clause);
        return {
          clause: definition.clause,
          title: definition.title,
          status: entry === undefined ? 'gap' : 'evidence',
          evidencedBy: definition.evidencedBy,
          outsideLog: definition.outsideLog,
          evidenceCount: entry?.count ?? 0,
          evidence: entry?.items ?? [],
          facts: this.facts.factsFor(definition.clause),
        };
      });
      const withEvidence = requirements.filter((requirement) => requirement.status === 'evidence').length;
      const status = withEvidence === requirements.length ? 'evidence' : withEvidence === 0 ? 'gap' : 'partial';
      return { clause: clause.clause, title: clause.title, status, requirements };
    });
    const all = clauses.flatMap((clause) => clause.requirements);
    const evidence = all.filter((requirement) => requirement.status === 'evidence').length;
    return {
      standard: CONFORMANCE_STANDARD,
      source: CONFORMANCE_SOURCE,
      mappingVersion: CONFORMANCE_MAPPING_VERSION,
      events: { count: this.count, firstSeq: this.firstSeq, lastSeq: this.lastSeq, headHash: this.headHash },
      summary: { requirements: all.length, evidence, gap: all.length - evidence },
      clauses,
    };
  }
}

/** The conformance map of a run of events (e.g. a bundle's events.ndjson, streamed). */
export async function computeConformance(events: AsyncIterable<AuditEventRecord> | Iterable<AuditEventRecord>): Promise<Conformance> {
  const map = new ConformanceMap();
  for await (const event of events) map.add(event);
  return map.result();
}

/** conformance.json as written: pretty-printed; readers compare its canonical JSON, not its bytes. */
export const conformanceFileText = (conformance: Conformance): string => `${JSON.stringify(conformance, null, 2)}\n`;
