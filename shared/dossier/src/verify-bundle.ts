import {
  asPublicKey,
  keyFingerprintOf,
  keyIdOf,
  policyFileSha256,
  policyVersionOf,
  signedCheckpointSchema,
  verifyChainParallel,
  type ChainProblemKind,
  type ChainReport,
  type KeyInput,
  type KeyRotation,
  type ParallelOptions,
  type SignedCheckpoint,
  type SourcedEvent,
} from '@clearance/core';
import type { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { manifestSigningKey, readKeyRotations } from './bundle-key-chain.js';
import { CHECKPOINTS_FILE, CONFORMANCE_FILE, EVENTS_FILE, KEY_ROTATIONS_FILE, MANIFEST_FILE, POLICIES_DIR, policyPath, PUBLIC_KEY_FILE } from './bundle-layout.js';
import { fileSha256, listEntries, type BundleEntry } from './file-digest.js';
import { readEventLines } from './event-lines.js';
import { checkConformance } from './conformance/check-conformance.js';
import { ConformanceMap } from './conformance/conformance-map.js';
import { bundleManifestSchema, verifyManifestSignature, type BundleManifest } from './manifest.js';
import { referencedPolicyVersions } from './referenced-policies.js';
import { subjectKey } from './subject.js';

export type BundleProblemKind =
  | 'manifest-unreadable'
  | 'manifest-signature'
  | 'manifest-mismatch'
  | 'key-unreadable'
  | 'key-untrusted'
  | 'file-missing'
  | 'file-extra'
  | 'file-changed'
  | 'event-unreadable'
  | 'checkpoints-unreadable'
  | 'checkpoint-outside-range'
  | 'key-rotations-unreadable'
  | 'policy-missing'
  | 'policy-version-mismatch'
  | 'policy-files-mismatch'
  | 'conformance-mismatch'
  | ChainProblemKind;

export interface BundleProblem {
  kind: BundleProblemKind;
  /** The bundle file the problem is in, relative to the bundle folder. */
  file: string | null;
  seq: number | null;
  detail: string;
}

export interface BundleReport {
  ok: boolean;
  /** The first problems (at most 50); problemCount has them all. */
  problems: BundleProblem[];
  problemCount: number;
  /** What verified but proves less than a reader might think (no checkpoint, no pinned key, ...). */
  warnings: string[];
  manifest: BundleManifest | null;
  chain: ChainReport | null;
  subjectEventCount: number | null;
  /** SHA-256 of the bundle's public-key.pem (SPKI DER), to compare with the one the organization publishes; null when unreadable. */
  keyFingerprint: string | null;
  /** True when the bundle's key was compared with one the reader gave (expectKey or trustedKeys). */
  keyPinned: boolean;
}

export interface VerifyBundleOptions {
  /**
   * Key ids (or public keys) the reader already trusts, from outside the
   * bundle. Without one, a bundle rewritten as a whole and re-signed with
   * another key is only caught by comparing its key id by hand.
   */
  trustedKeys?: readonly (string | KeyInput)[];
  /**
   * The key the bundle must be signed with: its SHA-256 fingerprint (64 hex,
   * optionally `sha256:`-prefixed) or its public key. Anything else signing
   * the bundle, however consistent, fails as `key-untrusted`.
   */
  expectKey?: string | KeyInput;
  /**
   * Worker threads for the hash chain. Default one: measured on 2 cores (docs/performance.md),
   * hashing in workers while one pass judges was slower than one thread and took twice the memory,
   * so it is opt-in until the range-split design lands.
   */
  parallel?: ParallelOptions;
}

const MAX_PROBLEMS = 50;
const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

/**
 * Verifies a dossier bundle with no server and no database: every file
 * against the signed manifest, the events as a hash chain continuing from the
 * manifest's predecessor, the checkpoints within the range, and the policy
 * files against their versions. Collects every problem instead of stopping at
 * the first, so a reader learns all that was changed.
 */
export async function verifyBundle(dir: string, options: VerifyBundleOptions = {}): Promise<BundleReport> {
  const problems: BundleProblem[] = [];
  let problemCount = 0;
  const warnings: string[] = [];
  const add = (kind: BundleProblemKind, file: string | null, detail: string, seq: number | null = null): void => {
    problemCount += 1;
    if (problems.length < MAX_PROBLEMS) problems.push({ kind, file, seq, detail });
  };
  let keyFingerprint: string | null = null;
  const keyPinned = options.expectKey !== undefined || (options.trustedKeys?.length ?? 0) > 0;
  const report = (manifest: BundleManifest | null, chain: ChainReport | null, subjectEventCount: number | null): BundleReport => ({
    ok: problemCount === 0,
    problems,
    problemCount,
    warnings,
    manifest,
    chain,
    subjectEventCount,
    keyFingerprint,
    keyPinned,
  });

  let entries: BundleEntry[];
  try {
    entries = await listEntries(dir);
  } catch (error) {
    add('manifest-unreadable', null, `the bundle folder cannot be read: ${(error as Error).message}`);
    return report(null, null, null);
  }
  const manifest = await readManifest(dir, entries, add);
  if (manifest === null) return report(null, null, null);

  const keyRotations = await readKeyRotations(dir, manifest, add);
  const key = await checkKey(dir, manifest, options, add, warnings, keyRotations);
  keyFingerprint = key === null ? null : keyFingerprintOf(key);
  await checkFiles(dir, entries, manifest, add);
  const checkpoints = await readCheckpoints(dir, manifest, add);

  const present = new Set(entries.map((entry) => entry.path));
  let chain: ChainReport | null = null;
  let facts: EventFacts | null = null;
  if (present.has(EVENTS_FILE)) {
    facts = newEventFacts();
    chain = await verifyChainParallel(
      events(join(dir, EVENTS_FILE), manifest, facts, add),
      {
        checkpoints,
        // An unreadable key still goes in: every checkpoint is then reported as unverifiable.
        publicKey: key ?? '',
        keyRotations,
        startAfter: manifest.events.predecessor,
      },
      { threads: 1, expectedEvents: (manifest.events.lastSeq ?? manifest.events.predecessor.seq) - manifest.events.predecessor.seq, ...options.parallel },
    );
    for (const problem of chain.problems) {
      const file = problem.kind.startsWith('checkpoint') ? CHECKPOINTS_FILE : problem.kind === 'key-rotation' ? KEY_ROTATIONS_FILE : EVENTS_FILE;
      add(problem.kind, file, problem.detail, problem.seq);
    }
    // Chain problems beyond the chain's own cap are counted, not listed.
    problemCount += chain.problemCount - chain.problems.length;
    compareWithManifest(manifest, chain, facts, add);
    await checkPolicies(dir, manifest, facts, present, add);
    const conformance = await checkConformance(dir, manifest, facts.conformance.result(), present);
    for (const detail of conformance.problems) add('conformance-mismatch', CONFORMANCE_FILE, detail);
    warnings.push(...conformance.warnings);
    warn(chain, facts, warnings);
  }
  return report(manifest, chain, manifest.scope.subject === null ? null : (facts?.subjectCount ?? null));
}

type Add = (kind: BundleProblemKind, file: string | null, detail: string, seq?: number | null) => void;

async function readManifest(dir: string, entries: readonly BundleEntry[], add: Add): Promise<BundleManifest | null> {
  if (!entries.some((entry) => entry.path === MANIFEST_FILE && entry.regular)) {
    add('file-missing', MANIFEST_FILE, 'the bundle has no manifest.json, so nothing in it can be checked');
    return null;
  }
  let text: string;
  try {
    const bytes = await readFile(join(dir, MANIFEST_FILE));
    if (bytes.length > MAX_MANIFEST_BYTES) throw new Error(`larger than ${MAX_MANIFEST_BYTES} bytes`);
    text = bytes.toString('utf8');
  } catch (error) {
    add('manifest-unreadable', MANIFEST_FILE, `manifest.json cannot be read: ${(error as Error).message}`);
    return null;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    add('manifest-unreadable', MANIFEST_FILE, 'manifest.json is not valid JSON: it was edited or damaged');
    return null;
  }
  const parsed = bundleManifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    add('manifest-unreadable', MANIFEST_FILE, `manifest.json does not follow the bundle format: ${issue === undefined ? '' : `${issue.path.join('.')}: ${issue.message}`}`);
    return null;
  }
  return parsed.data;
}

