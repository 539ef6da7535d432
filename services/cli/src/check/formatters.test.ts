import { readFileSync } from 'node:fs';
import type { ComponentFinding, SbomEvaluation } from '@clearance/core';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { checkExitCode, type CheckReport } from './check-report.js';
import { formatJson, formatJsonChunks } from './format-json.js';
import { formatMarkdown } from './format-markdown.js';
import { artifactUri, formatSarif, workingDirectoryUri } from './format-sarif.js';
import { formatTable } from './format-table.js';
import { markdownCell } from './markdown-escape.js';
import { terminalSafe } from './terminal-text.js';

const finding = (overrides: Partial<ComponentFinding> & Pick<ComponentFinding, 'ref' | 'name' | 'verdict'>): ComponentFinding => ({
  version: '1.0.0',
  purl: `pkg:npm/${overrides.name}@1.0.0`,
  raw: { source: 'cyclonedx', choices: [{ kind: 'id', id: 'MIT' }] },
  outcome: 'evaluated',
  expression: 'MIT',
  mappings: [{ from: 'MIT', to: 'MIT', method: 'exact' }],
  decidedBy: { kind: 'rule', rule: { kind: 'category', category: 'permissive', license: 'MIT' } },
  chosenBranch: null,
  combination: { selection: 'all', join: 'single', from: 'licenses', splitLists: 0 },
  notes: [],
  ...overrides,
});

const findings: ComponentFinding[] = [
  finding({ ref: 'a', name: 'left-pad', verdict: 'allow' }),
  finding({
    ref: 'gpl',
    name: 'evil|name <b>@scope/x</b> #1',
    verdict: 'deny',
    raw: { source: 'cyclonedx', choices: [{ kind: 'id', id: 'GPL-2.0' }] },
    expression: 'GPL-2.0-only',
    mappings: [{ from: 'GPL-2.0', to: 'GPL-2.0-only', method: 'deprecated' }],
    decidedBy: { kind: 'rule', rule: { kind: 'category', category: 'strong-copyleft', license: 'GPL-2.0-only' } },
  }),
  finding({
    ref: 'dual',
    name: 'dual',
    verdict: 'review',
    raw: { source: 'cyclonedx', choices: [{ kind: 'name', name: 'Eclipse Public License 2.0', acknowledgement: 'declared' }] },
    expression: 'EPL-2.0',
    mappings: [{ from: 'Eclipse Public License 2.0', to: 'EPL-2.0', method: 'name' }],
    decidedBy: { kind: 'rule', rule: { kind: 'category', category: 'weak-copyleft', license: 'EPL-2.0' } },
  }),
  finding({
    ref: 'none',
    name: 'mystery',
    version: null,
    purl: null,
    verdict: 'review',
    raw: { source: 'cyclonedx', choices: [] },
    outcome: 'missing',
    expression: null,
    mappings: [],
    decidedBy: { kind: 'rule', rule: { kind: 'outcome', outcome: 'missing' } },
  }),
];

const evaluation: SbomEvaluation = {
  verdict: 'fail',
  counts: { total: 4, allow: 1, review: 2, deny: 1 },
  findings,
  documentFindings: [],
  policyVersion: 'f00dfeedcafebabe0123456789',
};

const sbomText = ['{', '  "components": [', '    { "bom-ref": "a" },', '    { "bom-ref": "gpl" },', '    { "bom-ref": "dual" }', '  ]', '}'].join('\n');

const report: CheckReport = {
  file: 'sboms/bom.json',
  format: { kind: 'cyclonedx', encoding: 'json', specVersion: '1.6' },
  documentId: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
  evaluation,
  failOn: 'deny',
  sbomText,
};

describe('exit codes', () => {
  it('fails on deny always, on review only with --fail-on review', () => {
    expect(checkExitCode('pass', 'deny')).toBe(0);
    expect(checkExitCode('review', 'deny')).toBe(0);
    expect(checkExitCode('review', 'review')).toBe(1);
    expect(checkExitCode('fail', 'deny')).toBe(1);
    expect(checkExitCode('fail', 'review')).toBe(1);
  });
});

