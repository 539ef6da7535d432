import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type LoadedPolicy, loadPolicyDir } from './load-policy-dir.js';

/**
 * The default `policies/` folder. This file sits directly in
 * `shared/policy/src` (tests) or `shared/policy/dist` (built): in the
 * repository the folder is three levels up; in the packed CLI (see
 * services/cli/scripts/pack-standalone.js) it is shipped inside this package.
 */
export const defaultPolicyDir = (): string => {
  const packed = new URL('../policies/', import.meta.url);
  return fileURLToPath(existsSync(packed) ? packed : new URL('../../../policies/', import.meta.url));
};

export const loadDefaultPolicy = (): Promise<LoadedPolicy> => loadPolicyDir(defaultPolicyDir());
