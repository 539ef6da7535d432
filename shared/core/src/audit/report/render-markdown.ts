import { plural } from '../../text/plural.js';
import { contributionOutcomes, type ReportModel, type Tally } from './report-model.js';
import type { RenderOptions } from './render-options.js';
import { escapeMarkdown as m } from './escape.js';

const cell = (value: string | number | null): string => (value === null ? '—' : m(String(value)));

const table = (headers: readonly string[], rows: readonly (readonly (string | number | null)[])[], empty: string): string =>
  rows.length === 0
    ? `_${empty}_\n`
    : [`| ${headers.map(m).join(' | ')} |`, `|${headers.map(() => ' --- ').join('|')}|`, ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`)].join('\n') + '\n';

const tallyTable = (tallies: readonly Tally[], header: string): string =>
  table([header, 'count'], tallies.map((tally) => [tally.key, tally.count]), 'None.');

const percent = (part: number, whole: number): string => (whole === 0 ? '—' : `${Math.round((part / whole) * 100)}%`);

/** The same report as Markdown tables, for pasting into a data room or a ticket. */
export function renderReportMarkdown(model: ReportModel, options: RenderOptions = {}): string {
  const c = model.contributions;
  const r = model.reviews;
  const s = model.sboms;
  const w = model.waivers;
  const p = model.policies;
  const categoryKeys = [...new Set(s.byCategory.flatMap((cat) => cat.verdicts.map((v) => v.key)))];
  const out: string[] = [];
  out.push(`# ${m(options.title ?? 'Clearance due-diligence report')}\n`);
  out.push(
    `Period: ${m(model.period.from ?? 'the beginning')} to ${m(model.period.to ?? 'the last event')}. ` +
      `Computed from ${model.events.count} audit events` +
      (model.events.firstSeq === null ? '' : ` (seq ${model.events.firstSeq}–${model.events.lastSeq})`) +
      ' alone: the same events always give the same report.\n',
  );
  for (const line of options.provenance ?? []) out.push(`- **${m(line.label)}:** ${m(line.value)}`);
  if ((options.provenance ?? []).length > 0) out.push('');

  out.push('## Summary\n');
  out.push(
    table(
      ['measure', 'value'],
      [
        ['Contribution requests', c.total],
        ['Said no', c.refusals.length],
        ['Reviews within SLA', percent(r.withinSla, r.withinSla + r.late)],
        ['SBOMs evaluated', s.evaluated],
        ['Waivers open', w.open],
        ['Policy changes', p.changes.length],
      ],
      'None.',
    ),
  );

  out.push('## Contributions\n');
  out.push(`${plural(c.total, 'request')} had activity in the period; outcomes as of its end. ${plural(c.changesRequested, 'time')} a reviewer asked for changes.\n`);
  out.push(tallyTable(c.byOutcome, 'outcome'));
  out.push(
    table(
      ['tier', ...contributionOutcomes],
      c.byTierAndOutcome.map((row) => [row.tier, ...contributionOutcomes.map((key) => row.outcomes.find((o) => o.key === key)?.count ?? 0)]),
      'No requests.',
    ),
  );
  out.push(tallyTable(c.byUpstream, 'upstream'));

  out.push('## Every “no” and its reason\n');
  out.push(
    table(
      ['seq', 'time', 'request', 'tier', 'upstream', 'stage', 'by', 'reason', 'policy version'],
      c.refusals.map((no) => [no.seq, no.at, no.subjectId, no.tier, no.upstream, no.kind === 'auto-rejected' ? 'policy (automatic)' : no.stage, no.actor, no.reason, no.policyVersion]),
      'No rejections in the period.',
    ),
  );

  out.push('## Review times against SLA\n');
  out.push(
    `${r.decided} decisions: ${r.withinSla} within their SLA, ${r.late} late, ${r.noSla} with no due time recorded; ${r.escalations} stages escalated. ` +
      `Median time to decide: ${r.medianHours === null ? '—' : `${r.medianHours} h`}.\n`,
  );
  out.push(
    table(
      ['stage', 'decisions', 'within SLA', 'late', 'no SLA', 'median hours', 'max hours'],
      r.byStage.map((st) => [st.stage, st.decided, st.withinSla, st.late, st.noSla, st.medianHours, st.maxHours]),
      'No decisions.',
    ),
  );
  out.push('Stages still open past their due time at the end of the period:\n');
  out.push(table(['request', 'stage', 'was due'], r.openOverdue.map((o) => [o.subjectId, o.stage, o.dueAt]), 'None.'));

  out.push('## SBOM verdicts by license category\n');
  out.push(`${s.evaluated} SBOM evaluations in the period.\n`);
  out.push(tallyTable(s.byVerdict, 'verdict'));
  if (s.componentsByVerdict.length > 0) out.push(tallyTable(s.componentsByVerdict, 'component verdict'));
  out.push(
    table(
      ['category', 'components', ...categoryKeys],
      s.byCategory.map((cat) => [cat.category, cat.count, ...categoryKeys.map((key) => cat.verdicts.find((v) => v.key === key)?.count ?? 0)]),
      'No license categories recorded.',
    ),
  );

  out.push('## Waivers\n');
  out.push(`${w.granted} granted in the period, ${w.revoked} revoked, ${w.expired} expired; ${w.open} open at its end.\n`);
  out.push(
    table(
      ['waiver', 'seq', 'granted', 'by', 'subject', 'component', 'expires', 'status'],
      w.lines.map((line) => [line.waiverId, line.seq, line.grantedAt, line.grantedBy, line.subjectId, line.purl, line.expiresAt, line.status]),
      'None.',
    ),
  );

  out.push('## Policy versions\n');
  out.push(`In force when the period began: ${cell(p.inForceAtStart)}.\n`);
  out.push(
    table(
      ['seq', 'time', 'by', 'new version', 'previous version'],
      p.changes.map((change) => [change.seq, change.at, change.actor, change.version, change.previousVersion]),
      'No policy changes in the period.',
    ),
  );
  out.push(tallyTable(p.eventsByVersion, 'policy version'));

  if (model.unreadable.length > 0) {
    out.push('## Events the report could not read\n');
    out.push('These events are in the log (and in the chain) but their payload lacked a field the report needs; they are left out of the figures above.\n');
    out.push(tallyTable(model.unreadable, 'action'));
  }
  for (const section of options.sections ?? []) out.push(section.markdown);
  return out.join('\n');
}
