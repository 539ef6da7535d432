import { loadDefaultPolicy, loadPolicyDir, type LoadedPolicy } from '@clearance/policy';

/** The policy folder given by CLEARANCE_POLICY_DIR or --policy, else the defaults shipped in policies/. */
export const loadActivePolicy = (dir: string | undefined): Promise<LoadedPolicy> =>
  dir ? loadPolicyDir(dir) : loadDefaultPolicy();
