import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDefaultPolicy } from '@clearance/policy';
import { corpusFiles, corpusRoot, evaluateCorpusFile, expectedSuffix, readExpected } from './corpus-outcome.js';

/**
 * `npm run -w @clearance/test corpus:expected [-- --write]`: prints every
 * corpus file whose generated outcome differs from its expected file; with
 * --write, rewrites the `outcome` part and keeps the hand-checked `named`
 * verdicts as they are (a changed named verdict is for a person to judge,
 * so it is only reported).
 */
const write = process.argv.includes('--write');
const policy = await loadDefaultPolicy();
let differing = 0;
for (const file of corpusFiles()) {
  const expected = readExpected(file);
  const { outcome, findings } = evaluateCorpusFile(file, policy);
  for (const named of expected?.named ?? []) {
    const actual = findings.find((finding) => finding.ref === named.ref)?.verdict ?? 'missing';
    if (actual !== named.verdict) process.stdout.write(`${file}: named ${named.ref} is ${actual}, expected ${named.verdict} (not rewritten)\n`);
  }
  if (JSON.stringify(expected?.outcome) === JSON.stringify(outcome)) continue;
  differing++;
  process.stdout.write(`${file}: ${JSON.stringify(expected?.outcome ?? null)} -> ${JSON.stringify(outcome)}\n`);
  if (write) writeFileSync(join(corpusRoot, `${file}${expectedSuffix}`), `${JSON.stringify({ outcome, named: expected?.named ?? [] }, null, 2)}\n`);
}
process.stdout.write(`${differing} of ${corpusFiles().length} outcomes differ${write ? ' (rewritten)' : ''}\n`);
if (differing > 0 && !write) process.exitCode = 1;
