/**
 * What went wrong talking to GitHub, sorted by what the caller should do.
 * The queue retries a transient error (after `retryAfterMs` when GitHub said
 * how long to wait) and gives up on a permanent one. Messages carry the
 * operation, status and GitHub's message, never request headers: the token
 * must not reach logs through an error.
 */
export abstract class GitHubError extends Error {
  abstract readonly transient: boolean;

  constructor(
    message: string,
    /** The client call that failed, e.g. `getPullRequest octo/widget#4`. */
    readonly operation: string,
    /** HTTP status, or null when no response arrived. */
    readonly status: number | null,
    /** GitHub's `x-github-request-id`, for a support ticket. */
    readonly requestId: string | null,
  ) {
    super(message);
  }
}

export class GitHubTransientError extends GitHubError {
  override readonly name: string = 'GitHubTransientError';
  readonly transient = true;

  constructor(
    message: string,
    operation: string,
    status: number | null,
    requestId: string | null,
    /** How long GitHub asked us to wait, when it said (rate limits, Retry-After). */
    readonly retryAfterMs: number | null,
  ) {
    super(message, operation, status, requestId);
  }
}

/**
 * GitHub could not be reached at all (no connection, or no answer within the
 * first-contact time limit). The client remembers it for a while, so the
 * calls after it fail at once instead of each waiting out its own timeout.
 */
export class GitHubUnreachableError extends GitHubTransientError {
  override readonly name = 'GitHubUnreachableError';
  readonly unreachable = true;

  constructor(message: string, operation: string) {
    super(message, operation, null, null, null);
  }
}

export class GitHubPermanentError extends GitHubError {
  override readonly name = 'GitHubPermanentError';
  readonly transient = false;
}

/** The parts of an Octokit RequestError this module reads. */
interface ResponseLike {
  status?: unknown;
  message?: unknown;
  response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
}

const SECONDARY_LIMIT_WAIT_MS = 60_000;

const header = (error: ResponseLike, name: string): string | null => {
  const value = error.response?.headers?.[name];
  return value === undefined ? null : String(value);
};

const githubMessage = (error: ResponseLike): string => {
  const data = error.response?.data;
  if (typeof data === 'object' && data !== null && 'message' in data && typeof data.message === 'string') return data.message;
  return typeof error.message === 'string' ? error.message : 'unknown error';
};

/** Seconds from `retry-after`, or the wait until `x-ratelimit-reset` (epoch seconds) when none are left. */
const retryAfter = (error: ResponseLike, nowMs: number): number | null => {
  const seconds = Number(header(error, 'retry-after'));
  if (header(error, 'retry-after') !== null && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  if (header(error, 'x-ratelimit-remaining') === '0') {
    const reset = Number(header(error, 'x-ratelimit-reset'));
    if (Number.isFinite(reset)) return Math.max(0, reset * 1000 - nowMs);
  }
  return null;
};

/**
 * Sorts a failure from Octokit (or fetch) into transient or permanent.
 * Transient: no response (network, timeout), 408, 429, 5xx, and 403s that
 * are rate limits (GitHub answers a rate limit with 403 or 429; the headers
 * or the message say which). Permanent: every other 4xx, e.g. 401 bad
 * credentials, 403 missing permission, 404, 422 validation.
 */
export const classifyGitHubError = (error: unknown, operation: string, nowMs: number): GitHubError => {
  if (error instanceof GitHubError) return error;
  const like: ResponseLike = typeof error === 'object' && error !== null ? (error) : {};
  const status = typeof like.status === 'number' && like.status > 0 ? like.status : null;
  const requestId = header(like, 'x-github-request-id');
  const message = githubMessage(like);
  if (status === null || like.response === undefined) {
    // Octokit reports a failed fetch as status 500 with no response.
    return new GitHubTransientError(`GitHub ${operation}: no response (${message})`, operation, null, requestId, null);
  }
  const text = `GitHub ${operation}: ${status} ${message}`;
  if (status === 403 || status === 429) {
    const wait = retryAfter(like, nowMs);
    if (wait !== null) return new GitHubTransientError(`${text} (rate limited)`, operation, status, requestId, wait);
    if (status === 429 || /secondary rate limit|abuse detection/i.test(message)) {
      return new GitHubTransientError(`${text} (rate limited)`, operation, status, requestId, SECONDARY_LIMIT_WAIT_MS);
    }
    return new GitHubPermanentError(text, operation, status, requestId);
  }
  if (status === 408 || status >= 500) return new GitHubTransientError(text, operation, status, requestId, retryAfter(like, nowMs));
  return new GitHubPermanentError(text, operation, status, requestId);
};
