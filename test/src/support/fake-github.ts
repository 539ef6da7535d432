import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/**
 * A local HTTP server that answers like GitHub's REST API (version
 * 2022-11-28) for the endpoints Clearance uses, over a small in-memory model
 * the test sets up. Tests point the real Octokit client at `baseUrl`, so what
 * is exercised is the real HTTP exchange: status codes, headers, JSON shapes,
 * rate-limit headers, connection failures. Shapes follow GitHub's documented
 * example responses, trimmed of fields nothing reads but keeping every field
 * a client is likely to.
 *
 *   GET  /repos/{owner}/{repo}
 *   GET  /repos/{owner}/{repo}/license
 *   GET  /repos/{owner}/{repo}/pulls/{number}
 *   GET  /repos/{owner}/{repo}/contents/{path}   (file, directory, raw media type)
 *   GET  /repos/{owner}/{repo}/issues/{number}/comments   (paged: per_page, page, Link header)
 *   POST /repos/{owner}/{repo}/issues/{number}/comments
 *   PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}
 *   POST /repos/{owner}/{repo}/code-scanning/sarifs   (202 with the upload's id and url)
 *   POST /orgs/{org}/repos
 */

export interface FakeRepoInput {
  owner: string;
  name: string;
  /** SPDX id, `NOASSERTION` for a license file GitHub cannot identify, null for none. */
  license?: string | null;
  archived?: boolean;
  visibility?: 'public' | 'private' | 'internal';
  defaultBranch?: string;
  description?: string | null;
  /** Path → text, e.g. `{ 'CONTRIBUTING.md': '...', '.github/CONTRIBUTING.md': '...' }`. */
  files?: Record<string, string>;
}

export interface FakePullRequestInput {
  number: number;
  additions: number;
  deletions: number;
  changedFiles: number;
  merged?: boolean;
  state?: 'open' | 'closed';
  mergedAt?: string | null;
  title?: string;
  user?: string;
}

