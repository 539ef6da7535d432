import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { VerifyChildConfig, VerifyChildResult } from './audit-verify-child.js';

/** The audit benchmark's verification runs: each in a child process, single-threaded beside all cores. */
const childScript = fileURLToPath(new URL('./audit-verify-child.js', import.meta.url));

const fmt = (value: number, digits = 0): string =>
  Number.isFinite(value) ? value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a';

export interface Row {
  step: string;
  figure: string;
  target: string;
  holds: string;
}

export interface ChildRun {
  wallMs: number;
  peakRssMiB: number;
  rssSource: string;
  result: VerifyChildResult;
}

/**
 * Runs the verification child under GNU time (`-f %M`: the kernel's ru_maxrss
 * of the node process, read from outside), killing its process group at the
 * deadline. Without GNU time, the child's own maxRSS is the figure.
 */
export const runVerifyChild = (
  config: VerifyChildConfig,
  workDir: string,
  deadline: number,
  cpuProfDir: string | null,
  onSpawn: (kill: () => void) => void,
): Promise<ChildRun> => {
  const configPath = join(workDir, 'verify-config.json');
  const resultPath = join(workDir, 'verify-result.json');
  const rssPath = join(workDir, 'verify-rss.txt');
  writeFileSync(configPath, JSON.stringify(config));
  const nodeArgs = [...(cpuProfDir === null ? [] : ['--cpu-prof', '--cpu-prof-dir', cpuProfDir]), childScript, configPath, resultPath];
  const gnuTime = existsSync('/usr/bin/time');
  const [command, argv] = gnuTime ? ['/usr/bin/time', ['-f', '%M', '-o', rssPath, process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
  return new Promise((resolve, reject) => {
    const start = performance.now();
    // detached: its own process group, so the kill reaches node under time as well.
    const child = spawn(command, argv, { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const kill = (): void => {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, 'SIGKILL');
    };
    onSpawn(kill);
    const timer = setTimeout(kill, Math.max(0, deadline - Date.now()));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const wallMs = performance.now() - start;
      if (code !== 0 || !existsSync(resultPath)) {
        reject(new Error(`the verification child ended with ${signal ?? `exit code ${code}`}${signal === 'SIGKILL' ? ' (deadline)' : ''}:\n${stderr}`));
        return;
      }
      const result = JSON.parse(readFileSync(resultPath, 'utf8')) as VerifyChildResult;
      // GNU time appends its own lines on failure; the figure is the last number.
      const timed = gnuTime ? Number((readFileSync(rssPath, 'utf8').match(/\d+/gu) ?? []).at(-1)) : Number.NaN;
      resolve(
        Number.isFinite(timed)
          ? { wallMs, peakRssMiB: timed / 1024, rssSource: '/usr/bin/time -f %M', result }
          : { wallMs, peakRssMiB: result.maxRssKiB / 1024, rssSource: 'child process.resourceUsage().maxRSS', result },
      );
    });
  });
};

const TARGET_MS = 5_000;
const TARGET_RSS_MB = 300;

/** Rows for one verification (database walk or bundle): each run's time and peak RSS, and whether all verified. */
export const verifyRows = (mode: 'db' | 'bundle', runs: readonly { threads: number; run: ChildRun }[], expectedEvents: number, checkpoints: number): Row[] => {
  const what = mode === 'db' ? 'verify DB walk (verifyAuditLog)' : 'verify bundle (verifyBundle)';
  const baseline = runs[0]?.run.wallMs ?? Number.NaN;
  return runs.flatMap(({ threads, run }) => {
    const parallel = threads > 1;
    const rssMB = (run.peakRssMiB * 2 ** 20) / 1e6;
    const { result } = run;
    const all = result.ok && result.eventCount === expectedEvents && result.checkpointsVerified === checkpoints;
    return [
      {
        step: `${what}, ${threads} thread${parallel ? 's' : ''}${parallel ? '' : ' (baseline)'}`,
        figure:
          `${fmt(run.wallMs / 1_000, 2)} s whole process; in verify ${fmt(result.verifyMs / 1_000, 2)} s (CPU ${fmt(result.verifyCpuMs / 1_000, 2)} s)` +
          (parallel ? `; ${fmt(baseline / run.wallMs, 2)}× the baseline` : ''),
        target: parallel ? `< ${TARGET_MS / 1_000} s` : '—',
        holds: parallel ? (run.wallMs < TARGET_MS ? 'yes' : 'NO') : '—',
      },
      {
        step: `${what}, ${threads} thread${parallel ? 's' : ''}: peak RSS (${run.rssSource})`,
        figure: `${fmt(rssMB)} MB (${fmt(run.peakRssMiB)} MiB)`,
        target: `< ${TARGET_RSS_MB} MB`,
        holds: rssMB < TARGET_RSS_MB ? 'yes' : 'NO',
      },
      {
        step: `${what}, ${threads} thread${parallel ? 's' : ''}: result`,
        figure: `ok=${result.ok}, ${fmt(result.eventCount)} events, ${result.checkpointsVerified}/${checkpoints} checkpoints, ${result.problemCount} problems`,
        target: 'all events and checkpoints verified',
        holds: all ? 'yes' : 'NO',
      },
    ];
  });
};
