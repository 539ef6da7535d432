import { fileURLToPath } from 'node:url';
import { type LoadedPolicy, loadPolicyDir } from './load-policy-dir.js';

/**
 * The repository's `policies/` folder. This file sits directly in
 * `shared/policy/src` (tests) or `shared/policy/dist` (built), so the folder
 * is three levels up from either.
 */
export const defaultPolicyDir = (): string => fileURLToPath(new URL('../../../policies/', import.meta.url));

export const loadDefaultPolicy = (): Promise<LoadedPolicy> => loadPolicyDir(defaultPolicyDir());
