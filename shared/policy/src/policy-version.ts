import { createHash } from 'node:crypto';

export interface PolicyFile {
  name: string;
  content: string;
  /** SHA-256 (hex) of the file's bytes. */
  sha256: string;
}

export const sha256Hex = (data: string | Uint8Array): string => createHash('sha256').update(data).digest('hex');

/**
 * The policy version: SHA-256 (hex) over one line pair per file, files sorted
 * by name: `<name>\n<sha256 of the file's bytes>\n`. Any edit, rename, added
 * or removed file changes it; it can be recomputed with coreutils (see
 * policies/README.md).
 */
export const policyVersionOf = (files: readonly PolicyFile[]): string => {
  const hash = createHash('sha256');
  for (const file of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    hash.update(`${file.name}\n${file.sha256}\n`);
  }
  return hash.digest('hex');
};
