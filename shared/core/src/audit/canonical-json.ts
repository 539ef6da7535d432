import { createRequire } from 'node:module';

// canonicalize is CommonJS whose typings claim a default export; load it as
// what it is (module.exports is the function). Same loader as event-hash.ts,
// so checkpoints, bundles and event hashes share one RFC 8785 implementation.
const canonicalize = createRequire(import.meta.url)('canonicalize') as (input: unknown) => string | undefined;

/**
 * RFC 8785 (JCS) canonical JSON text. Signatures and file hashes are taken
 * over these bytes so any verifier with an RFC 8785 library gets the same
 * bytes regardless of key order or number formatting.
 */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('value has no JSON form');
  return text;
}
