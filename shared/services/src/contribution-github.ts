import type { ClaHints, PullRequestInfo, UpstreamInfo } from '@clearance/core';

/**
 * The GitHub calls contribution services make. The workers adapt
 * `@clearance/github`'s client to it; services depend on this shape rather
 * than on Octokit so they stay free of HTTP concerns.
 */
export interface ContributionGitHub {
  /**
   * The web host whose repositories this client reads (`github.com`, or a
   * GitHub Enterprise host). A request naming another host is not looked up
   * here: the same owner/repo there may be a different project.
   */
  readonly host: string;
  getUpstream(owner: string, repo: string): Promise<UpstreamInfo>;
  getPullRequest(owner: string, repo: string, number: number): Promise<PullRequestInfo | null>;
  getClaHints(owner: string, repo: string): Promise<ClaHints>;
  commentOnPullRequest(owner: string, repo: string, number: number, body: string): Promise<{ id: number; htmlUrl: string }>;
  /** The first comment on the pull request containing `text` (null: none), so a retried job finds what its first try posted. */
  findPullRequestComment(owner: string, repo: string, number: number, text: string): Promise<{ id: number; htmlUrl: string } | null>;
  createRepository(
    org: string,
    name: string,
    /** `license` is an SPDX id; the client turns it into GitHub's license template. */
    options: { description: string | null; license: string | null; private: boolean },
  ): Promise<{ created: boolean; fullName: string; htmlUrl: string; license: string | null }>;
}

/**
 * A GitHub failure that will fail the same way on a retry (bad credentials,
 * no permission, validation). The client's errors say so in `transient`;
 * anything without that flag (a bug, a network error the client did not
 * wrap) is treated as worth a retry.
 */
export const isPermanentGitHubFailure = (error: unknown): error is Error =>
  error instanceof Error && 'transient' in error && error.transient === false;

/**
 * GitHub could not be reached at all (the client's GitHubUnreachableError):
 * retrying soon fails the same way, so the request is routed without
 * upstream facts and a person checks them by hand.
 */
export const isGitHubUnreachable = (error: unknown): error is Error =>
  error instanceof Error && 'unreachable' in error && error.unreachable === true;
