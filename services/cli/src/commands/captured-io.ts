import { writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { NoticeIo } from './notice.js';

/** What an in-process command run printed and the exit code it set. */
export interface CapturedRun {
  code: number | undefined;
  stdout: string;
  stderr: string;
}

/**
 * The io of `check` and `notice` for in-process tests: output captured as
 * text, stdin from a string, stderr not a terminal, files written for real.
 */
export const capturedIo = (stdin = '', now = new Date('2026-01-01T00:00:00Z')): { run: CapturedRun; io: NoticeIo } => {
  const run: CapturedRun = { code: undefined, stdout: '', stderr: '' };
  const io: NoticeIo = {
    stdout: {
      write: (text: string, callback: (error?: Error | null) => void) => {
        run.stdout += text;
        callback();
        return true;
      },
    },
    stderr: { write: (text: string) => (run.stderr += text), isTTY: false },
    stdin: Readable.from([Buffer.from(stdin)]),
    setExitCode: (code) => {
      run.code = code;
    },
    now: () => now,
    writeFile: (path, text) => writeFile(path, text),
  };
  return { run, io };
};
