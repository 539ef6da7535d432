import { execFile, spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../support/wait-for.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);

/** Why the stack cannot be brought up here, or null when Docker Compose and a daemon answer. */
function dockerUnavailable(): string | null {
  const compose = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
  if (compose.error !== undefined || compose.status !== 0) return 'no Docker Compose (`docker compose version` fails)';
  const daemon = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8' });
  if (daemon.status !== 0) return 'no Docker daemon answers (`docker info` fails)';
  return null;
}

interface ComposeFile {
  services: Record<string, { environment?: Record<string, string>; volumes?: string[] }>;
  volumes?: Record<string, unknown>;
}

const composeFile = async (): Promise<ComposeFile> => parse(await readFile(`${root}docker-compose.yml`, 'utf8'), { merge: true }) as ComposeFile;

describe('docker-compose.yml and the Dockerfile', () => {
  it('follow the Compose Specification (the schema `docker compose config` validates against)', async () => {
    // Ajv knows draft-07 by its http:// id, the schema names it by https://: the meta-schema line is dropped.
    const { $schema: _draft, ...schema } = JSON.parse(await readFile(`${root}test/fixtures/compose-spec/compose-spec.json`, 'utf8')) as Record<string, unknown>;
    // The schema names formats (durations, ports) that only Compose itself checks.
    const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
    const valid = validate(await composeFile());
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it("keep the API's data folder (signing key, checkpoint files) in a named volume", async () => {
    const dockerfile = await readFile(`${root}Dockerfile`, 'utf8');
    const dataDir = /^ENV CLEARANCE_DATA_DIR=(\S+)$/m.exec(dockerfile)?.[1];
    expect(dataDir).toBeDefined();
    const compose = await composeFile();
    const mounts = (compose.services.api?.volumes ?? []).map((mount) => mount.split(':'));
    const mount = mounts.find(([, target]) => target === dataDir);
    expect(mount, `the api service mounts a volume at ${dataDir ?? '?'}`).toBeDefined();
    expect(Object.keys(compose.volumes ?? {})).toContain(mount?.[0]);
  });

  it('install dependencies from the manifests alone, before the sources are copied', async () => {
    const dockerfile = await readFile(`${root}Dockerfile`, 'utf8');
    const workspaces = (JSON.parse(await readFile(`${root}package.json`, 'utf8')) as { workspaces: string[] }).workspaces;
    const lines = dockerfile.split('\n');
    const ci = lines.findIndex((line) => line.startsWith('RUN npm ci'));
    const sources = lines.findIndex((line) => line.trim() === 'COPY . .');
    expect(ci).toBeGreaterThan(0);
    expect(sources).toBeGreaterThan(ci);
    const copied = lines.slice(0, ci).filter((line) => line.startsWith('COPY '));
    expect(copied).toContain('COPY package.json package-lock.json ./');
    for (const workspace of workspaces) expect(copied).toContain(`COPY ${workspace}/package.json ${workspace}/`);
  });
});

const unavailable = dockerUnavailable();

describe('the compose stack', () => {
  // Reported as skipped (never as passed) on a machine without Docker, with the reason in its name.
  it.skipIf(unavailable !== null)(`comes up and answers /readyz${unavailable === null ? '' : ` (skipped: ${unavailable})`}`, { timeout: 900_000 }, async () => {
    const project = ['compose', '--project-directory', root, '-p', `clearance-test-${process.pid}`];
    try {
      await run('docker', [...project, 'up', '-d', '--build', '--wait', 'redis', 'postgres', 'api'], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
      const ready = await waitFor(
        async () => {
          const response = await fetch('http://127.0.0.1:8080/readyz');
          return response.status === 200 ? ((await response.json()) as { ready: boolean }) : undefined;
        },
        { timeoutMs: 120_000, intervalMs: 500, what: 'the API to answer /readyz with 200' },
      );
      expect(ready.ready).toBe(true);
    } finally {
      await run('docker', [...project, 'down', '-v'], { cwd: root });
    }
  });
});