/** Reads public-key.pem (the first key of the chain, what --expect-key pins) and checks the manifest against the chain's last key. */
async function checkKey(
  dir: string,
  manifest: BundleManifest,
  options: VerifyBundleOptions,
  add: Add,
  warnings: string[],
  keyRotations: readonly KeyRotation[],
): Promise<KeyObject | null> {
  let key: KeyObject;
  try {
    key = asPublicKey(await readFile(join(dir, PUBLIC_KEY_FILE), 'utf8'));
    if (key.asymmetricKeyType !== 'ed25519') throw new Error(`it is a ${key.asymmetricKeyType ?? 'unknown'} key, not Ed25519`);
  } catch (error) {
    add('key-unreadable', PUBLIC_KEY_FILE, `public-key.pem is not a readable Ed25519 public key: ${(error as Error).message}`);
    add('manifest-signature', MANIFEST_FILE, 'the manifest signature cannot be checked without the public key');
    return null;
  }
  const keyId = keyIdOf(key);
  const signingKey = manifestSigningKey(key, keyRotations);
  const signingKeyId = keyIdOf(signingKey);
  if (signingKeyId !== manifest.keyId) add('key-untrusted', PUBLIC_KEY_FILE, `the key chain from public-key.pem ends at key id ${signingKeyId}, the manifest names ${manifest.keyId}`);
  if (!verifyManifestSignature(manifest, signingKey)) add('manifest-signature', MANIFEST_FILE, 'the manifest signature does not verify with public-key.pem: the manifest or the key was changed');
  const fingerprint = keyFingerprintOf(key);
  if (options.expectKey !== undefined) {
    const expected = expectedFingerprint(options.expectKey);
    if (expected === null) {
      add('key-untrusted', null, 'the expected key is neither a SHA-256 fingerprint (64 hex digits) nor a readable public key');
    } else if (expected !== fingerprint) {
      add(
        'key-untrusted',
        PUBLIC_KEY_FILE,
        `the bundle is signed by key ${fingerprint}, not by the expected key ${expected}: public-key.pem was replaced and the bundle re-signed by someone else's key`,
      );
    }
  }
  if (options.trustedKeys !== undefined && options.trustedKeys.length > 0 && !options.trustedKeys.some((trusted) => trustedKeyId(trusted) === keyId)) {
    add('key-untrusted', PUBLIC_KEY_FILE, `the bundle is signed by key ${keyId}, which is not among the trusted keys`);
  }
  if (options.expectKey === undefined && (options.trustedKeys === undefined || options.trustedKeys.length === 0)) {
    warnings.push(
      `The bundle's key (SHA-256 fingerprint ${fingerprint}) was not pinned: anyone can re-sign a bundle with a key of their own. ` +
        'Get the fingerprint out of band (the server prints it at start and serves it at GET /audit/public-key; every audit.checkpoint event names its key id, the first 16 digits) and pass it with --expect-key.',
    );
  }
  return key;
}

