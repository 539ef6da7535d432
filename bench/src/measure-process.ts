import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ProcessFigures {
  wallMs: number;
  /** Peak resident set size of the child, in MiB. */
  peakRssMiB: number;
  exitCode: number | null;
  stderr: string;
}

export type RssMethod = 'gnu-time' | 'preload';

/** GNU time's `-f %M` when it is there (it measures the child from outside); else a preload that reports getrusage at exit. */
export const rssMethod = (): RssMethod =>
  spawnSync('/usr/bin/time', ['-f', '%M', '-o', '/dev/null', 'true']).status === 0 ? 'gnu-time' : 'preload';

/**
 * Runs `node <args>` with stdout to /dev/null and measures whole-process wall
 * time (spawn to exit, startup included) and peak RSS. Both methods read the
 * kernel's ru_maxrss of the node process itself; nothing is sampled.
 */
export const measureNode = (args: readonly string[], workDir: string, method: RssMethod): Promise<ProcessFigures> => {
  const rssFile = join(workDir, `rss-${process.hrtime.bigint()}.txt`);
  let command: string;
  let argv: string[];
  if (method === 'gnu-time') {
    command = '/usr/bin/time';
    argv = ['-f', '%M', '-o', rssFile, process.execPath, ...args];
  } else {
    const preload = join(workDir, 'report-rss.mjs');
    writeFileSync(
      preload,
      "import { writeFileSync } from 'node:fs';\n" +
        "process.on('exit', () => writeFileSync(process.env.CLEARANCE_BENCH_RSS_FILE, String(process.resourceUsage().maxRSS)));\n",
    );
    command = process.execPath;
    argv = ['--import', preload, ...args];
  }
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(command, argv, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, CLEARANCE_BENCH_RSS_FILE: rssFile },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (exitCode) => {
      const wallMs = performance.now() - start;
      let peakKiB = Number.NaN;
      try {
        // GNU time appends its own lines on failure; the figure is the last number.
        const numbers = readFileSync(rssFile, 'utf8').match(/\d+/gu) ?? [];
        peakKiB = Number(numbers.at(-1));
        rmSync(rssFile, { force: true });
      } catch {
        // No figure: reported as NaN rather than guessed.
      }
      resolve({ wallMs, peakRssMiB: peakKiB / 1024, exitCode, stderr });
    });
  });
};