export interface FakeFailure {
  /** An HTTP status, or `connection-reset` to drop the connection without answering. */
  status: number | 'connection-reset';
  /** How many matching requests fail (default 1). */
  times?: number;
  method?: string;
  /** Only requests whose path (without the prefix) matches. */
  path?: string | RegExp;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface RecordedRequest {
  method: string;
  /** The path below the API prefix, without the query string. */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface PostedComment {
  id: number;
  owner: string;
  repo: string;
  number: number;
  body: string;
  user: string;
}

export interface UploadedSarif {
  owner: string;
  repo: string;
  commitSha: string;
  ref: string;
  toolName: string | null;
  /** The SARIF log, un-gzipped and parsed from the base64 `sarif` field. */
  sarif: unknown;
}

export interface CreatedRepo {
  org: string;
  name: string;
  description: string | null;
  private: boolean;
  licenseTemplate: string | null;
  autoInit: boolean;
}

export interface FakeGitHubOptions {
  /** When set, requests must carry it (`token …` or `Bearer …`) or get 401 Bad credentials. */
  token?: string;
  /** A path prefix such as `/api/v3`, to answer like GitHub Enterprise Server. */
  pathPrefix?: string;
  /** The login that posts comments and creates repositories. */
  login?: string;
  /** The web host used in `html_url` fields. */
  webUrl?: string;
}

export interface FakeGitHub {
  /** Give this to the client as its `baseUrl`. */
  readonly baseUrl: string;
  readonly requests: RecordedRequest[];
  readonly comments: PostedComment[];
  readonly sarifs: UploadedSarif[];
  readonly createdRepos: CreatedRepo[];
  addRepo(repo: FakeRepoInput): void;
  addPullRequest(owner: string, repo: string, pullRequest: FakePullRequestInput): void;
  /** A comment someone else left on a pull request. */
  addComment(comment: Omit<PostedComment, 'id'>): PostedComment;
  addOrg(login: string): void;
  /** The next matching request(s) fail as described. Failures are used in the order they were added. */
  failNext(failure: FakeFailure): void;
  /** The next request(s) get the 403 a primary (or secondary) rate limit gives. */
  rateLimitNext(options: { resetAt: number; times?: number; secondary?: boolean; retryAfterSeconds?: number }): void;
  close(): Promise<void>;
}

interface RepoModel {
  id: number;
  owner: string;
  name: string;
  license: string | null;
  archived: boolean;
  visibility: 'public' | 'private' | 'internal';
  defaultBranch: string;
  description: string | null;
  files: Map<string, string>;
  pulls: Map<number, FakePullRequestInput>;
  createdAt: string;
}

interface PendingFailure extends FakeFailure {
  remaining: number;
}

const API_VERSION = '2022-11-28';
const CREATED_AT = '2024-01-15T10:00:00Z';

const licenseNames: Record<string, string> = {
  'Apache-2.0': 'Apache License 2.0',
  MIT: 'MIT License',
  'BSD-2-Clause': 'BSD 2-Clause "Simplified" License',
  'BSD-3-Clause': 'BSD 3-Clause "New" or "Revised" License',
  'GPL-2.0': 'GNU General Public License v2.0',
  'GPL-3.0': 'GNU General Public License v3.0',
  'LGPL-2.1': 'GNU Lesser General Public License v2.1',
  'AGPL-3.0': 'GNU Affero General Public License v3.0',
  'MPL-2.0': 'Mozilla Public License 2.0',
  'CC0-1.0': 'Creative Commons Zero v1.0 Universal',
  Unlicense: 'The Unlicense',
};

// GitHub's license keys are SPDX ids in lower case, without "-only".
const licenseKey = (spdxId: string): string => spdxId.toLowerCase().replace(/-only$/, '');
const spdxFromTemplate = (template: string): string | null => {
  const wanted = template.toLowerCase();
  return Object.keys(licenseNames).find((id) => licenseKey(id) === wanted) ?? null;
};

const gitBlobSha = (text: string): string => {
  const bytes = Buffer.from(text, 'utf8');
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
};

// GitHub wraps base64 content at 60 characters per line.
const wrappedBase64 = (text: string): string =>
  `${(Buffer.from(text, 'utf8').toString('base64').match(/.{1,60}/g) ?? []).join('\n')}\n`;

const nodeId = (kind: string, id: number): string => Buffer.from(`0:${kind}${id}`).toString('base64');

class HttpFailure extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

const errorBody = (status: number, message: string, documentationUrl = 'https://docs.github.com/rest'): Record<string, unknown> => ({
  message,
  documentation_url: documentationUrl,
  status: String(status),
});

const notFound = (): HttpFailure => new HttpFailure(404, errorBody(404, 'Not Found'));

export const startFakeGitHub = async (options: FakeGitHubOptions = {}): Promise<FakeGitHub> => {
  const prefix = (options.pathPrefix ?? '').replace(/\/$/, '');
  const login = options.login ?? 'clearance-bot';
  const webUrl = options.webUrl ?? 'https://github.com';
  const repos = new Map<string, RepoModel>();
  const orgs = new Set<string>();
  const failures: PendingFailure[] = [];
  const requests: RecordedRequest[] = [];
  const comments: PostedComment[] = [];
  const sarifs: UploadedSarif[] = [];
  const createdRepos: CreatedRepo[] = [];
  let nextId = 1000;
  let apiUrl = '';

  const repoKey = (owner: string, name: string): string => `${owner}/${name}`.toLowerCase();
  const findRepo = (owner: string, name: string): RepoModel => {
    const repo = repos.get(repoKey(owner, name));
    if (repo === undefined) throw notFound();
    return repo;
  };

  const addRepo = (input: FakeRepoInput): RepoModel => {
    const model: RepoModel = {
      id: nextId++,
      owner: input.owner,
      name: input.name,
      license: input.license === undefined ? 'MIT' : input.license,
      archived: input.archived ?? false,
      visibility: input.visibility ?? 'public',
      defaultBranch: input.defaultBranch ?? 'main',
      description: input.description ?? null,
      files: new Map(Object.entries(input.files ?? {})),
      pulls: new Map(),
      createdAt: CREATED_AT,
    };
    repos.set(repoKey(input.owner, input.name), model);
    return model;
  };

  const userJson = (name: string, type: 'User' | 'Organization' | 'Bot' = 'User'): Record<string, unknown> => ({
    login: name,
    id: Math.abs(createHash('sha1').update(name).digest().readInt32BE(0)),
    node_id: nodeId('User', name.length),
    avatar_url: `https://avatars.githubusercontent.com/u/1?v=4`,
    gravatar_id: '',
    url: `${apiUrl}/users/${name}`,
    html_url: `${webUrl}/${name}`,
    type,
    site_admin: false,
  });

  const licenseJson = (spdxId: string | null): Record<string, unknown> | null => {
    if (spdxId === null) return null;
    if (spdxId === 'NOASSERTION') return { key: 'other', name: 'Other', spdx_id: 'NOASSERTION', url: null, node_id: 'MDc6TGljZW5zZTA=' };
    return {
      key: licenseKey(spdxId),
      name: licenseNames[spdxId] ?? spdxId,
      spdx_id: spdxId,
      url: `${apiUrl}/licenses/${licenseKey(spdxId)}`,
      node_id: nodeId('License', spdxId.length),
    };
  };

  const repoJson = (repo: RepoModel): Record<string, unknown> => {
    const fullName = `${repo.owner}/${repo.name}`;
    const url = `${apiUrl}/repos/${fullName}`;
    return {
      id: repo.id,
      node_id: nodeId('Repository', repo.id),
      name: repo.name,
      full_name: fullName,
      private: repo.visibility !== 'public',
      owner: userJson(repo.owner, 'Organization'),
      html_url: `${webUrl}/${fullName}`,
      description: repo.description,
      fork: false,
      url,
      pulls_url: `${url}/pulls{/number}`,
      contents_url: `${url}/contents/{+path}`,
      created_at: repo.createdAt,
      updated_at: repo.createdAt,
      pushed_at: repo.createdAt,
      git_url: `git://${new URL(webUrl).host}/${fullName}.git`,
      clone_url: `${webUrl}/${fullName}.git`,
      homepage: null,
      size: 108,
      stargazers_count: 80,
      watchers_count: 80,
      language: 'TypeScript',
      has_issues: true,
      has_projects: true,
      has_wiki: true,
      has_pages: false,
      has_discussions: false,
      forks_count: 9,
      mirror_url: null,
      archived: repo.archived,
      disabled: false,
      open_issues_count: 0,
      license: licenseJson(repo.license),
      allow_forking: true,
      is_template: false,
      web_commit_signoff_required: false,
      topics: [],
      visibility: repo.visibility,
      forks: 9,
      open_issues: 0,
      watchers: 80,
      default_branch: repo.defaultBranch,
      network_count: 9,
      subscribers_count: 4,
    };
  };

  const contentEntry = (repo: RepoModel, path: string, type: 'file' | 'dir'): Record<string, unknown> => {
    const fullName = `${repo.owner}/${repo.name}`;
    const text = repo.files.get(path) ?? '';
    const sha = type === 'file' ? gitBlobSha(text) : createHash('sha1').update(`tree ${path}`).digest('hex');
    const self = `${apiUrl}/repos/${fullName}/contents/${path}?ref=${repo.defaultBranch}`;
    const git = `${apiUrl}/repos/${fullName}/git/${type === 'file' ? 'blobs' : 'trees'}/${sha}`;
    const html = `${webUrl}/${fullName}/${type === 'file' ? 'blob' : 'tree'}/${repo.defaultBranch}/${path}`;
    return {
      type,
      size: type === 'file' ? Buffer.byteLength(text) : 0,
      name: path.split('/').pop() ?? path,
      path,
      sha,
      url: self,
      git_url: git,
      html_url: html,
      download_url: type === 'file' ? `https://raw.githubusercontent.com/${fullName}/${repo.defaultBranch}/${path}` : null,
      _links: { self, git, html },
    };
  };

  const pullJson = (repo: RepoModel, pull: FakePullRequestInput): Record<string, unknown> => {
    const fullName = `${repo.owner}/${repo.name}`;
    const url = `${apiUrl}/repos/${fullName}/pulls/${pull.number}`;
    const merged = pull.merged ?? false;
    const state = pull.state ?? (merged ? 'closed' : 'open');
    const mergedAt = pull.mergedAt ?? (merged ? '2024-02-01T12:00:00Z' : null);
    return {
      url,
      id: repo.id * 1000 + pull.number,
      node_id: nodeId('PullRequest', pull.number),
      html_url: `${webUrl}/${fullName}/pull/${pull.number}`,
      diff_url: `${webUrl}/${fullName}/pull/${pull.number}.diff`,
      patch_url: `${webUrl}/${fullName}/pull/${pull.number}.patch`,
      issue_url: `${apiUrl}/repos/${fullName}/issues/${pull.number}`,
      number: pull.number,
      state,
      locked: false,
      title: pull.title ?? `Pull request ${pull.number}`,
      user: userJson(pull.user ?? 'octocat'),
      body: null,
      created_at: '2024-01-20T10:00:00Z',
      updated_at: '2024-01-21T10:00:00Z',
      closed_at: state === 'closed' ? (mergedAt ?? '2024-02-01T12:00:00Z') : null,
      merged_at: mergedAt,
      merge_commit_sha: merged ? 'e5bd3914e2e596debea16f433f57875b5b90bcd6' : null,
      draft: false,
      head: { label: `octocat:patch-${pull.number}`, ref: `patch-${pull.number}`, sha: '6dcb09b5b57875f334f61aebed695e2e4193db5e', user: userJson('octocat'), repo: null },
      base: { label: `${repo.owner}:${repo.defaultBranch}`, ref: repo.defaultBranch, sha: '6dcb09b5b57875f334f61aebed695e2e4193db5f', user: userJson(repo.owner, 'Organization'), repo: repoJson(repo) },
      author_association: 'CONTRIBUTOR',
      merged,
      mergeable: merged ? null : true,
      rebaseable: merged ? null : true,
      mergeable_state: merged ? 'unknown' : 'clean',
      merged_by: merged ? userJson('maintainer') : null,
      comments: 0,
      review_comments: 0,
      maintainer_can_modify: false,
      commits: 1,
      additions: pull.additions,
      deletions: pull.deletions,
      changed_files: pull.changedFiles,
    };
  };

  const commentJson = (repo: RepoModel, comment: PostedComment): Record<string, unknown> => {
    const fullName = `${repo.owner}/${repo.name}`;
    return {
      id: comment.id,
      node_id: nodeId('IssueComment', comment.id),
      url: `${apiUrl}/repos/${fullName}/issues/comments/${comment.id}`,
      html_url: `${webUrl}/${fullName}/pull/${comment.number}#issuecomment-${comment.id}`,
      body: comment.body,
      user: userJson(comment.user, 'Bot'),
      created_at: '2024-03-01T09:00:00Z',
      updated_at: '2024-03-01T09:00:00Z',
      issue_url: `${apiUrl}/repos/${fullName}/issues/${comment.number}`,
      author_association: 'NONE',
    };
  };

  const getContents = (repo: RepoModel, path: string, raw: boolean): { body: unknown; raw?: string } => {
    const file = repo.files.get(path);
    if (file !== undefined) return raw ? { body: null, raw: file } : { body: { ...contentEntry(repo, path, 'file'), content: wrappedBase64(file), encoding: 'base64' } };
    if (path === '' && repo.files.size === 0) throw new HttpFailure(404, errorBody(404, 'This repository is empty.'));
    const dirPrefix = path === '' ? '' : `${path}/`;
    const children = new Map<string, 'file' | 'dir'>();
    for (const filePath of repo.files.keys()) {
      if (!filePath.startsWith(dirPrefix)) continue;
      const rest = filePath.slice(dirPrefix.length);
      const [head, ...tail] = rest.split('/');
      if (head === undefined || head === '') continue;
      children.set(`${dirPrefix}${head}`, tail.length === 0 ? 'file' : 'dir');
    }
    if (children.size === 0) throw notFound();
    return { body: [...children.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([childPath, type]) => contentEntry(repo, childPath, type)) };
  };

  /** One page of a list as GitHub pages it: `per_page` (default 30, at most 100), `page` from 1, a Link header naming the next and last pages. */
  const paged = <T>(items: readonly T[], path: string, query: URLSearchParams): { status: number; body: T[]; headers: Record<string, string> } => {
    const perPage = Math.min(100, Math.max(1, Number(query.get('per_page') ?? 30) || 30));
    const page = Math.max(1, Number(query.get('page') ?? 1) || 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const pageUrl = (n: number): string => `${apiUrl}${path}?per_page=${perPage}&page=${n}`;
    const links = page < last ? [`<${pageUrl(page + 1)}>; rel="next"`, `<${pageUrl(last)}>; rel="last"`] : [];
    return { status: 200, body: items.slice((page - 1) * perPage, page * perPage), headers: links.length > 0 ? { link: links.join(', ') } : {} };
  };

  const route = (
    method: string,
    path: string,
    query: URLSearchParams,
    body: unknown,
    headers: IncomingHttpHeaders,
  ): { status: number; body: unknown; raw?: string; headers?: Record<string, string> } => {
    const parts = path.split('/').filter((part) => part !== '').map(decodeURIComponent);
    const [first, owner, name, resource, ...rest] = parts;
    if (first === 'repos' && owner !== undefined && name !== undefined) {
      const repo = findRepo(owner, name);
      if (method === 'GET' && resource === undefined) return { status: 200, body: repoJson(repo) };
      if (method === 'GET' && resource === 'license' && rest.length === 0) {
        if (repo.license === null) throw notFound();
        const text = `${repo.license} license text\n`;
        return { status: 200, body: { ...contentEntry(repo, 'LICENSE', 'file'), name: 'LICENSE', path: 'LICENSE', content: wrappedBase64(text), encoding: 'base64', license: licenseJson(repo.license) } };
      }
      if (method === 'GET' && resource === 'pulls' && rest.length === 1) {
        const pull = repo.pulls.get(Number(rest[0]));
        if (pull === undefined) throw notFound();
        return { status: 200, body: pullJson(repo, pull) };
      }
      if (method === 'GET' && resource === 'contents') {
        const accept = String(headers.accept ?? '');
        return { status: 200, ...getContents(repo, rest.join('/'), /\.raw\b|vnd\.github\.raw/.test(accept)) };
      }
      if (method === 'PATCH' && resource === 'issues' && rest.length === 2 && rest[0] === 'comments') {
        const comment = comments.find((c) => c.id === Number(rest[1]) && repoKey(c.owner, c.repo) === repoKey(repo.owner, repo.name));
        if (comment === undefined) throw notFound();
        const text = typeof body === 'object' && body !== null && 'body' in body ? body.body : undefined;
        if (typeof text !== 'string' || text === '') {
          throw new HttpFailure(422, { ...errorBody(422, 'Validation Failed'), errors: [{ resource: 'IssueComment', code: 'missing_field', field: 'body' }] });
        }
        comment.body = text;
        return { status: 200, body: commentJson(repo, comment) };
      }
      if (method === 'POST' && resource === 'code-scanning' && rest.length === 1 && rest[0] === 'sarifs') {
        const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
        const { commit_sha: commitSha, ref, sarif, tool_name: toolName } = input;
        if (typeof commitSha !== 'string' || !/^[0-9a-f]{40}$/.test(commitSha) || typeof ref !== 'string' || !ref.startsWith('refs/') || typeof sarif !== 'string') {
          throw new HttpFailure(422, errorBody(422, 'Invalid request: commit_sha, ref and sarif (gzip, then base64) are required'));
        }
        sarifs.push({ owner: repo.owner, repo: repo.name, commitSha, ref, toolName: typeof toolName === 'string' ? toolName : null, sarif: JSON.parse(gunzipSync(Buffer.from(sarif, 'base64')).toString('utf8')) });
        const id = createHash('sha256').update(`${sarifs.length}`).digest('hex').slice(0, 36);
        return { status: 202, body: { id, url: `${apiUrl}/repos/${repo.owner}/${repo.name}/code-scanning/sarifs/${id}` } };
      }
      if (resource === 'issues' && rest.length === 2 && rest[1] === 'comments') {
        const number = Number(rest[0]);
        if (!repo.pulls.has(number)) throw notFound();
        if (method === 'GET') {
          const onThis = comments.filter((c) => repoKey(c.owner, c.repo) === repoKey(repo.owner, repo.name) && c.number === number);
          return paged(onThis.map((c) => commentJson(repo, c)), path, query);
        }
        if (method === 'POST') {
          const text = typeof body === 'object' && body !== null && 'body' in body ? (body).body : undefined;
          if (typeof text !== 'string' || text === '') {
            throw new HttpFailure(422, { ...errorBody(422, 'Validation Failed'), errors: [{ resource: 'IssueComment', code: 'missing_field', field: 'body' }] });
          }
          const comment: PostedComment = { id: nextId++, owner: repo.owner, repo: repo.name, number, body: text, user: login };
          comments.push(comment);
          return { status: 201, body: commentJson(repo, comment) };
        }
      }
    }
    if (first === 'orgs' && owner !== undefined && name === 'repos' && resource === undefined && method === 'POST') {
      if (!orgs.has(owner.toLowerCase())) throw notFound();
      const input = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
      const repoName = input.name;
      if (typeof repoName !== 'string' || !/^[A-Za-z0-9._-]{1,100}$/.test(repoName)) {
        throw new HttpFailure(422, { ...errorBody(422, 'Repository creation failed.'), errors: [{ resource: 'Repository', code: 'custom', field: 'name', message: 'name is invalid' }] });
      }
      if (repos.has(repoKey(owner, repoName))) {
        throw new HttpFailure(422, {
          ...errorBody(422, 'Repository creation failed.', 'https://docs.github.com/rest/repos/repos#create-an-organization-repository'),
          errors: [{ resource: 'Repository', code: 'custom', field: 'name', message: 'name already exists on this account' }],
        });
      }
      const licenseTemplate = typeof input.license_template === 'string' ? input.license_template : null;
      const isPrivate = input.private === true;
      const description = typeof input.description === 'string' ? input.description : null;
      const autoInit = input.auto_init === true || licenseTemplate !== null;
      const files: Record<string, string> = autoInit ? { 'README.md': `# ${repoName}\n` } : {};
      const spdx = licenseTemplate === null ? null : spdxFromTemplate(licenseTemplate);
      if (spdx !== null) files.LICENSE = `${spdx} license text\n`;
      const created = addRepo({ owner, name: repoName, license: spdx, visibility: isPrivate ? 'private' : 'public', description, files });
      createdRepos.push({ org: owner, name: repoName, description, private: isPrivate, licenseTemplate, autoInit });
      return { status: 201, body: repoJson(created) };
    }
    throw notFound();
  };

  const readBody = async (request: IncomingMessage): Promise<string> => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  };

  const send = (response: ServerResponse, status: number, body: unknown, extraHeaders: Record<string, string> = {}, raw?: string): void => {
    const headers: Record<string, string> = {
      'x-github-api-version-selected': API_VERSION,
      'x-github-request-id': `FAKE:${requests.length}`,
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(Math.max(0, 5000 - requests.length)),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-used': String(requests.length),
      'x-ratelimit-resource': 'core',
      ...extraHeaders,
    };
    if (raw !== undefined) {
      response.writeHead(status, { ...headers, 'content-type': 'text/plain; charset=utf-8' });
      response.end(raw);
      return;
    }
    if (typeof body === 'string') {
      response.writeHead(status, { 'content-type': 'text/html; charset=utf-8', ...headers });
      response.end(body);
      return;
    }
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    response.end(JSON.stringify(body));
  };

  const takeFailure = (method: string, path: string): PendingFailure | null => {
    const index = failures.findIndex((failure) => {
      if (failure.method !== undefined && failure.method.toUpperCase() !== method) return false;
      if (failure.path === undefined) return true;
      return typeof failure.path === 'string' ? failure.path === path : failure.path.test(path);
    });
    const failure = failures[index];
    if (failure === undefined) return null;
    failure.remaining -= 1;
    if (failure.remaining <= 0) failures.splice(index, 1);
    return failure;
  };

  const defaultFailureBody = (status: number): unknown => {
    if (status === 502) return '<html><body><h1>502 Bad Gateway</h1>Unicorn!</body></html>';
    if (status >= 500) return errorBody(status, 'Server Error');
    if (status === 401) return errorBody(401, 'Bad credentials');
    if (status === 403) return errorBody(403, 'Resource not accessible by integration');
    if (status === 404) return errorBody(404, 'Not Found');
    return errorBody(status, 'Validation Failed');
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://fake.invalid');
    const method = (request.method ?? 'GET').toUpperCase();
    const text = await readBody(request);
    let body: unknown = null;
    let badJson = false;
    if (text !== '') {
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        badJson = true;
        body = text;
      }
    }
    const path = prefix !== '' && url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) || '/' : url.pathname;
    requests.push({ method, path, query: Object.fromEntries(url.searchParams), headers: request.headers, body });

    if (prefix !== '' && !url.pathname.startsWith(prefix)) return send(response, 404, errorBody(404, 'Not Found'));
    const failure = takeFailure(method, path);
    if (failure !== null) {
      if (failure.status === 'connection-reset') {
        request.socket.destroy();
        return;
      }
      return send(response, failure.status, failure.body ?? defaultFailureBody(failure.status), failure.headers ?? {});
    }
    if (options.token !== undefined) {
      const auth = request.headers.authorization ?? '';
      if (auth !== `token ${options.token}` && auth !== `Bearer ${options.token}` && auth !== `bearer ${options.token}`) {
        return send(response, 401, errorBody(401, 'Bad credentials'));
      }
    }
    if (badJson) return send(response, 400, errorBody(400, 'Problems parsing JSON'));
    try {
      const result = route(method, path, url.searchParams, body, request.headers);
      send(response, result.status, result.body, result.headers ?? {}, result.raw);
    } catch (error) {
      if (error instanceof HttpFailure) return send(response, error.status, error.body);
      send(response, 500, errorBody(500, error instanceof Error ? error.message : 'Server Error'));
    }
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      response.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  apiUrl = `http://127.0.0.1:${port}${prefix}`;

  return {
    baseUrl: apiUrl,
    requests,
    comments,
    sarifs,
    createdRepos,
    addRepo: (repo) => {
      addRepo(repo);
    },
    addPullRequest: (owner, repo, pullRequest) => {
      findRepo(owner, repo).pulls.set(pullRequest.number, pullRequest);
    },
    addComment: (comment) => {
      const added = { ...comment, id: nextId++ };
      comments.push(added);
      return added;
    },
    addOrg: (org) => {
      orgs.add(org.toLowerCase());
    },
    failNext: (failure) => {
      failures.push({ ...failure, remaining: failure.times ?? 1 });
    },
    rateLimitNext: ({ resetAt, times, secondary, retryAfterSeconds }) => {
      const headers: Record<string, string> = secondary
        ? { 'retry-after': String(retryAfterSeconds ?? 60) }
        : { 'x-ratelimit-limit': '5000', 'x-ratelimit-remaining': '0', 'x-ratelimit-used': '5000', 'x-ratelimit-reset': String(resetAt), 'x-ratelimit-resource': 'core' };
      const message = secondary
        ? 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'
        : 'API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID FAKE.';
      failures.push({
        status: 403,
        remaining: times ?? 1,
        headers,
        body: errorBody(403, message, 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api'),
      });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
};
