import type { Contribution, ContributionDetail, Decision, Enrichment, ExplanationEntry, RequestInput, Stage } from '@clearance/contract';
import { h, type Child } from '../lib/dom.js';
import { formatTime, relativeTime } from '../lib/format.js';
import { badge, facts, statusBadge } from './bits.js';

const decisionWords: Record<Decision['decision'], string> = { approve: 'approved', reject: 'rejected', 'request-changes': 'asked for changes' };

export const stageLabel = (stage: Stage, count: number): string => `Stage ${stage.index + 1} of ${count}: ${stage.reason} (${stage.roles.join(' or ')})`;

/** "due in 2 days" with the exact time on hover, and an overdue mark that does not rely on colour. */
export function dueCell(stage: Stage): Child {
  if (!stage.dueAt) return '—';
  return h(
    'span',
    { class: stage.overdue ? 'due overdue' : 'due', title: formatTime(stage.dueAt) },
    stage.overdue ? badge('Overdue', 'bad') : null,
    ` ${relativeTime(stage.dueAt)}`,
    h('span', { class: 'muted' }, ` (${formatTime(stage.dueAt)})`),
  );
}

export const decisionLine = (decision: Decision, stages: readonly Stage[], prefix = ''): HTMLElement =>
  h(
    'li',
    { class: `decision ${decision.decision}` },
    prefix,
    h('strong', {}, decision.by),
    ` (${decision.asRoles.join(', ')}) ${decisionWords[decision.decision]} stage ${decision.stageIndex + 1}`,
    stages[decision.stageIndex] ? ` — ${stages[decision.stageIndex]?.reason}` : '',
    h('span', { class: 'muted' }, ` · ${formatTime(decision.at)}`),
    decision.reason ? h('blockquote', { class: 'reason' }, decision.reason) : null,
  );

export function stagesList(request: Pick<Contribution, 'stages' | 'decisions'>): HTMLElement {
  if (request.stages.length === 0) return h('p', { class: 'muted' }, 'No review stages (yet).');
  return h(
    'ol',
    { class: 'stages' },
    ...request.stages.map((stage) =>
      h(
        'li',
        { class: `stage ${stage.status}` },
        h('div', {}, statusBadge(stage.status === 'pending' ? 'in-review' : stage.status), ' ', h('strong', {}, stage.reason), ` — ${stage.roles.join(' or ')}`, stage.approvals > 1 ? `, ${stage.approvals} approvals` : ''),
        stage.status === 'pending' ? h('div', {}, 'Due ', dueCell(stage)) : null,
        stage.escalatedAt ? h('div', { class: 'muted' }, `Escalated to ${stage.escalatedRoles.join(', ')} at ${formatTime(stage.escalatedAt)}`) : null,
        h('div', { class: 'muted small' }, `Rule ${stage.rule}`),
      ),
    ),
  );
}

export const explanationTable = (entries: readonly ExplanationEntry[]): HTMLElement =>
  entries.length === 0
    ? h('p', { class: 'muted' }, 'Not routed yet.')
    : h(
        'table',
        { class: 'data compact' },
        h('caption', { class: 'visually-hidden' }, 'Routing rules applied, in order'),
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Rule'), h('th', { scope: 'col' }, 'Effect'), h('th', { scope: 'col' }, 'Why'))),
        h('tbody', {}, ...entries.map((entry) => h('tr', {}, h('td', {}, h('code', {}, entry.rule)), h('td', {}, entry.effect), h('td', {}, entry.detail)))),
      );

export function enrichmentFacts(enrichment: Enrichment | null, licenseCategory?: string | null): HTMLElement {
  if (!enrichment) return h('p', { class: 'muted' }, 'GitHub has not been asked yet.');
  const upstream = enrichment.upstream;
  const pr = enrichment.pullRequest;
  const cla = enrichment.claHints;
  return h(
    'div',
    {},
    facts([
      ['Upstream', upstream ? `${upstream.exists ? 'exists' : 'not found'}${upstream.archived ? ', archived' : ''}${upstream.visibility ? `, ${upstream.visibility}` : ''}` : 'not read'],
      ['License', upstream ? `${upstream.license ?? 'none detected'} (${upstream.licenseStatus}${licenseCategory ?? upstream.licenseCategory ? `, ${licenseCategory ?? upstream.licenseCategory}` : ''})` : null],
      ['License note', upstream?.licenseNote ?? null],
      ['Pull request', pr ? `${pr.state}${pr.merged ? ', merged' : ''}: +${pr.additions} −${pr.deletions} in ${pr.changedFiles} files` : 'none linked or not read'],
      ['Agreements', cla ? [cla.cla ? `CLA${cla.claName ? ` (${cla.claName})` : ''}` : 'no CLA', cla.dco ? 'DCO' : 'no DCO'].join(', ') + (cla.sources.length ? ` — from ${cla.sources.join(', ')}` : '') : null],
    ]),
    enrichment.findings.length > 0 ? h('ul', { class: 'findings-list' }, ...enrichment.findings.map((finding) => h('li', {}, finding))) : null,
  );
}

