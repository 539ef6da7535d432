import { createContributionGitHub } from './contribution-github-adapter.js';
import type { WorkerDependencies } from './worker-dependencies.js';

/** The GitHub settings of the parsed environment (server and worker schemas alike). */
export interface GitHubEnvironment {
  GITHUB_API_URL: string;
  GITHUB_TOKEN?: string | undefined;
  CLEARANCE_GITHUB_HOST?: string | undefined;
  CLEARANCE_GITHUB_ORG?: string | undefined;
}

/** The GitHub part of the worker dependencies, built once per process from its environment. */
export const githubDependencies = (env: GitHubEnvironment): Pick<WorkerDependencies, 'github' | 'githubOrg'> => ({
  github: createContributionGitHub({ apiUrl: env.GITHUB_API_URL, token: env.GITHUB_TOKEN ?? null, host: env.CLEARANCE_GITHUB_HOST ?? null }),
  githubOrg: env.CLEARANCE_GITHUB_ORG ?? null,
});
