import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** SHA-256 (hex) of a file, streamed: events.ndjson can be gigabytes. */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export interface BundleEntry {
  /** Relative path with forward slashes. */
  path: string;
  regular: boolean;
}

/** Every entry under `dir` (not following links), so a verifier sees what is there, not what the manifest says. */
export async function listEntries(dir: string, prefix = ''): Promise<BundleEntry[]> {
  const entries: BundleEntry[] = [];
  for (const dirent of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const path = prefix === '' ? dirent.name : `${prefix}/${dirent.name}`;
    if (dirent.isDirectory()) entries.push(...(await listEntries(dir, path)));
    // Dirents describe the entry itself: a symbolic link is not a regular file here.
    else entries.push({ path, regular: dirent.isFile() });
  }
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
