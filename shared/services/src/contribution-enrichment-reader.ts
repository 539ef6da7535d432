import { primaryPullRequest, upstreamUrl, type ContributionEnrichment, type ContributionRequest } from '@clearance/core';
import { isGitHubUnreachable, isPermanentGitHubFailure, type ContributionGitHub } from './contribution-github.js';

export interface EnrichmentRead {
  enrichment: ContributionEnrichment;
  /** GitHub reads that failed for good (or on the last try): recorded as `contribution.enrichment-failed`. */
  failures: string[];
}

type Attempt<T> = { ok: true; value: T } | { ok: false };

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * What GitHub says about a request's target. A part that cannot be read for
 * good (no permission, no answer on the job's last try, or a GitHub that
 * cannot be reached at all) is left null with a finding saying why, and
 * routing then asks a person to check by hand. A transient failure before
 * the last try is thrown, so the job retries.
 */
export async function readEnrichment(
  github: ContributionGitHub,
  request: ContributionRequest,
  options: { finalAttempt: boolean },
): Promise<EnrichmentRead> {
  const findings: string[] = [];
  const failures: string[] = [];
  const done = (parts: Omit<ContributionEnrichment, 'findings'>): EnrichmentRead => ({ enrichment: { ...parts, findings }, failures });
  // A new project has no upstream yet: there is nothing on GitHub to read.
  if (request.tier === 'new-project') return done({ upstream: null, pullRequest: null, claHints: null });

  const target = request.upstream;
  if (target.host.toLowerCase() !== github.host.toLowerCase()) {
    findings.push(
      `${upstreamUrl(target)} is on ${target.host}, but Clearance reads GitHub at ${github.host}: its license, archive state and pull request were not checked`,
    );
    return done({ upstream: null, pullRequest: null, claHints: null });
  }

  let unreachable = false;
  const attempt = async <T>(what: string, read: () => Promise<T>): Promise<Attempt<T>> => {
    // One note says it all; the client would refuse the next reads at once anyway.
    if (unreachable) return { ok: false };
    try {
      return { ok: true, value: await read() };
    } catch (error) {
      if (isGitHubUnreachable(error)) {
        unreachable = true;
        failures.push(`${what}: ${messageOf(error)}`);
        findings.push(`GitHub unreachable: routed without upstream facts (${messageOf(error)})`);
        return { ok: false };
      }
      const permanent = isPermanentGitHubFailure(error);
      if (!permanent && !options.finalAttempt) throw error;
      failures.push(`${what}: ${messageOf(error)}`);
      findings.push(
        permanent
          ? `GitHub refused to give ${what}: ${messageOf(error)}`
          : `GitHub did not answer for ${what} after several tries: ${messageOf(error)}`,
      );
      return { ok: false };
    }
  };

  const upstream = await attempt('the upstream repository', () => github.getUpstream(target.owner, target.repo));
  if (upstream.ok && !upstream.value.exists) {
    findings.push(`GitHub answered 404 for ${upstreamUrl(target)}: the repository does not exist, or the token cannot see it`);
    return done({ upstream: upstream.value, pullRequest: null, claHints: null });
  }

  let pullRequest: ContributionEnrichment['pullRequest'] = null;
  const ref = primaryPullRequest(request);
  if (ref !== null) {
    const read = await attempt(`pull request #${ref.number}`, () => github.getPullRequest(ref.owner, ref.repo, ref.number));
    if (read.ok && read.value === null) findings.push(`The linked pull request ${upstreamUrl(ref)}/pull/${ref.number} was not found`);
    pullRequest = read.ok ? read.value : null;
  }
  const claHints = await attempt('the contributing guide (CLA/DCO hints)', () => github.getClaHints(target.owner, target.repo));
  return done({ upstream: upstream.ok ? upstream.value : null, pullRequest, claHints: claHints.ok ? claHints.value : null });
}
