import { escapeHtml as e, escapeMarkdown as m, type ReportSection } from '@clearance/core';
import type { Conformance, RequirementResult } from './conformance-map.js';

const STATUS_LABEL: Record<string, string> = { evidence: 'evidence', partial: 'partial', gap: 'GAP' };
const INTRO =
  'Each requirement of the standard beside the audit events that are evidence for it. A requirement without such events is a gap. ' +
  'Evidence in the log is not conformance: what each requirement needs from outside the log is named.';

// A gap stands out by weight and capitals, not by colour alone.
const status = (value: string): string => (value === 'gap' ? '<strong class="gap">GAP</strong>' : e(STATUS_LABEL[value] ?? value));

const evidenceHtml = (requirement: RequirementResult): string => {
  const facts = requirement.facts.map((fact) => `<li>${e(fact.label)}: ${e(fact.value)}</li>`).join('');
  const items = requirement.evidence
    .map((item) => `<tr><td>${item.seq}</td><td>${e(item.occurredAt)}</td><td>${e(item.actor)}</td><td>${e(item.detail)}</td></tr>`)
    .join('');
  const more = requirement.evidenceCount > requirement.evidence.length ? `<p>… and ${requirement.evidenceCount - requirement.evidence.length} more events in the bundle.</p>` : '';
  return (
    `<p>Evidenced by: ${requirement.evidencedBy === null ? 'no audit event records this.' : e(requirement.evidencedBy)} Outside the log: ${e(requirement.outsideLog)}</p>` +
    (facts === '' ? '' : `<ul>${facts}</ul>`) +
    (items === ''
      ? ''
      : `<table><caption>Evidence for ${e(requirement.clause)} (${requirement.evidenceCount} events)</caption><thead><tr><th scope="col">seq</th><th scope="col">time</th><th scope="col">actor</th><th scope="col">what it shows</th></tr></thead><tbody>${items}</tbody></table>${more}`)
  );
};

/** The report section as HTML: a summary table of every clause, then the evidence per requirement. */
export function renderConformanceHtml(conformance: Conformance): string {
  const rows = conformance.clauses
    .flatMap((clause) => [
      `<tr><th scope="row">${e(clause.clause)}</th><td><strong>${e(clause.title)}</strong></td><td>${status(clause.status)}</td><td></td></tr>`,
      ...clause.requirements.map(
        (r) => `<tr id="clause-${e(r.clause)}"><th scope="row">${e(r.clause)}</th><td>${e(r.title)}</td><td>${status(r.status)}</td><td>${r.evidenceCount}</td></tr>`,
      ),
    ])
    .join('');
  const details = conformance.clauses
    .flatMap((clause) => clause.requirements)
    .map((r) => `<h3>${e(r.clause)} ${e(r.title)}: ${status(r.status)}</h3>${evidenceHtml(r)}`)
    .join('');
  return (
    `<section aria-labelledby="conformance"><h2 id="conformance">${e(conformance.standard)} clause map</h2>` +
    `<p>${e(INTRO)} ${conformance.summary.evidence} of ${conformance.summary.requirements} requirements have evidence in these ${conformance.events.count} events; ${conformance.summary.gap} are gaps. ` +
    `Clauses from <a href="${e(conformance.source)}">the OpenChain Project's text</a>; the same map is the bundle's conformance.json.</p>` +
    `<table><caption>Requirements and their status</caption><thead><tr><th scope="col">clause</th><th scope="col">title</th><th scope="col">status</th><th scope="col">evidence events</th></tr></thead><tbody>${rows}</tbody></table>` +
    `${details}</section>`
  );
}

/** The same section as Markdown. */
export function renderConformanceMarkdown(conformance: Conformance): string {
  const out: string[] = [];
  out.push(`## ${m(conformance.standard)} clause map\n`);
  out.push(
    `${m(INTRO)} ${conformance.summary.evidence} of ${conformance.summary.requirements} requirements have evidence in these ${conformance.events.count} events; ${conformance.summary.gap} are gaps. ` +
      `Clauses from the OpenChain Project's text: <${conformance.source}>; the same map is the bundle's conformance.json.\n`,
  );
  out.push('| clause | title | status | evidence events |', '| --- | --- | --- | --- |');
  for (const clause of conformance.clauses) {
    out.push(`| **${m(clause.clause)}** | **${m(clause.title)}** | ${STATUS_LABEL[clause.status] ?? clause.status} |  |`);
    for (const r of clause.requirements) out.push(`| ${m(r.clause)} | ${m(r.title)} | ${STATUS_LABEL[r.status] ?? r.status} | ${r.evidenceCount} |`);
  }
  out.push('');
  for (const r of conformance.clauses.flatMap((clause) => clause.requirements)) {
    out.push(`### ${m(r.clause)} ${m(r.title)}: ${STATUS_LABEL[r.status] ?? r.status}\n`);
    out.push(`Evidenced by: ${r.evidencedBy === null ? 'no audit event records this.' : m(r.evidencedBy)} Outside the log: ${m(r.outsideLog)}\n`);
    for (const fact of r.facts) out.push(`- ${m(fact.label)}: ${m(fact.value)}`);
    if (r.facts.length > 0) out.push('');
    if (r.evidence.length > 0) {
      out.push('| seq | time | actor | what it shows |', '| --- | --- | --- | --- |');
      for (const item of r.evidence) out.push(`| ${item.seq} | ${m(item.occurredAt)} | ${m(item.actor)} | ${m(item.detail)} |`);
      if (r.evidenceCount > r.evidence.length) out.push(`\n… and ${r.evidenceCount - r.evidence.length} more events in the bundle.`);
      out.push('');
    }
  }
  return out.join('\n');
}

/** Both renderings, for the due-diligence report's extra sections. */
export const conformanceReportSection = (conformance: Conformance): ReportSection => ({
  html: renderConformanceHtml(conformance),
  markdown: renderConformanceMarkdown(conformance),
});
