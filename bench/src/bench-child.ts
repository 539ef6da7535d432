import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';

// The processes a bench starts (the server, a worker, the bare Express
// baseline): spawning them, waiting for what they must reach, stopping them.

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });

/** A child process whose last stderr is kept for the error message if it dies. */
export interface Child {
  process: ChildProcess;
  stderr(): string;
  exited(): boolean;
}

export const spawnNode = (args: string[], env: NodeJS.ProcessEnv, onStdout?: (text: string) => void): Child => {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', onStdout ? 'pipe' : 'ignore', 'pipe'] });
  let stderr = '';
  let exited = false;
  child.stderr?.on('data', (data: Buffer) => {
    stderr = (stderr + data.toString('utf8')).slice(-4_000);
  });
  child.stdout?.on('data', (data: Buffer) => onStdout?.(data.toString('utf8')));
  child.once('exit', () => {
    exited = true;
  });
  return { process: child, stderr: () => stderr, exited: () => exited };
};

export const stopChild = async (child: Child): Promise<void> => {
  if (child.exited()) return;
  const exited = new Promise<void>((resolve) => child.process.once('exit', () => resolve()));
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
};

/** Polls `probe` every 100 ms until it is true; fails after `timeoutMs` or when `child` dies. */
export const pollUntil = async (what: string, probe: () => Promise<boolean>, timeoutMs: number, child?: Child): Promise<number> => {
  const started = Date.now();
  for (;;) {
    if (child?.exited()) throw new Error(`the server exited while waiting for ${what}:\n${child.stderr()}`);
    if (await probe().catch(() => false)) return Date.now() - started;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};
