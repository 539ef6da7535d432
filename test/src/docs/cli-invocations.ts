import { parse, type ParseEntry } from 'shell-quote';
import type { DocSnippet } from './markdown-docs.js';

/** The ways the docs may run the CLI: the bin, through npx, or through the root package's script. */
const launchers: readonly (readonly string[])[] = [
  ['npm', 'run', 'clearance', '--'],
  ['npx', 'clearance'],
  ['clearance'],
];

export interface CliInvocation extends DocSnippet {
  /** How the docs run the CLI: `clearance`, `npx clearance` or `npm run clearance --`. */
  launcher: readonly string[];
  /** The arguments after the launcher, up to the first shell operator or comment. */
  args: string[];
}

/** What the checker reads of a commander program (structurally, so any commander version fits). */
export interface Command {
  name(): string;
  aliases(): string[];
  readonly commands: readonly Command[];
  readonly options: readonly { long?: string | undefined; short?: string | undefined }[];
}

const isWord = (entry: ParseEntry): entry is string => typeof entry === 'string';
const isAssignment = (word: string): boolean => /^[A-Za-z_][A-Za-z0-9_]*=/.test(word);

/**
 * Every CLI invocation in a line of shell: at the start of each simple command
 * (after `&&`, `|`, `;`, …, and after `VAR=value` prefixes), a launcher
 * followed by its arguments. Variables stay as written (`$X`), comments end
 * the line, so `# or: clearance …` in a comment is not an invocation.
 */
export const invocationsIn = (snippet: DocSnippet): CliInvocation[] => {
  const entries = parse(snippet.text, (name) => `$${name}`);
  const found: CliInvocation[] = [];
  let commandStart = true;
  for (let index = 0; index < entries.length; index += 1) {
    const entry = entries[index];
    if (entry === undefined) continue;
    if (!isWord(entry)) {
      if ('comment' in entry) break;
      commandStart = 'op' in entry && entry.op !== 'glob';
      continue;
    }
    if (!commandStart) continue;
    if (isAssignment(entry)) continue;
    commandStart = false;
    const launcher = launchers.find((words) => words.every((word, offset) => entries[index + offset] === word));
    if (launcher === undefined) continue;
    const args: string[] = [];
    for (const arg of entries.slice(index + launcher.length)) {
      if (isWord(arg)) args.push(arg);
      else if ('op' in arg && arg.op === 'glob') args.push(arg.pattern);
      else break;
    }
    found.push({ ...snippet, launcher, args });
  }
  return found;
};

const helpFlags = new Set(['-h', '--help']);

const findSubcommand = (command: Command, name: string): Command | undefined =>
  command.commands.find((sub) => sub.name() === name || sub.aliases().includes(name));

const knowsOption = (commands: readonly Command[], flag: string): boolean =>
  helpFlags.has(flag) || commands.some((command) => command.options.some((option) => option.long === flag || option.short === flag));

/** The command path an invocation reaches (e.g. `audit verify-bundle`), or why it does not exist. */
export const checkInvocation = (program: Command, args: readonly string[]): { path: string; problem: string | null } => {
  const chain: Command[] = [program];
  let current = program;
  for (const arg of args) {
    if (arg.startsWith('-')) continue;
    if (current.commands.length === 0) break;
    const sub = findSubcommand(current, arg);
    if (sub === undefined) {
      const known = current.commands.map((command) => command.name()).join(', ');
      return { path: chain.slice(1).map((command) => command.name()).join(' '), problem: `"${arg}" is not a subcommand of ${current.name()} (it has: ${known})` };
    }
    chain.push(sub);
    current = sub;
  }
  const path = chain.slice(1).map((command) => command.name()).join(' ');
  const asksHelp = args.some((arg) => helpFlags.has(arg));
  if (current.commands.length > 0 && !asksHelp) {
    return { path, problem: `${path === '' ? 'clearance' : path} needs a subcommand (${current.commands.map((command) => command.name()).join(', ')})` };
  }
  for (const arg of args) {
    if (!arg.startsWith('-') || arg === '-') continue;
    const flag = arg.split('=')[0] ?? arg;
    if (!knowsOption(chain, flag)) return { path, problem: `${path} has no option ${flag}` };
  }
  return { path, problem: null };
};