const flagLabels: Record<string, string> = {
  touchesCoreIp: 'touches core IP',
  patentRelevant: 'patent-relevant',
  securityFix: 'security fix',
  claRequired: 'CLA required',
  dcoRequired: 'DCO required',
};

export function requestFacts(request: RequestInput, effectiveTier: string | null): HTMLElement {
  const flags = Object.entries(request.flags ?? {})
    .filter(([, on]) => on)
    .map(([name]) => flagLabels[name] ?? name);
  return facts([
    ['Tier', effectiveTier && effectiveTier !== request.tier ? `${request.tier} (routed as ${effectiveTier})` : request.tier],
    ['Upstream', request.upstream ? h('a', { href: request.upstream, rel: 'noopener noreferrer', target: '_blank' }, request.upstream) : null],
    ['CLA named', request.claName ?? null],
    ['Project', request.project ? `${request.project.name} under ${request.project.outboundLicense}, owned by ${request.project.owningTeam}` : null],
    ['Maintenance', request.project?.maintenanceCommitment ?? null],
    ['Estimated lines', request.estimatedLinesChanged.toLocaleString()],
    ['Flags', flags.length ? flags.join(', ') : 'none'],
    ['Links', request.links.length ? h('ul', { class: 'plain' }, ...request.links.map((link) => h('li', {}, h('a', { href: link, rel: 'noopener noreferrer', target: '_blank' }, link)))) : 'none'],
    ['Justification', h('p', { class: 'prose' }, request.justification)],
  ]);
}

/** The request's story from submission to its last decision, earlier revisions included. */
export function timeline(detail: ContributionDetail): HTMLElement {
  const entries: Array<{ at: string; node: Child }> = [];
  for (const revision of detail.revisions) {
    const current = revision.id === detail.id;
    entries.push({ at: revision.createdAt, node: h('span', {}, `Revision ${revision.revision} submitted${current ? ' (this one)' : ''}: `, revision.id === detail.id ? revision.title : h('a', { href: `#/requests/${revision.id}` }, revision.title)) });
    if (revision.autoOutcome) entries.push({ at: revision.decidedAt ?? revision.createdAt, node: `Decided automatically by rule ${revision.autoOutcome.rule}${revision.autoOutcome.reason ? `: ${revision.autoOutcome.reason}` : ''}` });
    for (const decision of revision.decisions) {
      entries.push({
        at: decision.at,
        node: h('span', {}, h('strong', {}, decision.by), ` ${decisionWords[decision.decision]} stage ${decision.stageIndex + 1} of revision ${revision.revision}`, decision.reason ? h('blockquote', { class: 'reason' }, decision.reason) : null),
      });
    }
    if (revision.decidedAt && !revision.autoOutcome) entries.push({ at: revision.decidedAt, node: h('span', {}, `Revision ${revision.revision} ended: `, statusBadge(revision.status)) });
  }
  if (detail.routedAt) entries.push({ at: detail.routedAt, node: `Routed (${detail.plan?.kind ?? 'plan'}) under policy ${detail.policyVersion?.slice(0, 12) ?? '?'}…` });
  entries.sort((a, b) => a.at.localeCompare(b.at));
  return h('ol', { class: 'timeline', 'data-testid': 'request-timeline' }, ...entries.map((entry) => h('li', {}, h('div', { class: 'when' }, formatTime(entry.at)), h('div', {}, entry.node))));
}

/** The "no" with its reason, shown first: it is what the requester needs to act on. */
export function outcomeNotice(request: Contribution): HTMLElement | null {
  const last = [...request.decisions].reverse().find((decision) => decision.decision !== 'approve');
  if ((request.status === 'rejected' || request.status === 'changes-requested') && last) {
    return h(
      'div',
      { class: `notice ${request.status === 'rejected' ? 'error' : 'warning'}`, role: 'status', 'data-testid': 'outcome' },
      h('strong', {}, request.status === 'rejected' ? `Rejected by ${last.by}` : `${last.by} asked for changes`),
      ` at stage ${last.stageIndex + 1}:`,
      h('blockquote', { class: 'reason' }, last.reason ?? ''),
    );
  }
  if (request.status === 'auto-rejected' && request.autoOutcome) {
    return h('div', { class: 'notice error', role: 'status', 'data-testid': 'outcome' }, h('strong', {}, 'Rejected by policy'), ` (rule ${request.autoOutcome.rule}):`, h('blockquote', { class: 'reason' }, request.autoOutcome.reason ?? ''));
  }
  if (request.status === 'approved' || request.status === 'auto-approved') {
    return h('div', { class: 'notice success', role: 'status', 'data-testid': 'outcome' }, h('strong', {}, 'Approved.'), request.autoOutcome ? ` Automatically, by rule ${request.autoOutcome.rule}.` : ' Every stage signed.');
  }
  return null;
}
