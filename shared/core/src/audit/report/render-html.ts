import { plural } from '../../text/plural.js';
import { contributionOutcomes, type ReportModel, type Tally } from './report-model.js';
import type { RenderOptions } from './render-options.js';
import { escapeHtml as e } from './escape.js';
import { barChart, describeBars, stackedBarChart, type Bar } from './svg-chart.js';

// Meaning by colour as well as by position and text: green yes, red no, orange in between, grey unknown.
const GREEN = '#2b6e2f';
const LIGHT_GREEN = '#4f7f1f';
const RED = '#a3192a';
const PURPLE = '#7b2d8e';
const ORANGE = '#b34700';
const GREY = '#4a5a63';
const BROWN = '#6b4a2f';
const colours: Record<string, string> = {
  approved: GREEN,
  'auto-approved': LIGHT_GREEN,
  rejected: RED,
  'auto-rejected': PURPLE,
  'changes-requested': ORANGE,
  'in-review': GREY,
  withdrawn: BROWN,
  'within SLA': GREEN,
  late: RED,
  'no SLA': GREY,
  allow: GREEN,
  review: ORANGE,
  deny: RED,
  pass: GREEN,
  fail: RED,
};

const bars = (tallies: readonly Tally[]): Bar[] => tallies.map((tally) => ({ label: tally.key, value: tally.count }));
const orDash = (value: string | number | null): string => (value === null ? '—' : e(String(value)));
const percent = (part: number, whole: number): string => (whole === 0 ? '—' : `${Math.round((part / whole) * 100)}%`);

const table = (headers: readonly string[], rows: readonly (readonly string[])[], caption: string): string =>
  rows.length === 0
    ? `<p class="none">${e(caption)}: none.</p>`
    : `<table><caption>${e(caption)}</caption><thead><tr>${headers.map((h) => `<th scope="col">${e(h)}</th>`).join('')}</tr></thead>` +
      `<tbody>${rows.map((row) => `<tr>${row.map((cell) => `<td>${cell}</td>`).join('')}</tr>`).join('')}</tbody></table>`;

const tallyTable = (tallies: readonly Tally[], header: string, caption: string): string =>
  table([header, 'count'], tallies.map((tally) => [e(tally.key), String(tally.count)]), caption);

const figure = (svg: string, caption: string, details: string): string =>
  `<figure>${svg}<figcaption>${e(caption)}</figcaption><details><summary>Data</summary>${details}</details></figure>`;

