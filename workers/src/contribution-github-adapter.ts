import { createGitHubClient, licenseTemplateFor, type GitHubClient } from '@clearance/github';
import type { ContributionGitHub } from '@clearance/services';

export interface GitHubSettings {
  /** GITHUB_API_URL: `https://api.github.com`, or `https://HOST/api/v3` for GitHub Enterprise Server. */
  apiUrl: string;
  /** GITHUB_TOKEN; unset reads anonymously (60 requests an hour on github.com). */
  token: string | null;
  /** CLEARANCE_GITHUB_HOST: the web host whose repositories the API serves; derived from apiUrl when unset. */
  host?: string | null;
}

/**
 * The web host an API URL serves: `api.github.com` serves `github.com`, a
 * GitHub Enterprise Server at `https://HOST/api/v3` serves HOST. Any other
 * URL (a proxy, a test double) is taken to front github.com; set
 * CLEARANCE_GITHUB_HOST when it does not.
 */
export const githubWebHost = (apiUrl: string): string => {
  const url = new URL(apiUrl);
  return /\/api\/v3\/?$/.test(url.pathname) ? url.host : 'github.com';
};

/** The client as contribution services use it: the host it answers for, and SPDX ids turned into GitHub's license templates. */
export const contributionGitHubOf = (client: GitHubClient, host: string): ContributionGitHub => ({
  host,
  getUpstream: (owner, repo) => client.getUpstream(owner, repo),
  getPullRequest: (owner, repo, number) => client.getPullRequest(owner, repo, number),
  getClaHints: (owner, repo) => client.getClaHints(owner, repo),
  commentOnPullRequest: (owner, repo, number, body) => client.commentOnPullRequest(owner, repo, number, body),
  findPullRequestComment: (owner, repo, number, text) => client.findPullRequestComment(owner, repo, number, text),
  createRepository: (org, name, options) =>
    client.createRepository(org, name, {
      description: options.description,
      licenseTemplate: options.license === null ? null : licenseTemplateFor(options.license),
      private: options.private,
    }),
});

export const createContributionGitHub = (settings: GitHubSettings): ContributionGitHub =>
  contributionGitHubOf(
    createGitHubClient({ baseUrl: settings.apiUrl, token: settings.token, userAgent: 'clearance' }),
    settings.host ?? githubWebHost(settings.apiUrl),
  );