const expectedFingerprint = (expected: string | KeyInput): string | null => {
  if (typeof expected === 'string') {
    // `sha256:ab…`, `AB:CD:…` (as openssl prints digests) and plain hex are the same fingerprint.
    const hex = expected.trim().toLowerCase().replace(/^sha256:/, '').replaceAll(':', '');
    if (/^[0-9a-f]{64}$/.test(hex)) return hex;
  }
  try {
    return keyFingerprintOf(expected);
  } catch {
    return null;
  }
};

const trustedKeyId = (trusted: string | KeyInput): string | null => {
  if (typeof trusted === 'string' && /^[0-9a-f]{16}$/.test(trusted)) return trusted;
  try {
    return keyIdOf(trusted);
  } catch {
    return null;
  }
};

async function checkFiles(dir: string, entries: readonly BundleEntry[], manifest: BundleManifest, add: Add): Promise<void> {
  const listed = new Map(Object.entries(manifest.files));
  const present = new Map(entries.map((entry) => [entry.path, entry]));
  for (const entry of entries) {
    if (entry.path === MANIFEST_FILE) continue;
    if (!entry.regular) add('file-extra', entry.path, `${entry.path} is not a regular file (a link or device): bundles hold only files`);
    else if (!listed.has(entry.path)) add('file-extra', entry.path, `${entry.path} is not in the manifest: it was added after export`);
  }
  for (const [path, expected] of listed) {
    const entry = present.get(path);
    if (entry === undefined) {
      add('file-missing', path, `${path} is listed in the manifest but missing from the bundle`);
    } else if (entry.regular) {
      const actual = await fileSha256(join(dir, path));
      if (actual !== expected) add('file-changed', path, `${path} has SHA-256 ${actual.slice(0, 12)}…, the manifest says ${expected.slice(0, 12)}…: it was changed after export`);
    }
  }
  for (const required of [EVENTS_FILE, CHECKPOINTS_FILE, PUBLIC_KEY_FILE]) {
    if (!listed.has(required)) add('manifest-mismatch', MANIFEST_FILE, `the manifest does not list ${required}`);
  }
}

