import { Octokit } from '@octokit/rest';
import type { ClaHints, PullRequestInfo, UpstreamInfo } from '@clearance/core';
import { agreementFiles, detectAgreementsInText, mergeHints } from './cla-detection.js';
import { classifyGitHubError, GitHubPermanentError, GitHubUnreachableError } from './errors.js';

export interface GitHubClientOptions {
  /** `https://api.github.com`, or `https://<host>/api/v3` for GitHub Enterprise Server. */
  baseUrl: string;
  /** A token with read access to public repositories (and org admin to create repositories); null: anonymous. */
  token: string | null;
  userAgent: string;
  /** Per-request time limit (default 15 s); a timeout is a transient error. */
  timeoutMs?: number;
  /**
   * Time limit of a request while GitHub has not answered this process yet
   * (default 4 s): an unreachable GitHub is found out in seconds, not after
   * every retry's full timeout.
   */
  firstContactTimeoutMs?: number;
  /** How long an unreachable GitHub is remembered: calls fail at once meanwhile (default 5 minutes). */
  unreachableForMs?: number;
  /** Clock for turning `x-ratelimit-reset` into a wait; tests pin it. */
  now?: () => number;
  /** Receives one line per request (method, path, status, time). Never headers. */
  log?: (line: string) => void;
}

export interface CreateRepositoryOptions {
  description: string | null;
  /** GitHub's license keyword, e.g. `apache-2.0` (see licenseTemplateFor). */
  licenseTemplate: string | null;
  private: boolean;
}

export interface RepositoryRef {
  /** False when the repository already existed: a retried job finds its own earlier work. */
  created: boolean;
  id: number;
  fullName: string;
  htmlUrl: string;
  private: boolean;
  license: string | null;
}

export interface PostedComment {
  id: number;
  htmlUrl: string;
}

export interface GitHubClient {
  /** A missing repository is an answer (`exists: false`), not an error. */
  getUpstream(owner: string, repo: string): Promise<UpstreamInfo>;
  /** Null when the pull request does not exist. */
  getPullRequest(owner: string, repo: string, number: number): Promise<PullRequestInfo | null>;
  getClaHints(owner: string, repo: string): Promise<ClaHints>;
  commentOnPullRequest(owner: string, repo: string, number: number, body: string): Promise<PostedComment>;
  /** The first comment on a pull request whose body contains `text`, reading every page; null when there is none. */
  findPullRequestComment(owner: string, repo: string, number: number, text: string): Promise<PostedComment | null>;
  createRepository(org: string, name: string, options: CreateRepositoryOptions): Promise<RepositoryRef>;
}

/** GitHub's license keywords are SPDX ids in lower case without `-only` (`GPL-3.0-only` → `gpl-3.0`). */
export const licenseTemplateFor = (spdxId: string): string => spdxId.toLowerCase().replace(/-only$/, '');

const hasStatus = (error: unknown, status: number): boolean =>
  typeof error === 'object' && error !== null && 'status' in error && error.status === status;

const CONTRIBUTING = /^contributing(?:\.(?:md|markdown|rst|txt|adoc))?$/i;