describe('table', () => {
  it('lists only non-allow findings, worst first, in aligned columns, then a summary', () => {
    const lines = formatTable(report, { all: false }).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^VERDICT\s+COMPONENT\s+LICENSE \(AS WRITTEN\)\s+EVALUATED AS\s+MAPPING\s+DECIDED BY$/);
    expect(lines.slice(1, 4).map((line) => line.split(/\s{2,}/u)[0])).toEqual(['deny', 'review', 'review']);
    expect(lines.join('\n')).not.toContain('left-pad');
    // Aligned: every row's second column starts where the header's does.
    const column = lines[0]?.indexOf('COMPONENT');
    for (const row of lines.slice(1, 4)) expect(row.charAt((column ?? 0) - 1)).toBe(' ');
    expect(lines.at(-1)).toBe(
      'FAIL: 4 components — 1 allow, 2 review, 1 deny (sboms/bom.json, CycloneDX 1.6 JSON, policy f00dfeedcafe, fail on deny)',
    );
    expect(formatTable(report, { all: false, wide: true })).toContain('GPL-2.0 → GPL-2.0-only (deprecated)');
  });

  it('fits 120 columns, cutting the widest cells (marked …); --wide shows every cell in full', () => {
    const long = 'Apache-2.0 AND BSD-3-Clause AND GPL-2.0-only WITH Classpath-exception-2.0 AND LGPL-2.1-or-later AND MPL-2.0';
    const wideFinding = finding({
      ref: 'long',
      name: '@very-long-scope/with-a-very-long-package-name-too',
      verdict: 'deny',
      raw: { source: 'cyclonedx', choices: [{ kind: 'expression', expression: long }] },
      expression: long,
      mappings: [{ from: 'GPL-2.0-with-classpath-exception', to: 'GPL-2.0-only WITH Classpath-exception-2.0', method: 'deprecated' }],
      decidedBy: { kind: 'rule', rule: { kind: 'category', category: 'strong-copyleft', license: 'GPL-2.0-only WITH Classpath-exception-2.0' } },
    });
    const longReport = { ...report, file: 'build/output/of/the/release/pipeline/sboms/bom.cdx.json', evaluation: { ...evaluation, findings: [...findings, wideFinding] } };
    const fitted = formatTable(longReport, { all: true }).trimEnd().split('\n');
    for (const line of fitted) expect(line.length).toBeLessThanOrEqual(120);
    expect(fitted.find((line) => line.startsWith('deny     @very-long-scope'))).toContain('…');
    // The summary's source goes to its own line rather than past the edge.
    expect(fitted.at(-1)).toBe('  (build/output/of/the/release/pipeline/sboms/bom.cdx.json, CycloneDX 1.6 JSON, policy f00dfeedcafe, fail on deny)');

    const wide = formatTable(longReport, { all: true, wide: true });
    expect(wide).toContain(long);
    expect(wide).toContain('@very-long-scope/with-a-very-long-package-name-too@1.0.0');
    expect(wide).toContain('categories.strong-copyleft: GPL-2.0-only WITH Classpath-exception-2.0');
    expect(Math.max(...wide.split('\n').map((line) => line.length))).toBeGreaterThan(120);
  });

  it('--all adds allowed components', () => {
    expect(formatTable(report, { all: true })).toContain('left-pad@1.0.0');
  });

  it('neutralizes terminal control sequences from SBOM text', () => {
    const hostile = { ...report, evaluation: { ...evaluation, findings: [finding({ ref: 'x', name: 'ok\u001b[2J\rforged', verdict: 'deny' })] } };
    const out = formatTable(hostile, { all: false });
    expect(out).not.toContain('\u001b');
    expect(out).toContain('ok\\x1b[2J\\x0dforged');
    expect(terminalSafe('a\u202eb')).toBe('a\\u202eb');
  });
});