async function readCheckpoints(dir: string, manifest: BundleManifest, add: Add): Promise<SignedCheckpoint[]> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(join(dir, CHECKPOINTS_FILE), 'utf8'));
  } catch (error) {
    // A missing file was reported already.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') add('checkpoints-unreadable', CHECKPOINTS_FILE, 'checkpoints.json is not valid JSON: it was edited or damaged');
    return [];
  }
  const parsed = z.array(signedCheckpointSchema).safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    add('checkpoints-unreadable', CHECKPOINTS_FILE, `checkpoints.json is not a list of signed checkpoints: ${issue === undefined ? '' : `${issue.path.join('.')}: ${issue.message}`}`);
    return [];
  }
  if (parsed.data.length !== manifest.checkpoints.count) {
    add('manifest-mismatch', CHECKPOINTS_FILE, `checkpoints.json holds ${parsed.data.length} checkpoints, the manifest says ${manifest.checkpoints.count}`);
  }
  const first = manifest.events.predecessor.seq;
  const last = manifest.events.lastSeq ?? first;
  const inRange: SignedCheckpoint[] = [];
  for (const checkpoint of parsed.data) {
    if (checkpoint.seq >= first && checkpoint.seq <= last) inRange.push(checkpoint);
    else add('checkpoint-outside-range', CHECKPOINTS_FILE, `the checkpoint at seq ${checkpoint.seq} is outside the exported range ${first}–${last}`, checkpoint.seq);
  }
  return inRange;
}

interface EventFacts {
  firstSeq: number | null;
  subjectCount: number;
  outOfScope: number;
  policyVersions: Set<string>;
  /** The {name, sha256} lists that policy.activated events record, by version. */
  activatedFiles: Map<string, { seq: number; files: { name: string; sha256: string }[] }>;
  /** The ISO/IEC 5230 map, recomputed on the same pass to check conformance.json. */
  conformance: ConformanceMap;
}

const newEventFacts = (): EventFacts => ({ firstSeq: null, subjectCount: 0, outOfScope: 0, policyVersions: new Set(), activatedFiles: new Map(), conformance: new ConformanceMap() });

const activatedSchema = z.object({ version: z.string(), files: z.array(z.object({ name: z.string(), sha256: z.string() })) });

/** The bundle's events as a stream for verifyChain, noting on the way what the other checks need. */
async function* events(path: string, manifest: BundleManifest, facts: EventFacts, add: Add): AsyncGenerator<SourcedEvent> {
  const from = manifest.scope.from === null ? null : Date.parse(manifest.scope.from);
  const to = manifest.scope.to === null ? null : Date.parse(manifest.scope.to);
  for await (const line of readEventLines(path)) {
    if (!line.ok) {
      add('event-unreadable', EVENTS_FILE, `line ${line.line} is not an event record (${line.error})`);
      continue;
    }
    const event = line.event;
    facts.firstSeq ??= event.seq;
    if (manifest.scope.subject !== null && subjectKey(event) === manifest.scope.subject) facts.subjectCount += 1;
    const at = Date.parse(event.occurredAt);
    if ((from !== null && at < from) || (to !== null && at >= to)) facts.outOfScope += 1;
    for (const version of referencedPolicyVersions(event)) facts.policyVersions.add(version);
    facts.conformance.add(event);
    if (event.action === 'policy.activated') {
      const activated = activatedSchema.safeParse(event.payload);
      if (activated.success) facts.activatedFiles.set(activated.data.version, { seq: event.seq, files: activated.data.files });
    }
    yield { event, json: line.text };
  }
}

