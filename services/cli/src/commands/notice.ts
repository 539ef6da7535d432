import { writeFile } from 'node:fs/promises';
import { AppError, buildNotice, defaultSbomLimits, evaluateSbom, noticeFormats, parseSbom, renderNotice, type NoticeFormat } from '@clearance/core';
import { loadDefaultPolicy, loadPolicyDir } from '@clearance/policy';
import { Option, type Command } from 'commander';
import { readSbomFile } from '../check/read-sbom-file.js';
import { processIo, write, type CheckIo } from './check.js';

/** What `notice` touches outside itself; tests pass their own. */
export interface NoticeIo extends CheckIo {
  writeFile(path: string, text: string): Promise<void>;
}

interface NoticeOptions {
  policy?: string;
  format: NoticeFormat;
  out?: string;
  strict: boolean;
}

/**
 * `clearance notice <sbom>`: the attribution document of an SBOM, offline,
 * from the same parser, evaluator and NOTICE builder as the API's
 * `GET /sboms/:id/notice`. Exit 0; 1 with `--strict` when some component's
 * license text could not be produced; 2 bad input or usage (an AppError that
 * main.ts prints as one line).
 */
export function registerNoticeCommand(program: Command, io: NoticeIo = { ...processIo(), writeFile: (path, text) => writeFile(path, text) }): Command {
  return program
    .command('notice')
    .description('write the attribution NOTICE of an SBOM: components, copyright lines and every license text, offline')
    .argument('<sbom>', 'the SBOM file, or - for stdin')
    .option('--policy <dir>', 'policy folder whose license aliases resolve names (default: the policies/ shipped with Clearance)')
    .addOption(new Option('--format <format>', 'output format').choices(noticeFormats).default('text'))
    .option('--out <file>', 'write the NOTICE to this file instead of stdout')
    .option('--strict', 'exit 1 when any component has no license text that can be produced', false)
    .action(async (file: string, options: NoticeOptions) => {
      io.setExitCode(await runNotice(file, options, io));
    });
}

export const runNotice = async (file: string, options: NoticeOptions, io: NoticeIo): Promise<0 | 1> => {
  const policy = options.policy ? await loadPolicyDir(options.policy) : await loadDefaultPolicy();
  const parsed = parseSbom(await readSbomFile(file, defaultSbomLimits.maxBytes, io.stdin));
  const evaluation = evaluateSbom(parsed.components, policy.licenses, { waivers: [], now: io.now(), policyVersion: policy.version });
  const notice = buildNotice({ sbom: parsed, findings: evaluation.findings });
  const text = renderNotice(notice, options.format);
  if (options.out === undefined) await write(io, text);
  else await writeOut(io, options.out, text);
  const missing = new Set(notice.unavailable.flatMap((gap) => gap.items.map((item) => item.component))).size;
  if (options.out !== undefined || missing > 0) {
    io.stderr.write(
      `NOTICE: ${notice.components.length} components, ${notice.texts.length} license texts` +
        `${missing > 0 ? `; ${missing} components without a license text (${notice.unavailable.map((gap) => gap.reason).join(', ')})` : ''}` +
        `${options.out === undefined ? '' : `; written to ${options.out}`}\n`,
    );
  }
  return options.strict && missing > 0 ? 1 : 0;
};

const writeOut = async (io: NoticeIo, path: string, text: string): Promise<void> => {
  try {
    await io.writeFile(path, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    const reason = code === 'ENOENT' ? 'no such directory' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a directory' : String(error);
    throw new AppError('validation_failed', `cannot write NOTICE ${path}: ${reason}`, undefined, { cause: error });
  }
};
