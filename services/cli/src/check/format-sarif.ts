import { createHash } from 'node:crypto';
import { isAbsolute, relative, resolve } from 'node:path';
import { type ComponentFinding, type Verdict, rulePath, ruleText } from '@clearance/core';
// Typed against @types/sarif (the OASIS 2.1.0 schema as TypeScript), so the shape is checked at compile time.
import type { Log, ReportingDescriptor, Result } from 'sarif';
import { formatLabel, type CheckReport } from './check-report.js';
import { componentLabel, decidedByText, evaluatedAs, mappingText, decidingRulePath, writtenLicense } from './license-text.js';
import { refLineLookup } from './sbom-ref-lines.js';

type SarifLevel = 'error' | 'warning' | 'note';

const levelOf = (verdict: Verdict): SarifLevel => (verdict === 'deny' ? 'error' : verdict === 'review' ? 'warning' : 'note');

/**
 * The SBOM's URI relative to the working directory (where a CI job checks the
 * repository out), so code scanning matches it to a file; a file outside it
 * keeps an absolute file URI.
 */
export const workingDirectoryUri = (file: string, cwd: string): string => {
  const absolute = resolve(cwd, file);
  const inside = relative(cwd, absolute);
  return inside !== '' && !inside.startsWith('..') && !isAbsolute(inside) ? artifactUri(inside) : artifactUri(absolute);
};

/** A repository-relative path stays as it is (code scanning matches it to files); absolute ones become file URIs. */
export const artifactUri = (file: string): string => {
  const slashed = file.replaceAll('\\', '/');
  if (slashed.startsWith('/')) return `file://${encodeURI(slashed)}`;
  if (/^[A-Za-z]:\//u.test(slashed)) return `file:///${encodeURI(slashed)}`;
  return encodeURI(slashed.replace(/^\.\//u, ''));
};

/**
 * SARIF 2.1.0 for code-scanning uploads: one rule per policy rule that denied
 * or flagged something (`categories.strong-copyleft`, `outcomes.missing`,
 * `waiver`, …), one result per denied (error) or review (warning) component,
 * located in the SBOM file at the component's line when its ref is in the text.
 */
export const formatSarif = (report: CheckReport, toolVersion: string, cwd: string = process.cwd()): Log => {
  const uri = workingDirectoryUri(report.file, cwd);
  const lineOf = report.sbomText === undefined ? () => undefined : refLineLookup(report.sbomText);
  const rules: ReportingDescriptor[] = [];
  const ruleIndex = new Map<string, number>();
  const results: Result[] = [];
  for (const finding of report.evaluation.findings) {
    if (finding.verdict === 'allow') continue;
    const id = decidingRulePath(finding.decidedBy);
    let index = ruleIndex.get(id);
    if (index === undefined) {
      index = rules.length;
      ruleIndex.set(id, index);
      rules.push(ruleFor(id, finding.verdict));
    }
    // Code scanning needs a region on every result: the component's line, else line 1.
    const line = lineOf(finding.ref) ?? 1;
    results.push({
      ruleId: id,
      ruleIndex: index,
      level: levelOf(finding.verdict),
      message: { text: messageFor(finding) },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri, index: 0 },
            region: { startLine: line },
          },
        },
      ],
      partialFingerprints: { 'clearanceComponent/v1': fingerprint(finding) },
      properties: {
        ref: finding.ref,
        purl: finding.purl,
        verdict: finding.verdict,
        outcome: finding.outcome,
        expression: finding.expression,
        chosenBranch: finding.chosenBranch,
        mappings: finding.mappings,
        decidedBy: finding.decidedBy,
      },
    });
  }
  const { evaluation } = report;
  for (const finding of evaluation.documentFindings) {
    if (finding.verdict === 'allow') continue;
    const id = rulePath(finding.decidedBy.rule);
    let index = ruleIndex.get(id);
    if (index === undefined) {
      index = rules.length;
      ruleIndex.set(id, index);
      rules.push(ruleFor(id, finding.verdict));
    }
    results.push({
      ruleId: id,
      ruleIndex: index,
      level: levelOf(finding.verdict),
      message: { text: `${finding.message} It ${finding.verdict === 'deny' ? 'is denied' : 'needs review'} (${ruleText(finding.decidedBy.rule)}).` },
      locations: [{ physicalLocation: { artifactLocation: { uri, index: 0 }, region: { startLine: 1 } } }],
      partialFingerprints: { 'clearanceComponent/v1': createHash('sha256').update(`document\u0000${finding.kind}`).digest('hex').slice(0, 32) },
      properties: { document: true, kind: finding.kind, verdict: finding.verdict, decidedBy: finding.decidedBy },
    });
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Clearance',
            semanticVersion: toolVersion,
            rules,
          },
        },
        artifacts: [{ location: { uri }, roles: ['analysisTarget'] }],
        results,
        properties: {
          verdict: evaluation.verdict,
          counts: evaluation.counts,
          policyVersion: evaluation.policyVersion,
          sbomFormat: formatLabel(report.format),
          failOn: report.failOn,
        },
      },
    ],
  };
};

const ruleFor = (id: string, verdict: Verdict): ReportingDescriptor => {
  const what = id === 'waiver' ? 'a waiver' : `policy rule ${id}`;
  return {
    id,
    name: id.replace(/[^A-Za-z0-9]+(.)?/gu, (_m, c: string | undefined) => (c ? c.toUpperCase() : '')),
    shortDescription: { text: `License ${verdict === 'deny' ? 'denied' : 'needs review'} by ${what}` },
    fullDescription: {
      text: `A component's license was judged by ${what} of the Clearance license policy. Error: denied; warning: needs review.`,
    },
    defaultConfiguration: { level: levelOf(verdict) },
    properties: { tags: ['license', 'compliance'] },
  };
};

const messageFor = (finding: ComponentFinding): string => {
  const parts = [
    `${componentLabel(finding)}: license ${evaluatedAs(finding)} ${finding.verdict === 'deny' ? 'is denied' : 'needs review'} (${decidedByText(finding.decidedBy)}).`,
    `As written: ${writtenLicense(finding.raw)}.`,
  ];
  const mapping = mappingText(finding.mappings);
  if (mapping && mapping !== 'exact') parts.push(`Mapped: ${mapping}.`);
  if (finding.chosenBranch) parts.push(`Chosen branch: ${finding.chosenBranch}.`);
  return parts.join(' ');
};

/** Stable across runs for the same component and license, so code scanning tracks one alert. */
const fingerprint = (finding: ComponentFinding): string =>
  createHash('sha256')
    .update(`${finding.purl ?? finding.ref}\u0000${finding.expression ?? finding.outcome}`)
    .digest('hex')
    .slice(0, 32);