function compareWithManifest(manifest: BundleManifest, chain: ChainReport, facts: EventFacts, add: Add): void {
  const m = manifest.events;
  const mismatch = (what: string, actual: unknown, expected: unknown): void =>
    add('manifest-mismatch', EVENTS_FILE, `events.ndjson has ${what} ${String(actual)}, the manifest says ${String(expected)}`);
  if (chain.eventCount !== m.count) mismatch('event count', chain.eventCount, m.count);
  if (facts.firstSeq !== m.firstSeq) mismatch('first seq', facts.firstSeq, m.firstSeq);
  const lastSeq = chain.eventCount === 0 ? null : chain.headSeq;
  if (lastSeq !== m.lastSeq) mismatch('last seq', lastSeq, m.lastSeq);
  if (chain.headHash !== m.headHash) mismatch('head hash', chain.headHash, m.headHash);
  if (manifest.scope.subject !== null && facts.subjectCount !== m.subjectEventCount) mismatch(`a count of ${manifest.scope.subject} events of`, facts.subjectCount, m.subjectEventCount);
}

async function checkPolicies(dir: string, manifest: BundleManifest, facts: EventFacts, present: ReadonlySet<string>, add: Add): Promise<void> {
  const listed = new Set(manifest.policyVersions);
  for (const version of facts.policyVersions) {
    if (!listed.has(version)) add('policy-missing', POLICIES_DIR, `the events reference policy version ${version}, which the manifest does not list`);
  }
  for (const version of listed) {
    if (!facts.policyVersions.has(version)) add('manifest-mismatch', MANIFEST_FILE, `the manifest lists policy version ${version}, which no event references`);
    const prefix = `${POLICIES_DIR}/${version}/`;
    const names = Object.keys(manifest.files).filter((path) => path.startsWith(prefix)).map((path) => path.slice(prefix.length));
    if (names.length === 0) {
      add('policy-missing', `${POLICIES_DIR}/${version}`, `the files of policy version ${version} are not in the bundle`);
      continue;
    }
    // Only what is on disk counts: a missing file was reported already and makes the version differ.
    const files = await Promise.all(
      names.filter((name) => present.has(policyPath(version, name))).map(async (name) => ({ name, content: await readFile(join(dir, policyPath(version, name))) })),
    );
    const computed = policyVersionOf(files);
    if (computed !== version) add('policy-version-mismatch', `${POLICIES_DIR}/${version}`, `the files of policy version ${version} hash to ${computed.slice(0, 12)}…: a policy file was changed, added or removed`);
    const activated = facts.activatedFiles.get(version);
    if (activated !== undefined && activated.files.length > 0) {
      const recorded = new Map(activated.files.map((file) => [file.name, file.sha256]));
      const sameFiles = files.length === recorded.size && files.every((file) => recorded.get(file.name) === policyFileSha256(file.content));
      if (!sameFiles) add('policy-files-mismatch', `${POLICIES_DIR}/${version}`, `the files of policy version ${version} differ from those its policy.activated event (seq ${activated.seq}) recorded`, activated.seq);
    }
  }
}

function warn(chain: ChainReport, facts: EventFacts, warnings: string[]): void {
  if (chain.eventCount > 0 && chain.checkpointsVerified === 0) {
    warnings.push('No signed checkpoint falls within the exported events: they are consistent with each other, but nothing signed vouches for them.');
  } else if (chain.lastCheckpointSeq !== null && chain.headSeq > chain.lastCheckpointSeq) {
    warnings.push(`Events after seq ${chain.lastCheckpointSeq} (the last checkpoint) up to ${chain.headSeq} are vouched for only by the manifest signature.`);
  }
  if (facts.outOfScope > 0) warnings.push(`${facts.outOfScope} events fall outside the period in the manifest (their time is out of seq order, or the range was widened to stay contiguous).`);
}