const STYLE = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#1a1a1a;background:#fff;max-width:68rem;margin:2rem auto;padding:0 1rem;line-height:1.45}
h1{font-size:1.7rem}h2{border-bottom:2px solid #1d4f91;padding-bottom:.2rem;margin-top:2.5rem}
table{border-collapse:collapse;margin:.8rem 0;width:100%}caption{text-align:left;font-weight:600;padding:.3rem 0}
th,td{border:1px solid #8a8a8a;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#e8eef6}
td.reason{white-space:pre-wrap;max-width:28rem}
.cards{display:flex;flex-wrap:wrap;gap:.8rem;padding:0;list-style:none}.cards li{border:1px solid #8a8a8a;border-radius:6px;padding:.6rem .9rem;min-width:9rem}
.cards strong{display:block;font-size:1.5rem}figure{margin:1rem 0}figcaption{font-size:.9rem;color:#3d3d3d}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0;word-break:break-all}
.none{color:#3d3d3d;font-style:italic}
@media print{details{display:none}}`;

/**
 * A complete, standalone HTML page: no script, no external CSS, fonts or
 * images, so it renders the same offline, in a mail client or years later.
 * Every text from the events is escaped.
 */
export function renderReportHtml(model: ReportModel, options: RenderOptions = {}): string {
  const title = options.title ?? 'Clearance due-diligence report';
  const period = `${model.period.from ?? 'the beginning'} to ${model.period.to ?? 'the last event'}`;
  const c = model.contributions;
  const r = model.reviews;
  const provenance = options.provenance ?? [];

  const header =
    `<header><h1>${e(title)}</h1><p>Period: ${e(period)}. Computed from ${model.events.count} audit events` +
    (model.events.firstSeq === null ? '' : ` (seq ${model.events.firstSeq}–${model.events.lastSeq})`) +
    ` alone: the same events always give the same report.</p>` +
    (provenance.length === 0 ? '' : `<dl>${provenance.map((line) => `<dt>${e(line.label)}</dt><dd>${e(line.value)}</dd>`).join('')}</dl>`) +
    `</header>`;

  const cards =
    `<ul class="cards" aria-label="Summary">` +
    [
      ['Contribution requests', String(c.total)],
      ['Said no', String(c.refusals.length)],
      ['Reviews within SLA', percent(r.withinSla, r.withinSla + r.late)],
      ['SBOMs evaluated', String(model.sboms.evaluated)],
      ['Waivers open', String(model.waivers.open)],
      ['Policy changes', String(model.policies.changes.length)],
    ]
      .map(([label, value]) => `<li><strong>${e(value ?? '')}</strong>${e(label ?? '')}</li>`)
      .join('') +
    `</ul>`;

  const contributions =
    `<section aria-labelledby="contributions"><h2 id="contributions">Contributions</h2>` +
    `<p>${plural(c.total, 'request')} had activity in the period; outcomes as of its end. ${plural(c.changesRequested, 'time')} a reviewer asked for changes.</p>` +
    figure(
      barChart(bars(c.byOutcome), { id: 'chart-outcome', colours, title: 'Contribution requests by outcome', description: describeBars(bars(c.byOutcome)) }),
      'Requests by outcome',
      tallyTable(c.byOutcome, 'outcome', 'Requests by outcome'),
    ) +
    figure(
      stackedBarChart(
        c.byTierAndOutcome.map((row) => ({ label: row.tier, segments: bars(row.outcomes) })),
        contributionOutcomes,
        { id: 'chart-tier', colours, title: 'Contribution requests by tier and outcome', description: describeBars(bars(c.byTier)) },
      ),
      'Requests by tier, split by outcome',
      table(
        ['tier', ...contributionOutcomes],
        c.byTierAndOutcome.map((row) => [e(row.tier), ...contributionOutcomes.map((key) => String(row.outcomes.find((o) => o.key === key)?.count ?? 0))]),
        'Requests by tier and outcome',
      ),
    ) +
    figure(
      barChart(bars(c.byUpstream.slice(0, 15)), { id: 'chart-upstream', title: 'Contribution requests by upstream (top 15)', description: describeBars(bars(c.byUpstream.slice(0, 15))) }),
      'Requests by upstream (the 15 with the most)',
      tallyTable(c.byUpstream, 'upstream', 'Requests by upstream'),
    ) +
    `</section>`;

  const refusals =
    `<section aria-labelledby="refusals"><h2 id="refusals">Every “no” and its reason</h2>` +
    table(
      ['seq', 'time', 'request', 'tier', 'upstream', 'stage', 'by', 'reason', 'policy version'],
      c.refusals.map((no) => [
        String(no.seq),
        e(no.at),
        e(no.subjectId),
        orDash(no.tier),
        orDash(no.upstream),
        no.kind === 'auto-rejected' ? 'policy (automatic)' : orDash(no.stage),
        e(no.actor),
        `<span class="reason">${e(no.reason)}</span>`,
        orDash(no.policyVersion),
      ]),
      'Rejections in the period',
    ) +
    `</section>`;

  const reviews =
    `<section aria-labelledby="reviews"><h2 id="reviews">Review times against SLA</h2>` +
    `<p>${r.decided} decisions: ${r.withinSla} within their SLA, ${r.late} late, ${r.noSla} with no due time recorded; ${r.escalations} stages escalated. Median time to decide: ${r.medianHours === null ? '—' : `${r.medianHours} h`}.</p>` +
    figure(
      stackedBarChart(
        r.byStage.map((stage) => ({ label: stage.stage, segments: [{ label: 'within SLA', value: stage.withinSla }, { label: 'late', value: stage.late }, { label: 'no SLA', value: stage.noSla }] })),
        ['within SLA', 'late', 'no SLA'],
        { id: 'chart-sla', colours, title: 'Review decisions against SLA by stage', description: r.byStage.map((s) => `${s.stage}: ${s.withinSla} within SLA, ${s.late} late`).join('; ') || 'No data.' },
      ),
      'Decisions by stage: within SLA, late, no due time',
      table(
        ['stage', 'decisions', 'within SLA', 'late', 'no SLA', 'median hours', 'max hours'],
        r.byStage.map((s) => [e(s.stage), String(s.decided), String(s.withinSla), String(s.late), String(s.noSla), orDash(s.medianHours), orDash(s.maxHours)]),
        'Review times by stage',
      ),
    ) +
    table(['request', 'stage', 'was due'], r.openOverdue.map((o) => [e(o.subjectId), e(o.stage), e(o.dueAt)]), 'Stages still open past their due time at the end of the period') +
    `</section>`;

  const s = model.sboms;
  const categoryKeys = [...new Set(s.byCategory.flatMap((cat) => cat.verdicts.map((v) => v.key)))];
  const sboms =
    `<section aria-labelledby="sboms"><h2 id="sboms">SBOM verdicts by license category</h2>` +
    `<p>${s.evaluated} SBOM evaluations in the period.</p>` +
    figure(
      barChart(bars(s.byVerdict), { id: 'chart-sbom', colours, title: 'SBOM verdicts', description: describeBars(bars(s.byVerdict)) }),
      'SBOMs by verdict',
      tallyTable(s.byVerdict, 'verdict', 'SBOMs by verdict') + tallyTable(s.componentsByVerdict, 'component verdict', 'Components by verdict'),
    ) +
    figure(
      categoryKeys.length === 0
        ? barChart(s.byCategory.map((cat) => ({ label: cat.category, value: cat.count })), { id: 'chart-category', title: 'Components by license category', description: describeBars(s.byCategory.map((cat) => ({ label: cat.category, value: cat.count }))) })
        : stackedBarChart(
            s.byCategory.map((cat) => ({ label: cat.category, segments: bars(cat.verdicts) })),
            categoryKeys,
            { id: 'chart-category', colours, title: 'Components by license category and verdict', description: describeBars(s.byCategory.map((cat) => ({ label: cat.category, value: cat.count }))) },
          ),
      'Components by license category',
      table(
        ['category', 'components', ...categoryKeys],
        s.byCategory.map((cat) => [e(cat.category), String(cat.count), ...categoryKeys.map((key) => String(cat.verdicts.find((v) => v.key === key)?.count ?? 0))]),
        'Components by license category',
      ),
    ) +
    `</section>`;

  const w = model.waivers;
  const waivers =
    `<section aria-labelledby="waivers"><h2 id="waivers">Waivers</h2>` +
    `<p>${w.granted} granted in the period, ${w.revoked} revoked, ${w.expired} expired; ${w.open} open at its end.</p>` +
    table(
      ['waiver', 'seq', 'granted', 'by', 'subject', 'component', 'expires', 'status'],
      w.lines.map((line) => [e(line.waiverId), String(line.seq), e(line.grantedAt), e(line.grantedBy), e(line.subjectId), orDash(line.purl), orDash(line.expiresAt), e(line.status)]),
      'Waivers granted in the period or open at its end',
    ) +
    `</section>`;

  const p = model.policies;
  const policies =
    `<section aria-labelledby="policies"><h2 id="policies">Policy versions</h2>` +
    `<p>In force when the period began: <code>${orDash(p.inForceAtStart)}</code>.</p>` +
    table(
      ['seq', 'time', 'by', 'new version', 'previous version'],
      p.changes.map((change) => [String(change.seq), e(change.at), e(change.actor), `<code>${e(change.version)}</code>`, change.previousVersion === null ? '—' : `<code>${e(change.previousVersion)}</code>`]),
      'Policy changes in the period',
    ) +
    tallyTable(p.eventsByVersion, 'policy version', 'Events recorded under each policy version') +
    `</section>`;

  const unreadable =
    model.unreadable.length === 0
      ? ''
      : `<section aria-labelledby="unreadable"><h2 id="unreadable">Events the report could not read</h2>` +
        `<p>These events are in the log (and in the chain) but their payload lacked a field the report needs; they are left out of the figures above.</p>` +
        tallyTable(model.unreadable, 'action', 'Unreadable payloads') +
        `</section>`;

  return (
    `<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${e(title)}</title><style>${STYLE}</style></head><body>` +
    `${header}<main>${cards}${contributions}${refusals}${reviews}${sboms}${waivers}${policies}${unreadable}${(options.sections ?? []).map((section) => section.html).join('')}</main></body></html>\n`
  );
}
