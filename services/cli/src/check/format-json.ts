import { formatLabel, type CheckReport } from './check-report.js';

/**
 * The SbomEvaluation as is (verdict, counts, findings, policyVersion) plus
 * where it came from, so a CI step can read one object. Findings carry the
 * raw license data, the normalized expression, every mapping and the rule or
 * waiver that decided.
 */
export const formatJson = (report: CheckReport, toolVersion: string): string =>
  `${JSON.stringify({
    tool: { name: 'clearance', version: toolVersion },
    sbom: {
      file: report.file,
      format: report.format,
      formatLabel: formatLabel(report.format),
      documentId: report.documentId,
    },
    failOn: report.failOn,
    ...report.evaluation,
  })}\n`;
