import { createHash } from 'node:crypto';

export interface PolicyFile {
  /** The file's name in the policy folder (e.g. `contributions.yaml`). */
  name: string;
  content: string | Uint8Array;
}

export const policyFileSha256 = (content: string | Uint8Array): string => createHash('sha256').update(content).digest('hex');

// Same comparison as the policy loader (shared/policy/src/policy-version.ts):
// the two must agree bit for bit, or exported bundles would not verify.
const byName = (a: { name: string }, b: { name: string }): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/**
 * The policy version from the files' names and SHA-256 digests, the recipe of
 * the policy loader: SHA-256 (hex) over `<name>\n<sha256 hex of the file>\n`
 * per file, files sorted by name. So a `policy.activated` event's
 * {name, sha256} list alone proves its version.
 */
export function policyVersionFromDigests(files: readonly { name: string; sha256: string }[]): string {
  const names = new Set<string>();
  const hash = createHash('sha256');
  for (const file of [...files].sort(byName)) {
    // A line break in a name would let two different file sets hash alike.
    if (/[\n\r]/.test(file.name)) throw new Error('a policy file name cannot contain a line break');
    if (names.has(file.name)) throw new Error(`policy file ${file.name} is listed twice`);
    names.add(file.name);
    hash.update(`${file.name}\n${file.sha256}\n`, 'utf8');
  }
  return hash.digest('hex');
}

/** The policy version of a set of policy files (see policyVersionFromDigests for the recipe). */
export function policyVersionOf(files: readonly PolicyFile[]): string {
  return policyVersionFromDigests(files.map((file) => ({ name: file.name, sha256: policyFileSha256(file.content) })));
}
