import { z } from 'zod';

/** A repository on github.com or on a GitHub Enterprise Server host. */
export const upstreamRefSchema = z.strictObject({
  host: z.string().min(1),
  owner: z.string().min(1),
  repo: z.string().min(1),
});
export type UpstreamRef = z.infer<typeof upstreamRefSchema>;

/** A pull request on such a repository. */
export const pullRequestRefSchema = z.strictObject({
  host: z.string().min(1),
  owner: z.string().min(1),
  repo: z.string().min(1),
  number: z.number().int().positive(),
});
export type PullRequestRef = z.infer<typeof pullRequestRefSchema>;

export const GITHUB_HOST = 'github.com';

// GitHub's own rules: logins are 1-39 alphanumerics or single inner hyphens;
// repository names are 1-100 of [A-Za-z0-9._-] and never "." or "..".
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;
const SHORTHAND = /^([^/\s]+)\/([^/\s]+)$/;

export const isValidOwner = (owner: string): boolean => OWNER.test(owner);
export const isValidRepoName = (repo: string): boolean => REPO.test(repo) && repo !== '.' && repo !== '..';

export type UpstreamParseResult<T> = { ok: true; value: T } | { ok: false; message: string };

const normalizeHost = (host: string): string => {
  const lower = host.toLowerCase();
  return lower === 'www.github.com' ? GITHUB_HOST : lower;
};

const parseHttpsUrl = (input: string): UpstreamParseResult<URL> => {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    return { ok: false, message: 'Enter a full URL such as https://github.com/owner/repo' };
  }
  if (url.protocol !== 'https:') return { ok: false, message: 'The URL must start with https://' };
  if (url.username !== '' || url.password !== '') {
    return { ok: false, message: 'The URL must not contain a user name or password' };
  }
  if (url.search !== '' || url.hash !== '') {
    return { ok: false, message: 'The URL must not contain a query (?...) or a fragment (#...)' };
  }
  return { ok: true, value: url };
};

const splitPath = (url: URL): string[] => url.pathname.split('/').filter((segment) => segment !== '');

const checkNames = (owner: string, repo: string): string | null => {
  if (!isValidOwner(owner)) return `"${owner}" is not a valid GitHub user or organization name`;
  if (!isValidRepoName(repo)) return `"${repo}" is not a valid GitHub repository name`;
  return null;
};

/**
 * Reads an upstream given as `https://github.com/owner/repo` (optionally
 * ending in `.git` or `/`), as `https://ghe.example.com/owner/repo` on a
 * GitHub Enterprise host, or as the `owner/repo` shorthand for github.com.
 * Anything longer (`/tree/main`, `/pull/1`) is refused rather than guessed
 * at, so the stored target is always exactly one repository.
 */
export const parseUpstreamUrl = (input: string): UpstreamParseResult<UpstreamRef> => {
  const text = input.trim();
  const shorthand = SHORTHAND.exec(text);
  if (shorthand !== null && !text.includes(':')) {
    const owner = shorthand[1] ?? '';
    const repo = (shorthand[2] ?? '').replace(/\.git$/, '');
    const problem = checkNames(owner, repo);
    return problem === null ? { ok: true, value: { host: GITHUB_HOST, owner, repo } } : { ok: false, message: problem };
  }
  const parsed = parseHttpsUrl(text);
  if (!parsed.ok) return parsed;
  const segments = splitPath(parsed.value);
  if (segments.length !== 2) {
    return {
      ok: false,
      message: 'Use the repository URL itself, e.g. https://github.com/owner/repo (no /tree, /pull or other sub-paths)',
    };
  }
  const owner = segments[0] ?? '';
  const repo = (segments[1] ?? '').replace(/\.git$/, '');
  const problem = checkNames(owner, repo);
  if (problem !== null) return { ok: false, message: problem };
  return { ok: true, value: { host: normalizeHost(parsed.value.host), owner, repo } };
};

/**
 * Reads `https://<host>/owner/repo/pull/<n>` (a trailing `/files`,
 * `/commits` or `/` is accepted: people paste what their browser shows).
 * Returns null when the URL is not a pull request link at all.
 */
export const parsePullRequestUrl = (input: string): PullRequestRef | null => {
  const parsed = parseHttpsUrl(input.trim());
  if (!parsed.ok) return null;
  const segments = splitPath(parsed.value);
  const [owner, repo, pull, number, tab, ...rest] = segments;
  if (owner === undefined || repo === undefined || pull !== 'pull' || number === undefined || rest.length > 0) {
    return null;
  }
  if (tab !== undefined && !['files', 'commits', 'checks'].includes(tab)) return null;
  if (!/^[1-9][0-9]{0,9}$/.test(number) || checkNames(owner, repo) !== null) return null;
  return { host: normalizeHost(parsed.value.host), owner, repo, number: Number(number) };
};

/**
 * The identity of an upstream for comparisons and history look-ups. GitHub
 * names are case-insensitive, so `Kubernetes/Kubectl` and
 * `kubernetes/kubectl` are the same upstream.
 */
export const upstreamKey = (ref: UpstreamRef): string =>
  `${ref.host}/${ref.owner}/${ref.repo}`.toLowerCase();

export const sameUpstream = (a: UpstreamRef, b: UpstreamRef): boolean => upstreamKey(a) === upstreamKey(b);

export const upstreamUrl = (ref: UpstreamRef): string => `https://${ref.host}/${ref.owner}/${ref.repo}`;
