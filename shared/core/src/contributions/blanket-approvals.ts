import type { BlanketApproval } from './policy-schema.js';
import type { UpstreamRef } from './upstream-ref.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Whether the entry names this upstream (names compare case-insensitively, as on GitHub). */
export const blanketCovers = (entry: BlanketApproval, upstream: UpstreamRef): boolean => {
  if (entry.host.toLowerCase() !== upstream.host.toLowerCase()) return false;
  if (entry.owner.toLowerCase() !== upstream.owner.toLowerCase()) return false;
  return entry.scope === 'org' || entry.repo?.toLowerCase() === upstream.repo.toLowerCase();
};

/** `expires` is the last day (UTC) on which the approval still applies. */
export const blanketExpired = (entry: BlanketApproval, now: Date): boolean =>
  entry.expires !== undefined && now.getTime() >= Date.parse(`${entry.expires}T00:00:00Z`) + DAY_MS;

export const describeBlanket = (entry: BlanketApproval): string => {
  const target = entry.scope === 'org' ? `every repository of ${entry.host}/${entry.owner}` : `${entry.host}/${entry.owner}/${entry.repo ?? ''}`;
  const until = entry.expires === undefined ? 'no expiry' : `until ${entry.expires}`;
  return `blanket approval "${entry.name}" covers ${target} for ${entry.tiers.join(', ')} (${until})`;
};
