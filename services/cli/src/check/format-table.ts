import type { ComponentFinding } from '@clearance/core';
import { formatLabel, type CheckReport } from './check-report.js';
import { byVerdict, componentLabel, decidedByText, evaluatedAs, mappingText, writtenLicense } from './license-text.js';
import { terminalSafe, truncate } from './terminal-text.js';

export interface TableOptions {
  /** Include allowed components too (default: only review and deny). */
  all: boolean;
}

interface Column {
  title: string;
  max: number;
  value: (finding: ComponentFinding) => string;
}

const columns: readonly Column[] = [
  { title: 'VERDICT', max: 7, value: (f) => f.verdict },
  { title: 'COMPONENT', max: 48, value: componentLabel },
  { title: 'LICENSE (AS WRITTEN)', max: 40, value: (f) => writtenLicense(f.raw) },
  { title: 'EVALUATED AS', max: 40, value: evaluatedAs },
  { title: 'MAPPING', max: 40, value: (f) => mappingText(f.mappings) },
  { title: 'DECIDED BY', max: 60, value: (f) => decidedByText(f.decidedBy) },
];

/**
 * Aligned columns for a terminal, worst verdict first, then one summary line.
 * Cells are cut to a maximum width so one long expression cannot push the
 * table off the screen; the JSON format has the full text.
 */
export const formatTable = (report: CheckReport, options: TableOptions): string => {
  const { evaluation } = report;
  const shown = byVerdict(options.all ? evaluation.findings : evaluation.findings.filter((f) => f.verdict !== 'allow'));
  const rows = shown.map((finding) => columns.map((column) => truncate(terminalSafe(column.value(finding)), column.max)));
  const widths = columns.map((column, index) =>
    rows.reduce((width, row) => Math.max(width, row[index]?.length ?? 0), column.title.length),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, index) => (index === cells.length - 1 ? cell : cell.padEnd(widths[index] ?? 0)))
      .join('  ')
      .trimEnd();
  const out: string[] = [];
  if (rows.length > 0) {
    out.push(line(columns.map((column) => column.title)));
    for (const row of rows) out.push(line(row));
    out.push('');
  } else if (!options.all && evaluation.counts.total > 0) {
    out.push('No component needs review or is denied.', '');
  }
  for (const finding of evaluation.documentFindings) out.push(`${finding.verdict}: ${finding.message} (${decidedByText(finding.decidedBy)})`, '');
  out.push(summaryLine(report));
  return `${out.join('\n')}\n`;
};

export const summaryLine = (report: CheckReport): string => {
  const { counts, verdict, policyVersion } = report.evaluation;
  return (
    `${verdict.toUpperCase()}: ${counts.total} components — ${counts.allow} allow, ${counts.review} review, ${counts.deny} deny ` +
    `(${terminalSafe(report.file)}, ${formatLabel(report.format)}, policy ${policyVersion.slice(0, 12)}, fail on ${report.failOn})`
  );
};
