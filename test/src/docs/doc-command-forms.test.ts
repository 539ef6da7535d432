import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createProgram } from '@clearance/cli';
import { describe, expect, it } from 'vitest';
import { checkInvocation, invocationsIn } from './cli-invocations.js';
import { projectDocs, readDoc, repoRoot } from './markdown-docs.js';

const run = promisify(execFile);
const program = createProgram();

/** Every command in the docs' fenced blocks, by the form it is written in and the subcommand it reaches. */
const invocations = projectDocs()
  .flatMap((file) => readDoc(file).shellLines.flatMap(invocationsIn))
  .map((invocation) => ({ ...invocation, path: checkInvocation(program, invocation.args).path }))
  .filter((invocation) => invocation.path !== '');
// One run per form and subcommand: the same `--help` says the same thing twice.
const distinct = [...new Map(invocations.map((invocation) => [`${invocation.launcher.join(' ')}|${invocation.path}`, invocation])).values()];

/**
 * The commands run as a new user would type them in the clone after
 * `npm install` and a build: bare `clearance` is what `npx`, npm scripts and a
 * PATH with node_modules/.bin find, so that folder comes first on the PATH.
 */
describe('every form of CLI command the docs show runs in the clone', () => {
  it('the docs use all three forms', () => {
    expect(new Set(invocations.map((invocation) => invocation.launcher.join(' ')))).toEqual(new Set(['clearance', 'npx clearance', 'npm run clearance --']));
  });

  it.each(distinct.map((invocation) => [`${invocation.launcher.join(' ')} ${invocation.path}`, invocation] as const))('%s --help', async (_title, invocation) => {
    const [executable, ...launcher] = invocation.launcher[0] === 'npm' ? ['npm', 'run', '--silent', 'clearance', '--'] : invocation.launcher;
    const { stdout } = await run(executable ?? 'npx', [...launcher, ...invocation.path.split(' '), '--help'], {
      cwd: repoRoot,
      env: { ...process.env, PATH: `${join(repoRoot, 'node_modules', '.bin')}:${process.env.PATH ?? ''}` },
    });
    expect(stdout).toMatch(new RegExp(`^Usage: clearance ${invocation.path}`));
  });
});
