import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { evaluateSbom, formatLabel, isAppError, parseSbom, type ComponentFinding, type LicensePolicy } from '@clearance/core';

/**
 * The real-SBOM corpus (test/fixtures/corpus, README there): every file and
 * the outcome Clearance gives it under the default policy. The expected
 * outcomes live beside each file as `<file>.expected.json`; the generated part
 * (`outcome`) is rewritten by `npm run -w @clearance/test corpus:expected --
 * --write`, the hand-checked part (`named`) never is.
 */
export const corpusRoot = fileURLToPath(new URL('../../../fixtures/corpus/', import.meta.url));
export const expectedSuffix = '.expected.json';

export type Outcome =
  | {
      accepted: true;
      format: string;
      components: number;
      extractedLicenses: number;
      verdict: string;
      counts: { allow: number; review: number; deny: number };
    }
  | { accepted: false; code: string; reason: string };

/** A component's verdict checked by hand against the file: who, what we expect, and why. */
export interface NamedVerdict {
  ref: string;
  verdict: 'allow' | 'review' | 'deny';
  why: string;
}

export interface ExpectedFile {
  outcome: Outcome;
  named: NamedVerdict[];
}

export const corpusFiles = (): string[] => {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (!entry.name.endsWith(expectedSuffix) && entry.name !== 'README.md') files.push(relative(corpusRoot, path));
    }
  };
  walk(corpusRoot);
  return files.sort();
};

export interface Evaluated {
  outcome: Outcome;
  findings: ComponentFinding[];
}

/** The one place the corpus meets the pipeline: parse, then evaluate under the given policy. */
export const evaluateCorpusFile = (file: string, policy: { licenses: LicensePolicy; version: string }): Evaluated => {
  let parsed;
  try {
    parsed = parseSbom(readFileSync(join(corpusRoot, file)));
  } catch (error) {
    if (!isAppError(error)) throw error;
    const reason = (error.details as { reason?: string } | undefined)?.reason ?? 'none';
    return { outcome: { accepted: false, code: error.code, reason }, findings: [] };
  }
  const evaluation = evaluateSbom(parsed.components, policy.licenses, { waivers: [], now: new Date('2026-01-01T00:00:00Z'), policyVersion: policy.version });
  const { allow, review, deny } = evaluation.counts;
  return {
    outcome: {
      accepted: true,
      format: formatLabel(parsed.format),
      components: parsed.components.length,
      extractedLicenses: parsed.extractedLicenses?.length ?? 0,
      verdict: evaluation.verdict,
      counts: { allow, review, deny },
    },
    findings: evaluation.findings,
  };
};

export const readExpected = (file: string): ExpectedFile | null => {
  try {
    return JSON.parse(readFileSync(join(corpusRoot, `${file}${expectedSuffix}`), 'utf8')) as ExpectedFile;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
};
