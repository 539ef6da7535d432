/** The fixed file names of a dossier bundle (see README.md, "Bundle format"). */
export const MANIFEST_FILE = 'manifest.json';
export const EVENTS_FILE = 'events.ndjson';
export const CHECKPOINTS_FILE = 'checkpoints.json';
export const PUBLIC_KEY_FILE = 'public-key.pem';
export const KEY_ROTATIONS_FILE = 'key-rotations.json';
export const CONFORMANCE_FILE = 'conformance.json';
export const POLICIES_DIR = 'policies';

export const BUNDLE_FORMAT = 'clearance-audit-dossier';
export const BUNDLE_FORMAT_VERSION = 1;

/**
 * A relative path that stays inside the bundle on every OS: forward slashes,
 * no empty, `.` or `..` segments, no backslash, colon or control characters.
 * Names come from policy files and from manifests a stranger may have made.
 */
export const isSafeRelativePath = (path: string): boolean =>
  path.length > 0 &&
  path.length <= 512 &&
  !/[\\:]/.test(path) &&
  ![...path].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f) &&
  path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');

/** Policy versions become folder names: only the characters a version can reasonably hold. */
export const isSafeVersion = (version: string): boolean => /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(version);

export const policyPath = (version: string, name: string): string => `${POLICIES_DIR}/${version}/${name}`;
