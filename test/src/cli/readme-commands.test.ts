import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createProgram } from '@clearance/cli';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);

/** The three ways the docs write a command; each must work in a clone after `npm install` and `npm run build`. */
const forms = [
  { name: 'npx clearance', prefix: ['npx', 'clearance'] },
  { name: 'npm run clearance --', prefix: ['npm', 'run', '--silent', 'clearance', '--'] },
  // Bare `clearance`: what `npx`, npm scripts and a PATH with node_modules/.bin all find.
  { name: 'clearance', prefix: ['clearance'] },
] as const;

interface DocCommand {
  form: (typeof forms)[number];
  /** The subcommand path the line names, as commander knows it: ['audit', 'verify-bundle']. */
  path: string[];
  line: string;
  file: string;
}

/** Lines inside fenced code blocks, read at test time so the test follows the docs wherever they move. */
async function fencedLines(file: string): Promise<string[]> {
  const lines: string[] = [];
  let fenced = false;
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    else if (fenced) lines.push(line.trim());
  }
  return lines;
}

async function docFiles(): Promise<string[]> {
  const docs = await readdir(join(root, 'docs')).catch(() => [] as string[]);
  return [join(root, 'README.md'), ...docs.filter((name) => name.endsWith('.md')).map((name) => join(root, 'docs', name))];
}

/** What the test needs of a commander Command (the CLI has its own copy of commander). */
interface CommandTree {
  name(): string;
  aliases(): string[];
  readonly commands: readonly CommandTree[];
}

/** The longest run of words after the form that names nested subcommands. */
function subcommandPath(program: CommandTree, words: readonly string[]): string[] {
  const path: string[] = [];
  let command = program;
  for (const word of words) {
    const next = command.commands.find((sub) => sub.name() === word || sub.aliases().includes(word));
    if (next === undefined) break;
    path.push(word);
    command = next;
  }
  return path;
}

async function docCommands(): Promise<DocCommand[]> {
  const program = createProgram();
  const found: DocCommand[] = [];
  for (const file of await docFiles()) {
    for (const line of await fencedLines(file)) {
      const text = line.replace(/^\$\s+/, '');
      // Longest form first: "npx clearance" also ends in "clearance".
      const form = forms.find((candidate) => text.startsWith(`${candidate.name} `));
      if (form === undefined) continue;
      const words = text.slice(form.name.length).trim().split(/\s+/);
      found.push({ form, path: subcommandPath(program, words), line, file: file.slice(root.length) });
    }
  }
  return found;
}

const commands = await docCommands();
// One run per form and subcommand: the same `--help` says the same thing twice.
const distinct = [...new Map(commands.map((command) => [`${command.form.name}|${command.path.join(' ')}`, command])).values()];

describe('the commands the README and docs show', () => {
  it('include every form a new user is told to type', () => {
    const used = new Set(commands.map((command) => command.form.name));
    expect([...used].sort()).toEqual(forms.map((form) => form.name).sort());
  });

  it('each name a subcommand the CLI has', () => {
    const unknown = commands.filter((command) => command.path.length === 0).map((command) => `${command.file}: ${command.line}`);
    expect(unknown).toEqual([]);
  });

  it.each(distinct.map((command) => [`${command.form.name} ${command.path.join(' ')}`, command] as const))('%s --help runs in the clone', async (_title, command) => {
    const [executable, ...prefix] = command.form.prefix;
    const { stdout } = await run(executable ?? 'npx', [...prefix, ...command.path, '--help'], {
      cwd: root,
      // What npm scripts and `npx` put first on the PATH; bare `clearance` is found there.
      env: { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH ?? ''}` },
    });
    expect(stdout).toMatch(new RegExp(`^Usage: clearance ${command.path.join(' ')}`));
  });
});
