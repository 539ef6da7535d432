#!/usr/bin/env -S node --min-semi-space-size=16
// npm links a package's bins at install time, and only when the target file
// exists: a fresh clone has no dist/ yet, so the bin points here (committed)
// rather than at dist/main.js, and `clearance` exists right after `npm install`.
import { existsSync } from 'node:fs';
import process from 'node:process';
import { URL } from 'node:url';

const main = new URL('../dist/main.js', import.meta.url);
if (!existsSync(main)) {
  process.stderr.write('clearance: the CLI is not built yet: run `npm run build` in the Clearance folder first\n');
  process.exitCode = 2;
} else {
  await import(main.href);
}