describe('json', () => {
  it('is the SbomEvaluation plus where it came from', () => {
    const parsed = JSON.parse(formatJson(report, '1.2.3')) as Record<string, unknown>;
    expect(parsed).toMatchObject({
      tool: { name: 'clearance', version: '1.2.3' },
      sbom: { file: 'sboms/bom.json', format: report.format, formatLabel: 'CycloneDX 1.6 JSON', documentId: report.documentId },
      failOn: 'deny',
      verdict: 'fail',
      counts: evaluation.counts,
      policyVersion: evaluation.policyVersion,
    });
    expect(parsed.findings).toEqual(findings);
  });

  it('written in pieces, is byte for byte the one JSON.stringify of the whole report', () => {
    const many = Array.from({ length: 4_500 }, (_, i) => finding({ ref: `c${i}`, name: `pkg-${i}`, verdict: i % 7 === 0 ? 'review' : 'allow' }));
    const large: CheckReport = { ...report, evaluation: { ...evaluation, findings: many } };
    const chunks = [...formatJsonChunks(large, '1.2.3')];
    expect(chunks.length).toBeGreaterThan(3);
    const whole = JSON.stringify({
      tool: { name: 'clearance', version: '1.2.3' },
      sbom: { file: large.file, format: large.format, formatLabel: 'CycloneDX 1.6 JSON', documentId: large.documentId },
      failOn: large.failOn,
      ...large.evaluation,
    });
    expect(chunks.join('')).toBe(`${whole}\n`);
    expect(formatJson({ ...report, evaluation: { ...evaluation, findings: [] } }, '1.2.3')).toContain('"findings":[]');
  });
});

