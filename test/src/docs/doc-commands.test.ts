import { createProgram } from '@clearance/cli';
import { describe, expect, it } from 'vitest';
import { checkInvocation, invocationsIn, type CliInvocation } from './cli-invocations.js';
import { parseDoc, projectDocs, readDoc } from './markdown-docs.js';

const program = createProgram();

const invocationsOf = (file: string, options: { spans: boolean }): CliInvocation[] => {
  const doc = readDoc(file);
  const commands = doc.shellLines.flatMap(invocationsIn);
  // Inline, the bare name (`clearance`) or a placeholder (`clearance <command>`) names the tool: no invocation.
  const inline = options.spans ? doc.codeSpans.flatMap(invocationsIn).filter((invocation) => invocation.args.length > 0) : [];
  return [...commands, ...inline];
};

const problemsOf = (invocations: readonly CliInvocation[]): string[] =>
  invocations.flatMap((invocation) => {
    const { problem } = checkInvocation(program, invocation.args);
    return problem === null ? [] : [`${invocation.file}:${invocation.line}: ${invocation.text.trim()}\n  ${problem}`];
  });

describe('the CLI commands in the docs', () => {
  it('every command in a fenced block or inline code of the docs names a subcommand and options the CLI has', () => {
    const invocations = projectDocs().flatMap((file) => invocationsOf(file, { spans: true }));
    expect(problemsOf(invocations)).toEqual([]);
  });

  it("the README's tour runs the commands of every user's job", () => {
    const paths = new Set(invocationsOf('README.md', { spans: false }).map((invocation) => checkInvocation(program, invocation.args).path));
    for (const job of ['token create', 'policy validate', 'submit', 'status', 'queue', 'approve', 'reject', 'check', 'audit search', 'audit export', 'audit verify-bundle', 'audit report']) {
      expect(paths, `README.md runs no "${job}" command`).toContain(job);
    }
  });
});

describe('the command checker', () => {
  const markdown = [
    '```sh',
    'npm run clearance -- check bom.json --format sarif   # fine',
    'npx clearance audit verify-bundle dossier/ \\',
    '  --key-id 3f9a --json',
    'export CLEARANCE_TOKEN=clr_x && clearance no-such-command',
    'clearance audit nope',
    'npm run clearance -- check bom.json --no-such-flag',
    'clearance token',
    'echo clearance check   # not at a command position',
    '# clearance nothing: a comment',
    '```',
    '',
    'Inline: `clearance approve ctr_1 --stage=2` and `clearance approve ctr_1 --stages 2`.',
  ].join('\n');
  const doc = parseDoc('sample.md', markdown);
  const invocations = [...doc.shellLines, ...doc.codeSpans].flatMap(invocationsIn);

  it('finds each launcher form, joins continued lines, and skips comments and arguments', () => {
    expect(invocations.map((invocation) => [invocation.line, invocation.args.join(' ')])).toEqual([
      [2, 'check bom.json --format sarif'],
      [3, 'audit verify-bundle dossier/ --key-id 3f9a --json'],
      [5, 'no-such-command'],
      [6, 'audit nope'],
      [7, 'check bom.json --no-such-flag'],
      [8, 'token'],
      [13, 'approve ctr_1 --stage=2'],
      [13, 'approve ctr_1 --stages 2'],
    ]);
  });

  it('names what does not exist', () => {
    expect(invocations.map((invocation) => checkInvocation(program, invocation.args).problem)).toEqual([
      null,
      null,
      expect.stringMatching(/^"no-such-command" is not a subcommand of clearance \(it has: serve, worker, /),
      expect.stringMatching(/^"nope" is not a subcommand of audit \(it has: search, verify, export/),
      'check has no option --no-such-flag',
      expect.stringMatching(/^token needs a subcommand \(create, list, revoke\)/),
      null,
      'approve has no option --stages',
    ]);
  });
});
