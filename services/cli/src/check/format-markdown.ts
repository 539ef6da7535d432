import { plural, type ComponentFinding } from '@clearance/core';
import { formatLabel, type CheckReport } from './check-report.js';
import { componentLabel, decidedByText, evaluatedAs, mappingText, writtenLicense } from './license-text.js';
import { markdownCell } from './markdown-escape.js';
import { truncate } from './terminal-text.js';

/**
 * GitHub caps a comment at 65,536 characters; a 100k-component SBOM must still
 * produce one that posts. Rows are added until the budget is spent, denied
 * first, then review, then a collapsed sample of allowed ones; whatever did
 * not fit is counted, and the JSON output has it all.
 */
const maxCharacters = 60_000;
const maxCell = 160;
const maxAllowedRows = 50;

const verdictIcon = { pass: '✅', review: '⚠️', fail: '❌' } as const;

const header = [
  '| Component | License (as written) | Evaluated as | Mapping | Decided by | Notes |',
  '|---|---|---|---|---|---|',
];

export const formatMarkdown = (report: CheckReport): string => {
  const { evaluation } = report;
  const { counts } = evaluation;
  const out: string[] = [
    `## ${verdictIcon[evaluation.verdict]} Clearance license check: ${evaluation.verdict}`,
    '',
    `**${markdownCell(report.file)}** (${formatLabel(report.format)}): ${plural(counts.total, 'component')} — ` +
      `${counts.deny} denied, ${counts.review} need review, ${counts.allow} allowed. ` +
      `Policy \`${evaluation.policyVersion.slice(0, 12)}\`; fails on ${report.failOn}.`,
    '',
  ];
  let used = out.reduce((sum, line) => sum + line.length + 1, 0);
  // Room kept for the closing lines of the sections still to come.
  const reserve = 400;
  // A table is written only with at least one row under its header: a section
  // whose first row does not fit says so in a sentence instead.
  const section = (findings: readonly ComponentFinding[], limit: number): string[] => {
    const lines: string[] = [];
    const headerSize = header.join('\n').length + 1;
    let shown = 0;
    for (const finding of findings) {
      if (shown >= limit) break;
      const row = tableRow(finding);
      const cost = row.length + 1 + (shown === 0 ? headerSize : 0);
      if (used + cost > maxCharacters - reserve) break;
      if (shown === 0) lines.push(...header);
      lines.push(row);
      used += cost;
      shown += 1;
    }
    if (shown === 0) lines.push(`${findings.length} not listed here: the comment is full (the JSON format lists all).`);
    else if (shown < findings.length) lines.push('', `…and ${findings.length - shown} more (the JSON format lists all).`);
    return lines;
  };

  for (const finding of evaluation.documentFindings) {
    out.push(`**${finding.verdict === 'deny' ? 'Denied' : finding.verdict === 'review' ? 'Needs review' : 'Note'}:** ${finding.message} (${markdownCell(decidedByText(finding.decidedBy))})`, '');
  }
  const denied = evaluation.findings.filter((f) => f.verdict === 'deny');
  const review = evaluation.findings.filter((f) => f.verdict === 'review');
  const allowed = evaluation.findings.filter((f) => f.verdict === 'allow');
  if (denied.length + review.length === 0 && counts.total > 0) out.push('No component is denied or needs review.', '');
  if (denied.length > 0) out.push(`### Denied (${denied.length})`, '', ...section(denied, Infinity), '');
  if (review.length > 0) out.push(`### Needs review (${review.length})`, '', ...section(review, Infinity), '');
  if (allowed.length > 0) {
    out.push(`<details><summary>Allowed (${allowed.length})</summary>`, '', ...section(allowed, maxAllowedRows), '', '</details>', '');
  }
  return out.join('\n');
};

const tableRow = (finding: ComponentFinding): string => {
  const notes = [...finding.notes];
  if (finding.chosenBranch) notes.unshift(`chosen: ${finding.chosenBranch}`);
  const cells = [
    componentLabel(finding),
    writtenLicense(finding.raw),
    evaluatedAs(finding),
    mappingText(finding.mappings),
    decidedByText(finding.decidedBy),
    notes.join('; '),
  ];
  return `| ${cells.map((cell) => markdownCell(truncate(cell, maxCell))).join(' | ')} |`;
};
