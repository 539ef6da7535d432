// The script behind action.yml: runs `clearance check` on the SBOM, uploads
// its SARIF to code scanning, and keeps ONE Markdown comment on the pull
// request up to date (found again by a hidden marker, so a re-run edits it
// instead of adding another). Reads what GitHub Actions sets: INPUT_* (passed
// by action.yml), GITHUB_REPOSITORY, GITHUB_EVENT_PATH, GITHUB_API_URL,
// GITHUB_SHA, GITHUB_REF, GITHUB_OUTPUT, RUNNER_TEMP. Node.js 20, no packages.
import { execFile } from 'node:child_process';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';
import { gzipSync } from 'node:zlib';

const MARKER = '<!-- clearance-license-check -->';
const env = process.env;
const input = (name, fallback = '') => (env[`INPUT_${name.toUpperCase().replaceAll('-', '_')}`] ?? '').trim() || fallback;
const cli = env.CLEARANCE_CLI || fileURLToPath(new URL('../services/cli/dist/main.js', import.meta.url));

/** `clearance check` with its stdout and exit code (0 pass, 1 policy failure, 2 bad input). */
const check = (format) =>
  new Promise((resolve) => {
    const args = [cli, 'check', input('sbom'), '--format', format, '--fail-on', input('fail-on', 'deny')];
    if (input('policy') !== '') args.push('--policy', input('policy'));
    execFile(process.execPath, args, { maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 2) : 0, stdout, stderr });
    });
  });

const api = async (method, path, body) => {
  const url = `${(env.GITHUB_API_URL || 'https://api.github.com').replace(/\/$/, '')}${path}`;
  // eslint-disable-next-line no-undef -- fetch is a global of Node.js 20, which the js config does not know
  const response = await fetch(url, {
    method,
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${input('github-token')}`,
      'x-github-api-version': '2022-11-28',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`GitHub answered ${response.status} to ${method} ${path}: ${text.slice(0, 300)}`);
  return { json: text === '' ? null : JSON.parse(text), link: response.headers.get('link') ?? '' };
};

/** The comment this action left before, following GitHub's pages (Link: rel="next"). */
async function findComment(repo, number) {
  let path = `/repos/${repo}/issues/${number}/comments?per_page=100`;
  while (path) {
    const { json, link } = await api('GET', path);
    const found = json.find((comment) => typeof comment.body === 'string' && comment.body.includes(MARKER));
    if (found) return found;
    const next = /<([^>]+)>;\s*rel="next"/.exec(link)?.[1];
    path = next ? next.slice(next.indexOf('/repos/')) : null;
  }
  return null;
}

const setOutput = (name, value) => (env.GITHUB_OUTPUT ? appendFile(env.GITHUB_OUTPUT, `${name}=${value}\n`) : Promise.resolve());

async function main() {
  if (input('sbom') === '') throw new Error('the `sbom` input is required: the path of the SBOM file to check');
  const repo = env.GITHUB_REPOSITORY;
  const event = env.GITHUB_EVENT_PATH ? JSON.parse(await readFile(env.GITHUB_EVENT_PATH, 'utf8')) : {};
  const pull = event.pull_request ?? null;

  const markdown = await check('markdown');
  if (markdown.code === 2) throw new Error(`clearance check could not read the SBOM: ${markdown.stderr.trim()}`);
  process.stdout.write(markdown.stdout);
  await setOutput('result', markdown.code === 0 ? 'pass' : 'fail');

  if (input('sarif', 'true') === 'true') {
    const sarif = await check('sarif');
    const file = join(env.RUNNER_TEMP || tmpdir(), 'clearance.sarif');
    await writeFile(file, sarif.stdout);
    await setOutput('sarif-file', file);
    try {
      const upload = await api('POST', `/repos/${repo}/code-scanning/sarifs`, {
        commit_sha: pull?.head?.sha ?? env.GITHUB_SHA,
        ref: pull ? `refs/pull/${pull.number}/head` : env.GITHUB_REF,
        sarif: gzipSync(sarif.stdout).toString('base64'),
        tool_name: 'Clearance',
      });
      process.stdout.write(`SARIF uploaded to code scanning: ${upload.json.url}\n`);
    } catch (error) {
      // Code scanning is off on many repositories (and for forks): the check itself still counts.
      process.stdout.write(`::warning::SARIF not uploaded: ${error.message}\n`);
    }
  }

  if (input('comment', 'true') === 'true' && pull) {
    const body = `${MARKER}\n${markdown.stdout}`;
    const existing = await findComment(repo, pull.number);
    const { json } = existing
      ? await api('PATCH', `/repos/${repo}/issues/comments/${existing.id}`, { body })
      : await api('POST', `/repos/${repo}/issues/${pull.number}/comments`, { body });
    process.stdout.write(`${existing ? 'Updated' : 'Posted'} the pull request comment: ${json.html_url}\n`);
    await setOutput('comment-url', json.html_url);
  }
  return markdown.code;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stdout.write(`::error::${error.message}\n`);
    process.exitCode = 2;
  },
);