describe('markdown', () => {
  const markdown = formatMarkdown(report);

  it('has a summary, denied and review tables, and the allowed ones collapsed', () => {
    expect(markdown).toMatch(/^## ❌ Clearance license check: fail\n/u);
    expect(markdown).toContain('4 components — 1 denied, 2 need review, 1 allowed');
    const denied = markdown.indexOf('### Denied (1)');
    const review = markdown.indexOf('### Needs review (2)');
    const details = markdown.indexOf('<details><summary>Allowed (1)</summary>');
    expect(denied).toBeGreaterThan(0);
    expect(review).toBeGreaterThan(denied);
    expect(details).toBeGreaterThan(review);
    expect(markdown.slice(details)).toContain('| left-pad&#64;1.0.0 |');
    expect(markdown).toContain('</details>');
  });

  it('shows how each license was mapped', () => {
    expect(markdown).toContain('GPL-2.0 → GPL-2.0-only (deprecated)');
    expect(markdown).toContain('&quot;Eclipse Public License 2.0&quot; (declared) | EPL-2.0 | Eclipse Public License 2.0 → EPL-2.0 (name)');
    expect(markdown).toContain('categories.strong-copyleft: GPL-2.0-only');
  });

  it('escapes SBOM text so it cannot break the table, inject HTML or mention anyone', () => {
    const row = markdown.split('\n').find((line) => line.includes('evil'));
    expect(row).toBeDefined();
    // Exactly the 7 pipes of a 6-column row: the | in the name is escaped.
    expect(row?.match(/\|/gu)).toHaveLength(7);
    expect(row).toContain('evil&#124;name &lt;b&gt;&#64;scope/x&lt;/b&gt; &#35;1');
    expect(markdownCell('a*b_c`d[e](f)\nnext')).toBe('a\\*b\\_c\\`d\\[e\\](f) next');
  });

  it('stays under the size GitHub accepts for a comment, however large the SBOM', () => {
    const many = Array.from({ length: 20_000 }, (_, i) =>
      finding({ ref: `r${i}`, name: `package-${i}-${'x'.repeat(80)}`, verdict: i % 2 ? 'deny' : 'review' }),
    );
    const big = formatMarkdown({ ...report, evaluation: { ...evaluation, findings: many } });
    expect(big.length).toBeLessThan(65_536);
    expect(big).toMatch(/…and \d+ more/u);
  });
});

describe('sarif', () => {
  const sarif = formatSarif(report, '1.2.3');
  const run = sarif.runs[0];

  it('is SARIF 2.1.0 with one run and a tool driver', () => {
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    expect(sarif.runs).toHaveLength(1);
    expect(run?.tool.driver).toMatchObject({ name: 'Clearance', semanticVersion: '1.2.3' });
    expect(run?.artifacts).toEqual([{ location: { uri: 'sboms/bom.json' }, roles: ['analysisTarget'] }]);
  });

  it('has one rule per deciding policy rule and results for deny (error) and review (warning) only', () => {
    expect(run?.tool.driver.rules?.map((rule) => [rule.id, rule.defaultConfiguration?.level])).toEqual([
      ['categories.strong-copyleft', 'error'],
      ['categories.weak-copyleft', 'warning'],
      ['outcomes.missing', 'warning'],
    ]);
    expect(run?.results?.map((result): unknown[] => [result.properties?.ref, result.level, result.ruleId])).toEqual([
      ['gpl', 'error', 'categories.strong-copyleft'],
      ['dual', 'warning', 'categories.weak-copyleft'],
      ['none', 'warning', 'outcomes.missing'],
    ]);
    for (const result of run?.results ?? []) {
      expect(run?.tool.driver.rules?.[result.ruleIndex ?? -1]?.id).toBe(result.ruleId);
      expect(result.message.text?.length).toBeGreaterThan(0);
      expect(result.partialFingerprints?.['clearanceComponent/v1']).toMatch(/^[0-9a-f]{32}$/u);
    }
  });

  it('points results at the SBOM file, at the component line when its ref is there', () => {
    const [gpl, dual, none] = run?.results ?? [];
    expect(gpl?.locations?.[0]?.physicalLocation).toEqual({ artifactLocation: { uri: 'sboms/bom.json', index: 0 }, region: { startLine: 4 } });
    expect(dual?.locations?.[0]?.physicalLocation?.region).toEqual({ startLine: 5 });
    // A component whose ref is not in the text points at line 1: code scanning needs a region on every result.
    expect(none?.locations?.[0]?.physicalLocation).toEqual({ artifactLocation: { uri: 'sboms/bom.json', index: 0 }, region: { startLine: 1 } });
    expect(gpl?.message.text).toContain('GPL-2.0-only is denied (categories.strong-copyleft: GPL-2.0-only)');
  });

  it('makes artifact URIs code scanning understands', () => {
    expect(artifactUri('./bom.json')).toBe('bom.json');
    expect(artifactUri('/tmp/my bom.json')).toBe('file:///tmp/my%20bom.json');
    expect(artifactUri('C:\\work\\bom.json')).toBe('file:///C:/work/bom.json');
  });

  it('has no results and no rules when everything is allowed', () => {
    const clean = formatSarif({ ...report, evaluation: { ...evaluation, verdict: 'pass', findings: [findings[0] as ComponentFinding] } }, '1');
    expect(clean.runs[0]?.results).toEqual([]);
    expect(clean.runs[0]?.tool.driver.rules).toEqual([]);
  });
});

/** An SBOM with no components: a document finding, and the verdict it gives. */
const emptyReport: CheckReport = {
  ...report,
  evaluation: {
    verdict: 'review',
    counts: { total: 0, allow: 0, review: 0, deny: 0 },
    findings: [],
    documentFindings: [
      {
        kind: 'no-components',
        verdict: 'review',
        decidedBy: { kind: 'rule', rule: { kind: 'outcome', outcome: 'noComponents' } },
        message: 'The document lists no components, so no license was checked.',
      },
    ],
    policyVersion: 'f00dfeedcafebabe0123456789',
  },
};

describe('SARIF that GitHub code scanning accepts', () => {
  // The OASIS SARIF 2.1.0 schema (oasis-tcs/sarif-spec, sarif-2.1/schema/), draft-04: read by ajv as draft-07 with `id` as `$id`.
  const schemaText = readFileSync(new URL('../../fixtures/sarif-schema-2.1.0.json', import.meta.url), 'utf8');
  const { id, $schema: _draft, ...schema } = JSON.parse(schemaText) as { id: string; $schema: string } & Record<string, unknown>;
  const ajv = new Ajv({ strict: false, allErrors: true });
  // ajv-formats is CommonJS: its function is the default export or the module itself.
  const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv) => Ajv;
  addFormats(ajv);
  const validate = ajv.compile({ ...schema, $id: id });

  it('validates against the SARIF 2.1.0 schema, with a region, a rule and a fingerprint on every result', () => {
    for (const log of [formatSarif(report, '1.2.3'), formatSarif(emptyReport, '1.2.3')]) {
      expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
      const run = log.runs[0];
      expect(run?.results?.length).toBeGreaterThan(0);
      for (const result of run?.results ?? []) {
        expect(result.locations?.[0]?.physicalLocation?.region?.startLine).toBeGreaterThanOrEqual(1);
        expect(run?.tool.driver.rules?.[result.ruleIndex ?? -1]?.id).toBe(result.ruleId);
        expect(result.partialFingerprints?.['clearanceComponent/v1']).toMatch(/^[0-9a-f]{32}$/u);
        expect(result.message.text).toMatch(/^[^\s].*\.$/u);
      }
    }
  });

  it('reports an SBOM with no components as a document result at line 1', () => {
    const results = formatSarif(emptyReport, '1').runs[0]?.results ?? [];
    expect(results.map((r) => [r.ruleId, r.level, r.locations?.[0]?.physicalLocation?.region?.startLine])).toEqual([['outcomes.noComponents', 'warning', 1]]);
    expect(results[0]?.message.text).toBe('The document lists no components, so no license was checked. It needs review (outcomes.noComponents).');
  });

  it('gives the same fingerprint to the same component and license in another run', () => {
    const again = formatSarif({ ...report, sbomText: `\n\n${sbomText}` }, '9.9.9');
    const prints = (log: typeof again) => log.runs[0]?.results?.map((r) => r.partialFingerprints?.['clearanceComponent/v1']);
    expect(prints(again)).toEqual(prints(formatSarif(report, '1.2.3')));
  });

  it('makes the URI relative to the working directory', () => {
    expect(workingDirectoryUri('/work/repo/sboms/bom.json', '/work/repo')).toBe('sboms/bom.json');
    expect(workingDirectoryUri('sboms/../bom.json', '/work/repo')).toBe('bom.json');
    expect(workingDirectoryUri('/elsewhere/bom.json', '/work/repo')).toBe('file:///elsewhere/bom.json');
  });
});