export const createGitHubClient = (options: GitHubClientOptions): GitHubClient => {
  const now = options.now ?? Date.now;
  const timeoutMs = options.timeoutMs ?? 15_000;
  const line = options.log ?? (() => undefined);
  const octokit = new Octokit({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    userAgent: options.userAgent,
    ...(options.token === null ? {} : { auth: options.token }),
    // Octokit's request-log plugin hands `debug` the full request options,
    // headers included; only the one-line summaries are passed on.
    log: {
      debug: () => undefined,
      info: (message: string) => line(message),
      warn: (message: string) => line(message),
      error: (message: string) => line(message),
    },
  });
  const firstContactTimeoutMs = Math.min(options.firstContactTimeoutMs ?? 4_000, timeoutMs);
  const unreachableForMs = options.unreachableForMs ?? 5 * 60_000;
  /**
   * Whether GitHub answers this process: `unknown` until a first answer
   * (requests then use the short first-contact limit), `reachable` after
   * one, and `unreachable` (until a time) when a first contact got no answer.
   */
  let contact: { kind: 'unknown' } | { kind: 'reachable' } | { kind: 'unreachable'; until: number; reason: string } = { kind: 'unknown' };
  const request = () => ({ signal: AbortSignal.timeout(contact.kind === 'reachable' ? timeoutMs : firstContactTimeoutMs) });

  /** Runs one call and turns any failure into a GitHubTransientError, GitHubUnreachableError or GitHubPermanentError. */
  const call = async <T>(operation: string, run: () => Promise<T>): Promise<T> => {
    if (contact.kind === 'unreachable') {
      if (now() < contact.until) throw new GitHubUnreachableError(`GitHub ${operation}: not tried, GitHub was unreachable ${contact.reason}`, operation);
      contact = { kind: 'unknown' };
    }
    try {
      const result = await run();
      contact = { kind: 'reachable' };
      return result;
    } catch (error) {
      const classified = classifyGitHubError(error, operation, now());
      if (classified.status !== null) {
        contact = { kind: 'reachable' };
        throw classified;
      }
      if (contact.kind === 'reachable') {
        // It answered before: one lost answer is a transient error, and the next call checks contact again.
        contact = { kind: 'unknown' };
        throw classified;
      }
      const reason = `at ${options.baseUrl} (${classified.message.replace(/^GitHub .*?: no response \((.*)\)$/, '$1')})`;
      contact = { kind: 'unreachable', until: now() + unreachableForMs, reason };
      throw new GitHubUnreachableError(`GitHub ${operation}: unreachable ${reason}`, operation);
    }
  };

  /** Like call, but a 404 is an answer. */
  const callOrMissing = async <T>(operation: string, run: () => Promise<T>): Promise<T | null> => {
    try {
      return await call(operation, run);
    } catch (error) {
      if (hasStatus(error, 404)) return null;
      throw error;
    }
  };

  const getUpstream = async (owner: string, repo: string): Promise<UpstreamInfo> => {
    const data = await callOrMissing(`getUpstream ${owner}/${repo}`, async () => (await octokit.rest.repos.get({ owner, repo, request: request() })).data);
    if (data === null) {
      return {
        exists: false,
        archived: false,
        license: null,
        licenseStatus: 'none',
        licenseNote: 'The repository was not found (it does not exist, or the token cannot see it)',
        defaultBranch: null,
        visibility: null,
      };
    }
    const spdx = data.license?.spdx_id ?? null;
    const visibility = data.visibility === 'public' || data.visibility === 'private' || data.visibility === 'internal' ? data.visibility : data.private ? 'private' : 'public';
    const base = { exists: true, archived: data.archived, defaultBranch: data.default_branch, visibility } as const;
    if (data.license === null || data.license === undefined) {
      return { ...base, license: null, licenseStatus: 'none', licenseNote: 'GitHub found no license file' };
    }
    if (spdx === null || spdx === 'NOASSERTION') {
      return {
        ...base,
        license: null,
        licenseStatus: 'unrecognized',
        licenseNote: `GitHub found a license file but could not identify it (${data.license.name || 'NOASSERTION'})`,
      };
    }
    return { ...base, license: spdx, licenseStatus: 'detected', licenseNote: null };
  };

  const getPullRequest = async (owner: string, repo: string, number: number): Promise<PullRequestInfo | null> => {
    const data = await callOrMissing(
      `getPullRequest ${owner}/${repo}#${number}`,
      async () => (await octokit.rest.pulls.get({ owner, repo, pull_number: number, request: request() })).data,
    );
    if (data === null) return null;
    return {
      additions: data.additions,
      deletions: data.deletions,
      changedFiles: data.changed_files,
      merged: data.merged,
      state: data.state === 'closed' ? 'closed' : 'open',
      mergedAt: data.merged_at,
    };
  };

  const readText = async (owner: string, repo: string, path: string): Promise<string | null> => {
    const data = await callOrMissing(
      `getClaHints ${owner}/${repo}:${path}`,
      async () => (await octokit.rest.repos.getContent({ owner, repo, path, request: request() })).data,
    );
    if (data === null || Array.isArray(data) || data.type !== 'file' || !('content' in data)) return null;
    return Buffer.from(data.content, 'base64').toString('utf8');
  };

  /**
   * Two requests at most: the root listing (which also shows CLA bot files
   * such as `.clabot`) and the contributing guide, taken from the root or,
   * when the root has none, from `.github/` or `docs/`.
   */
  const getClaHints = async (owner: string, repo: string): Promise<ClaHints> => {
    const root = await callOrMissing(
      `getClaHints ${owner}/${repo}`,
      async () => (await octokit.rest.repos.getContent({ owner, repo, path: '', request: request() })).data,
    );
    // 404 here: an empty repository (or a missing one, which getUpstream reports).
    if (root === null || !Array.isArray(root)) return { cla: false, dco: false, claName: null, sources: [] };
    const parts: ClaHints[] = [];
    for (const entry of root) {
      const known = entry.type === 'file' ? agreementFiles[entry.name.toLowerCase()] : undefined;
      if (known !== undefined) parts.push({ ...known, claName: null, sources: [entry.path] });
    }
    const guide =
      root.find((entry) => entry.type === 'file' && CONTRIBUTING.test(entry.name))?.path ??
      (root.some((entry) => entry.type === 'dir' && entry.name === '.github')
        ? '.github/CONTRIBUTING.md'
        : root.some((entry) => entry.type === 'dir' && entry.name === 'docs')
          ? 'docs/CONTRIBUTING.md'
          : null);
    if (guide !== null) {
      const text = await readText(owner, repo, guide);
      if (text !== null) {
        const found = detectAgreementsInText(text);
        if (found.cla || found.dco) parts.push({ ...found, sources: [guide] });
      }
    }
    return mergeHints(parts);
  };

  const commentOnPullRequest = async (owner: string, repo: string, number: number, body: string): Promise<PostedComment> => {
    const data = await call(
      `commentOnPullRequest ${owner}/${repo}#${number}`,
      async () => (await octokit.rest.issues.createComment({ owner, repo, issue_number: number, body, request: request() })).data,
    );
    return { id: data.id, htmlUrl: data.html_url };
  };

  const findPullRequestComment = (owner: string, repo: string, number: number, text: string): Promise<PostedComment | null> =>
    call(`findPullRequestComment ${owner}/${repo}#${number}`, async () => {
      const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, { owner, repo, issue_number: number, per_page: 100, request: request() });
      for await (const { data } of pages) {
        const found = data.find((comment) => comment.body?.includes(text));
        if (found) return { id: found.id, htmlUrl: found.html_url };
      }
      return null;
    });

  const createRepository = async (org: string, name: string, create: CreateRepositoryOptions): Promise<RepositoryRef> => {
    const operation = `createRepository ${org}/${name}`;
    try {
      const { data } = await octokit.rest.repos.createInOrg({
        org,
        name,
        private: create.private,
        auto_init: true,
        ...(create.description === null ? {} : { description: create.description }),
        ...(create.licenseTemplate === null ? {} : { license_template: create.licenseTemplate }),
        request: request(),
      });
      return { created: true, id: data.id, fullName: data.full_name, htmlUrl: data.html_url, private: data.private, license: data.license?.spdx_id ?? null };
    } catch (error) {
      const classified = classifyGitHubError(error, operation, now());
      // A retry after a timeout may find the repository its first attempt made.
      if (!(classified instanceof GitHubPermanentError) || classified.status !== 422 || !/already exists/i.test(JSON.stringify((error as { response?: { data?: unknown } }).response?.data ?? ''))) {
        throw classified;
      }
      const data = await call(operation, async () => (await octokit.rest.repos.get({ owner: org, repo: name, request: request() })).data);
      return { created: false, id: data.id, fullName: data.full_name, htmlUrl: data.html_url, private: data.private, license: data.license?.spdx_id ?? null };
    }
  };

  return { getUpstream, getPullRequest, getClaHints, commentOnPullRequest, findPullRequestComment, createRepository };
};
