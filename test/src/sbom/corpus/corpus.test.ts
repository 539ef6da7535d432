import { loadDefaultPolicy } from '@clearance/policy';
import { describe, expect, it } from 'vitest';
import { corpusFiles, evaluateCorpusFile, readExpected } from './corpus-outcome.js';

const policy = await loadDefaultPolicy();
const files = corpusFiles();

describe('real-SBOM corpus under the default policy', () => {
  it('has at least 60 files, each with an expected outcome', () => {
    expect(files.length).toBeGreaterThanOrEqual(60);
    expect(files.filter((file) => readExpected(file) === null)).toEqual([]);
  });

  it.each(files)('%s', (file) => {
    const expected = readExpected(file);
    const { outcome, findings } = evaluateCorpusFile(file, policy);
    expect(outcome).toEqual(expected?.outcome);
    for (const named of expected?.named ?? []) {
      const finding = findings.find((candidate) => candidate.ref === named.ref);
      expect(finding?.verdict, `${named.ref}: ${named.why}`).toBe(named.verdict);
    }
  });
});
