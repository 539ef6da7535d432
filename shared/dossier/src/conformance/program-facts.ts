import type { AuditEventRecord } from '@clearance/core';
import type { RequirementId } from './clauses.js';
import { contributionDecided, policyActivated, PROGRAM_ROLES, readPayload, releaseCleared, sbomEvaluated, tokenCreated, tokenRevoked } from './evidence-rules.js';

export interface Fact {
  label: string;
  value: string;
}

const tally = (counts: ReadonlyMap<string, number>): string =>
  counts.size === 0 ? 'none' : [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([key, n]) => `${key} ${n}`).join(', ');

const bump = (counts: Map<string, number>, key: string): void => {
  counts.set(key, (counts.get(key) ?? 0) + 1);
};

/**
 * Totals over all the events, beside the listed evidence: what the program
 * looks like at the last event (roles held, the policy in force) and how
 * often each outcome occurred. Memory grows with the number of tokens, not of
 * events.
 */
export class ProgramFacts {
  private activations = 0;
  private policyInForce: string | null = null;
  private readonly tokens = new Map<string, { user: string; roles: string[] }>();
  private readonly verdicts = new Map<string, number>();
  private releasesWithNotice = 0;
  private releasesWithoutNotice = 0;
  private readonly decisions = new Map<string, number>();
  private refusalsWithoutReason = 0;

  add(event: AuditEventRecord): void {
    switch (event.action) {
      case 'policy.activated': {
        const p = readPayload(policyActivated, event.payload);
        if (p === null) return;
        this.activations += 1;
        this.policyInForce = p.version;
        return;
      }
      case 'token.created': {
        const p = readPayload(tokenCreated, event.payload);
        if (p !== null) this.tokens.set(p.tokenId, { user: p.user, roles: p.roles });
        return;
      }
      case 'token.revoked': {
        const p = readPayload(tokenRevoked, event.payload);
        if (p !== null) this.tokens.delete(p.tokenId);
        return;
      }
      case 'sbom.evaluated': {
        const p = readPayload(sbomEvaluated, event.payload);
        if (p !== null) bump(this.verdicts, p.verdict);
        return;
      }
      case 'sbom.rejected':
        bump(this.verdicts, 'not checkable');
        return;
      case 'release.cleared': {
        const p = readPayload(releaseCleared, event.payload);
        if (p?.noticeSha256 === undefined) this.releasesWithoutNotice += 1;
        else this.releasesWithNotice += 1;
        return;
      }
      case 'contribution.decided': {
        const p = readPayload(contributionDecided, event.payload);
        if (p === null) return;
        bump(this.decisions, p.decision);
        if (p.decision !== 'approve' && (p.reason == null || p.reason.trim() === '')) this.refusalsWithoutReason += 1;
        return;
      }
      case 'contribution.auto-approved':
      case 'contribution.auto-rejected':
        bump(this.decisions, event.action.slice('contribution.'.length));
        return;
      default:
    }
  }

  /** The totals each requirement shows beside its evidence. */
  factsFor(requirement: RequirementId): Fact[] {
    switch (requirement) {
      case '3.1.1':
        return [
          { label: 'Policy activations', value: String(this.activations) },
          { label: 'Policy version in force at the last event', value: this.policyInForce ?? 'not activated within these events' },
        ];
      case '3.1.2':
        return [{ label: 'Roles held at the last event', value: this.rolesHeld(() => true) }];
      case '3.2.2':
        return [{ label: 'Program roles held at the last event', value: this.rolesHeld((role) => PROGRAM_ROLES.has(role)) }];
      case '3.3.2':
        return [{ label: 'SBOM verdicts', value: tally(this.verdicts) }];
      case '3.4.1':
        return [
          { label: 'Releases cleared with a NOTICE hash', value: String(this.releasesWithNotice) },
          { label: 'Releases cleared without a NOTICE hash', value: String(this.releasesWithoutNotice) },
        ];
      case '3.5.1':
        return [
          { label: 'Decisions', value: tally(this.decisions) },
          { label: 'Rejections or change requests without a reason', value: String(this.refusalsWithoutReason) },
        ];
      default:
        return [];
    }
  }

  private rolesHeld(include: (role: string) => boolean): string {
    const holders = new Map<string, Set<string>>();
    for (const { user, roles } of this.tokens.values()) {
      for (const role of roles.filter(include)) holders.set(role, (holders.get(role) ?? new Set()).add(user));
    }
    if (holders.size === 0) return 'none';
    return [...holders]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([role, users]) => `${role}: ${[...users].sort().join(', ')}`)
      .join('; ');
  }
}
