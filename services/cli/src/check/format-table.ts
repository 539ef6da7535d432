import { plural, type ComponentFinding } from '@clearance/core';
import { formatLabel, type CheckReport } from './check-report.js';
import { byVerdict, componentLabel, decidedByText, evaluatedAs, mappingText, writtenLicense } from './license-text.js';
import { terminalSafe, truncate } from './terminal-text.js';

export interface TableOptions {
  /** Include allowed components too (default: only review and deny). */
  all: boolean;
  /** Every cell in full, however wide the table gets (default: fit in {@link tableWidth} columns). */
  wide?: boolean;
}

/** The width the table fits in unless `--wide`: a common terminal and CI log width. */
export const tableWidth = 120;

interface Column {
  title: string;
  /** The narrowest the column is cut to when the table must shrink. */
  min: number;
  value: (finding: ComponentFinding) => string;
}

const columns: readonly Column[] = [
  { title: 'VERDICT', min: 7, value: (f) => f.verdict },
  { title: 'COMPONENT', min: 40, value: componentLabel },
  { title: 'LICENSE (AS WRITTEN)', min: 20, value: (f) => writtenLicense(f.raw) },
  { title: 'EVALUATED AS', min: 14, value: evaluatedAs },
  { title: 'MAPPING', min: 10, value: (f) => mappingText(f.mappings) },
  { title: 'DECIDED BY', min: 16, value: (f) => decidedByText(f.decidedBy) },
];

const gap = 2;

/**
 * Column widths that fit `budget` characters: each column as wide as its
 * longest cell, then the widest one narrowed, one character at a time, until
 * the line fits or every column is at its minimum.
 */
const fittedWidths = (natural: readonly number[], budget: number): number[] => {
  const widths = [...natural];
  const total = (): number => widths.reduce((sum, width) => sum + width, 0) + gap * (widths.length - 1);
  while (total() > budget) {
    let widest = -1;
    widths.forEach((width, index) => {
      if (width > (columns[index]?.min ?? 0) && (widest === -1 || width > (widths[widest] ?? 0))) widest = index;
    });
    if (widest === -1) break;
    widths[widest] = (widths[widest] ?? 0) - 1;
  }
  return widths;
};

/**
 * Aligned columns for a terminal, worst verdict first, then one summary line.
 * The table fits 120 columns: long cells are cut (marked …) so one long
 * expression cannot push it off the screen; `--wide` and the JSON format
 * show the full text.
 */
export const formatTable = (report: CheckReport, options: TableOptions): string => {
  const { evaluation } = report;
  const shown = byVerdict(options.all ? evaluation.findings : evaluation.findings.filter((f) => f.verdict !== 'allow'));
  const full = shown.map((finding) => columns.map((column) => terminalSafe(column.value(finding))));
  const natural = columns.map((column, index) => full.reduce((width, row) => Math.max(width, row[index]?.length ?? 0), column.title.length));
  const widths = options.wide ? natural : fittedWidths(natural, tableWidth);
  const rows = full.map((row) => row.map((cell, index) => truncate(cell, widths[index] ?? cell.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, index) => (index === cells.length - 1 ? cell : cell.padEnd(widths[index] ?? 0)))
      .join(' '.repeat(gap))
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
  out.push(summaryLine(report, options));
  return `${out.join('\n')}\n`;
};

/** The verdict and counts, then where they came from; on a second line when one would not fit {@link tableWidth}. */
export const summaryLine = (report: CheckReport, options: { wide?: boolean } = {}): string => {
  const { counts, verdict, policyVersion } = report.evaluation;
  const result = `${verdict.toUpperCase()}: ${plural(counts.total, 'component')} — ${counts.allow} allow, ${counts.review} review, ${counts.deny} deny`;
  const source = `(${terminalSafe(report.file)}, ${formatLabel(report.format)}, policy ${policyVersion.slice(0, 12)}, fail on ${report.failOn})`;
  return options.wide === true || result.length + 1 + source.length <= tableWidth ? `${result} ${source}` : `${result}\n  ${source}`;
};