describe('markdown never prints an empty table', () => {
  const tableHeaders = (markdown: string): number => markdown.split('\n').filter((line) => line.startsWith('| Component |')).length;
  const rowsAfterHeaders = (markdown: string): boolean => {
    const lines = markdown.split('\n');
    return lines.every((line, index) => !line.startsWith('|---') || (lines[index + 1] ?? '').startsWith('| '));
  };

  it('shows the document finding, and no table, for an SBOM with no components', () => {
    const markdown = formatMarkdown(emptyReport);
    expect(markdown).toContain('**Needs review:** The document lists no components, so no license was checked. (outcomes.noComponents)');
    expect(tableHeaders(markdown)).toBe(0);
    expect(markdown).not.toContain('No component is denied or needs review.');
  });

  it('writes no table header whose rows did not fit the comment', () => {
    const long = Array.from({ length: 400 }, (_, i) => finding({ ref: `r${i}`, name: `p${i}-${'x'.repeat(150)}`, verdict: 'deny' }));
    const allowed = Array.from({ length: 40 }, (_, i) => finding({ ref: `a${i}`, name: `a${i}`, verdict: 'allow' }));
    const markdown = formatMarkdown({ ...report, evaluation: { ...evaluation, findings: [...long, ...allowed] } });
    expect(rowsAfterHeaders(markdown)).toBe(true);
    expect(tableHeaders(markdown)).toBe(1);
    expect(markdown).toContain('40 not listed here: the comment is full (the JSON format lists all).');
  });
});
