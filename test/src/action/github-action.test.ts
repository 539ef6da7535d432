import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

interface ActionFile {
  inputs: Record<string, { required?: boolean; default?: string; description: string }>;
  runs: { using: string; steps: { id?: string; run?: string; env?: Record<string, string> }[] };
}

interface StepRun {
  code: number;
  stdout: string;
}

/**
 * action.yml's own check step, run as the GitHub runner would: its `run`
 * line with `github.action_path` and its `env` with `inputs.*` filled in,
 * plus the variables the runner sets, against a local fake of GitHub's API.
 */
describe('the GitHub Action (action.yml)', () => {
  let action: ActionFile;
  let github: FakeGitHub;
  let work: string;
  const token = 'ghs_fakeActionToken0123456789';
  const headSha = 'a'.repeat(40);

  beforeAll(async () => {
    action = parse(await readFile(join(root, 'action.yml'), 'utf8')) as ActionFile;
    github = await startFakeGitHub({ token, login: 'github-actions[bot]' });
    github.addRepo({ owner: 'octo-org', name: 'widget' });
    github.addPullRequest('octo-org', 'widget', { number: 7, additions: 40, deletions: 3, changedFiles: 2 });
    github.addComment({ owner: 'octo-org', repo: 'widget', number: 7, body: 'Looks good to me', user: 'reviewer' });
    work = await mkdtemp(join(tmpdir(), 'clearance-action-'));
    await writeFile(join(work, 'event.json'), JSON.stringify({ action: 'synchronize', number: 7, pull_request: { number: 7, head: { sha: headSha, ref: 'feature' } } }));
  });
  afterAll(async () => {
    await github.close();
    await rm(work, { recursive: true, force: true });
  });

  const checkStep = () => {
    const step = action.runs.steps.find((candidate) => candidate.id === 'check');
    if (step?.run === undefined) throw new Error('action.yml has no `check` step with a run line');
    return { run: step.run, env: step.env ?? {} };
  };

  const runStep = async (inputs: Record<string, string>, outputFile: string): Promise<StepRun> => {
    const step = checkStep();
    const value = (name: string): string => inputs[name] ?? action.inputs[name]?.default ?? '';
    const stepEnv = Object.fromEntries(Object.entries(step.env).map(([key, expression]) => [key, expression.replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_match, name: string) => value(name))]));
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: 'octo-org/widget',
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: join(work, 'event.json'),
      GITHUB_API_URL: github.baseUrl,
      GITHUB_SHA: 'b'.repeat(40),
      GITHUB_REF: 'refs/pull/7/merge',
      GITHUB_OUTPUT: outputFile,
      RUNNER_TEMP: work,
      ...stepEnv,
    };
    const command = step.run.replaceAll('${{ github.action_path }}', root);
    return new Promise((resolve) => {
      execFile('bash', ['-c', command], { env, cwd: root }, (error, stdout) => resolve({ code: error ? Number(error.code ?? -1) : 0, stdout }));
    });
  };

  it('declares every input its step reads, each described', () => {
    const used = Object.values(checkStep().env).flatMap((expression) => [...expression.matchAll(/inputs\.([\w-]+)/g)].map((match) => match[1]));
    expect(used.length).toBeGreaterThan(0);
    for (const name of used) expect(action.inputs[name ?? '']?.description, `input ${name ?? ''}`).toBeTruthy();
    expect(action.runs.using).toBe('composite');
  });

  it('comments once, then updates that comment on the next run; uploads SARIF each time', async () => {
    // Juice Shop fails the default policy (fuzzball, GPL-2.0); Laravel passes it.
    const first = await runStep({ sbom: join(root, 'test/fixtures/real-sboms/juice-shop/bom.1.4.json'), 'github-token': token }, join(work, 'output-1'));
    expect(first.stdout).toContain('Posted the pull request comment');
    expect(first.code).toBe(1);
    const ours = () => github.comments.filter((comment) => comment.body.includes('<!-- clearance-license-check -->'));
    expect(ours()).toHaveLength(1);
    expect(ours()[0]?.body).toContain('juice-shop/bom.1.4.json');

    const second = await runStep({ sbom: join(root, 'test/fixtures/real-sboms/laravel/bom.1.4.json'), 'github-token': token }, join(work, 'output-2'));
    expect(second.stdout).toContain('Updated the pull request comment');
    expect(ours()).toHaveLength(1);
    expect(ours()[0]?.body).toContain('laravel/bom.1.4.json');
    expect(ours()[0]?.body).not.toContain('juice-shop');
    // The reviewer's comment is left alone.
    expect(github.comments.map((comment) => comment.body)).toContain('Looks good to me');

    const writes = github.requests.filter((request) => request.method !== 'GET' && request.path.includes('/comments'));
    expect(writes.map((request) => `${request.method} ${request.path}`)).toEqual([
      'POST /repos/octo-org/widget/issues/7/comments',
      `PATCH /repos/octo-org/widget/issues/comments/${ours()[0]?.id ?? '?'}`,
    ]);
    expect(github.requests.every((request) => request.headers.authorization === `Bearer ${token}`)).toBe(true);

    expect(github.sarifs.map((upload) => [upload.commitSha, upload.ref, upload.toolName])).toEqual([
      [headSha, 'refs/pull/7/head', 'Clearance'],
      [headSha, 'refs/pull/7/head', 'Clearance'],
    ]);
    const sarif = github.sarifs[0]?.sarif as { version: string; runs: { results: unknown[] }[] };
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0]?.results.length).toBeGreaterThan(0);

    const outputs = await readFile(join(work, 'output-1'), 'utf8');
    expect(outputs).toContain('result=fail\n');
    expect(outputs).toMatch(/comment-url=\S+#issuecomment-\d+\n/);
  });

  it('fails with a clear message when the SBOM cannot be read', async () => {
    const run = await runStep({ sbom: join(work, 'no-such-bom.json'), 'github-token': token }, join(work, 'output-3'));
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/::error::clearance check could not read the SBOM: .*no-such-bom\.json/);
  });
});
