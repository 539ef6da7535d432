import { randomUUID } from 'node:crypto';
import { formatLabel, type CheckReport } from './check-report.js';

const findingsPerChunk = 2_000;

/**
 * The SbomEvaluation as is (verdict, counts, findings, policyVersion) plus
 * where it came from, so a CI step can read one object. Findings carry the
 * raw license data, the normalized expression, every mapping and the rule or
 * waiver that decided.
 *
 * Yielded in pieces (the findings a few thousand at a time) whose
 * concatenation is exactly `JSON.stringify` of the object: for 100,000
 * components the report is ~55 MB, and one string of it plus its UTF-8 copy
 * on the way to stdout would double the process's peak memory.
 */
export function* formatJsonChunks(report: CheckReport, toolVersion: string): Generator<string> {
  const { findings } = report.evaluation;
  const slot = `clearance-findings-${randomUUID()}`;
  const envelope = JSON.stringify({
    tool: { name: 'clearance', version: toolVersion },
    sbom: {
      file: report.file,
      format: report.format,
      formatLabel: formatLabel(report.format),
      documentId: report.documentId,
    },
    failOn: report.failOn,
    ...report.evaluation,
    findings: slot,
  });
  const [head = '', tail = ''] = envelope.split(JSON.stringify(slot));
  yield `${head}[`;
  for (let start = 0; start < findings.length; start += findingsPerChunk) {
    const part = findings.slice(start, start + findingsPerChunk).map((finding) => JSON.stringify(finding));
    yield `${start === 0 ? '' : ','}${part.join(',')}`;
  }
  yield `]${tail}\n`;
}

export const formatJson = (report: CheckReport, toolVersion: string): string => [...formatJsonChunks(report, toolVersion)].join('');
